"""Generic against custom plans of the search's ids statements (portal.search._ids_query).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/national \\
        .venv/bin/python bench/search_plans.py [--runs 7] [--words 福祉,防災] [--shapes all]

Read-only. For each shape tried (where / level / SDG) and word, the statement the search
page prepares is prepared on a connection of its own, then run ``--runs`` times under
``EXPLAIN (ANALYZE) EXECUTE`` with ``plan_cache_mode`` forced to a custom plan (planned for
the word, as before the statements were prepared) and then to the generic plan (planned once
for any word, what the server keeps after five runs). Prints for each the best planning and
execution times (ms); whether the two read the same ids and are the same plan; the plan the
server chose by itself (``auto``: after five custom plans, generic when its estimated cost
is no more than theirs; seen by its last run's planning time); and the plans where the
generic one is slower.
"""

import argparse
import itertools
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from plans.compiled import _PARAM_OR_PERCENT, _Placeholder  # noqa: E402
from plans.search import Word  # noqa: E402
from portal.search import _ids_query, _Shape, _values, search_filters  # noqa: E402

WORDS = "福祉,防災,公園,子育て,環境,観光,医療,ＤＸ,地域包括ケア,ぱぴぷぺ,ぱぴ"


def shapes_tried(which: str) -> list[dict]:
    everywhere = [{}]
    if which == "everywhere":
        return everywhere
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.prefecture, m.slug, p.slug FROM plans_plan p JOIN plans_municipality m"
            " ON m.id = p.municipality_id WHERE p.status = 'published' ORDER BY p.id LIMIT 1"
        )
        prefecture, municipality, plan = cursor.fetchone()
    return everywhere + [
        {"prefecture": prefecture},
        {"municipality": municipality},
        {"plan_ref": f"{municipality}/{plan}"},
        {"level": "1"},
        {"sdg": "3"},
    ]


def statement(kind: str, filters) -> tuple[str, list]:
    """The SQL the search prepares for ``kind`` and its parameters for ``filters``."""
    if kind == "nodes":
        words = [Word.of(filters.folded)]
    else:
        words = [Word.of(w) for w in sorted({filters.query.lower(), filters.folded} - {""})]
    shape = _Shape.of(kind, filters, words)
    compiled = _ids_query(shape)._compile(connection)
    values = _values(filters, words)
    params = [values[p.key] if isinstance(p, _Placeholder) else p for p in compiled.params]
    numbers = itertools.count(1)
    sql = _PARAM_OR_PERCENT.sub(
        lambda m: "%" if m.group(1) == "%" else f"${next(numbers)}", compiled.sql
    )
    return sql, params


def explain(cursor, name: str, params: list, mode: str, runs: int):
    cursor.execute(f"SET plan_cache_mode = {mode}")
    placeholders = ", ".join(["%s"] * len(params))
    best_plan = best_run = float("inf")
    for _ in range(runs):
        cursor.execute(f"EXPLAIN (ANALYZE) EXECUTE {name}({placeholders})", params)
        lines = [row[0] for row in cursor.fetchall()]
        text = "\n".join(lines)
        best_plan = min(best_plan, float(re.search(r"Planning Time: ([\d.]+)", text)[1]))
        best_run = min(best_run, float(re.search(r"Execution Time: ([\d.]+)", text)[1]))
    cursor.execute(f"EXECUTE {name}({placeholders})", params)
    ids = sorted(row[0] for row in cursor.fetchall())
    return best_plan, best_run, ids, text


def plan_nodes(plan: str) -> list[str]:
    """The plan's nodes and the indexes they read, without costs, times or conditions."""
    return [line.split("  (cost")[0] for line in plan.splitlines() if "(cost" in line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--words", default=WORDS)
    parser.add_argument("--shapes", default="all", choices=["all", "everywhere"])
    parser.add_argument("--show-plans", action="store_true")
    args = parser.parse_args()
    numbers = itertools.count(1)
    print(f"{'where':28} {'kind':5} {'word':8} {'rows':>5}  custom plan+run   generic plan+run")
    for chosen in shapes_tried(args.shapes):
        for word in args.words.split(","):
            filters = search_filters(query=word, **chosen)
            for kind in ("nodes", "kpis"):
                sql, params = statement(kind, filters)
                name = f"search_plans_{next(numbers)}"
                with connection.cursor() as cursor:
                    cursor.execute("BEGIN READ ONLY")
                    cursor.execute(f"PREPARE {name} AS {sql}")
                    custom = explain(cursor, name, params, "force_custom_plan", args.runs)
                    generic = explain(cursor, name, params, "force_generic_plan", args.runs)
                    cursor.execute(f"DEALLOCATE {name}")
                    cursor.execute(f"PREPARE {name} AS {sql}")
                    auto = explain(cursor, name, params, "auto", args.runs)
                    cursor.execute(f"DEALLOCATE {name}")
                    cursor.execute("ROLLBACK")
                where = ",".join(f"{k}={v}" for k, v in chosen.items()) or "everywhere"
                same = "" if custom[2] == generic[2] else "  DIFFERENT IDS"
                if plan_nodes(custom[3]) != plan_nodes(generic[3]):
                    same += "  other plan"
                slower = generic[1] > custom[1] * 1.2 + 0.5
                print(
                    f"{where[:28]:28} {kind:5} {word:8} {len(custom[2]):5}"
                    f"  {custom[0]:6.2f}+{custom[1]:8.2f}  {generic[0]:6.2f}+{generic[1]:8.2f}"
                    f"  auto: {'generic' if 'Planning Time: 0.0' in auto[3] else 'custom'}"
                    f"{'  SLOWER' if slower else ''}{same}",
                    flush=True,
                )
                if args.show_plans or slower:
                    print("--- custom\n" + custom[3] + "\n--- generic\n" + generic[3])


if __name__ == "__main__":
    main()
