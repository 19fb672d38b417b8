"""The 年度実績の入力 forms: choose a plan (or a node) and a year, then one row per KPI."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

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
    """One row per KPI: value, raw text, note, source, and the stamp of what was shown."""

    def __init__(self, *args, indicators, current: dict[int, IndicatorValue], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self._add_fields(indicator, current.get(indicator.pk))

    def _add_fields(self, indicator, shown: IndicatorValue | None) -> None:
        pk = indicator.pk

        def text(part: str, max_length: int, initial: str, **attrs) -> forms.CharField:
            # Labelled by the row's KPI name and the column's heading.
            attrs["aria-labelledby"] = f"kpi-{pk} col-{part}"
            return forms.CharField(
                required=False,
                max_length=max_length,
                initial=initial,
                widget=forms.TextInput(attrs=attrs),
            )

        self.fields[f"value_{pk}"] = text(
            "value", 40, _initial_number(shown), inputmode="decimal", **{"class": "entry-value"}
        )
        self.fields[f"raw_{pk}"] = text("raw", 100, shown.raw_text if shown else "")
        self.fields[f"note_{pk}"] = text("note", 1000, shown.note if shown else "")
        self.fields[f"source_{pk}"] = text("source", 300, shown.source if shown else "")
        self.fields[f"stamp_{pk}"] = forms.CharField(
            required=False, initial=value_stamp(shown), widget=forms.HiddenInput
        )

    def rows(self):
        """(indicator, value field, raw field, note field, source field, stamp field) per KPI."""
        for indicator in self.indicators:
            pk = indicator.pk
            yield indicator, *(self[f"{part}_{pk}"] for part in PARTS)

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
        return {i.pk: self.cleaned_data[f"stamp_{i.pk}"] for i in self.indicators}


PARTS = ("value", "raw", "note", "source", "stamp")


def _initial_number(shown: IndicatorValue | None) -> str:
    if shown is None or shown.value is None:
        return ""
    return format(shown.value.normalize(), "f")
