"""Footnotes: a ※ note after a node's text defines the word marked in it (glossary terms)."""

from importers.parsing import parse_file


def parse_text(text: str):
    return parse_file(text.encode("utf-8"), "notes.txt")


def test_a_note_defines_the_word_before_the_mark_and_leaves_the_body():
    """将来像1 / [基本目標 11] with 健幸* and a ※ note: term 健幸, the note's own line."""
    plan = parse_text(
        "将来像1 まち\n\n[基本目標 11] 「健幸*づくり」の推進\n\n本文です。\n\n"
        "※「健康」と「幸福」の二つの意味\n"
    )
    [goal] = plan.nodes[0].children
    assert [(t.term, t.definition, t.line) for t in plan.glossary] == [
        ("健幸", "「健康」と「幸福」の二つの意味", 7)
    ]
    assert goal.title == "「健幸※づくり」の推進"
    assert goal.sections[0].body == "本文です。"


def test_the_nth_note_defines_the_nth_mark_title_first_then_the_text():
    """Marks in reading order (title, then paragraphs), every mark style written ※ and reported."""
    plan = parse_text(
        "1. 魅力\n\nシビックプライド*の醸成とコンパクトシティ[※]の実現。\n\n"
        "※住民の誇り\n\n※集約型の都市\n"
    )
    assert [(t.term, t.definition) for t in plan.glossary] == [
        ("シビックプライド", "住民の誇り"),
        ("コンパクトシティ", "集約型の都市"),
    ]
    assert plan.nodes[0].sections[0].body == "シビックプライド※の醸成とコンパクトシティ※の実現。"
    rewrites = [i.original for i in plan.report.of_kind("normalization") if i.replacement == "※"]
    assert rewrites == ["*", "[※]"]


def test_a_note_without_a_mark_stays_as_printed_with_a_warning():
    """Nothing marked to define: the note is body text, unchanged, and the report says so."""
    plan = parse_text("1. 福祉\n\n本文です。\n\n※どこにも印がない説明\n")
    assert plan.glossary == []
    assert plan.nodes[0].sections[0].body == "本文です。\n\n※どこにも印がない説明"
    [warning] = [i for i in plan.report.of_kind("warning") if "※印のない注記" in i.message]
    assert warning.line == 5


def test_marks_without_notes_are_left_as_printed_where_the_plan_defines_terms():
    """A node with marks but no note is not touched (no rewrite) in a plan with a glossary."""
    text = "1. ICT*の活用\n\n本文です。\n\n2. 健幸*づくり\n\n進めます。\n\n※健康と幸福\n"
    plan = parse_text(text)
    assert plan.nodes[0].title == "ICT*の活用"
    assert [t.term for t in plan.glossary] == ["健幸"]


def test_marks_without_glossary_leave_names_not_the_text():
    """A plan that defines none of its marked words: titles, KPI names and references lose the
    marks (each reported), the body keeps them as printed (issue 9: honjo.txt's ICT*)."""
    text = (
        "1. ICT*の活用\n\nICT*を使います。\n\n成果指標\t現状値\t目標値\n経常収支比率**\t89%\t90%\n"
    )
    plan = parse_text(text)
    [node] = plan.nodes
    assert node.title == "ICTの活用"
    assert node.sections[0].body == "ICT*を使います。"
    assert [(kpi.name, kpi.key) for kpi in node.indicators] == [("経常収支比率", "n1:経常収支比率")]
    assert plan.glossary == []
    changes = [i.original for i in plan.report.of_kind("normalization") if "注記の印" in i.message]
    assert changes == ["ICT*の活用", "経常収支比率**"]


def test_a_glossary_section_gives_the_plans_terms_and_leaves_the_node():
    """``glossary_section_to_terms``: 用語解説 / 「term: definition」 lines (a line without a
    colon continues the definition; a reading after the term starts its definition)."""
    plan = parse_text(
        "1. まち\n\n本文です。\n\n用語解説\n\n"
        "DX (ディー・エックス) : デジタル技術で変えること。\n\n"
        "協働:市民と行政が\nともに取り組むこと。\n"
    )
    assert [(t.term, t.definition, t.line) for t in plan.glossary] == [
        ("DX", "(ディー・エックス) デジタル技術で変えること。", 7),
        ("協働", "市民と行政がともに取り組むこと。", 9),
    ]
    assert [(s.heading, s.body) for s in plan.nodes[0].sections] == [("", "本文です。")]
