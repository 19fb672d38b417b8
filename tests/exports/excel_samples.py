"""Plans for the Excel tests: the 小美玉市 and 本庄市 sample fixtures, or a small built plan."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.models import Plan, PlanNode
from plans.services import NodeSpec

SAMPLE_FIXTURES = {"omitama": "omitama.json", "honjo": "honjo.json"}


def fixture_path(slug: str) -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / SAMPLE_FIXTURES[slug]


def load_sample_plan(slug: str) -> Plan:
    """Load a sample fixture (natural keys) and return its plan with the most KPIs."""
    call_command("loaddata", str(fixture_path(slug)), verbosity=0)
    plans = Plan.objects.filter(municipality__slug=slug)
    return max(plans, key=lambda plan: plan.indicators.count())


def build_small_plan(plan: Plan) -> Plan:
    """Two goals, three levels, four KPIs with yearly values, built through the services."""
    nodes = services.nodes_bulk_create(
        plan=plan,
        roots=[
            NodeSpec(
                key="1",
                code="1",
                title="みんなで創る協働のまち",
                children=[
                    NodeSpec(
                        key="11",
                        code="11",
                        title="協働のまちづくり",
                        fields={"department": "市民協働課"},
                        sdg_goals=[11, 17],
                        children=[
                            NodeSpec(key="1101", code="1101", title="自治会活動の支援"),
                            NodeSpec(
                                key="1102",
                                code="1102",
                                title="市民活動の推進",
                                fields={"is_priority": True, "department": "生涯学習課"},
                            ),
                        ],
                    )
                ],
            ),
            NodeSpec(key="2", code="2", title="健やかに暮らせるまち"),
        ],
    )
    specs = [
        ("1101", "kai", "自治会の加入率", "%", "82.31", 2021, "85.00", 2027, "gte"),
        ("1102", "npo", "NPO法人登録数", "団体", "43", 2021, "50", 2027, ""),
        ("1102", "budget", "協働事業費", "千円", "285000", 2021, "300000", 2027, ""),
        ("2", "wait", "待機児童数", "人", "12", 2021, "0", 2027, "lte"),
    ]
    for order, (node, key, name, unit, base, base_year, target, target_year, cmp) in enumerate(
        specs
    ):
        Indicator.objects.create(
            plan=plan,
            node=nodes[node],
            key=key,
            name=name,
            unit=unit,
            baseline_value=Decimal(base),
            baseline_year=base_year,
            baseline_raw=f"{base}{unit}",
            target_value=Decimal(target),
            target_year=target_year,
            target_raw=f"{target}{unit}",
            comparator=cmp,
            order=order,
        )
    kai, wait = Indicator.objects.get(key="kai"), Indicator.objects.get(key="wait")
    IndicatorValue.objects.create(indicator=kai, fiscal_year=2023, value=Decimal("83.10"))
    IndicatorValue.objects.create(indicator=kai, fiscal_year=2024, value=Decimal("83.90"))
    IndicatorValue.objects.create(indicator=wait, fiscal_year=2023, value=None, raw_text="—")
    return plan


def node_count(plan: Plan) -> int:
    return PlanNode.objects.filter(plan=plan).count()
