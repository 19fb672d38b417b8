"""A fictional city with a plan, KPIs of every kind and generated yearly actuals.

「サンプル市（架空）」 shows progress on a fresh machine: the real sample cities print no actuals,
and their data are never altered or invented. Everything here is made up and says so in its
name. The same builder makes the large plans the tests and benchmarks need (``size``).
Deterministic: the same arguments give the same plan, value for value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from plans import services as plan_services
from plans import tenancy
from plans.models import Municipality, Plan, PlanNode

from . import services
from .models import Indicator

DEMO_SLUG = "sample"
DEMO_NAME = "サンプル市（架空）"
DEMO_PREFECTURE = "架空県"
DEMO_REASON = "デモデータの生成"
DEMO_NOTE = "架空の自治体のデモデータです。実在の自治体・計画・数値とは関係ありません。"

GOALS = (
    "みんなでつくる 支え合いのまち",
    "安全で 安心して暮らせるまち",
    "子どもが 健やかに育つまち",
    "にぎわいと 活力のあるまち",
    "自然と 共生する住みよいまち",
)
POLICIES = ("地域活動の推進", "防災力の向上", "子育て支援の充実", "産業の振興", "環境の保全",
            "健康づくりの推進", "行財政の改革", "交流の促進")  # fmt: skip
MEASURES = ("担い手の育成", "情報発信の強化", "施設の整備", "相談体制の充実", "連携の推進")


@dataclass(frozen=True)
class KpiPattern:
    """A made-up KPI of one target kind, with the way its actuals move each year."""

    name: str
    unit: str
    baseline: str
    target: str  # as printed: "88.0以下", "設置", "増加を目指す" …
    comparator: str = ""
    direction: str = ""
    cumulative: bool = False


PATTERNS = (
    KpiPattern("地域活動への参加者数", "人", "1,200", "1,500"),
    KpiPattern("自主防災組織の結成率", "%", "72.5", "90.0"),
    KpiPattern("交通事故の発生件数", "件", "180", "150"),
    KpiPattern("経常収支比率", "%", "86.0", "88.0以下", comparator="lte"),
    KpiPattern("待機児童数", "人", "4", "0人以下", comparator="lte"),
    KpiPattern("健康診査の受診率", "%", "55.0", "55.0%を維持", comparator="stay"),
    KpiPattern("観光入込客数", "人", "310,000", "増加を目指す", direction="up"),
    KpiPattern("子育て応援拠点", "", "—", "設置"),
    KpiPattern("移住相談件数（累計）", "件", "40", "400", cumulative=True),
    KpiPattern("市民満足度", "%", "61.3", "基準値を上回る", direction="up"),
)


def _number(text: str) -> Decimal | None:
    digits = "".join(c for c in text if c.isdigit() or c in ".-")
    return Decimal(digits) if digits and digits not in (".", "-") else None


def _actual(pattern: KpiPattern, share: float, pace: float) -> tuple[Decimal | None, str]:
    """A made-up actual, ``share`` of the way through the period at ``pace`` (1: on the line)."""
    if pattern.target == "設置":
        return None, "設置済" if share * pace >= 0.5 else "未設置"
    baseline = _number(pattern.baseline) or Decimal(0)
    target = _number(pattern.target)
    if target is None or target == baseline:  # 増加を目指す, 維持: wander around the baseline
        target = baseline * Decimal("1.05") if baseline else Decimal(10)
    elif pattern.comparator == "lte" and baseline <= target:
        share *= 2  # a ceiling: drift towards it, and now and then through it
    value = baseline + (target - baseline) * Decimal(str(round(share * pace, 4)))
    places = len(pattern.baseline.partition(".")[2])
    value = value.quantize(Decimal(1).scaleb(-places))
    return value, f"{value:,}{pattern.unit}"


@dataclass
class DemoSize:
    """How big a plan to build: goals × policies × measures, KPIs on each policy."""

    goals: int = 5
    policies: int = 4
    measures: int = 3
    kpis_per_policy: int = 2
    years: tuple[int, ...] = (2022, 2023, 2024)


def _tree(size: DemoSize) -> list[plan_services.NodeSpec]:
    return [
        plan_services.NodeSpec(
            key=f"{g}",
            code=f"{g}",
            title=GOALS[(g - 1) % len(GOALS)],
            sections=[("めざす姿", "（架空）誰もが安心して暮らせるまちをめざします。")],
            children=[
                plan_services.NodeSpec(
                    key=f"{g}-{p}",
                    code=f"{g}-{p}",
                    title=POLICIES[(g + p) % len(POLICIES)],
                    children=[
                        plan_services.NodeSpec(
                            key=f"{g}-{p}-{m}",
                            code=f"{g}-{p}-{m}",
                            title=MEASURES[(p + m) % len(MEASURES)],
                        )
                        for m in range(1, size.measures + 1)
                    ],
                )
                for p in range(1, size.policies + 1)
            ],
        )
        for g in range(1, size.goals + 1)
    ]


def build_demo_plan(
    *,
    slug: str = DEMO_SLUG,
    name: str = DEMO_NAME,
    plan_slug: str = "2023",
    size: DemoSize | None = None,
    seed: int = 2023,
) -> Plan:
    """Create the fictional city, its published plan 2023–2027, KPIs and yearly actuals."""
    size = size or DemoSize()
    with transaction.atomic():
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            municipality = plan_services.municipality_create(
                name=name, prefecture=DEMO_PREFECTURE, slug=slug
            )
        plan = plan_services.plan_create(
            municipality=municipality,
            title="総合計画 基本計画（架空のデモデータ）",
            slug=plan_slug,
            first_fiscal_year=2023,
            last_fiscal_year=2027,
            level_names=["基本目標", "基本施策", "個別施策"],
            status=Plan.Status.PUBLISHED,
            source_notes=DEMO_NOTE,
        )
        plan_services.nodes_bulk_create(plan=plan, roots=_tree(size))
        policies = PlanNode.objects.filter(plan=plan, level=1).order_by("tree_id", "lft")
        indicators = Indicator.objects.bulk_create(
            _indicator(plan, node, n, PATTERNS[(i * size.kpis_per_policy + n) % len(PATTERNS)])
            for i, node in enumerate(policies)
            for n in range(size.kpis_per_policy)
        )
        for year in size.years:
            entries = [e for _i, e in _entries(indicators, size, seed, year)]
            services.yearly_values_save(
                actor=tenancy.SYSTEM,
                plan=plan,
                fiscal_year=year,
                entries=entries,
                reason=DEMO_REASON,
            )
    return plan


def _indicator(plan: Plan, node: PlanNode, n: int, pattern: KpiPattern) -> Indicator:
    return Indicator(
        plan=plan,
        node=node,
        key=f"{node.code}:{n + 1}",
        name=pattern.name,
        unit=pattern.unit,
        baseline_value=_number(pattern.baseline),
        baseline_year=2021,
        baseline_raw=f"{pattern.baseline}{pattern.unit}" if pattern.baseline != "—" else "—",
        target_value=_number(pattern.target),
        target_year=2027,
        target_raw=pattern.target,
        comparator=pattern.comparator,
        direction=pattern.direction,
        is_cumulative=pattern.cumulative,
        order=n,
    )


def _entries(indicators: list[Indicator], size: DemoSize, seed: int, year: int):
    """(indicator, entry) for the KPIs reported in ``year``; each KPI keeps its own pace."""
    patterns = {(p.name, p.target): p for p in PATTERNS}
    for i, indicator in enumerate(indicators):
        pattern = patterns[(indicator.name, indicator.target_raw)]
        pace = random.Random(f"{seed}:{indicator.key}").uniform(0.3, 1.4)  # noqa: S311
        reported = size.years[: len(size.years) - (i % 4 == 3)]  # some lack the last year
        if year not in reported:
            continue
        value, raw = _actual(pattern, (year - 2021) / 6, pace)
        note = "（架空の数値）" if year == reported[-1] else ""
        yield indicator, services.YearlyEntry(indicator.pk, value, raw, note)
