"""Serve the portal with gunicorn (2 workers) on SQLite with the sample plans; load it with wrk.

    .venv/bin/python bench/serve_pages.py [--seconds 5] [--connections 8] [--rounds 2]

Loads the home, largest plan, node and KPI pages and a minimal Django view in the same run,
each for a bounded time, and prints requests/s side by side with the ratio to the minimal view.
Targets (issue 4): node and KPI pages ≥ 1/5 of the minimal view, the largest plan page ≥ 1/10.
Nothing is cached: every request renders the page from the database.

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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
FIXTURES = ["omitama", "honjo", "kiyose", "tomakomai"]
# page name, minimum share of the minimal view's requests/s (None: no target)
TARGETS = {"minimal": None, "home": None, "plan (largest)": 1 / 10, "node": 1 / 5, "kpi": 1 / 5}


def environment(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.portal_settings",
        "PYTHONPATH": str(ROOT),
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }


def manage(env: dict[str, str], *args: str) -> str:
    command = [str(PYTHON), str(ROOT / "manage.py"), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


PAGE_URLS = """
from django.db.models import Count
from indicators.models import Indicator
from plans.models import Plan, PlanNode
plan = Plan.objects.published().annotate(n=Count("nodes")).order_by("-n").first()
node = PlanNode.objects.filter(plan__status="published", indicators__isnull=False).first()
kpi = Indicator.objects.filter(node=node).first()
print(plan.get_absolute_url(), node.get_absolute_url(), kpi.get_absolute_url())
"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load time per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="best of this many loads per page")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        manage(env, "migrate", "--noinput")
        manage(env, "loaddata", *FIXTURES)
        manage(env, "collectstatic", "--noinput")
        plan_url, node_url, kpi_url = manage(env, "shell", "-c", PAGE_URLS).splitlines()[-1].split()
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
            wait_until_up(base + "/bench/minimal/")
            report(
                base,
                args,
                {
                    "minimal": "/bench/minimal/",
                    "home": "/",
                    "plan (largest)": plan_url,
                    "node": node_url,
                    "kpi": kpi_url,
                },
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


def report(base: str, args, pages: dict[str, str]) -> None:
    sizes = {name: check_page(base + path) for name, path in pages.items()}
    rates = dict.fromkeys(pages, 0.0)
    for _round in range(args.rounds):
        for name, path in pages.items():
            rates[name] = max(rates[name], run_wrk(base + path, args.seconds, args.connections))
    print(
        f"gunicorn 2 workers, SQLite, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"best of {args.rounds}, uncached"
    )
    print(f"{'page':<16}{'url':<28}{'bytes':>8}{'req/s':>10}{'ratio':>8}  target")
    minimal = rates["minimal"]
    failed = False
    for name, path in pages.items():
        ratio = rates[name] / minimal
        target = TARGETS[name]
        verdict = "" if target is None else ("ok" if ratio >= target else "MISSED")
        failed |= verdict == "MISSED"
        goal = "" if target is None else f">= 1/{round(1 / target)} {verdict}"
        print(f"{name:<16}{path:<28}{sizes[name]:>8}{rates[name]:>10.1f}{ratio:>8.3f}  {goal}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
