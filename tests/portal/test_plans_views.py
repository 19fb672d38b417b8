"""Public plan pages on the sample plans: what a citizen sees, what stays hidden, bad input."""

import itertools
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.views.defaults import server_error

from indicators.models import Indicator
from plans import services
from plans.models import CrossReference, Municipality, Plan, PlanNode

pytestmark = pytest.mark.usefixtures("samples")


def text_of(response) -> str:
    return response.content.decode()


def test_home_lists_each_municipality_by_prefecture_north_to_south(client):
    """Home names every municipality with a published plan under its prefecture, prefectures
    in the order of their codes (北海道 first); each links to its page."""
    html = text_of(client.get("/"))
    assert '<html lang="ja"' in html
    headings = re.findall(r'<h3 id="pref-\d+">(\S+) <span class="meta">(\d+)自治体</span>', html)
    assert headings == [("北海道", "1"), ("茨城県", "1"), ("埼玉県", "1"), ("東京都", "1")]
    for municipality in Municipality.objects.filter(plans__status=Plan.Status.PUBLISHED):
        assert f'<a href="/{municipality.slug}/">{municipality.name}</a>' in html


def test_municipality_page_lists_its_published_plans_and_counts(client):
    """The municipality page shows each published plan, its period in 和暦 and counts."""
    for plan in Plan.objects.published().select_related("municipality"):
        html = text_of(client.get(plan.municipality.get_absolute_url()))
        assert plan.get_absolute_url() in html
        nodes = PlanNode.objects.filter(plan=plan).count()
        kpis = Indicator.objects.filter(plan=plan).count()
        assert f"項目 {nodes}件" in html and f"成果指標 {kpis}件" in html
    assert "令和5年度 (2023)" in text_of(client.get("/omitama/"))  # its plan starts in 2023


def test_plan_page_shows_the_whole_hierarchy_with_level_names_and_counts(client):
    """The plan page lists every node with the plan's level names, codes and KPI counts."""
    html = text_of(client.get("/omitama/2023/"))
    plan = Plan.objects.get(municipality__slug="omitama", slug="2023")
    for node in PlanNode.objects.filter(plan=plan):
        assert f'href="{node.get_absolute_url()}"' in html
    assert "基本目標 → 基本施策 → 個別施策" in html
    assert re.search(r'<span class="level">基本施策</span> <span class="code">11</span>', html)
    kpis_of_goal_1 = Indicator.objects.filter(
        plan=plan, node__tree_id=plan.nodes.get(code="1").tree_id
    )
    count = kpis_of_goal_1.count()  # no actual yet: every one 未評価
    assert f"成果指標 {count}件: 達成 0・順調 0・遅れ 0・未評価 {count}" in html


def test_plan_page_sdg_filter_keeps_tagged_nodes_and_their_ancestors(client):
    """Filtering by an SDG keeps the tagged nodes with their parents, and drops the rest."""
    node = PlanNode.objects.get(plan__municipality__slug="omitama", code="1101")
    node.sdg_goals.add(11)
    html = text_of(client.get("/omitama/2023/?sdg=11"))
    assert "関係する項目: 1件" in html
    assert node.get_absolute_url() in html and node.parent.get_absolute_url() in html
    assert "/omitama/2023/1102/" not in html and "/omitama/2023/2/" not in html
    assert "SDG11" in html


def test_the_sdg_filter_is_offered_only_where_the_plan_has_sdgs(client):
    """No sample plan tags a node with an SDG: a filter there always found nothing, so none is
    offered; one tagged node brings it back on that plan only."""
    for plan in Plan.objects.published():
        assert 'id="sdg-filter"' not in text_of(client.get(plan.get_absolute_url()))
    PlanNode.objects.get(plan__municipality__slug="omitama", code="1101").sdg_goals.add(11)
    assert 'id="sdg-filter"' in text_of(client.get("/omitama/2023/"))
    assert 'id="sdg-filter"' not in text_of(client.get("/honjo/2023/"))


