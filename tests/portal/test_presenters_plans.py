"""和暦 fiscal years and section text in plan templates."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from portal.presenters.plans import fiscal_year, wareki


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


def test_paragraphs_render_lists_and_escape_markup():
    """Blank lines separate paragraphs; "- " lines become a list; markup stays text."""
    html = paragraphs("前文<b>です</b>\n\n- 一つ目\n- 二つ目")
    assert html == "<p>前文&lt;b&gt;です&lt;/b&gt;</p><ul><li>一つ目</li><li>二つ目</li></ul>"
