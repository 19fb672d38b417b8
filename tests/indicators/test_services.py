"""A year's actuals of many KPIs saved at once: exactly what changed, in one transaction, with
history, refused whole when a row is bad or someone changed it since it was shown."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from indicators import messages, services
from indicators.models import Indicator, IndicatorValue
from indicators.services import YearlyEntry
from plans.models import Plan
from plans.tenancy import SYSTEM


@pytest.fixture
def omitama(samples) -> Plan:
    return Plan.objects.get(municipality__slug="omitama")


def kpis(plan: Plan) -> dict[str, Indicator]:
    return {i.key: i for i in Indicator.objects.filter(plan=plan)}


def test_saves_new_actuals_with_raw_text_as_typed_and_history(omitama):
    by_key = kpis(omitama)
    user = User.objects.create_superuser("staff", "staff@example.jp", "pw")
    before = Plan.objects.get(pk=omitama.pk).updated_at
    changes = services.yearly_values_save(
        plan=omitama,
        fiscal_year=2024,
        entries=[
            YearlyEntry(
                by_key["12:審議会等委員への女性登用の割合"].pk, D("30.0")
            ),  # 審議会等委員への女性登用の割合 (%)
            YearlyEntry(
                by_key["13:ホームページ閲覧回数"].pk,
                D("4100000"),
                note="速報値",
                source="アクセス解析",
            ),
            YearlyEntry(by_key["14:経常収支比率"].pk, D("89.2"), raw_text="89.2"),
        ],
        actor=user,
        reason="年度実績の入力",
    )
    assert [(c.indicator.key, c.before) for c in changes] == [
        ("12:審議会等委員への女性登用の割合", None),
        ("13:ホームページ閲覧回数", None),
        ("14:経常収支比率", None),
    ]
    rows = {v.indicator.key: v for v in IndicatorValue.objects.filter(fiscal_year=2024)}
    assert (
        rows["12:審議会等委員への女性登用の割合"].value,
        rows["12:審議会等委員への女性登用の割合"].raw_text,
    ) == (D("30.0"), "30.0%")  # 30.0, not 30
    assert (rows["13:ホームページ閲覧回数"].raw_text, rows["13:ホームページ閲覧回数"].note) == (
        "4,100,000回",
        "速報値",
    )
    assert rows["13:ホームページ閲覧回数"].source == "アクセス解析"
    assert rows["14:経常収支比率"].raw_text == "89.2"
    history = rows["13:ホームページ閲覧回数"].history.get()
    assert (history.history_user, history.history_change_reason) == (user, "年度実績の入力")
    assert Plan.objects.get(pk=omitama.pk).updated_at > before
    # A second save updates the row in place and adds to its history.
    services.yearly_values_save(
        plan=omitama,
        fiscal_year=2024,
        entries=[YearlyEntry(by_key["13:ホームページ閲覧回数"].pk, D("4200000"), note="確定値")],
        actor=user,
    )
    row = IndicatorValue.objects.get(pk=rows["13:ホームページ閲覧回数"].pk)
    assert (row.value, row.raw_text, row.note, row.source) == (
        D(4200000),
        "4,200,000回",
        "確定値",
        "",
    )
    assert [(h.history_type, h.value) for h in row.history.order_by("history_id")] == [
        ("+", D(4100000)),
        ("~", D(4200000)),
    ]


def test_only_real_changes_are_changes_and_blank_removes_or_keeps(omitama):
    by_key = kpis(omitama)
    first = [
        YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(70)),
        YearlyEntry(by_key["11:まちづくり組織ウェブサイト立ち上げ数"].pk, D(10)),
    ]
    services.yearly_values_save(actor=SYSTEM, plan=omitama, fiscal_year=2024, entries=first)
    again = [
        YearlyEntry(
            by_key["11:まちづくり組織認定団体数"].pk, D("70.0")
        ),  # the same number typed otherwise
        YearlyEntry(by_key["11:まちづくり組織ウェブサイト立ち上げ数"].pk),  # blank
    ]
    # The same number keeps its text "70団体": no change; a blank changes nothing here.
    assert (
        services.yearly_changes(plan=omitama, fiscal_year=2024, entries=again, blank_removes=False)
        == []
    )
    removing = services.yearly_changes(
        plan=omitama, fiscal_year=2024, entries=again[1:], blank_removes=True
    )
    assert [(c.indicator.key, c.after) for c in removing] == [
        ("11:まちづくり組織ウェブサイト立ち上げ数", None)
    ]
    same = [YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(70))]
    assert (
        services.yearly_changes(plan=omitama, fiscal_year=2024, entries=same, blank_removes=True)
        == []
    )


def test_a_stale_row_refuses_the_whole_save(omitama):
    by_key = kpis(omitama)
    services.yearly_values_save(
        actor=SYSTEM,
        plan=omitama,
        fiscal_year=2024,
        entries=[YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(70))],
    )
    shown = IndicatorValue.objects.get(
        indicator=by_key["11:まちづくり組織認定団体数"], fiscal_year=2024
    )
    stamps = {
        by_key["11:まちづくり組織認定団体数"].pk: services.value_stamp(shown),
        by_key["11:まちづくり組織ウェブサイト立ち上げ数"].pk: "",
    }
    # Someone else saves 71 meanwhile.
    services.yearly_values_save(
        actor=SYSTEM,
        plan=omitama,
        fiscal_year=2024,
        entries=[YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(71))],
    )
    with pytest.raises(services.StaleValues) as stale:
        services.yearly_values_save(
            actor=SYSTEM,
            plan=omitama,
            fiscal_year=2024,
            entries=[
                YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(72)),
                YearlyEntry(by_key["11:まちづくり組織ウェブサイト立ち上げ数"].pk, D(9)),
            ],
            stamps=stamps,
        )
    assert [i.key for i in stale.value.indicators] == ["11:まちづくり組織認定団体数"]
    assert not IndicatorValue.objects.filter(
        indicator=by_key["11:まちづくり組織ウェブサイト立ち上げ数"]
    ).exists()
    assert (
        IndicatorValue.objects.get(
            indicator=by_key["11:まちづくり組織認定団体数"], fiscal_year=2024
        ).value
        == 71
    )


def test_a_kpi_of_another_plan_is_refused_and_nothing_saved(omitama):
    other = Indicator.objects.filter(plan__municipality__slug="honjo").first()
    mine = kpis(omitama)["11:まちづくり組織認定団体数"]
    entries = [YearlyEntry(mine.pk, D(70)), YearlyEntry(other.pk, D(1))]
    with pytest.raises(ValidationError) as error:
        services.yearly_values_save(actor=SYSTEM, plan=omitama, fiscal_year=2024, entries=entries)
    assert error.value.messages == [str(messages.INDICATOR_NOT_IN_PLAN)]
    assert not IndicatorValue.objects.exists()


def test_a_bad_row_refuses_the_whole_save(omitama):
    by_key = kpis(omitama)
    entries = [
        YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(70)),
        YearlyEntry(
            by_key["11:まちづくり組織ウェブサイト立ち上げ数"].pk, D(1), raw_text="x" * 101
        ),  # longer than 100
    ]
    with pytest.raises(ValidationError):
        services.yearly_values_save(actor=SYSTEM, plan=omitama, fiscal_year=2024, entries=entries)
    assert not IndicatorValue.objects.exists()