def test_node_page_shows_breadcrumb_sections_kpis_children_and_references(client):
    """基本施策1's page: breadcrumb, its text sections, three KPIs, five 個別施策."""
    html = text_of(client.get("/omitama/2023/11/"))
    assert 'aria-label="パンくずリスト"' in html and 'href="/omitama/2023/1/"' in html
    assert "<h2>現況と課題</h2>" in html and "<h2>基本方針</h2>" in html
    assert "成果指標（3件）" in html and "個別施策（5件）" in html
    assert '<span class="num">64</span><span class="unit">団体</span>' in html


def test_cross_references_show_both_ways(client):
    """A 政策連携プラン lists the measures it links, and each measure links back to the plan."""
    node = PlanNode.objects.filter(outgoing_references__to_node__isnull=False).first()
    assert node is not None, "the samples have resolved cross-references"
    target = node.outgoing_references.exclude(to_node=None).first().to_node
    assert target.get_absolute_url() in text_of(client.get(node.get_absolute_url()))
    back = text_of(client.get(target.get_absolute_url()))
    assert "この項目を取り上げている項目" in back and node.get_absolute_url() in back


def test_unresolved_cross_references_show_the_printed_item(client):
    """A 政策連携プラン entry the site does not have shows its code and title as printed."""
    reference = CrossReference.objects.filter(to_node=None).first()
    assert reference is not None, "本庄市 has references the importer could not resolve"
    html = text_of(client.get(reference.from_node.get_absolute_url()))
    assert f"{reference.target_code} {reference.target_title}" in html
    assert "（このサイトには未掲載）" in html


@pytest.mark.parametrize(
    "url",
    ["/nowhere/", "/omitama/1999/", "/omitama/2023/9999/", "/omitama/2023/kpi/999999/"],
)
def test_unknown_slugs_and_codes_give_the_404_page(client, url):
    """Unknown municipalities, plans, codes and KPIs answer 404 with the site's 404 page."""
    response = client.get(url)
    assert response.status_code == 404
    assert "ページが見つかりません" in text_of(response)
    assert "css/portal.css" in text_of(response)


def test_draft_plans_are_invisible_to_the_public(client):
    """A draft plan appears nowhere: not on home, not by URL, not in search."""
    municipality = Municipality.objects.get(slug="kiyose")
    draft = services.plan_create(
        municipality=municipality,
        title="下書きの計画",
        slug="draft",
        first_fiscal_year=2031,
        last_fiscal_year=2035,
        level_names=["基本目標"],
    )
    node = services.node_create(plan=draft, title="非公開の防災施策", key="x", code="99")
    assert "下書きの計画" not in text_of(client.get("/"))
    assert client.get("/kiyose/draft/").status_code == 404
    assert client.get(node.get_absolute_url()).status_code == 404
    assert "非公開の防災施策" not in text_of(client.get("/search/", {"q": "非公開"}))


def test_draft_plans_kpis_are_not_found_by_search(client):
    """The same word in a published and in a draft plan's KPI: search finds the published one."""
    municipality = Municipality.objects.get(slug="kiyose")
    published = Plan.objects.get(municipality=municipality)
    draft = services.plan_create(
        municipality=municipality,
        title="下書きの計画",
        slug="draft",
        first_fiscal_year=2031,
        last_fiscal_year=2035,
        level_names=["基本目標"],
    )
    for plan, name in [(published, "公開計画の見守り指標"), (draft, "下書き計画の見守り指標")]:
        node = PlanNode.objects.filter(plan=plan).first() or services.node_create(
            plan=plan, title="福祉のまち", key="1", code="1"
        )
        Indicator.objects.create(plan=plan, node=node, key=f"{plan.slug}:w", name=name)
    html = text_of(client.get("/search/", {"q": "見守り指標"}))
    assert "成果指標（1件）" in html
    assert "公開計画の" in html
    assert "下書き計画の" not in html


