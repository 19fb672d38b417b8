"""The KPI field declaration covers every field of a KPI, so no reader misses a new one."""

from indicators.fields import KPI_FIELDS, Measured, kpi_columns
from indicators.models import Indicator

# What identifies a KPI or places it, rather than describing it.
NOT_KPI_FIELDS = {"id", "plan", "node", "key", "order", "updated_at"}


def test_every_field_of_the_kpi_model_is_declared_once():
    model_fields = {field.name for field in Indicator._meta.concrete_fields}
    declared = list(kpi_columns())
    assert len(declared) == len(set(declared))
    assert set(declared) == model_fields - NOT_KPI_FIELDS


def test_a_measured_field_is_its_number_year_and_raw_text():
    baseline = next(f for f in KPI_FIELDS if f.key == "baseline")
    assert isinstance(baseline, Measured)
    assert baseline.columns == ("baseline_value", "baseline_year", "baseline_raw")
    assert (baseline.year_header, baseline.value_header, baseline.raw_header) == (
        "基準年度",
        "基準値",
        "基準値（原文）",
    )
