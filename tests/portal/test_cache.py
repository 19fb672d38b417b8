"""The public page cache: kept per plan version, so every write shows on the next request;
revalidation answers 304 Not Modified."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db.models import Count

from importers.parsing import parse_files
from importers.selectors import sample_catalog
from importers.services import plan_import
from indicators.models import Indicator
from indicators.services import indicator_value_set
from plans.concurrency import edit_token
from plans.models import GlossaryTerm, Plan, PlanNode
from plans.tenancy import SYSTEM

pytestmark = pytest.mark.usefixtures("samples")

NODE_PAGE = "/omitama/2023/11/"
PLAN_PAGE = "/omitama/2023/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """Local memory, as a portal runs by default (the tests' default keeps nothing)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "house-page-cache-tests",
        }
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_kept_page_is_served_without_a_query_whatever_the_plan(client, django_assert_num_queries):
    """A second request runs no query, for the largest plan's page and a node page alike: the
    plan's version read by the first is still known to be current (``plans.versions``)."""
    smallest = Plan.objects.published().annotate(n=Count("nodes")).order_by("n").first()
    for url in (PLAN_PAGE, NODE_PAGE, smallest.get_absolute_url()):
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content


def test_revalidation_answers_304_until_the_plan_changes(client):
    first = client.get(NODE_PAGE)
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(NODE_PAGE, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(NODE_PAGE, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    node = PlanNode.objects.get(plan__municipality__slug="omitama", code="11")
    GlossaryTerm.objects.filter(plan=node.plan).first().save()  # any write to the plan
    changed = client.get(NODE_PAGE, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_an_admin_edit_shows_on_the_next_request(client):
    """A glossary definition changed in the admin is on the plan page at once."""
    assert "住民の生活の質" not in client.get(PLAN_PAGE).content.decode()
    term = GlossaryTerm.objects.get(plan__municipality__slug="omitama", term="QOL")
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "pw"))
    response = client.post(
        f"/admin/plans/glossaryterm/{term.pk}/change/",
        {
            "plan": term.plan_id,
            "term": "QOL",
            "definition": "住民の生活の質",
            "order": term.order,
            "edit_token": edit_token(term),  # the form's hidden token (plans.concurrency)
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert "<dd>住民の生活の質</dd>" in client.get(PLAN_PAGE).content.decode()


def test_an_import_shows_on_the_next_request(client):
    """Importing the plan again with a changed title (written in bulk and through merges)."""
    assert "<h1>" in client.get(NODE_PAGE).content.decode()
    entry = next(e for e in sample_catalog() if e.municipality.slug == "omitama")
    parsed = parse_files([(p.name, p.read_bytes()) for p in entry.paths()], prefer=entry.prefer)
    node = next(n for n in parsed.walk() if n.code == "11")
    node.title = "見出しを取り込みで変えた施策"
    result = plan_import(
        actor=SYSTEM, parsed=parsed, municipality=entry.municipality, plan=entry.plan
    )
    assert result.changed
    assert "見出しを取り込みで変えた施策" in client.get(NODE_PAGE).content.decode()


def test_a_yearly_value_shows_on_the_next_request(client):
    """A yearly actual set through the service is on the KPI page at once."""
    kpi = Indicator.objects.get(plan__municipality__slug="omitama", name="まちづくり組織認定団体数")
    url = kpi.get_absolute_url()
    assert "71団体" not in client.get(url).content.decode()
    indicator_value_set(actor=SYSTEM, indicator=kpi, fiscal_year=2024, value=Decimal(71))
    assert "71団体" in client.get(url).content.decode()


def test_pages_are_kept_per_language(client):
    japanese = client.get(NODE_PAGE).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(NODE_PAGE).content.decode()
    assert '<html lang="ja"' in japanese and '<html lang="en"' in english
