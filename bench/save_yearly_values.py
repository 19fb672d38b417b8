"""Benchmark 年度実績の入力: one submit saving a year's actuals of 500 KPIs.

Builds a fictional plan with 500 KPIs (indicators.demo), logs in a staff editor, opens the entry
page for fiscal 2025 and submits all 500 values (new rows), then submits 500 changed values
(updates). Prints the time of each page (best of RUNS, on fresh data each run) and its queries.

    .venv/bin/python bench/save_yearly_values.py [KPIS]    (default: 500)

Runs against the throwaway SQLite test database of config.settings.test (db/test.sqlite3, the
file pytest uses too: do not run tests in the same checkout meanwhile), or the PostgreSQL
database of ``DATABASE_URL`` (a test database is created next to it).
"""

import html
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from indicators.demo import DemoSize, build_demo_plan  # noqa: E402
from indicators.models import IndicatorValue  # noqa: E402

RUNS = 3
YEAR = 2025


def form_data(page: str) -> dict[str, str]:
    form = page[page.index('class="entry-values"') :]
    data = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return data


def timed(call):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - started
    return response, elapsed, len(queries)


def one_run(client, plan, kpis: int, offset: int) -> dict[str, tuple[float, int]]:
    url = f"{reverse('admin:indicators_yearly_entry')}?plan={plan.pk}&year={YEAR}"
    results = {}
    page, elapsed, queries = timed(lambda: client.get(url))
    results["open the page"] = (elapsed, queries)
    data = form_data(page.content.decode())
    values = [name for name in data if name.startswith("value_")]
    assert len(values) == kpis, len(values)
    for n, name in enumerate(values):
        data[name] = f"{offset + n:,}"
    response, elapsed, queries = timed(lambda: client.post(url, data))
    assert response.status_code == 302, response.content.decode()[:2000]
    results[f"save {kpis} new values"] = (elapsed, queries)
    data = form_data(client.get(url).content.decode())
    for n, name in enumerate(values):
        data[name] = f"{offset + n + 1:,}"
    response, elapsed, queries = timed(lambda: client.post(url, data))
    assert response.status_code == 302
    results[f"save {kpis} changed values"] = (elapsed, queries)
    saved = IndicatorValue.objects.filter(indicator__plan=plan, fiscal_year=YEAR).count()
    assert saved == kpis, saved
    return results


def main(kpis: int) -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    # 10 基本施策 per 基本目標, 10 KPIs each: 100 KPIs per 基本目標.
    size = DemoSize(goals=kpis // 100, policies=10, measures=2, kpis_per_policy=10)
    user = User.objects.create_superuser("bench", "bench@example.jp", "pw")
    client = Client()
    client.force_login(user)
    best: dict[str, tuple[float, int]] = {}
    for run in range(RUNS):
        plan = build_demo_plan(slug=f"bench{run}", name=f"検証市{run}（架空）", size=size)
        for step, (elapsed, queries) in one_run(client, plan, kpis, 1000 * run).items():
            if step not in best or elapsed < best[step][0]:
                best[step] = (elapsed, queries)
    vendor = connection.vendor
    for step, (elapsed, queries) in best.items():
        print(f"{vendor:10} {step:28}: {elapsed * 1000:7.0f} ms, {queries:3d} queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
