"""KPI invariants: baseline year not after target year, one value per year, keys unique."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators import messages
from indicators.models import Indicator, IndicatorValue
from plans import services


@pytest.fixture
def node(plan):
    return services.node_create(
        plan=plan, title="市民協働・コミュニティ活動の推進", key="11", code="11"
    )


def make_indicator(node, **fields):
    values = {
        "plan": node.plan,
        "node": node,
        "key": "11:1",
        "name": "市民活動団体数",
        "unit": "団体",
        "baseline_value": Decimal("43"),
        "baseline_year": 2021,
        "baseline_raw": "43 団体",
        "target_value": Decimal("50"),
        "target_year": 2027,
        "target_raw": "50 団体",
    } | fields
    return Indicator(**values)


def test_a_valid_indicator_keeps_decimals_exactly(node):
    indicator = make_indicator(node, baseline_value=Decimal("82.31"), target_value=Decimal("85.00"))
    indicator.full_clean()
    indicator.save()
    indicator.refresh_from_db()
    assert indicator.baseline_value == Decimal("82.31")
    assert isinstance(indicator.target_value, Decimal)


def test_baseline_year_not_after_target_year(node):
    indicator = make_indicator(node, baseline_year=2028, target_year=2027)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert str(messages.BASELINE_AFTER_TARGET) in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


@pytest.mark.parametrize(
    ("unknown", "known", "year"),
    [("baseline_year", "target_year", 2027), ("target_year", "baseline_year", 2021)],
)
def test_unknown_years_are_allowed(node, unknown, known, year):
    """A table without a year column (本庄市: 現状値 / 目標値) gives KPIs without years: the form
    and the database accept them, and the year stays unknown rather than becoming 0."""
    indicator = make_indicator(node, **{unknown: None})
    indicator.full_clean()  # no "baseline after target" error when a year is unknown
    indicator.save()
    indicator.refresh_from_db()
    assert (getattr(indicator, unknown), getattr(indicator, known)) == (None, year)


def test_indicator_key_unique_within_plan(node):
    make_indicator(node).save()
    twin = make_indicator(node, name="別の指標")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert str(messages.INDICATOR_KEY_TAKEN) in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_indicator_plan_must_match_node_plan(node, earlier_plan):
    indicator = make_indicator(node, plan=earlier_plan)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert str(messages.INDICATOR_PLAN_MISMATCH) in error.value.message_dict["node"]


def test_one_value_per_indicator_and_year(node):
    indicator = make_indicator(node)
    indicator.save()
    IndicatorValue.objects.create(
        indicator=indicator, fiscal_year=2022, value=Decimal(45), raw_text="45"
    )
    twin = IndicatorValue(indicator=indicator, fiscal_year=2022, value=Decimal(46), raw_text="46")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert str(messages.VALUE_YEAR_TAKEN) in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_no_value_is_null_not_zero(node):
    indicator = make_indicator(node, baseline_value=None, baseline_raw="—")
    indicator.full_clean()
    indicator.save()
    indicator.refresh_from_db()
    assert indicator.baseline_value is None
    assert indicator.baseline_raw == "—"


def test_fiscal_year_range_is_enforced(node):
    indicator = make_indicator(node)
    indicator.save()
    value = IndicatorValue(indicator=indicator, fiscal_year=21, value=Decimal(1))
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert str(messages.FISCAL_YEAR_RANGE) in error.value.message_dict["fiscal_year"]
    with pytest.raises(IntegrityError), transaction.atomic():
        value.save()
