"""Bad input gives a ParseError that names the file, the line and what was expected — never
another exception, never a partial plan."""

from pathlib import Path

import pytest

from importers.parsing import parse_file, parse_files
from importers.parsing.errors import ParseError
from importers.parsing.normalize import decode

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
KIYOSE = (SAMPLES / "kiyose.txt").read_text(encoding="utf-8")


def sample_with(name: str, number: int, replacement: str) -> bytes:
    """A sample file with one line replaced (1-based number)."""
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    lines[number - 1] = replacement
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize(
    ("data", "line", "expected", "found"),
    [
        (b"", 0, "UTF-8", "empty file"),
        (b"\n \n\t\n", 0, "UTF-8", "only blank lines"),
        ("\ufeff\n".encode(), 0, "UTF-8", "only blank lines"),
        (b"# plan\n\xe6\x96\x87\n\x00\x01\x02", 3, "a text file", "NUL byte"),
        (bytes(range(1, 32)) * 10, 1, "a text file", "control characters"),
        (KIYOSE.encode("shift_jis"), 3, "UTF-8", "Shift_JIS"),
        (KIYOSE.encode("euc_jp"), 3, "UTF-8", "EUC-JP"),
        (KIYOSE.encode("utf-16"), 1, "UTF-8", "UTF-16"),
    ],
    ids=["empty", "blank", "bom-only", "nul", "controls", "shift-jis", "euc-jp", "utf-16"],
)
def test_undecodable_files_say_where_and_what_was_expected(data, line, expected, found):
    """Empty, binary and non-UTF-8 files (Shift_JIS given as UTF-8 …) are refused with the line
    of the first bad byte, "UTF-8"/"text" as what was expected and what was found instead."""
    for call in (lambda: decode(data, "plan.txt"), lambda: parse_file(data, "plan.txt")):
        with pytest.raises(ParseError) as caught:
            call()
        error = caught.value
        assert (error.source, error.line) == ("plan.txt", line)
        assert expected in error.expected and found in error.found
        assert str(error).startswith("plan.txt")


def test_shift_jis_error_points_at_the_first_japanese_byte():
    """In a Shift_JIS copy of 清瀬市 the first non-ASCII byte is line 3, column 3 ("3 基本目標")."""
    with pytest.raises(ParseError) as caught:
        decode(KIYOSE.encode("shift_jis"), "kiyose_sjis.txt")
    assert caught.value.line == 3 and "column 3" in caught.value.found


def test_a_bad_file_among_several_names_that_file():
    """parse_files stops at the bad file and names it, not the good one before it."""
    good = (SAMPLES / "omitama_outline.txt").read_bytes()
    bad = (SAMPLES / "omitama_goal1.txt").read_text(encoding="utf-8").encode("cp932", "replace")
    with pytest.raises(ParseError) as caught:
        parse_files([("omitama_outline.txt", good), ("goal1_sjis.txt", bad)])
    assert caught.value.source == "goal1_sjis.txt" and caught.value.line == 3


def test_no_files_at_all():
    """An empty list of files is a ParseError too."""
    with pytest.raises(ParseError):
        parse_files([])


@pytest.mark.parametrize(("sample", "number"), [("honjo.txt", 62)])
def test_a_truncated_kpi_row_is_an_error_at_its_line(sample, number):
    """A 成果指標 row whose arrow (▶▶) points past its last cell lost its target: refused at
    that line, showing the row."""
    row = (SAMPLES / sample).read_text(encoding="utf-8").split("\n")[number - 1]
    truncated = row.rsplit("\t", 1)[0]
    with pytest.raises(ParseError) as caught:
        parse_file(sample_with(sample, number, truncated), sample)
    assert (caught.value.source, caught.value.line) == (sample, number)
    assert truncated.split("\t")[0][:6] in caught.value.found


def test_a_kpi_row_shorter_than_its_table_is_read_with_a_warning_at_its_line():
    """A tab-separated row with one cell fewer than its header (a target cell lost, or a
    continuation row that carries only some cells: the text cannot tell) keeps what it has,
    leaves the target empty, never a value from elsewhere, and says so at its line."""
    number = 180
    row = (SAMPLES / "omitama_goal1.txt").read_text(encoding="utf-8").split("\n")[number - 1]
    name, baseline, _ = row.split("\t")
    plan = parse_file(sample_with("omitama_goal1.txt", number, f"{name}\t{baseline}"), "g.txt")
    kpi = next(kpi for node in plan.walk() for kpi in node.indicators if kpi.name == name)
    assert (kpi.baseline.raw, kpi.target.raw, kpi.target.value) == ("64団体", "", None)
    warnings = [issue for issue in plan.report.of_kind("warning") if issue.line == number]
    assert warnings and "2 列しかありません" in warnings[0].message


def test_a_code_that_contradicts_its_heading_is_a_warning_not_a_crash():
    """1102 replaced by 9102 under 基本目標 1 is still read, with a warning at its heading."""
    data = sample_with("omitama_outline.txt", 24, "9102 まちづくり活動に携わる人材育成")
    plan = parse_file(data, "omitama_outline.txt")
    warnings = [issue for issue in plan.report.of_kind("warning") if "9102" in issue.message]
    assert warnings and warnings[0].source == "omitama_outline.txt"
