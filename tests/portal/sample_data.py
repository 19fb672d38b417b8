"""The sample plans for portal tests: the committed fixtures, or the parsed samples until then.

``load_sample_plans()`` loads ``fixtures/<name>.json`` (natural keys) when the importer's fixtures
are in the repository. Before they land it builds the same plans from the real sample texts
through the parser and ``plans.services``, so the tests always run on real plan content.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from importers.parsing import parse_files
from indicators.models import Indicator
from plans import services
from plans.models import CrossReference, Plan, PlanNode

SAMPLES = Path(settings.BASE_DIR) / "importers" / "samples"
FIXTURE_NAMES = ["omitama", "honjo", "kiyose", "tomakomai"]

# slug, prefecture, files, plan slug, period: used only until the fixtures land.
STAND_INS = [
    ("omitama", "茨城県", ["omitama_outline.txt", "omitama_goal1.txt"], "2023", (2023, 2027)),
    ("honjo", "埼玉県", ["honjo.txt"], "2020", (2020, 2024)),
    ("kiyose", "東京都", ["kiyose.txt"], "2021", (2021, 2030)),
    ("tomakomai", "北海道", ["tomakomai.txt"], "2024", (2024, 2024)),
]


def fixtures_present() -> bool:
    fixture_dir = Path(settings.BASE_DIR) / "fixtures"
    return all((fixture_dir / f"{name}.json").exists() for name in FIXTURE_NAMES)


def load_sample_plans() -> None:
    if fixtures_present():
        call_command("loaddata", *FIXTURE_NAMES, verbosity=0)
        return
    for slug, prefecture, files, plan_slug, period in STAND_INS:
        _build_from_text(slug, prefecture, files, plan_slug, period)


def _build_from_text(slug, prefecture, files, plan_slug, period) -> Plan:
    parsed = parse_files([(name, (SAMPLES / name).read_bytes()) for name in files])
    municipality = services.municipality_create(
        name=parsed.municipality or slug, prefecture=prefecture, slug=slug
    )
    plan = services.plan_create(
        municipality=municipality,
        title=parsed.title or "基本計画",
        slug=plan_slug,
        first_fiscal_year=period[0],
        last_fiscal_year=period[1],
        level_names=parsed.level_names or ["項目"],
        status=Plan.Status.PUBLISHED,
    )
    by_key = services.nodes_bulk_create(plan=plan, roots=[_spec(n) for n in parsed.nodes])
    for node in parsed.walk():
        for order, kpi in enumerate(node.indicators):
            _indicator(plan, by_key[node.key], kpi, order)
        for order, ref in enumerate(node.crossrefs):
            target = PlanNode.objects.filter(plan=plan, code=ref.target_code).first()
            if ref.target_code or ref.target_title or target:
                CrossReference.objects.create(
                    from_node=by_key[node.key],
                    to_node=target if target and target != by_key[node.key] else None,
                    target_code=ref.target_code,
                    target_title=ref.target_title or "?",
                    kind=str(ref.kind),
                    order=order,
                )
    return plan


def _spec(node) -> services.NodeSpec:
    return services.NodeSpec(
        key=node.key,
        title=node.title,
        code=node.code,
        fields={
            "kind": str(node.kind),
            "is_priority": node.is_priority,
            "department": node.department,
        },
        sections=[(s.heading, s.body) for s in node.sections],
        sdg_goals=list(node.sdg_goals),
        children=[_spec(child) for child in node.children],
    )


def _indicator(plan, node, kpi, order) -> Indicator:
    return Indicator.objects.create(
        plan=plan,
        node=node,
        key=kpi.key,
        name=kpi.name,
        definition=kpi.definition,
        unit=kpi.unit,
        baseline_value=kpi.baseline.value,
        baseline_year=kpi.baseline.fiscal_year or kpi.baseline_year,
        baseline_raw=kpi.baseline.raw[:100],
        target_value=kpi.target.value,
        target_year=kpi.target.fiscal_year or kpi.target_year,
        target_raw=kpi.target.raw[:100],
        comparator=str(kpi.comparator or kpi.target.comparator),
        direction=str(kpi.direction),
        is_cumulative=kpi.cumulative,
        order=order,
        note=kpi.note,
    )
