"""Achievement (達成率) of a KPI, computed relative to its baseline, in both directions.

``(actual − baseline) / (target − baseline)``: 0 % at the baseline, 100 % at the target, whether
the target is above the baseline (more is better) or below it (less is better). Dividing the
actual by the target, as some cities do, makes a worse result look better when less is better.

A ≤ (以下・以内) target is met while the actual stays at or under it; a "stay" (維持) target is
met while the actual has not fallen below the baseline.
"""

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Grade:
    """A band of achievement: ``label`` applies from ``minimum`` percent upwards."""

    label: str
    minimum: Decimal


# Default bands; a plan may define its own (S ≥ 110 %, A ≥ 100 % …).
DEFAULT_GRADES = (
    Grade("S", Decimal(110)),
    Grade("A", Decimal(100)),
    Grade("B", Decimal(70)),
    Grade("C", Decimal(30)),
    Grade("D", Decimal("-Infinity")),
)


def achievement(
    *, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> Decimal | None:
    """Percent of the way from baseline to target (None when it cannot be known)."""
    if baseline is None or target is None or actual is None or target == baseline:
        return None
    return ((actual - baseline) / (target - baseline) * HUNDRED).quantize(Decimal("0.1"))


def is_target_met(
    *, comparator: str, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> bool | None:
    """Whether ``actual`` meets the target as the comparator judges it (None when unknown)."""
    if actual is None:
        return None
    if comparator == "stay":
        return None if baseline is None else actual >= baseline
    if target is None:
        return None
    if comparator == "lte":
        return actual <= target
    if comparator == "gte" or baseline is None or target >= baseline:
        return actual >= target
    return actual <= target  # a decreasing target with no comparator


def expected_value(
    *,
    baseline: Decimal | None,
    baseline_year: int | None,
    target: Decimal | None,
    target_year: int | None,
    fiscal_year: int,
) -> Decimal | None:
    """The value on the straight line from baseline to target in ``fiscal_year``."""
    if None in (baseline, baseline_year, target, target_year) or target_year == baseline_year:
        return None
    share = Decimal(fiscal_year - baseline_year) / Decimal(target_year - baseline_year)
    return baseline + (target - baseline) * share


def is_on_track(
    *,
    baseline: Decimal | None,
    baseline_year: int | None,
    target: Decimal | None,
    target_year: int | None,
    fiscal_year: int,
    actual: Decimal | None,
) -> bool | None:
    """On track when the actual is at or beyond the straight line, in the target's direction."""
    expected = expected_value(
        baseline=baseline,
        baseline_year=baseline_year,
        target=target,
        target_year=target_year,
        fiscal_year=fiscal_year,
    )
    if expected is None or actual is None:
        return None
    return actual >= expected if target >= baseline else actual <= expected


def grade(percent: Decimal | None, grades=DEFAULT_GRADES) -> str:
    """The label of the first band whose minimum ``percent`` reaches ("" when unknown)."""
    if percent is None:
        return ""
    return next(g.label for g in grades if percent >= g.minimum)
