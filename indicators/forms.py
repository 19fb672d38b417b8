"""The 年度実績の入力 forms: choose a plan (or a node) and a year, then one row per KPI."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from plans.models import Plan, PlanNode

from . import messages
from .models import FISCAL_YEAR_RANGE, IndicatorValue
from .services import YearlyEntry, value_stamp

_TYPED_NUMBER = re.compile(r"^([-▲△])?\s*(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$")


def parse_typed_number(text: str, unit: str = "") -> Decimal | None:
    """A number as staff type it: ``1,234``, ``85.5``, ``▲3`` (minus), full-width digits;
    the KPI's unit or % after it is allowed. Blank is None; anything else is a ValidationError.
    """
    folded = unicodedata.normalize("NFKC", text or "").strip().replace("−", "-")
    for suffix in (unit, "%"):
        if suffix and folded.endswith(suffix):
            folded = folded[: -len(suffix)].strip()
    if not folded:
        return None
    match = _TYPED_NUMBER.match(folded)
    if not match or not (match.group(2) or match.group(3)):
        raise ValidationError(messages.NOT_A_NUMBER, code="not_a_number")
    sign = "-" if match.group(1) else ""
    try:
        return Decimal(sign + (match.group(2) or "0").replace(",", "") + (match.group(3) or ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(messages.NOT_A_NUMBER, code="not_a_number") from error


class YearChoiceForm(forms.Form):
    """Which plan (or part of it) and which fiscal year to enter: read from the query string."""

    plan = forms.ModelChoiceField(label=_("計画"), queryset=Plan.objects.none())
    node = forms.ModelChoiceField(
        label=_("項目（空欄は計画全体）"), queryset=PlanNode.objects.none(), required=False
    )
    year = forms.IntegerField(
        label=_("年度（西暦）"), min_value=FISCAL_YEAR_RANGE[0], max_value=FISCAL_YEAR_RANGE[1]
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        plan_id = self.data.get("plan") if self.is_bound else None
        if plan_id and str(plan_id).isdigit():
            self.fields["node"].queryset = PlanNode.objects.filter(
                plan_id=int(plan_id), plan__in=plans, level__lte=1
            ).order_by("tree_id", "lft")

    def clean(self):
        data = super().clean()
        node, plan = data.get("node"), data.get("plan")
        if node is not None and plan is not None and node.plan_id != plan.pk:
            raise ValidationError({"node": messages.NODE_NOT_IN_PLAN}, code="node_not_in_plan")
        return data


class YearlyValuesForm(forms.Form):
    """One row per KPI: value, raw text, note and source; and what each looked like when shown.

    The stamps of what was shown travel in one hidden JSON field: four inputs a KPI are already
    2,000 fields for 500 KPIs (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS).
    """

    def __init__(self, *args, indicators, current: dict[int, IndicatorValue], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["stamps"] = forms.JSONField(required=False, widget=forms.HiddenInput)
        shown_stamps = {}
        for indicator in indicators:
            shown = current.get(indicator.pk)
            self._add_fields(indicator, shown)
            shown_stamps[str(indicator.pk)] = value_stamp(shown)
        self.fields["stamps"].initial = shown_stamps

    def _add_fields(self, indicator, shown: IndicatorValue | None) -> None:
        # The template writes the inputs (see rows()); these fields only validate.
        pk = indicator.pk
        for part, max_length, initial in (
            ("value", 40, _initial_number(shown)),
            ("raw", 100, shown.raw_text if shown else ""),
            ("note", 1000, shown.note if shown else ""),
            ("source", 300, shown.source if shown else ""),
        ):
            self.fields[f"{part}_{pk}"] = forms.CharField(
                required=False, max_length=max_length, initial=initial
            )

    def rows(self) -> list["EntryRow"]:
        """One row per KPI with what its four inputs show and their errors.

        The template writes the inputs itself: rendering 2,000 inputs through Django's widget
        templates took seconds for 500 KPIs (bench/save_yearly_values.py)."""
        data = self.data if self.is_bound else None
        errors = self.errors if self.is_bound else {}
        rows = []
        for indicator in self.indicators:
            names = [f"{part}_{indicator.pk}" for part in PARTS]
            shown = [
                data.get(name, "") if data is not None else self.fields[name].initial
                for name in names
            ]
            problems = [error for name in names for error in errors.get(name, [])]
            rows.append(EntryRow(indicator, *shown, errors=problems))
        return rows

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            name = f"value_{indicator.pk}"
            if name in data:
                try:
                    data[name] = parse_typed_number(data[name], indicator.unit)
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def entries(self) -> list[YearlyEntry]:
        data = self.cleaned_data
        return [
            YearlyEntry(
                indicator_id=i.pk,
                value=data[f"value_{i.pk}"],
                raw_text=data[f"raw_{i.pk}"],
                note=data[f"note_{i.pk}"],
                source=data[f"source_{i.pk}"],
            )
            for i in self.indicators
        ]

    def stamps(self) -> dict[int, str]:
        """{KPI id: stamp as shown}; a KPI missing from the posted stamps counts as unseen."""
        posted = self.cleaned_data.get("stamps")
        posted = posted if isinstance(posted, dict) else {}
        return {i.pk: str(posted.get(str(i.pk), "?")) for i in self.indicators}


PARTS = ("value", "raw", "note", "source")


@dataclass
class EntryRow:
    """A KPI's row on the entry page: what its inputs show, their errors, last year's actual."""

    indicator: Any
    value: str
    raw: str
    note: str
    source: str
    errors: list[str]
    previous: IndicatorValue | None = None


def _initial_number(shown: IndicatorValue | None) -> str:
    if shown is None or shown.value is None:
        return ""
    return format(shown.value.normalize(), "f")
