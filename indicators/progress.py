"""How far a KPI has come, judged the way its target is written. Pure functions, no database.

A target is read into one of a few kinds (:class:`Kind`), and each kind is judged its own way:

- **progress** (以上 above the baseline, 以下/以内 below it, or no comparator): the achievement
  ``(actual − baseline) / (target − baseline)`` is 0 % at the baseline and 100 % at the target in
  either direction. Dividing the actual by the target, as some cities do, makes a worse result
  look better when less is better: never.
- **ceiling** / **floor** (以下 a baseline already meets, 以上 a baseline already reaches): "stay
  at or under 88.0". A percentage means nothing here (89.2 against 85.5 → 88.0以下 would read
  148 % while the ceiling is broken): met or not met, and by how much.
- **hold** (維持, or a target equal to its baseline): met while the actual has not moved the
  wrong way from the value to hold.
- **direction** (増加を目指す, 減少を目指す, 基準値を上回る, 現状値以上): no number to reach, only a
  way to go from the baseline.
- **done** (設置, 策定 …): a non-numeric target, done or not done.

The expected value of a year lies on the straight line from the baseline to the target; a
progress KPI is on track when its actual is at or beyond that line. A cumulative (累計) KPI's
actuals are running totals, judged like any other; a total that falls is flagged.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


class Kind(enum.StrEnum):
    PROGRESS = "progress"
    CEILING = "ceiling"
    FLOOR = "floor"
    HOLD = "hold"
    DIRECTION = "direction"
    DONE = "done"
    UNKNOWN = "unknown"


class Status(enum.StrEnum):
    """The four statuses a KPI list is filtered by (labels in ``selectors.STATUS_LABELS``)."""

    MET = "met"  # 達成
    ON_TRACK = "on_track"  # 順調
    BEHIND = "behind"  # 遅れ
    UNRATED = "unrated"  # 未評価


@dataclass(frozen=True)
class Band:
    """A grade: ``label`` applies from ``minimum`` percent upwards (None: anything below)."""

    label: str
    minimum: Decimal | None


# A plan may define its own bands (indicators.models.GradeBand); these apply otherwise.
DEFAULT_BANDS = (
    Band("S", Decimal(110)),
    Band("A", Decimal(100)),
    Band("B", Decimal(70)),
    Band("C", Decimal(30)),
    Band("D", None),
)


@dataclass(frozen=True)
class Target:
    """What a KPI promises, as plain data (the fields of ``Indicator`` that judge it)."""

    baseline: Decimal | None = None
    baseline_year: int | None = None
    target: Decimal | None = None
    target_year: int | None = None
    comparator: str = ""  # "gte", "lte", "stay" or ""
    direction: str = ""  # "up", "down", "stay" or ""
    target_raw: str = ""
    cumulative: bool = False

    @classmethod
    def of(cls, indicator) -> Target:
        """The target of an ``Indicator`` (or anything with its field names)."""
        return cls(
            baseline=indicator.baseline_value,
            baseline_year=indicator.baseline_year,
            target=indicator.target_value,
            target_year=indicator.target_year,
            comparator=indicator.comparator,
            direction=indicator.direction,
            target_raw=indicator.target_raw,
            cumulative=getattr(indicator, "is_cumulative", False),
        )


@dataclass(frozen=True)
class Actual:
    """One year's actual: its number (None for 設置済 or —) and the text as entered."""

    year: int
    value: Decimal | None
    raw: str = ""


@dataclass(frozen=True)
class Evaluation:
    """The verdict on a KPI's latest actual. Unknown parts are None ("" for ``grade``)."""

    kind: Kind
    actual: Actual | None = None
    achievement: Decimal | None = None  # percent, one decimal; only for Kind.PROGRESS
    grade: str = ""
    met: bool | None = None
    on_track: bool | None = None
    expected: Decimal | None = None  # on the line from baseline to target, in actual.year
    margin: Decimal | None = None  # ceiling/floor/hold: room left (negative: over by)
    cumulative_drop: bool = False  # a running total fell below an earlier one

    @property
    def status(self) -> Status:
        """達成 when met; else 順調 or 遅れ when it can be told; else 未評価."""
        if self.met:
            return Status.MET
        if self.on_track is None:
            return Status.UNRATED
        return Status.ON_TRACK if self.on_track else Status.BEHIND


# --- reading the target ------------------------------------------------------------------------

NO_VALUE = frozenset({"", "—", "―", "─", "-", "‐", "ー", "−", "–", "なし", "無し", "…"})
UP_WORDS = ("上回", "増加", "増や", "向上", "上昇", "拡大", "アップ")
DOWN_WORDS = ("下回", "減少", "減ら", "削減", "低下", "縮小", "抑制", "ダウン")
NOT_DONE_PREFIXES = ("未", "検討", "準備", "調整", "予定", "×", "なし")
_COMPARATOR_WORDS = {"gte": ("以上", "超"), "lte": ("以下", "以内", "未満"), "stay": ("維持",)}
_STRICT = ("未満", "超")
_BRACKETED = re.compile(r"[(（]([^()（）]*)[)）]")
_ONLY_A_YEAR = re.compile(r"^(?:令和|平成|昭和|[RHS])?\s*(?:元|\d{1,4})\s*年度?(?:末|時点|現在)?$")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def is_no_value(raw: str) -> bool:
    return fold(raw) in NO_VALUE


