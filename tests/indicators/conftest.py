"""The sample plans, loaded once per module (the portal tests' fixtures)."""

from tests.portal.conftest import sample_plans, samples  # noqa: F401 - fixtures
