"""The one reader's entry point: any front end's blocks in, a plan out (or a ParseError)."""

from decimal import Decimal
from pathlib import Path

import pytest

from importers.outline import outline_dict
from importers.parsing import parse_file
from importers.parsing.blocks import Block, BlockKind, text_blocks
from importers.parsing.errors import ParseError
from importers.parsing.model import Report
from importers.parsing.normalize import decode, normalize
from importers.parsing.reader import read_blocks

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"


def paragraph(text: str, line: int) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text, source="plan.html", line=line)


def test_a_table_block_under_a_heading_block_gives_kpis():
    """A heading and a KPI table handed over as blocks (as the HTML front end does) become a
    node with its KPI: values, unit and years read from the cells and the header."""
    blocks = [
        Block(BlockKind.HEADING, text="1. 安全なまち", depth=1, source="plan.html", line=1),
        paragraph("防災訓練を実施します。", 2),
        Block(
            BlockKind.TABLE,
            rows=(
                ("指標名", "現状値(令和4年度)", "目標値(令和9年度)"),
                ("防災訓練参加者数", "1,200人", "1,500人"),
            ),
            source="plan.html",
            line=3,
        ),
    ]
    plan = read_blocks(blocks)
    (node,) = plan.nodes
    (kpi,) = node.indicators
    assert (node.title, plan.sources) == ("安全なまち", ["plan.html"])
    assert (kpi.name, kpi.unit, kpi.baseline_year, kpi.target_year) == (
        "防災訓練参加者数",
        "人",
        2022,
        2027,
    )
    assert (kpi.baseline.value, kpi.target.value, kpi.line) == (
        Decimal("1200"),
        Decimal("1500"),
        4,
    )


def test_blocks_without_text_are_refused_with_the_source():
    """No text at all is a ParseError naming the document, not an empty plan."""
    with pytest.raises(ParseError) as caught:
        read_blocks([paragraph("", 1)], source="empty.docx")
    assert caught.value.source == "empty.docx" and "plan" in caught.value.expected


def test_a_text_file_is_read_through_its_blocks():
    """parse_file is the text front end plus read_blocks: the same outline either way."""
    data = (SAMPLES / "kiyose.txt").read_bytes()
    lines = normalize(decode(data, "kiyose.txt"), "kiyose.txt", Report())
    via_blocks = read_blocks(text_blocks(lines, "kiyose.txt"))
    assert outline_dict(via_blocks) == outline_dict(parse_file(data, "kiyose.txt"))
