"""A KPI's public 更新履歴: its yearly values' changes with dates, staff names only when the
plan opts in, in two queries however long the history."""

from decimal import Decimal as D

from django.contrib.auth.models import User

from indicators import services
from indicators.models import Indicator, KpiSettings
from portal.history import kpi_history


def test_history_lists_every_change_newest_first_without_names(samples, django_assert_num_queries):
    kpi = Indicator.objects.select_related("plan").get(
        plan__municipality__slug="omitama", key="11:まちづくり組織認定団体数"
    )
    staff = User.objects.create_user(
        "yamada", first_name="太郎", last_name="山田", is_staff=True, is_superuser=True
    )
    for value, note in [(D(66), ""), (D(67), "確定値")]:
        services.yearly_values_save(
            actor=staff,
            plan=kpi.plan,
            fiscal_year=2022,
            entries=[services.YearlyEntry(kpi.pk, value, note=note)],
        )
    services.yearly_values_save(
        actor=staff,
        plan=kpi.plan,
        fiscal_year=2022,
        entries=[services.YearlyEntry(kpi.pk)],
    )
    with django_assert_num_queries(2):
        found = kpi_history(kpi.plan, kpi.pk)
    entries = found.entries
    assert found.show_editors is False
    assert [(e.kind, e.fiscal_year, e.value, e.raw_text, e.note) for e in entries] == [
        ("removed", 2022, D(67), "67団体", "確定値"),
        ("changed", 2022, D(67), "67団体", "確定値"),
        ("added", 2022, D(66), "66団体", ""),
    ]
    assert {e.editor for e in entries} == {""}  # the plan has not opted in
    assert entries[0].when >= entries[1].when >= entries[2].when

    KpiSettings.objects.create(plan=kpi.plan, show_editor_names=True)
    with django_assert_num_queries(2):
        named = kpi_history(kpi.plan, kpi.pk)
    assert named.show_editors is True
    assert {e.editor for e in named.entries} == {"山田 太郎"}
