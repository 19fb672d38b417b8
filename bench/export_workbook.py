"""Benchmark the planner workbook: a generated plan with N KPIs, exported to a temporary file.

Prints, for two sizes, the export time (best of three), the number of queries (constant in the
size of the plan) and the peak Python memory (tracemalloc), for the default path (the book kept
in memory) and the streaming one (XlsxWriter's constant_memory mode, rows read through cursors),
each without and with the 実績入力 sheet (an input column for fiscal 2025).

    .venv/bin/python bench/export_workbook.py [KPIS ...]    (default: 2000 20000)

Runs against the throwaway SQLite test database of config.settings.test (db/test.sqlite3, the
file pytest uses too: a test run in the same checkout meanwhile breaks the bench).
"""

import io
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from exports.workbook import write_plan_workbook  # noqa: E402
from indicators.models import Indicator, IndicatorValue  # noqa: E402
from plans import services  # noqa: E402
from plans.services import NodeSpec  # noqa: E402

KPIS_PER_NODE = 10
RUNS = 3


def build_plan(kpis: int, slug: str):
    municipality = services.municipality_create(
        name=f"検証市{slug}", prefecture="茨城県", slug=slug
    )
    plan = services.plan_create(
        municipality=municipality,
        title="ベンチマーク計画",
        slug="2023",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["基本目標", "基本施策", "個別施策"],
    )
    leaves = kpis // KPIS_PER_NODE
    goals = [
        NodeSpec(
            key=f"{g}",
            code=f"{g}",
            title=f"基本目標{g} 安心して暮らせるまちづくり",
            children=[
                NodeSpec(
                    key=f"{g}-{p}",
                    code=f"{g}-{p}",
                    title=f"基本施策{g}-{p}",
                    fields={"department": "企画課"},
                    sdg_goals=[(g % 17) + 1],
                    children=[
                        NodeSpec(key=f"{g}-{p}-{i}", code=f"{g}-{p}-{i}", title=f"個別施策{i}")
                        for i in range(1, 11)
                    ],
                )
                for p in range(1, 11)
            ],
        )
        for g in range(1, leaves // 100 + 2)
    ]
    nodes = services.nodes_bulk_create(plan=plan, roots=goals)
    leaf_nodes = [n for k, n in nodes.items() if k.count("-") == 2][:leaves]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            node=node,
            key=f"k{n}-{j}",
            name=f"市民満足度調査で「満足」と答えた人の割合{j}",
            unit="%" if j % 2 else "人",
            baseline_value=Decimal("52.3"),
            baseline_year=2021,
            baseline_raw="52.3%",
            target_value=Decimal("60.0"),
            target_year=2027,
            target_raw="60.0%",
            comparator="gte",
            order=j,
        )
        for n, node in enumerate(leaf_nodes)
        for j in range(KPIS_PER_NODE)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, fiscal_year=year, value=Decimal("53.1") + year - 2023)
        for i in indicators
        for year in (2023, 2024)
    )
    return plan


def measure(plan, streaming: bool, input_year: int | None = None) -> str:
    """Time (the best of RUNS, as the machine is shared) and queries; peak memory from one more
    run under tracemalloc (which slows Python down several times, so it must not be timed).
    The workbook goes to a temporary file, so the peak is the exporter's own memory, not the
    finished file's."""
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                write_plan_workbook(plan, out, streaming=streaming, input_year=input_year)
            times.append(time.perf_counter() - started)
            size = out.seek(0, io.SEEK_END) / 2**20
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        write_plan_workbook(plan, out, streaming=streaming, input_year=input_year)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    mode = "streaming" if streaming else "default  "
    mode += f" +input {input_year}" if input_year else "           "
    size_of_plan = f"{plan.indicators.count():>6} KPIs ({plan.nodes.count():>5} nodes)"
    return (
        f"{mode} {size_of_plan}: {min(times):6.2f} s, "
        f"{len(queries):3d} queries, peak {peak / 2**20:6.1f} MiB, file {size:5.1f} MiB"
    )


def main(sizes: list[int]) -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    for number, kpis in enumerate(sizes):
        plan = build_plan(kpis, slug=f"bench{number}")
        for streaming in (False, True):
            print(measure(plan, streaming))
            print(measure(plan, streaming, input_year=2025))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000, 20000])
