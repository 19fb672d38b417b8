"""The admin is Japanese throughout, for city staff: every page of every admin (generated from
``admin.site._registry``, as the tenancy matrix is) shows none of the English words of the
packages it is built from — Django's admin, django-simple-history, django-import-export and
django-mptt — and the Japanese catalog compiles on a fresh machine to the committed .mo."""

import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import import_export
import mptt
import pytest
import simple_history
from django.contrib import admin
from django.urls import reverse

from exports.resources import IndicatorResource
from exports.spreadsheets import ExcelCSV
from indicators.models import Indicator

from .test_tenancy_matrix import admin_urls, object_of

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [import_export, simple_history, mptt]
# Words that are the same in Japanese admin screens, or data rather than the UI.
SAME_IN_JAPANESE = {"Excel", "CSV", "XLSX", "SDGs", "KPI", "TOTP", "Control", "Command"}


def english_words() -> set[str]:
    """The msgids of the packages' templates and code (their English UI), 4 letters or more."""
    found = set()
    for package in PACKAGES:
        folder = Path(package.__file__).parent
        for path in [*folder.rglob("*.html"), *folder.rglob("*.py")]:
            text = path.read_text(encoding="utf-8", errors="replace")
            found |= set(
                re.findall(
                    r"""(?:trans(?:late)?|_|gettext(?:_lazy)?)\(?\s*["']([^"'%{}]{4,})["']""", text
                )
            )
    return {word.strip() for word in found if re.search(r"[a-z]{3}", word)} - SAME_IN_JAPANESE


class VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes, and alt/title/placeholder/aria-label."""

    def __init__(self):
        super().__init__()
        self.texts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style", "template")
        for name, value in attrs:
            if name in ("alt", "title", "placeholder", "aria-label") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style", "template")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def english_on(html: str, words: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [text for text in parser.texts if text.rstrip(":.") in words or text in words]


@pytest.mark.parametrize(
    ("model", "model_admin"),
    sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label),
    ids=str,
)
def test_every_admin_page_a_city_editor_opens_is_japanese(
    cities, clerk_a, client, model, model_admin
):
    words = english_words()
    ours = object_of(model, cities[0])
    client.force_login(clerk_a)
    for name, url, _ in admin_urls(model_admin, ours):
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        assert english_on(response.content.decode(), words) == [], f"{name} {url}"


def test_the_import_preview_and_its_errors_are_japanese(cities, clerk_a, client):
    """import-export's preview of a refused file: its headings and row labels."""
    plan = cities[0].plans.get(slug="2023")
    dataset = IndicatorResource(plan).export(Indicator.objects.filter(plan=plan))
    rows = [list(row) for row in dataset]
    rows[0][dataset.headers.index("目標値")] = "たくさん"
    dataset.dict = [dict(zip(dataset.headers, row, strict=True)) for row in rows]
    client.force_login(clerk_a)
    upload = ExcelCSV().export_data(dataset)
    file = io.BytesIO(upload)
    file.name = "kpi.csv"
    response = client.post(
        reverse("admin:indicators_indicator_import"),
        {"plan": plan.pk, "format": 1, "import_file": file},
    )
    html = response.content.decode()
    assert "取り込めない行があります" in html
    assert english_on(html, english_words()) == []


def test_the_japanese_catalog_compiles_on_a_fresh_checkout_to_the_committed_mo(tmp_path):
    """``manage.py compilemessages`` (GNU msgfmt, installed by scripts/bootstrap) turns the
    committed .po files into exactly the committed .mo files: nothing is built by hand."""
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: scripts/bootstrap --browser installs gettext")
    copy = tmp_path / "project"
    for name in ("config", "plans", "indicators", "importers", "exports", "portal", "locale"):
        shutil.copytree(
            ROOT / name, copy / name, ignore=shutil.ignore_patterns("*.mo", "__pycache__")
        )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore", ".venv"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    for language in ("ja", "en"):
        built = copy / f"locale/{language}/LC_MESSAGES/django.mo"
        committed = ROOT / f"locale/{language}/LC_MESSAGES/django.mo"
        assert built.read_bytes() == committed.read_bytes(), f"run compilemessages ({language})"
