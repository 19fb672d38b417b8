from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("成果指標")

    def ready(self):
        # A KPI, a yearly value or the plan's KPI settings written moves its plan's version
        # (the public page cache).
        from plans.versions import touch_on_change

        from .models import GradeBand, Indicator, IndicatorValue, KpiSettings

        touch_on_change(Indicator, lambda indicator: indicator.plan_id)
        touch_on_change(KpiSettings, lambda settings: settings.plan_id)
        touch_on_change(
            GradeBand,
            lambda band: (
                KpiSettings.objects.filter(pk=band.settings_id)
                .values_list("plan_id", flat=True)
                .first()
            ),
        )
        touch_on_change(
            IndicatorValue,
            lambda value: (
                Indicator.objects.filter(pk=value.indicator_id)
                .values_list("plan_id", flat=True)
                .first()
            ),
        )
