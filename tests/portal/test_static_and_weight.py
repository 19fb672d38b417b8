"""Page weight of the largest sample plan page, and hashed, cacheable static files."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from plans.models import Plan

pytestmark = pytest.mark.usefixtures("samples")

LIMIT = 150 * 1024
ASSET = re.compile(r'(?:href|src)="/static/([^"]+\.(?:css|js))"')


def test_largest_sample_plan_page_weighs_under_150_kb(client):
    """HTML plus every CSS and JS file it references, uncompressed, stays under 150 KB."""
    sizes = {}
    for plan in Plan.objects.published().select_related("municipality"):
        html = client.get(plan.get_absolute_url()).content
        assets = ASSET.findall(html.decode())
        assert assets, "the page links its stylesheet"
        sizes[plan.get_absolute_url()] = len(html) + sum(
            Path(finders.find(asset)).stat().st_size for asset in assets
        )
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < LIMIT, f"{largest} weighs {sizes[largest]} bytes"


def test_static_files_are_hashed_in_production_storage(client, tmp_path):
    """With the manifest storage of production, pages link content-hashed static names."""
    manifest = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=manifest):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = client.get("/").content.decode()
    match = re.search(r'href="/static/(css/portal\.[0-9a-f]{12}\.css)"', html)
    assert match, "the stylesheet link carries a content hash"
    assert (tmp_path / match.group(1)).exists()