def test_imported_markup_is_shown_as_text(client):
    """Imported text containing <script> is escaped on the node page and in search results."""
    plan = Plan.objects.get(municipality__slug="omitama")
    parent = PlanNode.objects.get(plan=plan, code="11")
    node = services.node_create(
        plan=plan,
        parent=parent,
        key="1199",
        code="1199",
        title="<script>alert(1)</script>防災",
        sections=[("取組内容", "<b>太字</b><script>alert(2)</script>")],
    )
    for response in [client.get(node.get_absolute_url()), client.get("/search/", {"q": "alert"})]:
        html = text_of(response)
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "query", ["", "   ", "防" * 1_000, '"><script>alert(1)</script>', "%_\\'; DROP TABLE x;--"]
)
def test_search_with_bad_input_returns_a_normal_page(client, query):
    """Empty, long and markup-laden queries give a normal search page, escaped (10,000
    characters answer 400: tests/security/test_hostile_input.py)."""
    response = client.get("/search/", {"q": query, "level": "x", "sdg": "99", "plan": "a/b/c"})
    assert response.status_code == 200
    html = text_of(response)
    assert "<script>alert" not in html
    assert "計画を検索" in html
    if len(query) > 100:
        assert "最初の100文字で検索しました" in html


@pytest.mark.parametrize(
    "query,expected_url",
    [
        ("防災", "/honjo/"),  # two-character word
        ("子育て", "/omitama/2023/2102/"),
        ("國際交流", "/omitama/2023/1305/"),  # old form 國 folded to 国 on both sides
        ("ＤＸ", "/omitama/2023/13/"),  # full-width Latin folded to DX
        ("ｺﾐｭﾆﾃｨ", "/omitama/2023/11/"),  # half-width kana
    ],
)
def test_search_finds_nodes_by_words_and_variant_spellings(client, query, expected_url):
    """Search folds the query like the stored text: variants and widths meet; counts shown."""
    html = text_of(client.get("/search/", {"q": query}))
    assert expected_url in html
    assert re.search(r"項目 [1-9]\d*件", html)
    assert "<mark>" in html


def test_search_finds_kpis_by_name_and_highlights_them(client):
    """A KPI name word finds the KPI, with a link to its page."""
    kpi = Indicator.objects.get(plan__municipality__slug="omitama", name="まちづくり組織認定団体数")
    html = text_of(client.get("/search/", {"q": "認定団体"}))
    assert kpi.get_absolute_url() in html
    assert "まちづくり組織<mark>認定団体</mark>数" in html
    assert re.search(r"成果指標 [1-9]\d*件", html)


def test_search_filters_by_plan_level_and_sdg(client):
    """Plan, level and SDG filters narrow the results."""
    everywhere = text_of(client.get("/search/", {"q": "子育て"}))
    omitama = text_of(client.get("/search/", {"q": "子育て", "plan": "omitama/2023"}))
    assert "/kiyose/" in everywhere and "/kiyose/" not in omitama
    leaves = text_of(client.get("/search/", {"q": "子育て", "plan": "omitama/2023", "level": "2"}))
    assert "/omitama/2023/2102/" in leaves and "/omitama/2023/21/" not in leaves
    PlanNode.objects.get(plan__municipality__slug="omitama", code="2103").sdg_goals.add(4)
    tagged = text_of(client.get("/search/", {"q": "子育て", "sdg": "4"}))
    assert "/omitama/2023/2103/" in tagged and "/omitama/2023/2102/" not in tagged


def test_search_filters_by_prefecture_and_municipality(client):
    """A prefecture (one of 47, not a list of every plan) narrows the results and offers its
    municipalities; a municipality narrows further and keeps its prefecture chosen."""
    saitama = text_of(client.get("/search/", {"q": "子育て", "pref": "埼玉県"}))
    results = saitama.split('id="node-results-heading"', 1)[1]
    assert "/honjo/" in results and "/omitama/" not in results and "/kiyose/" not in results
    assert '<option value="honjo"' in saitama  # 本庄市, the one city of 埼玉県 with a plan
    assert '<option value="omitama"' not in saitama
    honjo = text_of(client.get("/search/", {"q": "子育て", "city": "honjo"}))
    assert "<option selected>埼玉県</option>" in honjo
    assert '<option value="honjo" selected' in honjo
    unknown = text_of(client.get("/search/", {"q": "子育て", "pref": "架空県", "city": "x"}))
    assert "/omitama/" in unknown and "/honjo/" in unknown  # unknown filters are dropped


