"""The sample plans for portal tests: the importer's committed fixtures (natural keys)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

FIXTURE_NAMES = ["omitama", "honjo", "kiyose", "tomakomai"]


def load_sample_plans() -> None:
    """Load fixtures/<name>.json for the four sample plans, or fail saying which is missing."""
    fixture_dir = Path(settings.BASE_DIR) / "fixtures"
    missing = [name for name in FIXTURE_NAMES if not (fixture_dir / f"{name}.json").exists()]
    if missing:
        pytest.fail(f"sample fixtures missing in {fixture_dir}: {missing}", pytrace=False)
    call_command("loaddata", *FIXTURE_NAMES, verbosity=0)
