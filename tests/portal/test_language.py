"""The interface language is switched by a link; public pages set no cookie."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def test_public_pages_set_no_cookie(samples, client):
    response = client.get("/omitama/2023/11/")
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


def test_language_link_switches_to_english_and_back(samples, client):
    html = client.get("/omitama/2023/").content.decode()
    assert 'href="/language/?language=en&amp;next=/omitama/2023/"' in html
    response = client.get("/language/", {"language": "en", "next": "/omitama/2023/"})
    assert response.status_code == 302
    assert response["Location"] == "/omitama/2023/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en"' in client.get("/omitama/2023/").content.decode()
    client.get("/language/", {"language": "ja", "next": "/"})
    assert '<html lang="ja"' in client.get("/omitama/2023/").content.decode()


def test_language_switch_refuses_unknown_languages_and_foreign_urls(samples, client):
    response = client.get("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


# Where the public pages' words live; the admin's (models, messages) may stay Japanese.
PUBLIC_SOURCES = re.compile(
    r"^(templates/|\w+/jinja2/|\w+/presenters/|\w+/views\.py|\w+/charts\.py)"
)


def test_english_catalog_is_up_to_date_and_covers_the_public_pages(tmp_path):
    """makemessages over a copy of the project finds exactly the messages of the committed
    English catalog, and every word of the public pages (in a template, or in a tag that builds
    HTML in Python) has a translation: none stays Japanese in the English UI or drops out of
    the catalog."""
    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "project"
    for name in (
        "config",
        "plans",
        "indicators",
        "importers",
        "exports",
        "portal",
        "templates",
        "locale",
        "manage.py",
    ):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    committed = catalog(root / "locale/en/LC_MESSAGES/django.po")
    extracted = catalog(copy / "locale/en/LC_MESSAGES/django.po")
    assert set(extracted) == set(committed), "run makemessages -l en and translate"
    untranslated = [
        message
        for message, (translated, sources) in extracted.items()
        if not translated and any(PUBLIC_SOURCES.match(source) for source in sources)
    ]
    assert untranslated == []


def catalog(path: Path) -> dict[str, tuple[bool, list[str]]]:
    """msgid → (whether it has a translation, the files using it), for the live (not
    obsolete) entries of a .po file."""
    entries = {}
    for block in path.read_text().split("\n\n"):
        sources = [ref.split(":")[0] for ref in re.findall(r"^#: (.*)$", block, re.M)]
        sources = [file for line in sources for file in line.split()]
        text = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        msgid = re.search(r'^msgid "(.*)"', text, re.MULTILINE)
        if not msgid or not msgid.group(1):
            continue  # the header, or an obsolete (#~) entry
        translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', text, re.MULTILINE)
        translated = all(first or rest for first, rest in translations)
        entries[msgid.group(1)] = (translated, sources)
    return entries