def printed_comparator(comparator: str, target_raw: str = "") -> str:
    """以上 / 超 / 以下 / 以内 / 未満 / 維持 as the plan printed it ("" when none).

    The model stores 以下, 以内 and 未満 as one comparator ("lte"); pages show the printed word.
    """
    words = _COMPARATOR_WORDS.get(comparator, ())
    text = fold(target_raw)
    return next((word for word in words if word in text), words[0] if words else "")


def qualifier(raw: str) -> str:
    """The words in brackets after a value, such as 移動均衡 in ``0 人(移動均衡)``.

    A bracketed year (``70.7%(2012年度)``) is not a qualifier: the year is shown as a year.
    """
    words = [w.strip() for w in _BRACKETED.findall(fold(raw)) if w.strip()]
    return "、".join(w for w in words if not _ONLY_A_YEAR.match(w))


def direction_of(target: Target) -> str:
    """ "up", "down" or "" — stated, else read from the printed target (基準値を上回る)."""
    if target.direction in ("up", "down"):
        return target.direction
    text = fold(target.target_raw)
    if any(word in text for word in UP_WORDS):
        return "up"
    if any(word in text for word in DOWN_WORDS):
        return "down"
    if target.target is not None and target.baseline is not None:
        if target.target != target.baseline:
            return "up" if target.target > target.baseline else "down"
    return ""


def kind_of(target: Target) -> Kind:
    """Which way the target is judged (see the module docstring)."""
    number, baseline, comparator = target.target, target.baseline, target.comparator
    if comparator == "stay" or target.direction == "stay":
        return Kind.HOLD if number is not None or baseline is not None else Kind.UNKNOWN
    if number is None:
        if comparator in ("gte", "lte") or direction_of(target):
            return Kind.DIRECTION if baseline is not None else Kind.UNKNOWN
        return Kind.UNKNOWN if is_no_value(target.target_raw) else Kind.DONE
    if baseline is None:
        return Kind.PROGRESS
    if comparator == "lte" and baseline <= number:
        return Kind.CEILING
    if comparator == "gte" and baseline >= number:
        return Kind.FLOOR
    if number == baseline:
        return Kind.HOLD
    return Kind.PROGRESS


def _strict(target: Target) -> bool:
    return any(word in fold(target.target_raw) for word in _STRICT)


# --- the measures --------------------------------------------------------------------------------


