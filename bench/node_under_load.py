"""The node page under sustained load: gunicorn (production settings, 2 workers) on SQLite
with the sample plans, wrk for 60 s at 50 connections. Prints wrk's report; any socket error,
timeout or non-2xx answer fails the run (issue 10: 0 errors).

    .venv/bin/python bench/node_under_load.py [--seconds 60] [--connections 50] [--uncached]

Uses the setup of ``bench/serve_pages.py`` (settings, database, the node page's address).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_pages import (  # noqa: E402
    GUNICORN,
    ROOT,
    check_page,
    environment,
    free_port,
    manage,
    page_paths,
    prepare_database,
    wait_until_up,
)

ERRORS = re.compile(r"Socket errors:.*|Non-2xx or 3xx responses: \d+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--uncached", action="store_true", help="render every request")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp), "sqlite", "uncached" if args.uncached else "cached")
        prepare_database(env, "sqlite")
        manage(env, "collectstatic", "--noinput")  # production settings serve hashed names
        node = page_paths(env)["node"]
        port = free_port()
        server = subprocess.Popen(
            [str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{port}", "config.wsgi:application"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}{node}"
            wait_until_up(f"http://127.0.0.1:{port}/bench/minimal/")
            print(f"node page {node}: {check_page(url)} bytes")
            command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s"]
            command += ["--timeout", "10s", "--latency", url]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(output)
    errors = ERRORS.findall(output)
    print("errors:", "; ".join(errors) if errors else 0)
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
