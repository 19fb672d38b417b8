"""Search words marked in plan text (portal.highlight, portal.search_hits): each text folded
once, the match, the excerpt and its marked parts taken from that fold."""

from django.template import engines

from plans.search import fold
from portal.highlight import excerpt, folded, highlighted
from portal.search_hits import matching_section

# The markup search.html writes for a text and its parts.
MARKED = engines["jinja2"].from_string(
    "{% for part in parts %}{{ part.plain }}{% if part.mark %}<mark>{{ part.mark }}</mark>"
    "{% endif %}{% else %}{{ text }}{% endfor %}"
)


def highlight(text, query):
    """``text`` with the matches of ``query`` marked as the search page marks them."""
    return MARKED.render({"text": text, "parts": highlighted(text, fold(query))})


def shown_excerpt(text, query):
    shown, parts = excerpt(text, fold(query))
    return MARKED.render({"text": shown, "parts": parts})


def test_highlight_marks_matches_across_variant_forms_and_widths():
    """The query and the text are folded alike; the original characters are marked."""
    assert highlight("國際交流の推進", "国際") == "<mark>國際</mark>交流の推進"
    assert highlight("ｺﾐｭﾆﾃｨ活動", "コミュニティ") == "<mark>ｺﾐｭﾆﾃｨ</mark>活動"
    assert highlight("ガバナンスとｶﾞｲﾄﾞ", "ガイド") == "ガバナンスと<mark>ｶﾞｲﾄﾞ</mark>"
    assert highlight("ＤＸの推進とDX", "dx") == "<mark>ＤＸ</mark>の推進と<mark>DX</mark>"


def test_highlight_marks_combining_marks_and_text_across_runs_of_spaces():
    """か + combining ゙ is が; a run of spaces (or a line break) is one space, as fold() has
    it, and the marked part is the original run."""
    assert highlight("か\u3099っこう", "がっこう") == "<mark>か\u3099っこう</mark>"
    assert highlight("地域  防災\n\n計画", "防災 計画") == "地域  <mark>防災\n\n計画</mark>"
    assert highlight("地域\n防災", "域 防") == "地<mark>域\n防</mark>災"


def test_highlight_escapes_everything():
    """Markup in the text and in the query comes out escaped."""
    html = highlight("<script>防災</script>", "<script>")
    assert html == "<mark>&lt;script&gt;</mark>防災&lt;/script&gt;"
    assert "<script>" not in highlight("<script>alert(1)</script>", "")


def test_spans_point_into_the_original_text():
    text = "防災・減災のための防災施設"
    assert folded(text).spans("防災") == [(0, 2), (9, 11)]
    assert folded(text).spans("") == []
    assert folded("ｶﾞｲﾄﾞとｶﾞｲﾄﾞ").spans("ガイド") == [(0, 5), (6, 11)]  # ｶﾞｲﾄﾞ: 5


def test_the_fold_is_fold_of_the_text():
    """Whichever way a text is folded (at once, by cluster, squeezing spaces), its folded
    text is what fold() gives (fold() also strips the ends)."""
    for text in ["國際　交流", "ｶﾞｲﾄﾞ と  ＤＸ", "㈱まち\n\nづくり", "Straße", " 子育て "]:
        assert folded(text).haystack.strip() == fold(text)


def test_excerpt_centres_on_the_first_match():
    text = "あ" * 300 + "子育て" + "い" * 300
    snippet = shown_excerpt(text, "子育て")
    assert snippet == "…" + "あ" * 40 + "<mark>子育て</mark>" + "い" * 77 + "…"


def test_excerpt_marks_every_match_inside_it_and_none_cut_by_its_ends():
    """Matches inside the 120 characters are marked; one cut at the end is plain text."""
    text = "防災" + "あ" * 50 + "防災" + "い" * 65 + "防災" + "う" * 10
    assert shown_excerpt(text, "防災") == (
        "<mark>防災</mark>" + "あ" * 50 + "<mark>防災</mark>" + "い" * 65 + "防…"
    )


def test_excerpt_of_half_width_kana_folds_its_window():
    """Text whose fold is not one character per character (ｶﾞ): the window is cut from the
    text, its matches marked."""
    text = "あ" * 200 + "ｶﾞｲﾄﾞ" + "い" * 200  # ｶﾞｲﾄﾞ: 5 characters, 120 − 40 − 5 = 75 い
    assert shown_excerpt(text, "ガイド") == "…" + "あ" * 40 + "<mark>ｶﾞｲﾄﾞ</mark>" + "い" * 75 + "…"


def test_excerpt_without_a_match_is_the_start_and_squeezes_spaces():
    assert shown_excerpt("まちづくり\n\n  の推進", "防災") == "まちづくり の推進"
    assert shown_excerpt("あ" * 121, "防災") == "あ" * 120 + "…"


def test_an_ellipsis_of_the_excerpt_is_not_plan_text():
    """The "…" the excerpt adds is never marked, even for a query of dots."""
    assert shown_excerpt("あ" * 200 + "..." + "い" * 200, "…") == (
        "…" + "あ" * 40 + "<mark>...</mark>" + "い" * 77 + "…"
    )


def test_matching_section_is_the_first_whose_heading_or_body_matches():
    sections = [
        ("めざす姿", "安心して暮らせるまち"),
        ("現況と課題", "防災の\n\n取組"),
        ("防災", "x"),
    ]
    assert matching_section(sections, "防災") == {
        "section_heading": "現況と課題",
        "section_heading_parts": [],
        "section_excerpt": "防災の 取組",
        "section_excerpt_parts": [{"plain": "", "mark": "防災"}, {"plain": "の 取組", "mark": ""}],
    }
    by_heading = matching_section([("防災計画", "まちの安全")], "防災")
    assert by_heading["section_heading_parts"] == [
        {"plain": "", "mark": "防災"},
        {"plain": "計画", "mark": ""},
    ]
    assert by_heading["section_excerpt"] == "まちの安全"
    assert by_heading["section_excerpt_parts"] == []
    assert matching_section(sections, "福祉") == {}


def test_a_match_across_the_heading_and_the_body_finds_the_section():
    """Section text is searched as heading + " " + body: a query with a space can span both
    (neither alone holds it, so nothing is marked)."""
    found = matching_section([("基本方針", "防災のまち")], "方針 防災")
    assert found == {
        "section_heading": "基本方針",
        "section_heading_parts": [],
        "section_excerpt": "防災のまち",
        "section_excerpt_parts": [],
    }


def test_a_text_without_a_match_has_no_parts():
    """Nothing marked, no parts: the page shows the text itself, without a loop."""
    assert highlighted("まちづくり", "防災") == []
    assert excerpt("あ" * 121, "防災") == ("あ" * 120 + "…", [])
    assert highlighted("防災", "防災") == [{"plain": "", "mark": "防災"}]
