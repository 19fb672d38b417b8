"""The bigram index (plans.search): two-character words served by an index on PostgreSQL,
the substring still checked, and the same answers on SQLite."""

import pytest
from django.db import connection
from django.db.models import F

from indicators import services as indicator_services
from indicators.models import Indicator
from plans import services
from plans.compiled import CompiledQuery
from plans.models import NodeSection, PlanNode
from plans.search import (
    Bigrams,
    KpiText,
    Like,
    Word,
    containing,
    fold,
    grams,
    index_parts,
    nodes_containing,
)
from plans.tenancy import SYSTEM


def test_grams_of_a_query_are_its_character_pairs():
    assert grams("福祉") == ["福祉"]
    assert grams("防災訓練") == ["災訓", "訓練", "防災"]  # sorted, each pair once
    assert grams("ああああ") == ["ああ"]
    assert grams("市") == ["市"]  # one character: the character itself
    assert grams("") == []


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＡＢＣ　公園", "abc 公園"),  # full-width letters and space (NFKC), case folded
        ("國際交流", "国際交流"),  # a variant form in a text NFKC leaves alone
        ("ｺﾄﾞﾓの學校", "コドモの学校"),  # half-width kana and a variant form together
        ("霞ヶ関", "霞ケ関"),
        ("①市民協働", "1市民協働"),
        ("  防災\n　訓練 ", "防災 訓練"),  # spaces of every width squeezed, ends cut
        ("Straße", "strasse"),
        ("地域福祉の推進", "地域福祉の推進"),  # nothing to fold
    ],
)
def test_fold_takes_each_step_only_where_it_changes_the_text(text, folded):
    assert fold(text) == folded


def found(queryset, expression, word: str) -> list[str]:
    """Keys found as search reads them: each part of the bigram index on PostgreSQL."""
    keys = []
    for part in index_parts(queryset):
        keys += containing(queryset, expression, {word}, part=part).values_list("key", flat=True)
    return sorted(keys)


def nodes_found(word: str) -> list[str]:
    nodes = PlanNode.objects.all()
    keys = []
    for part in index_parts(nodes):
        keys += nodes_containing(nodes, fold(word), part=part).values_list("key", flat=True)
    return sorted(keys)


@pytest.mark.django_db
def test_nodes_are_found_by_two_characters_and_pairs_out_of_order_are_not(plan):
    services.node_create(plan=plan, title="地域福祉の推進", key="welfare", code="1")
    services.node_create(plan=plan, title="東京 京都との交流 100%_達成", key="cities", code="2")
    assert nodes_found("福祉") == ["welfare"]
    assert nodes_found("祉の") == ["welfare"]
    assert nodes_found("京都") == ["cities"]
    # Both pairs of 東京都 (東京, 京都) are in the second title, but not the word itself.
    assert nodes_found("東京都") == []
    assert nodes_found("祉福") == []
    assert nodes_found("0%_") == ["cities"]  # LIKE's own characters are matched as written
    assert nodes_found("0_") == []


@pytest.mark.django_db
def test_node_search_follows_every_write_of_a_nodes_text(plan):
    """Create, rename, a section added, the bulk path, delete: search sees each at once."""
    node = services.node_create(plan=plan, title="公園の整備", key="park", code="1")
    assert nodes_found("公園") == ["park"]
    node.title = "緑地の保全"
    node.save()
    assert nodes_found("公園") == [] and nodes_found("緑地") == ["park"]
    NodeSection.objects.create(
        node=node, order=0, heading="取組内容", body="防災公園を整備します。"
    )
    assert nodes_found("防災") == ["park"]
    services.nodes_bulk_create(
        plan=plan,
        roots=[services.NodeSpec(key="bulk", code="2", title="一括", sections=[("", "防災訓練")])],
    )
    assert nodes_found("防災") == ["bulk", "park"]
    services.node_delete(actor=SYSTEM, node=node)
    assert nodes_found("防災") == ["bulk"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_tree_writes_leave_the_search_table_alone(plan):
    """A top-level reorder rewrites the plan's node rows, never their searched texts."""
    if connection.vendor != "postgresql":
        pytest.skip("the search table is PostgreSQL's")
    first = services.node_create(plan=plan, title="目標1", key="1", code="1")
    services.node_create(plan=plan, title="施策", key="11", code="11", parent=first)
    last = services.node_create(plan=plan, title="目標2", key="2", code="2")

    def versions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT node_id, xmin::text FROM plans_nodesearch ORDER BY node_id")
            return cursor.fetchall()

    before = versions()
    services.node_move(actor=SYSTEM, node=last, target=first, position="left")
    assert PlanNode.objects.get(pk=first.pk).tree_id != first.tree_id  # the rows were rewritten
    assert versions() == before


@pytest.mark.django_db
def test_kpis_are_found_by_name_or_definition_in_lowercase(plan):
    node = services.node_create(plan=plan, title="デジタル化", key="dx", code="1")
    indicator_services.indicator_create(
        actor=SYSTEM,
        plan=plan,
        node=node,
        key="dx-kpi",
        name="DX推進計画の策定",
        definition="行政手続の電子化率",
    )
    kpis = Indicator.objects.all()
    assert found(kpis, KpiText(), "dx") == ["dx-kpi"]
    assert found(kpis, KpiText(), "電子") == ["dx-kpi"]
    assert found(kpis, KpiText(), "策定 行政") == ["dx-kpi"]  # name and definition joined
    assert found(kpis, KpiText(), "子育") == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_holds_each_texts_characters_and_pairs(plan):
    if connection.vendor != "postgresql":
        pytest.skip("the bigram function is PostgreSQL's")
    node = services.node_create(plan=plan, title="公園", key="park", code="1")
    (held,) = PlanNode.objects.filter(pk=node.pk).values_list(Bigrams("search_text"), flat=True)
    # search_text is "1 公園": pairs "1 ", " 公", "公園", the last character, and each character.
    assert sorted(set(held)) == sorted({"1 ", " 公", "公園", "園", "1", " ", "公"})


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("", set()),
        ("園", {"園"}),
        ("公園", {"公", "園", "公園"}),  # even length: both passes meet the last pair
        ("防災公園", {"防", "災", "公", "園", "防災", "災公", "公園"}),
        ("a\nb。", {"a", "\n", "b", "。", "a\n", "\nb", "b。"}),  # odd length, a line break
    ],
)
def test_postgresql_bigrams_are_every_character_and_every_pair(text, keys):
    """The pairs start at every position, odd and even, whatever the characters."""
    if connection.vendor != "postgresql":
        pytest.skip("the bigram function is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT plans_bigrams(%s)", [text])
        assert set(cursor.fetchone()[0]) == keys


