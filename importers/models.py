"""What an import leaves behind: a record of each import run."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import Plan


class ImportRunManager(models.Manager):
    def get_by_natural_key(self, municipality_slug, plan_slug, number):
        return self.get(
            plan__municipality__slug=municipality_slug, plan__slug=plan_slug, number=number
        )


class ImportRun(models.Model):
    """One import of text files into a plan.

    ``outline`` is the outline document of the text as it was imported (not of the database
    afterwards): the next import compares the new text, this outline and the database field by
    field, so it can tell a staff edit (database differs from the last text) from a corrected
    text (new text differs from the last text).
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="import_runs"
    )
    number = models.PositiveIntegerField(_("回"))
    sources = models.JSONField(_("取り込んだファイル"), default=list)
    layout = models.CharField(_("書式"), max_length=200, blank=True)
    outline = models.JSONField(_("取り込んだ内容（アウトライン）"), default=dict)
    report = models.JSONField(_("取り込みレポート"), default=dict)
    created_at = models.DateTimeField(_("取り込み日時"), default=timezone.now)

    objects = ImportRunManager()
    tenancy_path = "plan__municipality"

    class Meta:
        verbose_name = _("取り込み履歴")
        verbose_name_plural = _("取り込み履歴")
        ordering = ["plan", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="importrun_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"

    def natural_key(self) -> tuple[str, str, int]:
        return (*self.plan.natural_key(), self.number)

    natural_key.dependencies = ["plans.plan"]
