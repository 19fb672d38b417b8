"""Serve the portal with gunicorn (2 workers) with the sample plans; measure the server's CPU
time per request of each page against a minimal Django view.

    .venv/bin/python bench/serve_pages.py [--databases sqlite,postgres] [--modes uncached,cached]
                                          [--seconds 3] [--connections 2] [--rounds 3]

For each database (SQLite in a temporary file; PostgreSQL in a fresh database ``house_bench``,
or ``BENCH_DATABASE``, on ``BENCH_POSTGRES``, default ``postgres://postgres@127.0.0.1:5432``)
and each mode, loads the home, largest plan, node, KPI and search (a two-character word) pages
and a minimal Django view (bench/portal_urls.py: same workers, settings and middleware), each
for a bounded time.

The measure is the server's CPU time per request: the gunicorn workers' user + system time
(``/proc/<pid>/stat``) plus, on PostgreSQL, that of the database's backends, divided by the
requests answered. ``×`` is a page's CPU time as a multiple of the minimal view's (2.0: twice
the work). CPU time, unlike requests/s, hardly depends on what else the machine runs (other
work takes turns on the cores, it does not add to this process's time) nor on the load
client, which runs in this process and is not counted. Requests/s and its ratio are printed
beside it for reference. Every page is first loaded unmeasured (``--warm-up`` seconds: both
workers, templates compiled, database connections open), then in turn ``--rounds`` times;
each page's best (lowest) round is reported.

Modes: ``uncached`` runs with ``CACHE_URL=dummy://`` (nothing is ever kept, every request
renders the page from the database); ``cached`` with ``CACHE_URL=locmem://``, the default.

Targets (issue 12): cached pages within 1.5× of the minimal view; uncached on PostgreSQL: node
and KPI ≤ 8×, plan ≤ 15×, search ≤ 10×.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
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
# another name (BENCH_DATABASE) lets two checkouts run the benchmark at once
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "house_bench")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


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
    if database == "postgres":
        # Statistics, as autovacuum gathers them within a minute of a load: without them the
        # planner guesses one row per table and measures a state no running database stays in.
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )


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


def _ticks(pid: int) -> int:
    """User + system CPU time of a process, in clock ticks (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def _children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def _database_backends(env: dict[str, str]) -> list[int]:
    """PostgreSQL server processes serving the benchmark's database (none on SQLite)."""
    if "DATABASE_URL" not in env:
        return []
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{BENCH_DATABASE}'"  # noqa: S608
    server = urllib.parse.urlsplit(env["DATABASE_URL"])
    command = ["psql", "-h", server.hostname, "-p", str(server.port or 5432)]
    command += ["-U", server.username or "postgres", "-d", "postgres", "-At", "-c", query]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [int(line) for line in output.split()]


def server_cpu(workers: list[int], env: dict[str, str]) -> dict[int, int]:
    """CPU ticks so far of each gunicorn worker and each database backend of the benchmark."""
    return {pid: _ticks(pid) for pid in [*workers, *_database_backends(env)]}


def load(url: str, seconds: float, connections: int) -> int:
    """Request ``url`` from ``connections`` threads for ``seconds``; the number of answers."""
    deadline = time.monotonic() + seconds
    counts = [0] * connections

    def client(index: int) -> None:
        while time.monotonic() < deadline:
            check_page(url)
            counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts)


def measure(url: str, workers: list[int], env: dict[str, str], args) -> tuple[float, float]:
    """(server CPU ms per request, requests/s) of one load of ``url``."""
    before = server_cpu(workers, env)
    started = time.monotonic()
    answered = load(url, args.seconds, args.connections)
    elapsed = time.monotonic() - started
    after = server_cpu(workers, env)
    ticks = sum(after[pid] - before.get(pid, 0) for pid in after)
    return ticks * 1000 / TICKS_PER_SECOND / answered, answered / elapsed


def serve_and_load(env: dict[str, str], paths: dict[str, str], args) -> dict[str, tuple]:
    """Per page: (bytes, best server CPU ms per request, best requests/s) over the rounds."""
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
        workers = _children(server.pid)
        sizes = {name: check_page(base + path) for name, path in paths.items()}
        for path in paths.values():  # warm-up: every worker, every page, templates compiled
            load(base + path, args.warm_up, args.connections)
        cpu = dict.fromkeys(paths, float("inf"))
        rates = dict.fromkeys(paths, 0.0)
        for _round in range(args.rounds):
            for name, path in paths.items():
                ms, rate = measure(base + path, workers, env, args)
                cpu[name], rates[name] = min(cpu[name], ms), max(rates[name], rate)
        return {name: (sizes[name], cpu[name], rates[name]) for name in paths}
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(database: str, mode: str, paths: dict[str, str], results: dict, args) -> bool:
    """Print one table; True when a target was missed."""
    print(
        f"\ngunicorn 2 workers, {database}, {mode}, {args.connections} clients, "
        f"{args.seconds}s per page, best of {args.rounds}; load average {_load_average()}"
    )
    print(
        f"{'page':<18}{'url':<30}{'bytes':>8}{'CPU ms':>8}{'×':>7}"
        f"{'req/s':>8}{'× req/s':>8}  target (on CPU ms)"
    )
    _size, minimal_ms, minimal_rate = results["minimal"]
    targets = TARGETS.get((database, mode), {})
    missed = False
    for name, path in paths.items():
        size, ms, rate = results[name]
        times = ms / minimal_ms
        target = targets.get(name)
        verdict = "" if target is None else ("ok" if times <= target else "MISSED")
        missed |= verdict == "MISSED"
        goal = "" if target is None else f"<= {target}× {verdict}"
        print(
            f"{name:<18}{path[:29]:<30}{size:>8}{ms:>8.2f}{times:>7.2f}"
            f"{rate:>8.0f}{minimal_rate / rate:>8.2f}  {goal}"
        )
    return missed


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--modes", default="uncached,cached")
    parser.add_argument("--seconds", type=float, default=3, help="load time per page")
    parser.add_argument("--warm-up", type=float, default=1, help="unmeasured load per page")
    parser.add_argument("--connections", type=int, default=2, help="client threads")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many loads per page")
    args = parser.parse_args()
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