def test_text_size_control_sets_a_cookie_and_returns_safely(client):
    """文字サイズ: the choice is remembered in a cookie; redirects stay on this site."""
    response = client.get("/text-size/", {"size": "large", "next": "/omitama/2023/"})
    assert response.status_code == 302 and response["Location"] == "/omitama/2023/"
    assert client.cookies["textsize"].value == "large"
    assert 'class="text-large"' in text_of(client.get("/"))
    client.get("/text-size/", {"size": "normal"})
    assert '<html lang="ja">' in text_of(client.get("/"))
    evil = client.get("/text-size/", {"size": "xlarge", "next": "https://evil.example/"})
    assert evil["Location"] == "/"


def test_english_ui_through_i18n(client):
    """With English chosen, the page says lang="en", the UI is English, fiscal years FY2021."""
    client.cookies["django_language"] = "en"
    html = text_of(client.get("/omitama/2023/11/"))
    assert '<html lang="en"' in html
    assert "FY2021" in html
    assert "Skip to content" in html and "Latest actual" in html
    assert "Structure of the plan" in text_of(client.get("/omitama/2023/"))


def test_server_error_page_renders_in_the_site_style():
    """The 500 page renders without any context and links the site's stylesheet."""
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in html and "css/portal.css" in html


def test_pages_load_nothing_from_another_host(client):
    """No script, stylesheet, image or font comes from another host."""
    kpi = Indicator.objects.filter(plan__municipality__slug="omitama").first()
    for url in ["/", "/omitama/2023/", "/omitama/2023/11/", kpi.get_absolute_url(), "/search/?q=a"]:
        html = text_of(client.get(url))
        assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), url


def node_results(html: str) -> list[str]:
    section = html.split('id="node-results-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li>\s*<a href="([^"]+)"', section)


def test_search_pages_through_the_results_twenty_at_a_time(client):
    """A common word lists 20 nodes a page; the pages follow one order (titles that contain
    the word first, then by plan and tree order), none repeats another, the pager keeps the
    filters."""
    pages = [text_of(client.get("/search/", {"q": "の", "level": "2", "page": n})) for n in (1, 2)]
    first, second = (node_results(page) for page in pages)
    assert len(first) == len(second) == 20 and not set(first) & set(second)
    assert "1〜20件目を表示しています" in pages[0] and "21〜40件目を表示しています" in pages[1]
    assert '<a href="?q=%E3%81%AE&amp;level=2&amp;page=2" rel="next">次の20件</a>' in pages[0]
    assert '<a href="?q=%E3%81%AE&amp;level=2&amp;page=1" rel="prev">前の20件</a>' in pages[1]
    # The two pages are the first 40 of the whole order.
    matches = PlanNode.objects.filter(
        plan__status=Plan.Status.PUBLISHED, level=2, search_text__contains="の"
    ).select_related("plan__municipality")
    ordered = sorted(
        matches,
        key=lambda n: ("の" not in n.title, n.plan_id, n.tree_id, n.lft, n.pk),
    )
    assert first + second == [node.get_absolute_url() for node in ordered[:40]]
    beyond = text_of(client.get("/search/", {"q": "の", "page": "999"}))
    assert "1〜20件目を表示しています" in beyond  # a page past the last reads as the first


