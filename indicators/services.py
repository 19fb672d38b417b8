"""Writes to KPIs and their yearly values. The admin, imports and commands call these."""

from decimal import Decimal

from django.db import transaction

from plans.models import Plan, PlanNode

from .models import Indicator, IndicatorValue

COMPARATOR_SUFFIX = {"gte": "以上", "lte": "以下"}


def value_text(value: Decimal | None, unit: str = "", comparator: str = "") -> str:
    """The raw text for a value typed as a number (``85%``, ``1,400人以上``); "" for none."""
    if value is None:
        return ""
    number = format(value.normalize(), ",f")
    return f"{number}{unit}{COMPARATOR_SUFFIX.get(comparator, '')}"


def indicator_create(*, plan: Plan, node: PlanNode, key: str, name: str, **fields) -> Indicator:
    indicator = Indicator(plan=plan, node=node, key=key, name=name, **fields)
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
    return indicator


def indicator_update(*, indicator: Indicator, **fields) -> Indicator:
    """Change a KPI's fields; a value changed without its raw text gets a raw text that matches.

    The raw text is what the plan printed (``1,400人以上``); once staff type a new number, the
    old text would contradict it.
    """
    if "plan" in fields:
        raise TypeError("indicator_update cannot move a KPI to another plan")
    for name, value in fields.items():
        setattr(indicator, name, value)
    changed = set(fields)
    for part in ("baseline", "target"):
        if f"{part}_value" in fields and f"{part}_raw" not in fields:
            comparator = indicator.comparator if part == "target" else ""
            raw = value_text(getattr(indicator, f"{part}_value"), indicator.unit, comparator)
            setattr(indicator, f"{part}_raw", raw)
            changed.add(f"{part}_raw")
    indicator.full_clean()
    with transaction.atomic():
        indicator.save(update_fields=[*sorted(changed), "updated_at"])
    return indicator


def indicator_value_set(
    *,
    indicator: Indicator,
    fiscal_year: int,
    value: Decimal | None,
    raw_text: str | None = None,
    note: str | None = None,
) -> IndicatorValue:
    """Create or change the actual value of ``indicator`` in ``fiscal_year``.

    Without ``raw_text`` the raw text follows the value (see :func:`indicator_update`).
    """
    row = IndicatorValue.objects.filter(indicator=indicator, fiscal_year=fiscal_year).first()
    row = row or IndicatorValue(indicator=indicator, fiscal_year=fiscal_year)
    row.value = value
    row.raw_text = value_text(value, indicator.unit) if raw_text is None else raw_text
    if note is not None:
        row.note = note
    row.full_clean()
    with transaction.atomic():
        row.save()
    return row
