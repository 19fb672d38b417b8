"""KPIs (成果指標) hanging off plan nodes, and their yearly actual values."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import Plan, PlanNode

from . import messages

FISCAL_YEAR_RANGE = (1900, 2200)
FISCAL_YEAR_VALIDATORS = [
    MinValueValidator(FISCAL_YEAR_RANGE[0]),
    MaxValueValidator(FISCAL_YEAR_RANGE[1]),
]


def fiscal_year_field(verbose_name, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=FISCAL_YEAR_VALIDATORS,
        error_messages={
            "min_value": messages.FISCAL_YEAR_RANGE,
            "max_value": messages.FISCAL_YEAR_RANGE,
        },
        **kwargs,
    )


def value_field(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=4, null=True, blank=True)


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, municipality_slug, plan_slug, key):
        return self.get(plan__municipality__slug=municipality_slug, plan__slug=plan_slug, key=key)


class IndicatorValueManager(models.Manager):
    def get_by_natural_key(self, municipality_slug, plan_slug, indicator_key, fiscal_year):
        return self.get(
            indicator__plan__municipality__slug=municipality_slug,
            indicator__plan__slug=plan_slug,
            indicator__key=indicator_key,
            fiscal_year=fiscal_year,
        )


class Indicator(models.Model):
    """A KPI: where it starts (baseline), where it should arrive (target), how it is judged."""

    class Comparator(models.TextChoices):
        NONE = "", _("なし")
        GTE = "gte", _("以上")
        LTE = "lte", _("以下・以内")
        STAY = "stay", _("維持")

    class Direction(models.TextChoices):
        NONE = "", _("指定なし")
        UP = "up", _("増加を目指す")
        DOWN = "down", _("減少を目指す")
        STAY = "stay", _("維持を目指す")

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="indicators"
    )
    node = models.ForeignKey(
        PlanNode, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="indicators"
    )
    key = models.CharField(_("取り込みキー"), max_length=150)
    name = models.CharField(_("指標名"), max_length=300)
    definition = models.TextField(_("定義"), blank=True)
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    baseline_value = value_field(_("基準値"))
    baseline_year = fiscal_year_field(_("基準年度"), null=True, blank=True)
    baseline_raw = models.CharField(_("基準値（原文）"), max_length=100, blank=True)
    target_value = value_field(_("目標値"))
    target_year = fiscal_year_field(_("目標年度"), null=True, blank=True)
    target_raw = models.CharField(_("目標値（原文）"), max_length=100, blank=True)
    comparator = models.CharField(
        _("目標の判定"), max_length=4, choices=Comparator.choices, default="", blank=True
    )
    direction = models.CharField(
        _("目指す方向"), max_length=4, choices=Direction.choices, default="", blank=True
    )
    is_cumulative = models.BooleanField(_("累計"), default=False)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)
    note = models.TextField(_("備考"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    objects = IndicatorManager()
    tenancy_path = "plan__municipality"

    class Meta:
        verbose_name = _("成果指標")
        verbose_name_plural = _("成果指標")
        ordering = ["node__tree_id", "node__lft", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"],
                name="indicator_unique_key_per_plan",
                violation_error_message=messages.INDICATOR_KEY_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(baseline_year__lte=F("target_year")),
                name="indicator_baseline_year_not_after_target",
                violation_error_message=messages.BASELINE_AFTER_TARGET,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "portal:indicator",
            kwargs={
                "municipality": self.plan.municipality.slug,
                "plan": self.plan.slug,
                "pk": self.pk,
            },
        )

    def clean(self) -> None:
        if self.node_id and self.plan_id and self.node.plan_id != self.plan_id:
            raise ValidationError({"node": messages.INDICATOR_PLAN_MISMATCH}, code="plan_mismatch")

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.plan.natural_key(), self.key)

    natural_key.dependencies = ["plans.plan"]


class IndicatorValue(models.Model):
    """The actual value of a KPI in one fiscal year (年度別実績). No value is NULL, never 0."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("成果指標"), on_delete=models.CASCADE, related_name="values"
    )
    fiscal_year = fiscal_year_field(_("年度"))
    value = value_field(_("実績値"))
    raw_text = models.CharField(_("実績値（原文）"), max_length=100, blank=True)
    note = models.TextField(_("備考"), blank=True)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    objects = IndicatorValueManager()
    tenancy_path = "indicator__plan__municipality"

    class Meta:
        verbose_name = _("年度別実績")
        verbose_name_plural = _("年度別実績")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="indicatorvalue_unique_year",
                violation_error_message=messages.VALUE_YEAR_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1900, fiscal_year__lte=2200),
                name="indicatorvalue_fiscal_year_range",
                violation_error_message=messages.FISCAL_YEAR_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.fiscal_year}"

    def natural_key(self) -> tuple[str, str, str, int]:
        return (*self.indicator.natural_key(), self.fiscal_year)

    natural_key.dependencies = ["indicators.indicator"]


class KpiSettings(models.Model):
    """How one plan's KPIs are judged and published: its grade bands and its 更新履歴."""

    plan = models.OneToOneField(
        Plan,
        verbose_name=_("計画"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="kpi_settings",
    )
    show_editor_names = models.BooleanField(
        _("更新履歴に職員名を表示する"),
        default=False,
        help_text=_("公開の更新履歴に、値を変更した職員の名前を表示します。"),
    )

    tenancy_path = "plan__municipality"

    class Meta:
        verbose_name = _("成果指標の設定")
        verbose_name_plural = _("成果指標の設定")

    def __str__(self) -> str:
        return str(self.plan)


class GradeBand(models.Model):
    """A grade of a plan (S, A … or 現状維持): from ``minimum`` % of achievement upwards.

    A plan without bands uses ``progress.DEFAULT_BANDS``. The band without a minimum takes
    everything below the others.
    """

    settings = models.ForeignKey(
        KpiSettings,
        verbose_name=_("成果指標の設定"),
        on_delete=models.CASCADE,
        related_name="bands",
    )
    label = models.CharField(_("評価"), max_length=20)
    minimum = models.DecimalField(
        _("達成率の下限（%）"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("この値以上で、この評価。空欄は、ほかのどの下限にも届かない場合。"),
    )

    tenancy_path = "settings__plan__municipality"

    class Meta:
        verbose_name = _("評価の区分")
        verbose_name_plural = _("評価の区分")
        ordering = ["settings", F("minimum").desc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "label"],
                name="gradeband_unique_label",
                violation_error_message=messages.BAND_LABEL_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["settings", "minimum"],
                name="gradeband_unique_minimum",
                violation_error_message=messages.BAND_MINIMUM_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["settings"],
                condition=Q(minimum__isnull=True),
                name="gradeband_one_open_band",
                violation_error_message=messages.BAND_OPEN_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.label