def prepared_statement(sql: str) -> str:
    """The statement a query ran: the one prepared under its name for ``EXECUTE name(…)``
    (compiled queries, :mod:`plans.compiled`), else the query itself."""
    executed = re.match(r"EXECUTE (\w+)", sql)
    if executed is None:
        return sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s", [executed[1]]
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_search_within_a_place_reads_its_plans_rows_not_the_index(client):
    """Everywhere, words are looked up in the bigram index; within a prefecture, a municipality
    or a plan, LIKE on those plans' rows (the planner otherwise computes every row's pairs)."""

    def search_sql(params) -> str:
        with CaptureQueriesContext(connection) as queries:
            html = text_of(client.get("/search/", params))
        return html, [prepared_statement(q["sql"]) for q in queries]

    html, everywhere = search_sql({"q": "子育て"})
    lookups = [sql for sql in everywhere if "plans_bigrams" in sql]
    assert "/honjo/" in html and len(lookups) == 2  # nodes, KPIs (each part of each index)
    assert all(sql.count("plans_bigrams") == 2 for sql in lookups)
    for place in ({"pref": "埼玉県"}, {"city": "honjo"}, {"plan": "omitama/2023"}):
        html, placed = search_sql({"q": "子育て", **place})
        placed = " ".join(placed)
        assert "plans_bigrams" not in placed and "LIKE" in placed, place
    assert "/omitama/2023/" in html and "/honjo/" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_search_reads_the_bigram_index_rather_than_computing_each_texts_pairs(client):
    """On the sample plans, analyzed as autovacuum would, each of the search's bigram lookups
    is planned through an index: none computes ``plans_bigrams`` row by row as a filter (2.6 ms
    a sample node: 「環境」 took 589 ms that way, 0.5 ms through the index). They are prepared
    statements: so planned for the word (a custom plan, the first five runs) and for any word
    (the generic plan the server keeps after that)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plans_plan, plans_plannode, plans_nodesearch, indicators_indicator")
    with CaptureQueriesContext(connection) as queries:
        html = text_of(client.get("/search/", {"q": "環境"}))
    assert 'href="/omitama/2023/' in html  # found
    lookups = [q["sql"] for q in queries if "plans_bigrams" in prepared_statement(q["sql"])]
    assert len(lookups) == 2  # nodes, KPIs
    for sql, mode in itertools.product(lookups, ("force_custom_plan", "force_generic_plan")):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL plan_cache_mode = {mode}")
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Bitmap Index Scan" in plan, (mode, plan)
        assert not re.search(r"Filter: .*plans_bigrams", plan), (mode, plan)


def test_node_page_links_its_sdgs_in_the_pages_language(client):
    """Each goal of the node links the plan filtered by it, named in the page's language (the
    sentence is translated once for the list, the name is the goal's own in that language)."""
    node = PlanNode.objects.get(plan__municipality__slug="omitama", code="1101")
    node.sdg_goals.add(3, 11)
    html = client.get(node.get_absolute_url()).content.decode()
    assert (
        '<ul class="sdg-list"><li><a class="sdg sdg-3" href="/omitama/2023/?sdg=3">ゴール3'
        ' すべての人に健康と福祉を</a></li><li><a class="sdg sdg-11" href="/omitama/2023/?sdg=11">'
        "ゴール11 住み続けられるまちづくりを</a></li></ul>"
    ) in html
    client.cookies["django_language"] = "en"
    html = client.get(node.get_absolute_url()).content.decode()
    assert '?sdg=3">Goal 3 Good health and well-being</a>' in html


def test_node_page_counts_each_childs_items_and_kpis(client):
    """基本目標1's policies: 基本施策11 has five 個別施策 and 3 KPIs of its own; a count of none
    is left out, in Japanese and English (singular and plural)."""
    html = client.get("/omitama/2023/1/").content.decode()
    policy = '市民協働・コミュニティ活動の推進</a>\n      <span class="counts">5項目 指標3件</span>'
    assert policy in html
    client.cookies["django_language"] = "en"
    html = client.get("/omitama/2023/1/").content.decode()
    assert '<span class="counts">5 items 3 KPIs</span>' in html
    leaf = PlanNode.objects.get(plan__municipality__slug="omitama", code="1101")
    Indicator.objects.create(plan=leaf.plan, node=leaf, key="test:one", name="一件の指標")
    html = client.get("/omitama/2023/11/").content.decode()
    assert '環境づくり</a>\n      <span class="counts"> 1 KPI</span>' in html
