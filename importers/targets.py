"""Where an import goes (the municipality and the plan it writes to), and its refusal.

Read by the selectors that work out the target and by the loader that writes to it.
"""

from __future__ import annotations

from dataclasses import dataclass


class ImportFailed(Exception):
    """The text was understood but cannot be stored; nothing was written."""


@dataclass(frozen=True)
class MunicipalityInfo:
    """The municipality a plan belongs to; found by ``slug``, created if new."""

    name: str
    slug: str
    prefecture: str = ""
    name_kana: str = ""
    local_gov_code: str = ""


@dataclass(frozen=True)
class PlanInfo:
    """The plan to import into, found by ``slug`` within the municipality.

    Empty/None fields mean: for a new plan, take them from the text (``title``) or infer them
    (period: from the indicators' years, reported); for an existing plan, leave them as they are.
    """

    slug: str
    title: str = ""
    first_fiscal_year: int | None = None
    last_fiscal_year: int | None = None
    status: str | None = None