def plan_of(queryset, analyze: bool = False) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # GIN serves bitmap scans only
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {'(ANALYZE, COSTS OFF) ' if analyze else ''}{sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_answers_two_character_words_from_the_bigram_indexes(plan):
    """The query as search builds it can be served by each index, part by part (the planner
    still chooses: on a table this small a scan is cheaper, so scans are turned off to ask
    whether it can; search orders nothing, so neither does this query)."""
    if connection.vendor != "postgresql":
        pytest.skip("the bigram indexes are PostgreSQL's")
    nodes = PlanNode.objects.order_by()
    kpis = Indicator.objects.order_by()
    assert index_parts(nodes) == [0, 1]
    for part, name in enumerate(["first", "rest"]):
        assert f"nodesearch_bigrams_{name}" in plan_of(nodes_containing(nodes, "福祉", part=part))
        assert f"nodesearch_bigrams_{name}" in plan_of(
            nodes_containing(nodes, "地域福祉", part=part)
        )
        found_kpis = containing(kpis, KpiText(), {"福祉", "ｄｘ"}, part=part)
        assert f"indicator_search_bigrams_{name}" in plan_of(found_kpis)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_finds_nodes_in_each_part_and_reads_the_rest_only_when_short(
    plan, next_node_ids_in_part
):
    """A node whose id falls in the first part (one run of 1,024 ids in eight) and one in the
    rest are both found; under a LIMIT the first part met, the rest is never read."""
    if connection.vendor != "postgresql":
        pytest.skip("the bigram indexes are PostgreSQL's")
    next_node_ids_in_part(0)
    first = [
        services.node_create(plan=plan, title=f"防災{i}", key=f"first{i}", code=f"{i}")
        for i in range(1, 3)
    ]
    assert all((node.pk // 1024) % 8 == 0 for node in first)
    next_node_ids_in_part(1)
    rest = services.node_create(plan=plan, title="防災計画", key="rest", code="9")
    assert (rest.pk // 1024) % 8 != 0
    assert nodes_found("防災") == ["first1", "first2", "rest"]
    assert nodes_found("防災計画") == ["rest"]

    nodes = PlanNode.objects.order_by()
    parts = [nodes_containing(nodes, "防災", part=part).values_list("pk") for part in (0, 1)]
    union = parts[0].union(parts[1], all=True)
    both = plan_of(union[:3], analyze=True)
    assert "nodesearch_bigrams_rest" in both and "never executed" not in both
    first_enough = plan_of(union[:2], analyze=True)
    assert "nodesearch_bigrams_rest (never executed)" in first_enough


@pytest.mark.django_db
def test_like_takes_the_pattern_made_once_as_one_parameter(plan):
    """A compiled query's word pattern is sent as it is (``LIKE %s``), not made in SQL for
    every row; LIKE's own characters in a word are still matched as written."""
    services.node_create(plan=plan, title="達成率 100%_以上", key="rate", code="1")
    services.node_create(plan=plan, title="達成率 1000以上", key="other", code="2")
    keys = CompiledQuery(
        lambda value: (
            PlanNode.objects.filter(Like(F("search_text"), value("pattern")))
            .order_by("key")
            .values_list("key")
        )
    )
    assert keys(pattern=Word.of("0%_").pattern) == [("rate",)]
    assert keys(pattern=Word.of("0_").pattern) == []
    assert keys(pattern=Word.of("達成率").pattern) == [("other",), ("rate",)]
    sql = keys.local.compiled.sql
    assert "LIKE %s" in sql and "REPLACE" not in sql.upper()
