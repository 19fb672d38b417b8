"""A KPI's public 更新履歴: every change of its yearly actuals, newest first, with its date.

Staff names stay out unless the plan opts in (``KpiSettings.show_editor_names``). Two queries
whatever the length of the history: the plan's setting, then the history rows.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from indicators.models import IndicatorValue, KpiSettings
from plans.models import Plan

KINDS = {"+": "added", "~": "changed", "-": "removed"}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    kind: str  # "added", "changed" or "removed"
    fiscal_year: int
    value: Decimal | None
    raw_text: str
    note: str
    source: str
    editor: str = ""  # only when the plan opts in


@dataclass(frozen=True)
class KpiHistory:
    entries: list[HistoryEntry]
    show_editors: bool


def kpi_history(plan: Plan, indicator_id: int, *, limit: int = 200) -> KpiHistory:
    """The changes of the yearly values of KPI ``indicator_id`` of ``plan``, newest first."""
    named = KpiSettings.objects.filter(plan=plan, show_editor_names=True).values_list("pk").exists()
    # The caller has found the KPI in the plan (public_indicator): its id is enough here.
    rows = IndicatorValue.history.filter(indicator_id=indicator_id).order_by(
        "-history_date", "-history_id"
    )
    if named:
        rows = rows.select_related("history_user")
    entries = [
        HistoryEntry(
            when=row.history_date,
            kind=KINDS.get(row.history_type, "changed"),
            fiscal_year=row.fiscal_year,
            value=row.value,
            raw_text=row.raw_text,
            note=row.note,
            source=row.source,
            editor=_name(row.history_user) if named else "",
        )
        for row in rows[:limit]
    ]
    return KpiHistory(entries, named)


def _name(user) -> str:
    if user is None:
        return ""
    # Japanese order: family name first (山田 太郎).
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
