"""The staff admin renders every model's list and change page, in a number of queries that does
not grow with the size of the plan, and staff see only their own municipality."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils.html import escape

from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.concurrency import edit_token
from plans.models import Municipality, PlanNode
from plans.services import NodeSpec
from tests.pages import select_options


def grow_plan(plan, goals: int) -> None:
    """Add goals of 4 policies × 5 measures each, with a KPI and a yearly value per policy."""
    roots = [
        NodeSpec(
            key=f"g{g}",
            code=f"{g}",
            title=f"基本目標{g}",
            sections=[("めざす姿", "だれもが暮らしやすいまち")],
            children=[
                NodeSpec(
                    key=f"g{g}p{p}",
                    code=f"{g}{p}",
                    title=f"基本施策{g}{p}",
                    sdg_goals=[3, 11],
                    children=[
                        NodeSpec(key=f"g{g}p{p}m{m}", code=f"{g}{p}0{m}", title=f"個別施策{m}")
                        for m in range(1, 6)
                    ],
                )
                for p in range(1, 5)
            ],
        )
        for g in range(1, goals + 1)
    ]
    created = services.nodes_bulk_create(plan=plan, roots=roots)
    for key, node in created.items():
        if node.level == 1:
            indicator = Indicator.objects.create(
                plan=plan,
                node=node,
                key=f"{key}:1",
                name=f"{node.title}の満足度",
                unit="%",
                baseline_value=Decimal("25.6"),
                baseline_year=2021,
                baseline_raw="25.6%",
                target_value=Decimal("40.0"),
                target_year=2027,
                target_raw="40.0%",
            )
            IndicatorValue.objects.create(
                indicator=indicator, fiscal_year=2022, value=Decimal("27.0"), raw_text="27.0%"
            )


@pytest.fixture
def admin_client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", "admin@example.jp", "pw")


def pages(plan):
    node = PlanNode.objects.filter(plan=plan, level=1).first()
    indicator = Indicator.objects.filter(plan=plan).first()
    value = IndicatorValue.objects.filter(indicator__plan=plan).first()
    return {
        "municipality": (
            reverse("admin:plans_municipality_changelist"),
            reverse("admin:plans_municipality_change", args=[plan.municipality_id]),
        ),
        "plan": (
            reverse("admin:plans_plan_changelist"),
            reverse("admin:plans_plan_change", args=[plan.pk]),
        ),
        "sdggoal": (
            reverse("admin:plans_sdggoal_changelist"),
            reverse("admin:plans_sdggoal_change", args=[11]),
        ),
        "plannode": (
            reverse("admin:plans_plannode_changelist"),
            reverse("admin:plans_plannode_change", args=[node.pk]),
        ),
        "indicator": (
            reverse("admin:indicators_indicator_changelist"),
            reverse("admin:indicators_indicator_change", args=[indicator.pk]),
        ),
        "indicatorvalue": (
            reverse("admin:indicators_indicatorvalue_changelist"),
            reverse("admin:indicators_indicatorvalue_change", args=[value.pk]),
        ),
    }


# Exact query counts per page (changelist, change page), the same for 1 goal and for 6 goals.
EXPECTED_QUERIES = {
    "municipality": (5, 4),
    "plan": (6, 5),
    "sdggoal": (5, 3),
    "plannode": (8, 11),
    "indicator": (7, 8),
    "indicatorvalue": (8, 5),
}


# Rows each changelist lists, by hand: grow_plan(1) makes 1 goal + 4 policies + 20 measures
# (25 nodes) with a KPI and a yearly value per policy; grow_plan_more adds 5 such goals (150
# nodes) with a KPI, no value, per new policy (4 + 20 = 24 KPIs). The 17 SDGs are fixed.
EXPECTED_ROWS = {
    "municipality": (1, 1),
    "plan": (1, 1),
    "sdggoal": (17, 17),
    "plannode": (25, 150),
    "indicator": (4, 24),
    "indicatorvalue": (4, 4),
}


@pytest.mark.parametrize("model", sorted(EXPECTED_QUERIES))
def test_admin_pages_render_in_constant_queries(
    plan, superuser, admin_client_for, django_assert_num_queries, model
):
    client = admin_client_for(superuser)
    grow_plan(plan, 1)
    for url in pages(plan)[model]:
        assert client.get(url).status_code == 200  # warm per-process caches (content types)
    for size, rows in zip(("25 nodes", "150 nodes"), EXPECTED_ROWS[model], strict=True):
        if size == "150 nodes":
            grow_plan_more(plan)
        changelist, change = pages(plan)[model]
        with django_assert_num_queries(EXPECTED_QUERIES[model][0]):
            response = client.get(changelist)
        assert response.status_code == 200
        assert response.context["cl"].result_count == rows, size
        with django_assert_num_queries(EXPECTED_QUERIES[model][1]):
            response = client.get(change)
        assert response.status_code == 200
        original = response.context["original"]
        assert escape(str(original)) in response.content.decode()
    assert PlanNode.objects.filter(plan=plan).count() == 150


def grow_plan_more(plan):
    """From 1 goal to 6: 125 more nodes, 20 more KPIs."""
    roots = []
    for g in range(2, 7):
        roots.append(
            NodeSpec(
                key=f"g{g}",
                code=f"{g}",
                title=f"基本目標{g}",
                children=[
                    NodeSpec(
                        key=f"g{g}p{p}",
                        code=f"{g}{p}",
                        title=f"基本施策{g}{p}",
                        children=[
                            NodeSpec(key=f"g{g}p{p}m{m}", code=f"{g}{p}0{m}", title=f"個別施策{m}")
                            for m in range(1, 6)
                        ],
                    )
                    for p in range(1, 5)
                ],
            )
        )
    created = services.nodes_bulk_create(plan=plan, roots=roots)
    Indicator.objects.bulk_create(
        Indicator(plan=plan, node=node, key=f"{key}:1", name="指標", unit="件")
        for key, node in created.items()
        if node.level == 1
    )


def test_changelist_shows_indented_codes_and_level_names(plan, superuser, admin_client_for):
    grow_plan(plan, 1)
    client = admin_client_for(superuser)
    html = client.get(
        reverse("admin:plans_plannode_changelist"), {"plan__id__exact": plan.pk}
    ).content.decode()
    assert "1101 個別施策1" in html
    assert "tree-level-2" in html  # a 個別施策 is two levels deep
    assert "基本施策" in html
    filtered = client.get(
        reverse("admin:plans_plannode_changelist"), {"plan__id__exact": plan.pk, "level": "0"}
    ).content.decode()
    assert "1 基本目標1" in filtered
    assert "個別施策1<" not in filtered
    found = client.get(reverse("admin:plans_plannode_changelist"), {"q": "1203"}).content.decode()
    assert "1203 個別施策3" in found


def test_node_page_shows_sections_and_kpis_inline(plan, superuser, admin_client_for):
    grow_plan(plan, 1)
    node = PlanNode.objects.get(plan=plan, code="11")
    html = (
        admin_client_for(superuser)
        .get(reverse("admin:plans_plannode_change", args=[node.pk]))
        .content.decode()
    )
    assert "基本施策11の満足度" in html  # the KPI inline
    assert "本文セクション" in html


def test_staff_see_only_their_municipality(plan, admin_client_for):
    grow_plan(plan, 1)
    other_city = services.municipality_create(name="本庄市", prefecture="埼玉県", slug="honjo")
    other_plan = services.plan_create(
        municipality=other_city,
        title="後期基本計画",
        slug="2023",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["分野"],
    )
    services.node_create(plan=other_plan, title="市民生活分野", key="5", code="5")
    staff = User.objects.create_user("clerk", password="pw", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["plans", "indicators"])
    )
    plan.municipality.editors.add(staff)
    client = admin_client_for(staff)
    html = client.get(reverse("admin:plans_plannode_changelist")).content.decode()
    assert "基本目標1" in html
    assert "市民生活分野" not in html
    other_node = PlanNode.objects.get(plan=other_plan)
    assert (
        client.get(reverse("admin:plans_plannode_change", args=[other_node.pk])).status_code == 404
    )
    assert list(Municipality.objects.filter(editors=staff)) == [plan.municipality]


def test_drag_and_drop_moves_through_the_locking_service(plan, superuser, admin_client_for):
    grow_plan(plan, 1)
    measure = PlanNode.objects.get(plan=plan, code="1205")
    target = PlanNode.objects.get(plan=plan, code="11")
    response = admin_client_for(superuser).post(
        reverse("admin:plans_plannode_changelist"),
        {
            "cmd": "move_node",
            "cut_item": measure.pk,
            "pasted_on": target.pk,
            "position": "last-child",
        },
    )
    assert response.content == b"OK, moved."
    measure.refresh_from_db()
    assert measure.parent_id == target.pk
    before = list(PlanNode.objects.order_by("pk").values_list("tree_id", "lft", "rght", "level"))
    PlanNode.objects.rebuild()
    assert (
        list(PlanNode.objects.order_by("pk").values_list("tree_id", "lft", "rght", "level"))
        == before
    )


def test_drag_and_drop_at_the_top_level_reorders_only_this_plan(
    plan, earlier_plan, superuser, admin_client_for
):
    grow_plan(plan, 3)
    services.node_create(plan=earlier_plan, title="前期の目標", key="1", code="1")
    other_rows = list(PlanNode.objects.filter(plan=earlier_plan).values())
    response = admin_client_for(superuser).post(
        reverse("admin:plans_plannode_changelist"),
        {
            "cmd": "move_node",
            "cut_item": PlanNode.objects.get(plan=plan, code="3").pk,
            "pasted_on": PlanNode.objects.get(plan=plan, code="1").pk,
            "position": "left",
        },
    )
    assert response.content == b"OK, moved."
    top_level = PlanNode.objects.filter(plan=plan, parent=None).order_by("tree_id")
    assert [node.code for node in top_level] == ["3", "1", "2"]
    assert list(PlanNode.objects.filter(plan=earlier_plan).values()) == other_rows


def test_delete_action_deletes_parents_and_children_through_the_service(
    plan, superuser, admin_client_for
):
    """A goal selected with one of its own policies: each deleted once, the tree stays whole."""
    grow_plan(plan, 2)
    selected = PlanNode.objects.filter(plan=plan, code__in=["1", "12", "2101"])
    response = admin_client_for(superuser).post(
        reverse("admin:plans_plannode_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [node.pk for node in selected],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert PlanNode.objects.filter(plan=plan).count() == 50 - 25 - 1  # two goals of 25 nodes
    assert not PlanNode.objects.filter(plan=plan, code__startswith="1").exists()
    before = list(PlanNode.objects.order_by("pk").values_list("tree_id", "lft", "rght", "level"))
    PlanNode.objects.rebuild()
    assert (
        list(PlanNode.objects.order_by("pk").values_list("tree_id", "lft", "rght", "level"))
        == before
    )


def test_editing_a_node_keeps_history(plan, superuser, admin_client_for):
    grow_plan(plan, 1)
    node = PlanNode.objects.get(plan=plan, code="1101")
    client = admin_client_for(superuser)
    url = reverse("admin:plans_plannode_change", args=[node.pk])
    form = {
        "kind": "policy",
        "code": "1101",
        "title": "市民協働推進のための環境づくり",
        "key": node.key,
        "department": "市民協働課",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "outgoing_references-TOTAL_FORMS": "0",
        "outgoing_references-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "edit_token": edit_token(node),
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    node.refresh_from_db()
    assert node.title == "市民協働推進のための環境づくり"
    latest = node.history.first()
    assert latest.history_user == superuser
    assert latest.title == "市民協働推進のための環境づくり"


# --- Another city's rows are never offered (issue 15: foreign-key choices were unscoped) -----


def staff_add_form(client, editor, model: str) -> str:
    client.force_login(editor)
    response = client.get(reverse(f"admin:plans_{model}_add"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("model", "field", "own"),
    [
        ("plannode", "plan", "小美玉市 第2次総合計画 後期基本計画"),
        ("glossaryterm", "plan", "小美玉市 第2次総合計画 後期基本計画"),
        ("plan", "municipality", "茨城県小美玉市"),
    ],
    ids=["node", "glossary term", "plan"],
)
def test_add_forms_offer_only_the_staff_members_city(
    client, plan, honjo, omitama_editor, model, field, own
):
    """A 小美玉市 editor adding a node, a glossary term or a plan chooses among 小美玉市's
    plans (or 小美玉市 itself) only: 本庄市 is not in the list."""
    assert select_options(staff_add_form(client, omitama_editor, model), field) == [own]


def test_a_node_posted_into_another_citys_plan_is_refused(client, plan, honjo, omitama_editor):
    """Posting 本庄市's plan id by hand gets the form's error and creates nothing."""
    client.force_login(omitama_editor)
    other_plan = honjo["plannode"].plan
    response = client.post(
        reverse("admin:plans_plannode_add"),
        {
            "plan": other_plan.pk,
            "kind": "policy",
            "code": "6",
            "title": "乗っ取り",
            "key": "6",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "outgoing_references-TOTAL_FORMS": "0",
            "outgoing_references-INITIAL_FORMS": "0",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert "正しく選択してください" in response.content.decode()
    assert not PlanNode.objects.filter(title="乗っ取り").exists()
