"""The fictional demo city: loaded by ``make run``'s setup so progress shows on a fresh machine,
labelled fictional, with every kind of target, and never touching the real cities' data."""

import io

from django.core.management import call_command

from indicators.demo import DemoSize, build_demo_plan
from indicators.models import Indicator, IndicatorValue
from indicators.progress import Kind, Target, kind_of
from plans.models import Municipality, Plan


def real_data() -> list[tuple]:
    """Every KPI and yearly value of the real sample cities, as plain tuples."""
    kpis = Indicator.objects.exclude(plan__municipality__slug="sample").order_by("pk")
    values = IndicatorValue.objects.exclude(indicator__plan__municipality__slug="sample")
    return [*kpis.values_list(), *values.order_by("pk").values_list()]


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_city", stdout=out)
    return out.getvalue()


def test_demo_city_is_fictional_and_has_actuals(samples):
    before = real_data()
    assert "Loaded the fictional demo city" in load()
    city = Municipality.objects.get(slug="sample")
    plan = Plan.objects.get(municipality=city)
    assert "架空" in city.name and "架空" in city.prefecture and "架空" in plan.title
    assert plan.status == Plan.Status.PUBLISHED
    # 5 基本目標 × 4 基本施策, two KPIs on each 基本施策; actuals for 2022–2024, one KPI in
    # four lacking 2024.
    kpis = Indicator.objects.filter(plan=plan)
    assert kpis.count() == 40
    years = IndicatorValue.objects.filter(indicator__plan=plan)
    assert sorted(set(years.values_list("fiscal_year", flat=True))) == [2022, 2023, 2024]
    assert years.count() == 40 * 3 - 10
    kinds = {kind_of(Target.of(kpi)) for kpi in kpis}
    assert kinds == {Kind.PROGRESS, Kind.CEILING, Kind.HOLD, Kind.DIRECTION, Kind.DONE}
    assert real_data() == before  # the real cities are untouched


def test_loading_again_changes_nothing(samples):
    load()
    counts = (Indicator.objects.count(), IndicatorValue.objects.count())
    assert "already loaded" in load()
    assert (Indicator.objects.count(), IndicatorValue.objects.count()) == counts


def test_the_same_seed_gives_the_same_figures(samples):
    small = DemoSize(goals=1, policies=2, measures=1, kpis_per_policy=5)
    first = build_demo_plan(slug="demo-a", name="甲市（架空）", size=small)
    second = build_demo_plan(slug="demo-b", name="乙市（架空）", size=small)

    def figures(plan):
        rows = IndicatorValue.objects.filter(indicator__plan=plan)
        return sorted(rows.values_list("indicator__key", "fiscal_year", "value", "raw_text"))

    assert figures(first) == figures(second)
    assert len(figures(first)) == 10 * 3 - 2  # KPIs 3 and 7 (every fourth) lack 2024
