"""Writes to KPIs and their yearly values. The admin, imports and commands call these.

Tenancy: ``indicator_create``, ``indicator_update``, ``indicator_value_set`` and
``yearly_values_save`` take the person as ``actor`` and ask :mod:`plans.tenancy` before
writing (commands and the sample loader pass ``tenancy.SYSTEM``). ``indicators_bulk_create``
and ``plan_touch`` sit below tenancy: only the text import calls them, for the plan it was
allowed (``importers.services.plan_import``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from plans import tenancy, versions
from plans.models import Plan, PlanNode

from . import messages
from .fields import KPI_FIELDS, Measured
from .models import FISCAL_YEAR_RANGE, Indicator, IndicatorValue

COMPARATOR_SUFFIX = {"gte": "以上", "lte": "以下"}


def value_text(value: Decimal | None, unit: str = "", comparator: str = "") -> str:
    """The raw text for a value typed as a number (``85%``, ``1,400人以上``); "" for none."""
    if value is None:
        return ""
    number = format(value.normalize(), ",f")
    return f"{number}{unit}{COMPARATOR_SUFFIX.get(comparator, '')}"


# A number and the raw text that follows it: the measured KPI fields and a yearly value.
RAW_TEXT_OF = {
    **{f.value: f.raw for f in KPI_FIELDS if isinstance(f, Measured)},
    "value": "raw_text",
}


def raw_texts_follow(row: Indicator | IndicatorValue, changed: set[str]) -> set[str]:
    """Give each value in ``changed`` whose raw text was not changed with it a raw text that
    matches the new number; return the raw-text fields set. Does not save.

    The admin's inlines call this for the rows they save, like :func:`indicator_update`.
    """
    unit = row.unit if isinstance(row, Indicator) else row.indicator.unit
    followed = set()
    for value_field, raw_field in RAW_TEXT_OF.items():
        if hasattr(row, raw_field) and value_field in changed and raw_field not in changed:
            comparator = row.comparator if value_field == "target_value" else ""
            setattr(row, raw_field, value_text(getattr(row, value_field), unit, comparator))
            followed.add(raw_field)
    return followed


def indicator_create(
    *, actor, plan: Plan, node: PlanNode, key: str, name: str, change_reason: str = "", **fields
) -> Indicator:
    indicator = Indicator(plan=plan, node=node, key=key, name=name, **fields)
    tenancy.require(actor, indicator, tenancy.ADD)
    indicator.full_clean()
    if change_reason:
        indicator._change_reason = change_reason
    with transaction.atomic():
        indicator.save()
    return indicator


def indicators_bulk_create(*, indicators: list[Indicator], change_reason: str = "") -> None:
    """Store new KPIs in bulk with their history (a new plan's); each validated by the caller
    (``full_clean`` needs its node saved)."""
    with transaction.atomic():
        Indicator.objects.bulk_create(indicators)
        Indicator.history.bulk_history_create(indicators, default_change_reason=change_reason)


def indicator_update(
    *, actor, indicator: Indicator, change_reason: str = "", **fields
) -> Indicator:
    """Change a KPI's fields; a value changed without its raw text gets a raw text that matches.

    The raw text is what the plan printed (``1,400人以上``); once staff type a new number, the
    old text would contradict it.
    """
    if "plan" in fields:
        raise TypeError("indicator_update cannot move a KPI to another plan")
    tenancy.require(actor, indicator, tenancy.CHANGE)
    for name, value in fields.items():
        setattr(indicator, name, value)
    changed = set(fields) | raw_texts_follow(indicator, set(fields))
    indicator.full_clean()
    if change_reason:
        indicator._change_reason = change_reason
    with transaction.atomic():
        indicator.save(update_fields=[*sorted(changed), "updated_at"])
    return indicator


def indicator_value_set(
    *,
    actor,
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
    tenancy.require(actor, row, tenancy.CHANGE if row.pk else tenancy.ADD)
    row.value = value
    row.raw_text = value_text(value, indicator.unit) if raw_text is None else raw_text
    if note is not None:
        row.note = note
    row.full_clean()
    with transaction.atomic():
        row.save()
    return row


# --- A year's actuals of many KPIs at once (the entry screen, the workbook) -----------------


@dataclass(frozen=True)
class YearlyEntry:
    """What staff entered for one KPI in one year. Blank value and text: no actual.

    ``raw_text`` blank with a number: the raw text follows the number as typed (``1,234人``).
    """

    indicator_id: int
    value: Decimal | None = None
    raw_text: str = ""
    note: str = ""
    source: str = ""

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.raw_text.strip()


@dataclass
class YearlyChange:
    """One KPI whose actual for the year changes: ``before`` None is new, ``after`` None removes."""

    indicator: Indicator
    before: IndicatorValue | None
    after: IndicatorValue | None


class StaleValues(Exception):
    """Someone changed these KPIs' actuals since the page (or preview) was made."""

    def __init__(self, indicators: list[Indicator]):
        super().__init__(messages.STALE_VALUES)
        self.indicators = indicators


def value_stamp(row: IndicatorValue | None) -> str:
    """What a yearly value looked like when it was shown: compared again before saving."""
    return "" if row is None else row.updated_at.isoformat()


def typed_value_text(value: Decimal, unit: str = "") -> str:
    """The raw text of a number as typed: its decimals kept (44.0%), thousands separated."""
    return f"{value:,f}{unit}"


def yearly_changes(
    *, plan: Plan, fiscal_year: int, entries: Sequence[YearlyEntry], blank_removes: bool
) -> list[YearlyChange]:
    """What saving ``entries`` would change, without writing (two queries).

    ``blank_removes``: a blank entry removes the year's actual (the entry screen shows every
    actual, so a cleared row means "none"); otherwise a blank changes nothing (a workbook row
    left empty). Raises ValidationError for a KPI of another plan or a bad year.
    """
    if not FISCAL_YEAR_RANGE[0] <= fiscal_year <= FISCAL_YEAR_RANGE[1]:
        raise ValidationError(messages.FISCAL_YEAR_RANGE, code="fiscal_year_range")
    ids = [entry.indicator_id for entry in entries]
    indicators = Indicator.objects.filter(plan=plan, pk__in=ids).in_bulk()
    unknown = [i for i in ids if i not in indicators]
    if unknown:
        raise ValidationError(messages.INDICATOR_NOT_IN_PLAN, code="not_in_plan")
    existing = {
        row.indicator_id: row
        for row in IndicatorValue.objects.filter(indicator_id__in=ids, fiscal_year=fiscal_year)
    }
    changes = []
    for entry in entries:
        indicator, before = indicators[entry.indicator_id], existing.get(entry.indicator_id)
        if entry.is_blank:
            if before is not None and blank_removes:
                changes.append(YearlyChange(indicator, before, None))
            continue
        after = _yearly_row(indicator, fiscal_year, entry, before)
        if before is None or _differs(before, after):
            changes.append(YearlyChange(indicator, before, after))
    return changes


def _yearly_row(indicator, fiscal_year, entry: YearlyEntry, before) -> IndicatorValue:
    raw = entry.raw_text.strip()
    same_number = before is not None and before.value == entry.value
    if before is not None and not same_number and raw == before.raw_text:
        raw = ""  # the old number's text beside a new number: it would contradict it
    if not raw and entry.value is not None:
        # The same number keeps its printed text; a new number gets one as typed.
        raw = before.raw_text if same_number else typed_value_text(entry.value, indicator.unit)
    row = IndicatorValue(
        pk=before.pk if before else None,
        indicator=indicator,
        fiscal_year=fiscal_year,
        value=entry.value,
        raw_text=raw,
        note=entry.note.strip(),
        source=entry.source.strip(),
    )
    row.full_clean(exclude=["indicator"], validate_unique=False, validate_constraints=False)
    return row


YEARLY_FIELDS = ("value", "raw_text", "note", "source")


def _differs(before: IndicatorValue, after: IndicatorValue) -> bool:
    return any(getattr(before, name) != getattr(after, name) for name in YEARLY_FIELDS)


def yearly_values_save(
    *,
    plan: Plan,
    fiscal_year: int,
    entries: Sequence[YearlyEntry],
    stamps: Mapping[int, str] | None = None,
    blank_removes: bool = True,
    actor,
    reason: str = "",
) -> list[YearlyChange]:
    """Save a year's actuals of many KPIs of ``plan`` in one transaction; return the changes.

    ``stamps`` ({KPI id: :func:`value_stamp` when shown}) guard against a lost update: if a
    changed KPI's actual is not as it was shown, nothing is saved and :class:`StaleValues`
    names the KPIs. Each change is recorded in the KPI's history (``actor``, ``reason``).
    """
    tenancy.require_in(actor, IndicatorValue, plan.municipality_id, tenancy.CHANGE)
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one writer per plan
        changes = yearly_changes(
            plan=plan, fiscal_year=fiscal_year, entries=entries, blank_removes=blank_removes
        )
        if stamps is not None:
            stale = [
                c.indicator for c in changes if stamps.get(c.indicator.pk) != value_stamp(c.before)
            ]
            if stale:
                raise StaleValues(stale)
        _write_changes(changes, None if actor is tenancy.SYSTEM else actor, reason)
        if changes:
            plan_touch(plan=plan)
    return changes


def _write_changes(changes: list[YearlyChange], user, reason: str) -> None:
    now = timezone.now()
    new, changed = [], []
    for change in changes:
        if change.after is None:
            change.before._change_reason = reason
            change.before._history_user = user
            change.before.delete()
            continue
        change.after.updated_at = now
        (changed if change.before else new).append(change.after)
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    if new:
        bulk_create_with_history(new, IndicatorValue, **history)
    if changed:
        _update_rows(changed, [*YEARLY_FIELDS, "updated_at"])
        IndicatorValue.history.bulk_history_create(changed, update=True, **history)


def _update_rows(rows: list[IndicatorValue], names: list[str]) -> None:
    """UPDATE each row by primary key in one executemany.

    ``bulk_update`` builds a CASE per field over every row: for 500 yearly values that cost
    about 1.5 s (bench/save_yearly_values.py), against a few milliseconds for this.
    """
    fields = [IndicatorValue._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    parameters = [
        [*(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields), row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", parameters)  # noqa: S608


def plan_touch(*, plan: Plan) -> None:
    """Mark the plan changed: its version moves on, so its cached pages are stale (bulk
    writes send no signals for ``plans.versions`` to hear)."""
    versions.plans_touch([plan.pk])
