"""Every invariant of the plan models is refused by the database and explained by clean()."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans import messages, services
from plans.models import CrossReference, Municipality, Plan, PlanNode, SdgGoal


def assert_refused(instance, message, field=None):
    """full_clean() explains the problem; saving anyway is refused by the database."""
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    explained = error.value.message_dict[field] if field else error.value.messages
    assert str(message) in explained
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_local_gov_code_must_be_six_digits(db):
    municipality = Municipality(
        name="本庄市", prefecture="埼玉県", slug="honjo", local_gov_code="11211"
    )
    assert_refused(municipality, messages.LOCAL_GOV_CODE_FORMAT, "local_gov_code")


def test_local_gov_code_is_unique_when_given(municipality):
    twin = Municipality(name="別市", prefecture="茨城県", slug="other", local_gov_code="082368")
    assert_refused(twin, messages.LOCAL_GOV_CODE_TAKEN)


def test_blank_local_gov_codes_do_not_collide(municipality):
    Municipality.objects.filter(pk=municipality.pk).update(local_gov_code="")
    other = Municipality(name="清瀬市", prefecture="東京都", slug="kiyose")
    other.full_clean()
    other.save()
    assert Municipality.objects.filter(local_gov_code="").count() == 2


def test_plan_period_must_be_in_order(municipality):
    plan = Plan(
        municipality=municipality,
        title="逆転した計画",
        slug="bad",
        first_fiscal_year=2027,
        last_fiscal_year=2023,
        level_names=["基本目標"],
    )
    assert_refused(plan, messages.PLAN_PERIOD_ORDER)


def test_plan_slug_is_unique_per_municipality(plan):
    twin = Plan(
        municipality=plan.municipality,
        title="同じスラッグ",
        slug=plan.slug,
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["基本目標"],
    )
    assert_refused(twin, messages.PLAN_SLUG_TAKEN)


@pytest.mark.parametrize("level_names", [[], [""], ["基本目標", "  "], "基本目標"])
def test_plan_needs_named_levels(municipality, level_names):
    plan = Plan(
        municipality=municipality,
        title="階層なし",
        slug="x",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=level_names,
    )
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert str(messages.PLAN_LEVEL_NAMES) in error.value.message_dict["level_names"]


def test_node_code_is_unique_within_a_plan(plan):
    services.node_create(plan=plan, title="市民協働の推進", key="1101", code="1101")
    twin = PlanNode(
        plan=plan, title="別の施策", key="other", code="1101", lft=1, rght=2, tree_id=99, level=0
    )
    assert_refused(twin, messages.NODE_CODE_TAKEN)


def test_nodes_without_code_do_not_collide(plan):
    services.node_create(plan=plan, title="コードなし1", key="a")
    services.node_create(plan=plan, title="コードなし2", key="b")
    assert PlanNode.objects.filter(plan=plan, code="").count() == 2


def test_node_key_is_unique_within_a_plan(plan):
    services.node_create(plan=plan, title="一つ目", key="goal-1")
    twin = PlanNode(plan=plan, title="二つ目", key="goal-1", lft=1, rght=2, tree_id=99, level=0)
    assert_refused(twin, messages.NODE_KEY_TAKEN)


def test_same_code_in_two_plans_is_fine(plan, earlier_plan):
    services.node_create(plan=plan, title="目標", key="1", code="1")
    services.node_create(plan=earlier_plan, title="目標", key="1", code="1")
    assert PlanNode.objects.filter(code="1").count() == 2


def test_parent_must_belong_to_the_same_plan(plan, earlier_plan):
    foreign_parent = services.node_create(plan=earlier_plan, title="別計画の目標", key="1")
    with pytest.raises(ValidationError) as error:
        services.node_create(plan=plan, title="迷子", key="x", parent=foreign_parent)
    assert str(messages.NODE_PARENT_OTHER_PLAN) in error.value.message_dict["parent"]
    assert not PlanNode.objects.filter(plan=plan).exists()


def test_sdg_goals_are_loaded_and_bounded(db):
    assert list(SdgGoal.objects.values_list("number", flat=True)) == list(range(1, 18))
    assert SdgGoal.objects.get(number=11).name == "住み続けられるまちづくりを"
    with pytest.raises(ValidationError) as error:
        SdgGoal(number=18, name="架空", name_en="None").full_clean()
    assert str(messages.SDG_GOAL_RANGE) in error.value.message_dict["number"]
    with pytest.raises(IntegrityError), transaction.atomic():
        SdgGoal.objects.create(number=18, name="架空", name_en="None")


def test_cross_reference_needs_a_target(plan):
    node = services.node_create(plan=plan, title="連携プラン", key="link-1")
    reference = CrossReference(from_node=node, kind=CrossReference.Kind.POLICY_LINK)
    assert_refused(reference, messages.CROSSREF_TARGET)


def test_cross_reference_may_stay_unresolved_with_a_code(plan):
    node = services.node_create(plan=plan, title="連携プラン", key="link-1")
    reference = CrossReference(
        from_node=node,
        kind=CrossReference.Kind.POLICY_LINK,
        target_code="2-1",
        target_title="子育て支援",
    )
    reference.full_clean()
    reference.save()
    assert not reference.is_resolved


def test_cross_reference_cannot_point_at_itself(plan):
    node = services.node_create(plan=plan, title="施策", key="1101", code="1101")
    reference = CrossReference(from_node=node, to_node=node, kind=CrossReference.Kind.RELISTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        reference.save()
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert str(messages.CROSSREF_SELF) in error.value.messages


def test_cross_reference_stays_within_the_plan(plan, earlier_plan):
    here = services.node_create(plan=plan, title="ここ", key="a")
    there = services.node_create(plan=earlier_plan, title="あちら", key="b")
    reference = CrossReference(from_node=here, to_node=there, kind=CrossReference.Kind.RELISTED)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert str(messages.CROSSREF_OTHER_PLAN) in error.value.message_dict["to_node"]


def test_search_text_follows_title_and_sections(plan):
    node = services.node_create(
        plan=plan,
        title="國際交流・国際化の推進",
        key="1305",
        code="1305",
        sections=[("基本方針", "ＳＤＧｓに沿った多文化共生")],
    )
    node.refresh_from_db()
    assert "国際交流" in node.search_text
    assert "sdgsに沿った多文化共生" in node.search_text
    section = node.sections.get()
    section.body = "防災訓練"
    section.save()
    node.refresh_from_db()
    assert "防災訓練" in node.search_text
    assert "多文化共生" not in node.search_text


def test_level_label_comes_from_the_plan(plan):
    goal = services.node_create(plan=plan, title="みんなの力で磨くまちづくり", key="1", code="1")
    policy = services.node_create(plan=plan, title="市民協働", key="11", code="11", parent=goal)
    link = services.node_create(
        plan=plan, title="連携", key="link", kind=PlanNode.Kind.CROSS_CUTTING
    )
    assert (goal.level_label, policy.level_label) == ("基本目標", "基本施策")
    assert link.level_label == "政策連携プラン"
