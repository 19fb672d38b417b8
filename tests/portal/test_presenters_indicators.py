"""KPI values as citizens read them: units kept, comparators as words, "—" for no value."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from portal.presenters.indicators import number_text as format_number


def kpi_value(value, unit="", raw=""):
    """A value as the pages show it (``includes/kpi_value.html``)."""
    context = {"value": value, "unit": unit, "raw": raw}
    return render_to_string("portal/includes/kpi_value.html", context)


@pytest.mark.parametrize(
    "value,raw,expected",
    [
        (Decimal("44.0000"), "44.0%", "44.0"),
        (Decimal("3942178"), "3,942,178回", "3,942,178"),
        (Decimal("-229"), "▲229人", "−229"),
        (Decimal("92.7000"), "92.7 %以内", "92.7"),
        (Decimal("25.6000"), "", "25.6"),
        (Decimal("76.0000"), "76団体", "76"),
    ],
)
def test_format_number_keeps_printed_precision_and_separates_thousands(value, raw, expected):
    assert format_number(value, raw) == expected


def test_kpi_value_keeps_the_unit_next_to_the_number():
    html = kpi_value(Decimal("285000"), "千円", "285,000千円")
    assert html == '<span class="num">285,000</span><span class="unit">千円</span>'


@pytest.mark.parametrize("raw", ["", "—", "―", "なし"])
def test_no_value_is_a_dash_never_zero(raw):
    html = kpi_value(None, "人", raw)
    assert "—" in html and "値なし" in html and ">0<" not in html


def test_a_non_numeric_target_is_shown_as_printed():
    assert kpi_value(None, "", "設置") == "<span>設置</span>"
    assert "&lt;b&gt;" in kpi_value(None, "", "<b>策定</b>")


def test_status_counts_show_the_four_statuses_in_order_with_their_counts():
    """達成 / 順調 / 遅れ / 未評価, each with its CSS class and count (zero counts shown)."""
    from indicators.progress import ProgressSummary, Status

    summary = ProgressSummary()
    summary.counts.update({Status.MET: 2, Status.BEHIND: 1, Status.UNRATED: 7})
    html = render_to_string("portal/includes/status_counts.html", {"summary": summary})
    assert html == (
        '<span class="status-counts"><span class="status-count status-met">達成 <span class="num">'
        '2</span></span><span class="status-count status-on-track">順調 <span class="num">0</span>'
        '</span><span class="status-count status-behind">遅れ <span class="num">1</span></span>'
        '<span class="status-count status-unrated">未評価 <span class="num">7</span></span></span>'
    )
