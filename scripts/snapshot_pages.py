"""Save the HTML of every public page of the sample plans, in Japanese and English, to compare a
change in templates or selectors before and after (``diff -r before after``).

    .venv/bin/python scripts/snapshot_pages.py DIRECTORY

Loads the sample fixtures and the fictional demo city (the only plan with yearly actuals, so
that progress, verdicts and latest values show) into a fresh SQLite database in a temporary
directory (the test settings, no page cache) and fetches with Django's test client: home, each
municipality, plan, dashboard, node, KPI and KPI history page, and searches (several words, a
code, filters, page 2).
"""

import os
import sys
import tempfile
from io import StringIO
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ["omitama", "honjo", "kiyose", "tomakomai"]
SEARCHES = ["環境", "まちづくり", "1101", "ｶﾞｲﾄﾞ", "こども", "見つからない語"]
SEARCHES += ["環境&page=2", "福祉&level=1"]


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    work = tempfile.mkdtemp(prefix="snapshot-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        SQLITE_PATH=f"{work}/db.sqlite3",
        CACHE_URL="dummy://",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from indicators.models import Indicator
    from plans.models import Municipality, Plan, PlanNode

    setup_test_environment()
    call_command("migrate", verbosity=0)
    fixtures = [ROOT / "fixtures" / f"{name}.json" for name in FIXTURES]
    call_command("loaddata", *fixtures, verbosity=0)
    call_command("load_demo_city", stdout=StringIO())
    paths = ["/"]
    paths += [m.get_absolute_url() for m in Municipality.objects.order_by("pk")]
    for plan in Plan.objects.order_by("pk"):
        paths += [plan.get_absolute_url(), plan.get_absolute_url() + "kpis/"]
    paths += [n.get_absolute_url() for n in PlanNode.objects.order_by("pk")]
    for kpi in Indicator.objects.order_by("pk"):
        paths += [kpi.get_absolute_url(), kpi.get_absolute_url() + "history/"]
    paths += ["/search/?q=" + quote(word, safe="&=") for word in SEARCHES]
    for language in ("ja", "en"):
        client = Client()
        client.cookies["django_language"] = language
        for number, path in enumerate(paths):
            response = client.get(path)
            name = f"{language}-{number:04d}.html"
            body = response.content.decode()
            (out / name).write_text(f"<!-- {path} {response.status_code} -->\n{body}", "utf-8")
    sys.stdout.write(f"{len(paths) * 2} pages in {out}\n")


if __name__ == "__main__":
    main()
