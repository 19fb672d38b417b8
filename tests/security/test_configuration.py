"""OWASP A02/A05/A06 in the configuration: production passes ``check --deploy`` with no
warning, and every dependency is pinned to one version and consistent (``pip check``).

Known advisories cannot be looked up offline; the README's security section runs
``pip-audit`` against the pins where the network is available (a CI step)."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^[A-Za-z0-9_.\-]+(\[[a-z0-9,]+\])?==\d[\w.]*$")


def test_production_settings_pass_the_deploy_check_without_a_warning():
    # The browser tests allow async-unsafe calls in this process; a deployment does not.
    outside = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **outside,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 64 + "-a-long-and-random-looking-secret-0123456789",
        "DJANGO_ALLOWED_HOSTS": "sogo.example.jp",
    }
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_dependency_is_pinned_to_one_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    assert [r for r in requirements if not PIN.match(r)] == []


def test_the_installed_packages_are_consistent():
    checked = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, cwd=ROOT
    )
    assert checked.returncode == 0, checked.stdout
