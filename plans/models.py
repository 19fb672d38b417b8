"""The plan and its tree: municipality → plan → nodes (django-mptt) with text sections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from . import messages
from .links import public_url
from .querysets import (
    CrossReferenceManager,
    GlossaryTermManager,
    MunicipalityManager,
    NodeSectionManager,
    PlanNodeManager,
    PlanQuerySet,
)
from .search import search_text_for_node
from .tenancy import Role

local_gov_code_validator = RegexValidator(
    r"^\d{6}$", messages.LOCAL_GOV_CODE_FORMAT, code="local_gov_code_format"
)


class Municipality(models.Model):
    name = models.CharField(_("自治体名"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=100, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    local_gov_code = models.CharField(
        _("地方公共団体コード"),
        max_length=6,
        blank=True,
        validators=[local_gov_code_validator],
        help_text=_("6桁（検査数字を含む）。分からない場合は空欄。"),
    )
    slug = models.SlugField(
        _("スラッグ"), unique=True, help_text=_("URLに使う英数字 (例: omitama)")
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        blank=True,
        related_name="municipalities",
        through="Membership",
    )
    history = HistoricalRecords(excluded_fields=["editors"])

    objects = MunicipalityManager()
    tenancy_path = ""  # the lookup from this model to its Municipality (see plans.tenancy)

    class Meta:
        verbose_name = _("自治体")
        verbose_name_plural = _("自治体")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_gov_code"],
                condition=~Q(local_gov_code=""),
                name="municipality_unique_local_gov_code",
                violation_error_message=messages.LOCAL_GOV_CODE_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(local_gov_code="") | Q(local_gov_code__regex=r"^[0-9]{6}$"),
                name="municipality_local_gov_code_6_digits",
                violation_error_message=messages.LOCAL_GOV_CODE_FORMAT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}"

    def get_absolute_url(self) -> str:
        return public_url("portal:municipality", municipality=self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Membership(models.Model):
    """A staff member's role in one municipality (see :mod:`plans.tenancy` for what each may do)."""

    Role = Role

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("自治体"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices, default=Role.EDITOR)

    tenancy_path = "municipality"

    class Meta:
        # The table of the plain many-to-many field this model replaced (rows kept as editors).
        db_table = "plans_municipality_editors"
        verbose_name = _("職員の役割")
        verbose_name_plural = _("職員の役割")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], name="plans_membership_one_role_per_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.user} ({self.get_role_display()})"


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("自治体"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("計画名"), max_length=200)
    slug = models.SlugField(_("スラッグ"), help_text=_("URLに使う英数字 (例: 2023)"))
    # Either end may be open (None) while a draft's period is not known yet.
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("計画期間（開始年度）"), null=True, blank=True
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("計画期間（終了年度）"), null=True, blank=True
    )
    level_names = models.JSONField(
        _("階層名"),
        default=list,
        help_text=_('上位から順に。例: ["基本目標", "基本施策", "個別施策"]'),
    )
    status = models.CharField(
        _("公開状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source_notes = models.TextField(_("出典・備考"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()
    tenancy_path = "municipality"

    class Meta:
        verbose_name = _("計画")
        verbose_name_plural = _("計画")
        ordering = ["municipality__slug", "-first_fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="plan_unique_slug_per_municipality",
                violation_error_message=messages.PLAN_SLUG_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(first_fiscal_year__isnull=True)
                | Q(last_fiscal_year__isnull=True)
                | Q(first_fiscal_year__lte=F("last_fiscal_year")),
                name="plan_period_in_order",
                violation_error_message=messages.PLAN_PERIOD_ORDER,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.title}"

    def get_absolute_url(self) -> str:
        return public_url("portal:plan", municipality=self.municipality.slug, plan=self.slug)

    def clean(self) -> None:
        names = self.level_names
        if not isinstance(names, list) or not names:
            raise ValidationError({"level_names": messages.PLAN_LEVEL_NAMES}, code="level_names")
        if not all(isinstance(name, str) and name.strip() for name in names):
            raise ValidationError({"level_names": messages.PLAN_LEVEL_NAMES}, code="level_names")

    def level_name(self, level: int) -> str:
        """The plan's own name for a depth of its tree ("" past the named levels)."""
        return self.level_names[level] if 0 <= level < len(self.level_names) else ""

    def natural_key(self) -> tuple[str, str]:
        return (*self.municipality.natural_key(), self.slug)

    natural_key.dependencies = ["plans.municipality"]


class SdgGoal(models.Model):
    """The 17 Sustainable Development Goals; a reference table loaded by migration."""

    number = models.PositiveSmallIntegerField(
        _("番号"),
        primary_key=True,
        validators=[MinValueValidator(1), MaxValueValidator(17)],
        error_messages={"min_value": messages.SDG_GOAL_RANGE, "max_value": messages.SDG_GOAL_RANGE},
    )
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英語名"), max_length=100)

    class Meta:
        verbose_name = _("SDGsゴール")
        verbose_name_plural = _("SDGsゴール")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17),
                name="sdggoal_number_1_to_17",
                violation_error_message=messages.SDG_GOAL_RANGE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class PlanNode(MPTTModel):
    """One node of a plan's hierarchy: a 基本目標, 基本施策, 個別施策, 施策大項目 …

    Its level name comes from the plan (``plan.level_names[level]``). Cross-cutting nodes
    (政策連携プラン) are roots whose content is a set of references to other nodes.
    """

    class Kind(models.TextChoices):
        POLICY = "policy", _("施策")
        CROSS_CUTTING = "cross_cutting", _("政策連携プラン")

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="nodes"
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("上位項目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.POLICY)
    code = models.CharField(_("コード"), max_length=30, blank=True)
    key = models.CharField(
        _("取り込みキー"),
        max_length=100,
        help_text=_("再取り込みで同じ項目を見つけるための、計画内で一意なキー"),
    )
    title = models.CharField(_("名称"), max_length=300)
    is_priority = models.BooleanField(_("重点"), default=False)
    department = models.CharField(_("担当部局"), max_length=200, blank=True)
    sdg_goals = models.ManyToManyField(SdgGoal, verbose_name=_("SDGs"), blank=True)
    search_text = models.TextField(_("検索用テキスト"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["lft", "rght", "tree_id", "level", "search_text"])

    objects = PlanNodeManager()
    tenancy_path = "plan__municipality"

    class MPTTMeta:
        order_insertion_by: list[str] = []

    class Meta:
        verbose_name = _("計画の項目")
        verbose_name_plural = _("計画の項目")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~Q(code=""),
                name="plannode_unique_code_per_plan",
                violation_error_message=messages.NODE_CODE_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["plan", "key"],
                name="plannode_unique_key_per_plan",
                violation_error_message=messages.NODE_KEY_TAKEN,
            ),
        ]
        indexes = [models.Index(fields=["plan", "tree_id", "lft"], name="plannode_plan_order")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "portal:node",
            kwargs={
                "municipality": self.plan.municipality.slug,
                "plan": self.plan.slug,
                "node": self.code or self.key,
            },
        )

    @property
    def level_label(self) -> str:
        if self.kind == self.Kind.CROSS_CUTTING:
            return str(self.Kind.CROSS_CUTTING.label)
        return self.plan.level_name(self.level)

    def clean(self) -> None:
        if self.parent_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": messages.NODE_PARENT_OTHER_PLAN}, code="parent_plan")

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_text_for_node(self)
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        """Recompute the search text after a section changed, without touching tree fields."""
        self.search_text = search_text_for_node(self)
        PlanNode.objects.filter(pk=self.pk).update(search_text=self.search_text)

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.plan.natural_key(), self.key)

    natural_key.dependencies = ["plans.plan"]


