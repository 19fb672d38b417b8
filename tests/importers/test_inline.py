"""inline: KPIs stated on one line with an arrow, or inside a sentence."""

from decimal import Decimal

import pytest

from importers.parsing.inline import arrow_kpi, sentence_kpi


@pytest.mark.parametrize(
    "text",
    [
        "①乳幼児健診の受診率:96.2%(令和4年度)→ 98.0%(令和10年度)",
        "・乳幼児健診の受診率 96.2%(R4)⇒98.0%(R10)",
        "乳幼児健診の受診率:96.2%(令和4年度)▶▶98.0%(令和10年度)",
        "乳幼児健診の受診率 96.2%(令和4年度) ➡ 98.0%(令和10年度)",
    ],
)
def test_arrow_kpis(text):
    kpi = arrow_kpi(text, 7)
    assert (kpi.name, kpi.unit, kpi.line) == ("乳幼児健診の受診率", "%", 7)
    assert (kpi.baseline.value, kpi.baseline_year) == (Decimal("96.2"), 2022)
    assert (kpi.target.value, kpi.target_year) == (Decimal("98.0"), 2028)


def test_a_kpi_inside_a_sentence():
    kpi = sentence_kpi(
        "本市では、学校図書館の蔵書数を42,000冊(令和4年度)から50,000冊(令和10年度)に増やします。", 3
    )
    assert (kpi.name, kpi.baseline.value, kpi.target.value, kpi.unit) == (
        "学校図書館の蔵書数",
        Decimal("42000"),
        Decimal("50000"),
        "冊",
    )


def test_text_without_two_values_is_no_kpi():
    assert arrow_kpi("防災→減災へ取り組みます", 1) is None
    assert sentence_kpi("人口は減少しています。", 1) is None