def achievement(
    *, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> Decimal | None:
    """Percent of the way from baseline to target, to one decimal (None when unknowable)."""
    if baseline is None or target is None or actual is None or target == baseline:
        return None
    share = (actual - baseline) / (target - baseline) * HUNDRED
    return share.quantize(TENTH, rounding=ROUND_HALF_UP)


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


def grade(percent: Decimal | None, bands: Sequence[Band] = DEFAULT_BANDS) -> str:
    """The label of the first band (highest first) whose minimum ``percent`` reaches."""
    if percent is None or not bands:
        return ""
    ordered = sorted(bands, key=lambda b: (b.minimum is None, -(b.minimum or 0)))
    return next((b.label for b in ordered if b.minimum is None or percent >= b.minimum), "")


def is_done(actual_raw: str, target_raw: str) -> bool | None:
    """Whether a non-numeric target (設置, 策定) is done by the text entered for a year.

    Done when the text names the target or says 済/完了/達成; 未設置, 検討中 … are not done.
    """
    text = fold(actual_raw)
    if text in NO_VALUE:
        return None
    if text.startswith(NOT_DONE_PREFIXES):
        return False
    target = fold(target_raw)
    return bool(target and target in text) or any(w in text for w in ("済", "完了", "達成"))


def _better_or_equal(value: Decimal, reference: Decimal, up: bool, strict: bool) -> bool:
    if up:
        return value > reference if strict else value >= reference
    return value < reference if strict else value <= reference


def evaluate_actual(target: Target, actual: Actual | None, bands=DEFAULT_BANDS) -> Evaluation:
    """The verdict on one year's actual against ``target``."""
    kind = kind_of(target)
    if actual is None:
        return Evaluation(kind)
    if kind == Kind.DONE:
        done = is_done(actual.raw, target.target_raw)
        due = target.target_year is not None and actual.year >= target.target_year
        on_track = True if done else (False if due and done is False else None)
        return Evaluation(kind, actual, met=done, on_track=on_track)
    if actual.value is None or kind == Kind.UNKNOWN:
        return Evaluation(kind, actual)
    return _JUDGES[kind](target, actual, bands)


def _judge_progress(target: Target, actual: Actual, bands) -> Evaluation:
    value, up = actual.value, direction_of(target) != "down"
    if target.comparator == "gte":
        up = True
    elif target.comparator == "lte":
        up = False
    percent = achievement(baseline=target.baseline, target=target.target, actual=value)
    met = _better_or_equal(value, target.target, up, _strict(target))
    expected = expected_value(
        baseline=target.baseline,
        baseline_year=target.baseline_year,
        target=target.target,
        target_year=target.target_year,
        fiscal_year=actual.year,
    )
    on_track = None if expected is None else met or _better_or_equal(value, expected, up, False)
    return Evaluation(
        Kind.PROGRESS,
        actual,
        achievement=percent,
        grade=grade(percent, bands),
        met=met,
        on_track=on_track,
        expected=expected,
    )


def _judge_limit(target: Target, actual: Actual, bands) -> Evaluation:
    """Ceiling, floor and hold: met or not, and the room left (never a percentage)."""
    kind = kind_of(target)
    reference = target.target if target.target is not None else target.baseline
    if kind == Kind.CEILING:
        up = False
    elif kind == Kind.FLOOR:
        up = True
    else:
        up = direction_of(target) != "down" if target.direction or target.comparator else None
    if up is None:  # a target equal to its baseline, and no way stated: hold it exactly
        met = actual.value == reference
        margin = -abs(actual.value - reference)
    else:
        met = _better_or_equal(actual.value, reference, up, kind != Kind.HOLD and _strict(target))
        margin = reference - actual.value if not up else actual.value - reference
    return Evaluation(kind, actual, met=met, on_track=met, margin=margin)


def _judge_direction(target: Target, actual: Actual, bands) -> Evaluation:
    """増加/減少を目指す, 基準値を上回る: better than the baseline, the way stated."""
    up = {"gte": True, "lte": False}.get(target.comparator, direction_of(target) != "down")
    # 上回る, 増加を目指す: strictly better; 現状値以上: at least the baseline.
    strict = target.comparator not in ("gte", "lte") or _strict(target)
    met = _better_or_equal(actual.value, target.baseline, up, strict)
    return Evaluation(Kind.DIRECTION, actual, met=met, on_track=met)


_JUDGES = {
    Kind.PROGRESS: _judge_progress,
    Kind.CEILING: _judge_limit,
    Kind.FLOOR: _judge_limit,
    Kind.HOLD: _judge_limit,
    Kind.DIRECTION: _judge_direction,
}


def latest_actual(target: Target, actuals: Sequence[Actual]) -> Actual | None:
    """The last fiscal year with a number (with some text, for a 設置/策定 target)."""
    if kind_of(target) == Kind.DONE:
        known = [a for a in actuals if not is_no_value(a.raw)]
    else:
        known = [a for a in actuals if a.value is not None]
    return max(known, key=lambda a: a.year) if known else None


def evaluate(target: Target, actuals: Sequence[Actual], bands=DEFAULT_BANDS) -> Evaluation:
    """The verdict on the latest actual; a cumulative KPI whose total fell is flagged."""
    verdict = evaluate_actual(target, latest_actual(target, actuals), bands)
    if target.cumulative and _total_fell(target, actuals):
        return replace(verdict, cumulative_drop=True)
    return verdict


def _total_fell(target: Target, actuals: Sequence[Actual]) -> bool:
    numbers = [a.value for a in sorted(actuals, key=lambda a: a.year) if a.value is not None]
    if target.baseline is not None:
        numbers.insert(0, target.baseline)
    return any(later < earlier for earlier, later in zip(numbers, numbers[1:], strict=False))


# --- roll-up ---------------------------------------------------------------------------------


@dataclass
class ProgressSummary:
    """How many KPIs of a node (and everything under it) are in each status."""

    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    with_actual: int = 0

    def add(self, verdict: Evaluation) -> None:
        self.counts[verdict.status] += 1
        self.with_actual += verdict.actual is not None

    def add_summary(self, other: ProgressSummary) -> None:
        for status, count in other.counts.items():
            self.counts[status] += count
        self.with_actual += other.with_actual

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        return self.counts[Status.MET]

    @property
    def on_track(self) -> int:
        return self.counts[Status.ON_TRACK]

    @property
    def behind(self) -> int:
        return self.counts[Status.BEHIND]

    @property
    def unrated(self) -> int:
        return self.counts[Status.UNRATED]

    @property
    def rated(self) -> int:
        return self.total - self.unrated


def roll_up(
    nodes: Iterable, verdicts: Iterable[tuple[int, Evaluation]]
) -> dict[int, ProgressSummary]:
    """{node id: summary of its own KPIs and of every node under it}, in memory.

    ``nodes`` (anything with ``pk`` and ``parent_id``) come in tree order, parents first;
    ``verdicts`` are (node id, verdict) pairs. Each node's summary is added to its parent's
    after all of its own descendants have been added to it.
    """
    nodes = list(nodes)
    summaries = {node.pk: ProgressSummary() for node in nodes}
    for node_id, verdict in verdicts:
        summary = summaries.get(node_id)
        if summary is not None:
            summary.add(verdict)
    for node in reversed(nodes):  # children before their parents
        parent = summaries.get(node.parent_id)
        if parent is not None:
            parent.add_summary(summaries[node.pk])
    return summaries
