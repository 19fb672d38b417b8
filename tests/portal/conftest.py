"""Portal fixtures: the sample plans loaded once per module, and a headless Chromium.

Browser tests need Debian's ``chromium`` at /usr/bin/chromium (``apt-get install chromium
fonts-noto-cjk``) and axe-core from npm (``npm ci`` at the repository root). When either is
missing the browser tests fail with a message saying so: they are never skipped silently.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from tests.portal.sample_data import load_sample_plans

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.fixture(scope="module")
def sample_plans(django_db_setup, django_db_blocker):
    """The four sample plans, loaded once for a module and rolled back after it.

    Each test's own ``db`` transaction nests inside this one as a savepoint.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_sample_plans()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def samples(sample_plans, db):
    """Function-level access to the module's sample plans."""
    return None


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(
            f"Accessibility tests need axe-core at {AXE_JS}: run `npm ci` at the repository root.",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def live_samples(live_server, transactional_db):
    """The sample plans in the live server's database (flushed after each browser test)."""
    load_sample_plans()
    return live_server


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
