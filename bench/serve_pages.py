"""Serve the portal with gunicorn (2 workers) with the sample plans; load it with wrk.

    .venv/bin/python bench/serve_pages.py [--databases sqlite,postgres] [--modes uncached,cached]
                                          [--seconds 5] [--connections 8] [--rounds 2]

For each database (SQLite in a temporary file; PostgreSQL in a fresh database ``house_bench``
on ``BENCH_POSTGRES``, default ``postgres://postgres@127.0.0.1:5432``) and each mode, loads the
home, largest plan, node, KPI and search (a two-character word) pages and a minimal Django
view, each for a bounded time, and prints requests/s with each page's time as a multiple of the
minimal view's (``×``: 2.0 means the page takes twice the minimal view's time).

Modes: ``uncached`` runs with ``CACHE_URL=dummy://`` (nothing is ever kept, every request
renders the page from the database); ``cached`` with ``CACHE_URL=locmem://``, the default.

Targets (issue 12): cached pages within 1.5× of the minimal view; uncached on PostgreSQL: node
and KPI ≤ 8×, plan ≤ 15×, search ≤ 10×.

The pages are loaded in turn, ``--rounds`` times, and each page's best round is reported: on a
shared machine a burst of other work then lowers one round of one page, not the comparison.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
FIXTURES = ["omitama", "honjo", "kiyose", "tomakomai"]
PAGES = ["minimal", "home", "plan (largest)", "node", "kpi", "search (2 chars)"]
SEARCH_WORD = "環境"
# (database, mode) -> page -> the most times the minimal view's time it may take
TARGETS = {
    ("postgres", "uncached"): {"plan (largest)": 15, "node": 8, "kpi": 8, "search (2 chars)": 10},
    **{(database, "cached"): dict.fromkeys(PAGES[1:], 1.5) for database in ("sqlite", "postgres")},
}
BENCH_DATABASE = "house_bench"


def environment(workdir: Path, database: str, mode: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.portal_settings",
        "PYTHONPATH": str(ROOT),
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "dummy://" if mode == "uncached" else "locmem://",
    }
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        env["DATABASE_URL"] = f"{server}/{BENCH_DATABASE}"
    return env


def manage(env: dict[str, str], *args: str) -> str:
    command = [str(PYTHON), str(ROOT / "manage.py"), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def fresh_postgres_database() -> None:
    """(Re)create the benchmark's database as the README says production's is made."""
    server = urllib.parse.urlsplit(
        os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    args = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432)]
    args += ["-U", server.username or "postgres"]
    subprocess.run(["dropdb", *args, "--if-exists", BENCH_DATABASE], check=True)
    subprocess.run(
        [
            "createdb",
            *args,
            "-T",
            "template0",
            "-E",
            "UTF8",
            "--lc-ctype=C.UTF-8",
            "--lc-collate=C.UTF-8",
            BENCH_DATABASE,
        ],
        check=True,
    )


def prepare_database(env: dict[str, str], database: str) -> None:
    if database == "postgres":
        fresh_postgres_database()
    manage(env, "migrate", "--noinput")
    manage(env, "loaddata", *FIXTURES)


PAGE_URLS = """
from django.db.models import Count
from indicators.models import Indicator
from plans.models import Plan, PlanNode
plan = Plan.objects.published().annotate(n=Count("nodes")).order_by("-n").first()
node = PlanNode.objects.filter(plan__status="published", indicators__isnull=False)
node = node.order_by("pk").first()
kpi = Indicator.objects.filter(node=node).order_by("pk").first()
print(plan.get_absolute_url(), node.get_absolute_url(), kpi.get_absolute_url())
"""


def page_paths(env: dict[str, str]) -> dict[str, str]:
    plan_url, node_url, kpi_url = manage(env, "shell", "-c", PAGE_URLS).splitlines()[-1].split()
    search = "/search/?q=" + urllib.parse.quote(SEARCH_WORD)
    paths = ["/bench/minimal/", "/", plan_url, node_url, kpi_url, search]
    return dict(zip(PAGES, paths, strict=True))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer at {url}")


def check_page(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        return len(response.read())


def run_wrk(url: str, seconds: int, connections: int) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors on {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def serve_and_load(env: dict[str, str], paths: dict[str, str], args) -> dict[str, tuple]:
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{port}", "config.wsgi:application"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + paths["minimal"])
        sizes = {name: check_page(base + path) for name, path in paths.items()}
        rates = dict.fromkeys(paths, 0.0)
        for _round in range(args.rounds):
            for name, path in paths.items():
                rates[name] = max(rates[name], run_wrk(base + path, args.seconds, args.connections))
        return {name: (sizes[name], rates[name]) for name in paths}
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(database: str, mode: str, paths: dict[str, str], results: dict, args) -> bool:
    """Print one table; True when a target was missed."""
    print(
        f"\ngunicorn 2 workers, {database}, {mode}, wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s, best of {args.rounds}"
    )
    print(f"{'page':<18}{'url':<30}{'bytes':>8}{'req/s':>10}{'×':>8}  target")
    minimal = results["minimal"][1]
    targets = TARGETS.get((database, mode), {})
    missed = False
    for name, path in paths.items():
        size, rate = results[name]
        times = minimal / rate
        target = targets.get(name)
        verdict = "" if target is None else ("ok" if times <= target else "MISSED")
        missed |= verdict == "MISSED"
        goal = "" if target is None else f"<= {target}× {verdict}"
        print(f"{name:<18}{path[:29]:<30}{size:>8}{rate:>10.1f}{times:>8.2f}  {goal}")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--modes", default="uncached,cached")
    parser.add_argument("--seconds", type=int, default=5, help="load time per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="best of this many loads per page")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        for database in args.databases.split(","):
            prepared = False
            for mode in args.modes.split(","):
                env = environment(Path(tmp), database, mode)
                if not prepared:
                    prepare_database(env, database)
                    manage(env, "collectstatic", "--noinput")
                    paths = page_paths(env)
                    prepared = True
                results = serve_and_load(env, paths, args)
                missed |= report(database, mode, paths, results, args)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
