"""Whatever bytes come in, the parser returns a ParsedPlan or raises ParseError — nothing else.

Random text and random bytes, and the real samples mutated the way broken extractions are
(lines deleted, duplicated or cut short, characters swapped, random bytes inserted), go through
``parse_file`` and ``parse_files``.
"""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.parsing import parse_file, parse_files
from importers.parsing.errors import ParseError
from importers.parsing.model import ParsedPlan, Value
from importers.parsing.values import parse_fiscal_year, parse_value, split_name_definition

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SAMPLE_TEXTS = {path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))}
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text drawn from what plan files are made of, so that random lines sometimes look like
# headings, KPI rows and HTML rather than only noise.
PLAN_ALPHABET = st.sampled_from(
    list("0123456789.-()[]【】■◇◆▶①②③※*\t 　基本目標施策指標名現状値目標値実績値令和年度%件人")
    + ["\n", "<p>", "</p>", "<li>", "▶▶", "1101 ", "5-1 ", "(1) ", "1. ", "につきましては"]
)
PLAN_LIKE_TEXT = st.lists(PLAN_ALPHABET, max_size=200).map("".join)
CELL_ALPHABET = st.sampled_from(
    list("0123456789,.-−+▲△()[]:%　 ▶人件円千位点約以上下内未満超維持設置策定令和平成元年度RHS")
    + ["—", "―", "なし", "以内", "*", "※"]
)
CELL_TEXT = st.one_of(st.text(max_size=30), st.lists(CELL_ALPHABET, max_size=20).map("".join))


def outcome(call) -> ParsedPlan | ParseError:
    """The plan, or the ParseError raised; any other exception fails the test."""
    try:
        plan = call()
    except ParseError as error:
        assert error.source and error.expected
        return error
    assert isinstance(plan, ParsedPlan)
    return plan


@st.composite
def mutated_sample(draw) -> tuple[str, bytes]:
    """A sample file with one to four extraction accidents applied."""
    name = draw(st.sampled_from(sorted(SAMPLE_TEXTS)))
    lines = SAMPLE_TEXTS[name].split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "truncate", "swap", "bytes"]))
        line = lines[index]
        if kind == "delete" and len(lines) > 1:
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "truncate":
            lines[index] = line[: draw(st.integers(0, max(0, len(line) - 1)))]
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "bytes":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.binary(min_size=1, max_size=4)) + line[at:]
    return name, b"\n".join(lines)


@st.composite
def swapped_characters(draw) -> tuple[str, bytes]:
    """A sample file with a few characters swapped with their neighbours (valid UTF-8)."""
    name = draw(st.sampled_from(sorted(SAMPLE_TEXTS)))
    chars = list(SAMPLE_TEXTS[name].decode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(chars) - 2))
        chars[at], chars[at + 1] = chars[at + 1], chars[at]
    return name, "".join(chars).encode("utf-8")


@FAST
@given(st.text(max_size=300))
def test_random_text(text):
    """Any Unicode text gives a plan or a ParseError."""
    outcome(lambda: parse_file(text.encode("utf-8", "surrogatepass"), "random.txt"))


@FAST
@given(PLAN_LIKE_TEXT)
def test_random_plan_like_text(text):
    """Text made of headings, markers, KPI words and tags in random order gives a plan or a
    ParseError."""
    outcome(lambda: parse_file(text.encode("utf-8"), "plan-like.txt"))


@FAST
@given(st.binary(max_size=300))
def test_random_bytes(data):
    """Any bytes give a plan or a ParseError."""
    outcome(lambda: parse_file(data, "random.bin"))


@FAST
@given(mutated_sample())
def test_mutated_samples(sample):
    """A sample with lines deleted, duplicated, cut short, swapped or bytes inserted gives a plan
    or a ParseError that names the file."""
    name, data = sample
    result = outcome(lambda: parse_file(data, name))
    if isinstance(result, ParseError):
        assert result.source == name


@FAST
@given(swapped_characters())
def test_samples_with_swapped_characters(sample):
    """A sample with neighbouring characters swapped gives a plan or a ParseError."""
    name, data = sample
    outcome(lambda: parse_file(data, name))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample(), st.sampled_from([None, "omitama_outline.txt", "omitama_goal1.txt"]))
def test_mutated_omitama_pair_merged(sample, prefer):
    """A mutated file merged with the two 小美玉市 files gives a plan or a ParseError."""
    files = [(name, data) for name, data in SAMPLE_TEXTS.items() if name.startswith("omitama")]
    files.append(sample)
    outcome(lambda: parse_files(files, prefer=prefer))


@settings(max_examples=300, deadline=None)
@given(CELL_TEXT)
def test_cells_and_headers_never_raise(text):
    """parse_value, parse_fiscal_year and split_name_definition read any text without raising;
    a number comes back only as a Decimal, a year only as a plausible 西暦 year."""
    value = parse_value(text)
    assert isinstance(value, Value) and value.raw == value.raw.strip()
    year = parse_fiscal_year(text)
    assert year is None or 1900 <= year <= 2117
    name, definition = split_name_definition(text)
    assert isinstance(name, str) and isinstance(definition, str)
