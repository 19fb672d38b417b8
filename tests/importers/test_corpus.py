"""The reader on plan excerpts written for it (``corpus/``), scored against outlines reviewed by
hand: at least 95 % of the KPIs exact and 95 % of the headings under the right parent.

The expected outlines are read from ``corpus/*.expected`` (format in ``corpus/README.md``); the
score is computed here, from those files and the parsed plans, never from the reader itself.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from importers.parsing import parse_file
from importers.parsing.model import ParsedIndicator, ParsedPlan

CORPUS = Path(__file__).resolve().parent / "corpus"
EXCERPTS = sorted(CORPUS.glob("*.txt"))
THRESHOLD = 0.95


@dataclass(frozen=True)
class Expected:
    headings: list[tuple[str, str | None]]  # (title, parent title)
    kpis: list[tuple[str, ...]]  # name, baseline, target, unit, baseline year, target year


def read_expected(path: Path) -> Expected:
    headings: list[tuple[str, str | None]] = []
    kpis: list[tuple[str, ...]] = []
    open_titles: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        depth = (len(raw) - len(raw.lstrip(" "))) // 2
        if text.startswith("- "):
            title = re.sub(r" \[[^\]]+\]$", "", text[2:]).strip()
            open_titles = [*open_titles[:depth], title]
            headings.append((title, open_titles[-2] if len(open_titles) > 1 else None))
        elif text.startswith("* "):
            kpis.append(tuple(field.strip() for field in text[2:].split("|")))
    return Expected(headings, kpis)


def number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def kpi_fields(kpi: ParsedIndicator) -> tuple[str, ...]:
    return (
        kpi.name,
        number(kpi.baseline.value),
        number(kpi.target.value),
        kpi.unit,
        str(kpi.baseline.fiscal_year or kpi.baseline_year or ""),
        str(kpi.target.fiscal_year or kpi.target_year or ""),
    )


def score(plan: ParsedPlan, expected: Expected) -> tuple[int, int, list[str]]:
    """(headings right, KPIs exact, what was missed)."""
    parents = {child.key: node.title for node in plan.walk() for child in node.children}
    placed = {(node.title, parents.get(node.key)) for node in plan.walk()}
    found = {kpi_fields(kpi) for node in plan.walk() for kpi in node.indicators}
    missed = [f"heading {t} under {p}" for t, p in expected.headings if (t, p) not in placed]
    missed += [f"KPI {' | '.join(k)}" for k in expected.kpis if k not in found]
    headings = sum(1 for heading in expected.headings if heading in placed)
    return headings, sum(1 for kpi in expected.kpis if kpi in found), missed


def test_the_corpus_has_at_least_15_excerpts_each_with_its_outline():
    assert len(EXCERPTS) >= 15
    assert all(path.with_suffix(".expected").is_file() for path in EXCERPTS)


def test_the_reader_gets_95_percent_of_kpis_and_headings_right():
    """Summed over the corpus; the message lists every miss by file."""
    totals = {"headings": [0, 0], "kpis": [0, 0]}
    misses = []
    for path in EXCERPTS:
        expected = read_expected(path.with_suffix(".expected"))
        plan = parse_file(path.read_bytes(), path.name)
        headings, kpis, missed = score(plan, expected)
        totals["headings"][0] += headings
        totals["headings"][1] += len(expected.headings)
        totals["kpis"][0] += kpis
        totals["kpis"][1] += len(expected.kpis)
        misses += [f"{path.name}: {miss}" for miss in missed]
    (heading_hits, heading_total), (kpi_hits, kpi_total) = totals["headings"], totals["kpis"]
    assert heading_total >= 60 and kpi_total >= 50
    assert heading_hits / heading_total >= THRESHOLD, "\n".join(misses)
    assert kpi_hits / kpi_total >= THRESHOLD, "\n".join(misses)


@pytest.mark.parametrize("path", EXCERPTS, ids=[path.stem for path in EXCERPTS])
def test_each_excerpt_on_its_own_reaches_95_percent(path):
    """Each file is scored alone too: the sum over the corpus hid a broken capability (with
    "the code column decides the parent" switched off, 08_code_column fell to 4 of 6 headings
    and the corpus as a whole still scored 98 %). On these small files 95 % means every
    heading and KPI."""
    expected = read_expected(path.with_suffix(".expected"))
    headings, kpis, missed = score(parse_file(path.read_bytes(), path.name), expected)
    assert headings >= THRESHOLD * len(expected.headings), "\n".join(missed)
    assert kpis >= THRESHOLD * len(expected.kpis), "\n".join(missed)


@pytest.mark.parametrize("path", EXCERPTS, ids=[path.stem for path in EXCERPTS])
def test_each_excerpt_is_read_without_error(path):
    """Every excerpt gives a plan (none is refused) with at least one node."""
    plan = parse_file(path.read_bytes(), path.name)
    assert plan.nodes


def test_negative_cases_make_no_nodes():
    """Years, amounts, ids, page numbers, labels and a repeated heading of 15_negatives: the
    plan holds exactly the four nodes its outline lists."""
    path = CORPUS / "15_negatives.txt"
    plan = parse_file(path.read_bytes(), path.name)
    titles = [node.title for node in plan.walk()]
    assert titles == ["市民協働", "協働のまちづくり", "行財政運営", "健全な財政運営"]
    kpis = [kpi.name for node in plan.walk() for kpi in node.indicators]
    assert kpis == ["市民活動団体数", "経常収支比率"]  # the row "1001 …" names no KPI
