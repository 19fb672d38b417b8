"""和暦 fiscal years, search highlighting and section text in plan templates."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from portal.templatetags.plans_tags import excerpt, fiscal_year, match_spans, wareki


def highlight(text, query):
    """``text`` with the matches of ``query`` marked (``includes/highlight.html``)."""
    return render_to_string("portal/includes/highlight.html", {"text": text, "query": query})


def paragraphs(text, plan_url=None):
    """Section text as the node page shows it (``includes/paragraphs.html``)."""
    context = {"text": text, "plan_url": plan_url}
    return render_to_string("portal/includes/paragraphs.html", context)


@pytest.mark.parametrize(
    "year,expected",
    [
        (2019, "令和元年度"),
        (2021, "令和3年度"),
        (2027, "令和9年度"),
        (2018, "平成30年度"),
        (2014, "平成26年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_wareki_names_fiscal_years_by_era(year, expected):
    """2019 is 令和元年度 (not 令和1年度); H26 is 2014."""
    assert wareki(year) == expected


def test_fiscal_year_shows_wareki_with_seireki_in_japanese_and_fy_in_english():
    """令和3年度 (2021) in Japanese, FY2021 in English, "—" for no year (never 0)."""
    with translation.override("ja"):
        assert fiscal_year(2021) == "令和3年度 (2021)"
        assert fiscal_year(None) == "—"
    with translation.override("en"):
        assert fiscal_year(2021) == "FY2021"


def test_highlight_marks_matches_across_variant_forms_and_widths():
    """The query and the text are folded alike; the original characters are marked."""
    assert highlight("國際交流の推進", "国際") == "<mark>國際</mark>交流の推進"
    assert highlight("ｺﾐｭﾆﾃｨ活動", "コミュニティ") == "<mark>ｺﾐｭﾆﾃｨ</mark>活動"
    assert highlight("ガバナンスとｶﾞｲﾄﾞ", "ガイド") == "ガバナンスと<mark>ｶﾞｲﾄﾞ</mark>"
    assert highlight("ＤＸの推進とDX", "dx") == "<mark>ＤＸ</mark>の推進と<mark>DX</mark>"


def test_highlight_escapes_everything():
    """Markup in the text and in the query comes out escaped."""
    html = highlight("<script>防災</script>", "<script>")
    assert html == "<mark>&lt;script&gt;</mark>防災&lt;/script&gt;"
    assert "<script>" not in highlight("<script>alert(1)</script>", "")


def test_match_spans_point_into_the_original_text():
    text = "防災・減災のための防災施設"
    assert match_spans(text, "防災") == [(0, 2), (9, 11)]
    assert match_spans(text, "") == []


def test_excerpt_centres_on_the_first_match():
    text = "あ" * 300 + "子育て" + "い" * 300
    snippet = excerpt(text, "子育て")
    assert "子育て" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 122


def test_paragraphs_render_lists_and_escape_markup():
    """Blank lines separate paragraphs; "- " lines become a list; markup stays text."""
    html = paragraphs("前文<b>です</b>\n\n- 一つ目\n- 二つ目")
    assert html == "<p>前文&lt;b&gt;です&lt;/b&gt;</p><ul><li>一つ目</li><li>二つ目</li></ul>"
