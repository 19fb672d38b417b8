"""opening: a chapter's slogan and the voices quoted beside it, before any heading."""

from importers.parsing import parse_file
from importers.parsing.model import Line
from importers.parsing.opening import opening_sections


def chapter_sections(text: str) -> list[tuple[str, str]]:
    plan = parse_file(text.encode("utf-8"), "plan.txt")
    return [(s.heading, s.body) for s in plan.nodes[0].sections]


def test_chapter_opening_sections_slogan_and_voices():
    text = "第2章 子育て分野\n\nみんなで 育てるまち\n\n公園が\nもっと増えると\nいいな。\n\n"
    text += "相談できる\n場所がほしい!\n\n1. 子育て支援\n"
    assert chapter_sections(text) == [
        ("めざすまちの姿", "みんなで育てるまち"),
        ("市民の声", "- 公園がもっと増えるといいな。\n- 相談できる場所がほしい!"),
    ]


def test_an_opening_of_another_shape_is_left_as_it_is():
    """A paragraph of sentences after the slogan is no speech bubble: nothing is renamed."""
    text = "第2章 子育て分野\n\nみんなで育てるまち\n\n本章では、子育て支援の施策を定めます。\n"
    assert chapter_sections(text) == [
        ("", "みんなで育てるまち\n\n本章では、子育て支援の施策を定めます。")
    ]
    assert opening_sections([Line(1, "本章では施策を定めます。")]) is None


def test_only_a_chapters_opening_is_read_so():
    text = "1. 子育て支援\n\nみんなで育てるまち\n\n公園が\nもっと増えると\nいいな。\n"
    assert [heading for heading, _ in chapter_sections(text)] == [""]
