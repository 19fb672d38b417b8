"""A search's ordered ids kept per search and version of the published plans (portal.search):
its next pages read only their rows, and any write to a published plan is found at once."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from plans import services
from plans.models import NodeSection, Plan
from portal.search import SearchFilters, form_choices

pytestmark = pytest.mark.usefixtures("samples")


def keep_in_local_memory(settings) -> None:
    """Local memory, as a portal runs by default (the tests' default keeps nothing)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "search-ids-tests",
        }
    }
    caches["default"].clear()


@pytest.fixture
def kept(settings):
    keep_in_local_memory(settings)
    yield
    caches["default"].clear()


def test_next_page_reads_only_its_rows(client, settings, django_assert_num_queries):
    """Uncached, a search runs 5 queries (node ids, nodes with their sections, KPI ids, KPIs,
    SDGs). With a cache, page 1 adds the version of the published plans once (plans.versions
    remembers it for the ids' key) and keeps the ids: page 2 runs 5 − 2, the ids and the
    version not read again, and shows what it shows uncached."""
    page_1 = {"q": "の", "level": "2"}
    page_2 = {**page_1, "page": "2"}
    uncached = client.get("/search/", page_2).content.decode()
    assert "21〜40件目を表示しています" in uncached  # more than 20 nodes found

    keep_in_local_memory(settings)
    try:
        with django_assert_num_queries(6):
            client.get("/search/", page_1)
        with django_assert_num_queries(3):
            kept_page = client.get("/search/", page_2).content.decode()
    finally:
        caches["default"].clear()
    assert kept_page == uncached


def test_a_write_to_a_published_plan_is_found_at_once(client, kept):
    """The kept ids belong to a version of the published plans: a node added to one is found
    by the next search (another URL, so the page itself is not the kept one)."""
    before = client.get("/search/", {"q": "ぱぴぷ"}).content.decode()
    assert "「ぱぴぷ」の検索結果: 項目 0件" in before
    plan = Plan.objects.published().get(municipality__slug="omitama")
    services.node_create(plan=plan, title="ぱぴぷ計画", key="papipu")
    found = client.get("/search/", {"q": "ぱぴぷ", "page": "1"}).content.decode()
    assert "「ぱぴぷ」の検索結果: 項目 1件" in found
    assert "ぱぴぷ</mark>計画" in found


@pytest.mark.postgres
def test_postgresql_search_reads_both_parts_of_the_bigram_index(client, next_node_ids_in_part):
    """A node whose id falls in the first part of the index (one run of 1,024 ids in eight)
    and one in the rest are both found by the search page."""
    if connection.vendor != "postgresql":
        pytest.skip("the bigram indexes are PostgreSQL's")
    plan = Plan.objects.published().get(municipality__slug="omitama")
    next_node_ids_in_part(0)
    first = services.node_create(plan=plan, title="ぱぴぷ計画", key="papipu")
    next_node_ids_in_part(1)
    rest = services.node_create(plan=plan, title="ぱぴぷ推進", key="papipu-rest")
    assert (first.pk // 1024) % 8 == 0 and (rest.pk // 1024) % 8 != 0
    found = client.get("/search/", {"q": "ぱぴ"}).content.decode()
    assert "「ぱぴ」の検索結果: 項目 2件" in found
    assert "ぱぴ</mark>ぷ計画" in found and "ぱぴ</mark>ぷ推進" in found


def test_a_found_node_shows_its_first_matching_section_in_order(client):
    """A page's nodes are read with their sections in one query: the excerpt is of the first
    section in the plan's order that matches (not the first stored); a node without sections
    shows none."""
    plan = Plan.objects.published().get(municipality__slug="omitama")
    node = services.node_create(plan=plan, title="ぱぴぷ計画", key="papipu")
    sections = [("後の見出し", "ぱぴぷ二番目"), ("先の見出し", "ぱぴぷ一番目")]
    services.node_sections_replace(node=node, sections=sections)
    NodeSection.objects.filter(node=node, heading="後の見出し").update(order=5)
    services.node_create(plan=plan, title="ぱぴぷ広場", key="papipu-2")
    html = client.get("/search/", {"q": "ぱぴぷ"}).content.decode()
    assert "「ぱぴぷ」の検索結果: 項目 2件" in html
    assert '<span class="section-name">先の見出し</span> <mark>ぱぴぷ</mark>一番目' in html
    assert "二番目" not in html
    assert html.count('class="excerpt"') == 1


def test_the_forms_options_come_labelled_and_chosen():
    """Levels, SDGs and prefectures as the form lists them: labels in the page's language
    (第N階層 past a plan's named levels), the chosen option of each selected."""
    goals = [
        SimpleNamespace(number=1, name="貧困をなくそう", name_en="No poverty"),
        SimpleNamespace(number=4, name="質の高い教育をみんなに", name_en="Quality education"),
    ]
    with translation.override("en"):
        choices = form_choices(SearchFilters(level=1, sdg=4, prefecture="埼玉県"), goals)
    assert choices["level_choices"] == [
        {"value": 0, "label": "Level 1", "selected": False},
        {"value": 1, "label": "Level 2", "selected": True},
        {"value": 2, "label": "Level 3", "selected": False},
        {"value": 3, "label": "Level 4", "selected": False},
    ]
    assert choices["sdg_choices"] == [
        {"value": 1, "label": "No poverty", "selected": False},
        {"value": 4, "label": "Quality education", "selected": True},
    ]
    prefectures = choices["prefecture_choices"]
    assert len(prefectures) == 47
    assert [option["name"] for option in prefectures if option["selected"]] == ["埼玉県"]
    plan = Plan(level_names=["基本目標", "基本施策"])
    with translation.override("ja"):
        in_plan = form_choices(SearchFilters(plan=plan), goals)
    assert [option["label"] for option in in_plan["level_choices"]] == [
        "基本目標",
        "基本施策",
        "第3階層",
        "第4階層",
    ]
    assert not any(option["selected"] for option in in_plan["level_choices"])
    assert in_plan["sdg_choices"][0]["label"] == "貧困をなくそう"
