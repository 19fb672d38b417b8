"""KPIs stated inline: ``name：value（year）→ value（year）`` or inside a sentence.

* ``arrow_kpi``: a line (often numbered ①② or bulleted ・) giving a name, a baseline and a
  target joined by an arrow (→ ⇒ ▶ ➡ ►, doubled or not), each value with an optional year in
  brackets: ``乳幼児健診の受診率：96.2%（令和4年度）→ 98.0%（令和10年度）``;
* ``sentence_kpi``: ``…の蔵書数を42,000冊（令和4年度）から50,000冊（令和10年度）に増やします``.

A circled number before such a line numbers a KPI, not a heading.
"""

from __future__ import annotations

import re

from importers.parsing.kpis import KpiRow
from importers.parsing.values import parse_value, split_name_definition

_ARROW = r"\s*(?:→|⇒|▶|➡|►|⇨|➔|->)+\s*"
_VALUE = r"[▲△\-+]?\d[\d,]*(?:\.\d+)?\s*[^\s\d()→⇒▶➡►⇨➔:]{0,10}?"
_YEAR = r"(?:\s*\([^()]{1,16}\))?"
_LEAD = r"^(?:[①-⑳]|[・•\-]|\d{1,2}[.)]|\(\d{1,2}\))?\s*"
ARROW_KPI = re.compile(
    rf"{_LEAD}(?P<name>[^:→⇒▶➡►]*?[^\s\d:])\s*(?::\s*|\s+)"
    rf"(?P<base>{_VALUE}{_YEAR}){_ARROW}(?P<target>{_VALUE}{_YEAR})\s*$"
)
SENTENCE_KPI = re.compile(
    rf"(?P<name>[^、。を]{{2,40}})を\s*(?P<base>{_VALUE}{_YEAR})\s*から\s*"
    rf"(?P<target>{_VALUE}{_YEAR})\s*(?:に|へ|まで)"
)


def arrow_kpi(text: str, line: int) -> KpiRow | None:
    match = ARROW_KPI.match(text.strip())
    return _kpi(match, line) if match else None


def sentence_kpi(text: str, line: int) -> KpiRow | None:
    match = SENTENCE_KPI.search(text)
    return _kpi(match, line) if match else None


def _kpi(match: re.Match, line: int) -> KpiRow | None:
    name, definition = split_name_definition(match["name"].split("、")[-1].strip())
    baseline, target = parse_value(match["base"]), parse_value(match["target"])
    if not name or baseline.value is None or target.value is None:
        return None
    return KpiRow(
        name=name,
        definition=definition,
        baseline=baseline,
        baseline_year=baseline.fiscal_year,
        target=target,
        target_year=target.fiscal_year,
        unit=target.unit or baseline.unit,
        line=line,
    )