class NodeSection(models.Model):
    """A headed text of a node, in order: めざす姿, 基本方針, 現況と課題, 取組内容 …"""

    node = models.ForeignKey(
        PlanNode, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("順序"), default=0)
    # Some plans print a text with no heading (the importer keeps it as it was printed).
    heading = models.CharField(_("見出し"), max_length=100, blank=True)
    body = models.TextField(_("本文"), blank=True)
    history = HistoricalRecords()

    objects = NodeSectionManager()
    tenancy_path = "node__plan__municipality"

    class Meta:
        verbose_name = _("本文セクション")
        verbose_name_plural = _("本文セクション")
        ordering = ["node", "order", "pk"]

    def __str__(self) -> str:
        return self.heading

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.node.refresh_search_text()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.node.refresh_search_text()
        return result

    def natural_key(self) -> tuple[str, str, str, int]:
        return (*self.node.natural_key(), self.order)

    natural_key.dependencies = ["plans.plannode"]


class CrossReference(models.Model):
    """A node that points at another: 再掲 (listed again) or 政策連携プラン (cross-cutting plan).

    The target may not be in the database yet (a chapter not imported): then the reference keeps
    the code and title it was printed with, and resolves when that node arrives.
    """

    class Kind(models.TextChoices):
        RELISTED = "relisted", _("再掲")
        POLICY_LINK = "policy_link", _("政策連携")

    from_node = models.ForeignKey(
        PlanNode,
        verbose_name=_("参照元"),
        on_delete=models.CASCADE,
        related_name="outgoing_references",
    )
    to_node = models.ForeignKey(
        PlanNode,
        verbose_name=_("参照先"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_references",
    )
    target_code = models.CharField(_("参照先コード"), max_length=30, blank=True)
    target_title = models.CharField(_("参照先名称"), max_length=300, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = CrossReferenceManager()
    tenancy_path = "from_node__plan__municipality"

    class Meta:
        verbose_name = _("相互参照")
        verbose_name_plural = _("相互参照")
        ordering = ["from_node", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_node__isnull=False) | ~Q(target_code="") | ~Q(target_title=""),
                name="crossreference_has_target",
                violation_error_message=messages.CROSSREF_TARGET,
            ),
            models.CheckConstraint(
                condition=~Q(from_node=F("to_node")),
                name="crossreference_not_self",
                violation_error_message=messages.CROSSREF_SELF,
            ),
        ]

    def __str__(self) -> str:
        target = self.to_node or f"{self.target_code} {self.target_title}".strip()
        return f"{self.from_node} → {target}"

    @property
    def is_resolved(self) -> bool:
        return self.to_node_id is not None

    def clean(self) -> None:
        if self.to_node_id and self.from_node_id:
            if self.to_node.plan_id != self.from_node.plan_id:
                raise ValidationError({"to_node": messages.CROSSREF_OTHER_PLAN}, code="other_plan")

    def natural_key(self) -> tuple[str, str, str, int]:
        return (*self.from_node.natural_key(), self.order)

    natural_key.dependencies = ["plans.plannode"]


class GlossaryTerm(models.Model):
    """A term of the plan's 用語解説 (the ※ / * notes in the text point at these)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term = models.CharField(_("用語"), max_length=200)
    definition = models.TextField(_("解説"))
    order = models.PositiveSmallIntegerField(_("順序"), default=0)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    objects = GlossaryTermManager()
    tenancy_path = "plan__municipality"

    class Meta:
        verbose_name = _("用語解説")
        verbose_name_plural = _("用語解説")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "term"], name="plans_glossaryterm_unique_term")
        ]

    def __str__(self) -> str:
        return self.term

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.plan.natural_key(), self.term)

    natural_key.dependencies = ["plans.plan"]
