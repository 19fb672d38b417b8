"""django-import-export resources for a plan's nodes, KPIs and yearly values.

Every resource works on one plan. Exports fill the hierarchy columns (one per level, named
with the plan's level names) from a map of node paths built once per export. Imports:

* look rows up by their key within the plan being edited (maps read once per import);
* refuse a file whose headers are not the resource's (before any row is read), a row whose
  計画 column names another plan, text in a number column and a fiscal year outside the plan
  period — each as a row number, a column and a reason (:func:`import_problems`);
* write through the services, inside import-export's single transaction, which is rolled
  back when any row fails (``rollback_on_validation_errors``), so nothing is half applied;
* skip unchanged rows, so the preview lists only what will change and a second import of the
  same file changes nothing;
* refuse a row that someone saved after the file was exported, where the file would overwrite
  that newer edit (a lost update): every exported row carries, in its 版 column, a signed copy
  of the values it was exported with; the preview names each such cell with its value at
  export, now and in the file, and nothing of the file is saved.

Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result

from importers.parsing.values import parse_fiscal_year
from indicators import services as indicator_services
from indicators.fields import CHOICE, KPI_FIELDS, MARK, Measured
from indicators.models import Indicator, IndicatorValue
from plans import services as plan_services
from plans.models import Plan, PlanNode

NOT_A_NUMBER = _(
    "数値ではありません（「%(value)s」）。数値だけを入力し、単位や「以上」は原文の列へ。"
)
NOT_A_YEAR = _("年度ではありません（「%(value)s」）。2024 や 令和6年度 のように入力してください。")
UNKNOWN_CHOICE = _("「%(value)s」は選べません。次のいずれかです: %(choices)s")
OTHER_PLAN = _("この行は別の計画（%(row)s）のものです。編集中の計画は %(plan)s です。")
NO_PLAN = _("取り込み先の計画を選んでください。")
UNKNOWN_NODE = _("この計画に、コードまたはキーが「%(value)s」の項目はありません。")
UNKNOWN_INDICATOR = _("この計画に、キーが「%(value)s」の成果指標はありません。")
NEW_NODE_REFUSED = _(
    "キー「%(value)s」の項目はこの計画にありません。項目の追加は管理画面で行います。"
)
YEAR_OUTSIDE_PLAN = _("%(year)s年度は計画期間（%(first)s〜%(last)s年度）の外です。")
MISSING_COLUMNS = _("必要な列がありません: %(columns)s")
UNKNOWN_COLUMNS = _("知らない列があります: %(columns)s")
ROW_CHANGED_SINCE_EXPORT = _(
    "書き出した後に、他の人がこの値を保存しました（書き出し時「%(seen)s」、現在「%(now)s」、"
    "このファイル「%(file)s」）。この取り込みでは何も保存しません。"
    "書き出し直してから、もう一度入力してください。"
)
ROW_WITHOUT_VERSION = _(
    "版の列が空です（書き出した後に他の人が加えた行か、手で加えた行です）。"
    "現在「%(now)s」を、このファイルの「%(file)s」で上書きしません。書き出し直してください。"
)
VERSION_UNREADABLE = _("版が読めません。書き出したファイルの版の列は変えないでください。")
PLAN_COLUMN = "計画"
VERSION_COLUMN = "版"
VERSION_SALT = "exports.resources.row-version"
YEAR_COLUMN = re.compile(r"^(\d{4})年度実績$")


def plan_label(plan: Plan) -> str:
    """How a row names its plan: ``<municipality slug>/<plan slug>`` (``omitama/2023``)."""
    return f"{plan.municipality.slug}/{plan.slug}"


# --- Widgets ---------------------------------------------------------------------------------


class NumberWidget(widgets.DecimalWidget):
    """A decimal number; text (``85%``, ``設置``) is refused, thousands separators are not."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValueError(NOT_A_NUMBER % {"value": value})
        text = str(value).strip().replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(NOT_A_NUMBER % {"value": value}) from error
        if not number.is_finite():
            raise ValueError(NOT_A_NUMBER % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        as_text = self.coerce_to_string and not kwargs.get("force_native_type")
        if value is None:
            return "" if as_text else None
        if as_text:
            return format(value.normalize(), "f")
        return int(value) if value == value.to_integral_value() else float(value)


class FiscalYearWidget(widgets.IntegerWidget):
    """A fiscal year as 西暦 (2024) or 和暦 (令和6年度)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            return int(value)
        text = str(value).strip()
        year = int(text) if text.isdigit() else parse_fiscal_year(text)
        if year is None:
            raise ValueError(NOT_A_YEAR % {"value": value})
        return year


class ChoiceLabelWidget(widgets.Widget):
    """A model choice shown by its Japanese label (以上, 以下・以内, 維持); blank for none."""

    def __init__(self, choices, aliases=None, **kwargs):
        super().__init__(**kwargs)
        self.labels = {value: str(label) for value, label in choices if value}
        self.values = {label: value for value, label in self.labels.items()}
        self.values.update(aliases or {})

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        if text in self.values:
            return self.values[text]
        if text in self.labels:
            return text
        choices = "、".join(self.labels.values())
        raise ValueError(UNKNOWN_CHOICE % {"value": value, "choices": choices})

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "")


class MarkWidget(widgets.BooleanWidget):
    """A yes/no column shown as ○ or blank; also reads 1/0, TRUE/FALSE."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and value.strip() in {"○", "◯", "〇"}:
            return True
        if value is None or (isinstance(value, str) and not value.strip()):
            return False
        return bool(super().clean(value, row, **kwargs))

    def render(self, value, obj=None, **kwargs):
        return "○" if value else ""


class LookupWidget(widgets.Widget):
    """A foreign key written as a code or key, looked up in a map the resource fills once."""

    def __init__(self, lookup: dict, render_key, message, **kwargs):
        super().__init__(**kwargs)
        self.lookup, self.render_key, self.message = lookup, render_key, message

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a code typed as a number in Excel
        if text not in self.lookup:
            raise ValueError(self.message % {"value": value})
        return self.lookup[text]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.render_key(value)


# --- Reporting problems ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """Why a file or a row was refused: ``row`` is the spreadsheet row (None: the whole file)."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.row}行目" if self.row else "ファイル"
        return f"{where} {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


@dataclass(frozen=True)
class Change:
    """One cell that an import will change: spreadsheet row, column, old and new values."""

    row: int
    key: str
    column: str
    old: object
    new: object


class PreloadedInstanceLoader(BaseInstanceLoader):
    """Finds a row's instance in the maps the resource read once, not one query per row."""

    def get_instance(self, row):
        return self.resource.find_instance(row)


# --- The resources ---------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell's value as comparable text: a row by its id, a number without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class PlanScopedResource(resources.ModelResource):
    """A resource bound to one plan (``plan``); on export without a plan, to the queryset's."""

    plan_label = fields.Field(column_name=PLAN_COLUMN, readonly=True)
    row_version = fields.Field(column_name=VERSION_COLUMN, readonly=True)
    editable_fields: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True
        store_instance = True
        instance_loader_class = PreloadedInstanceLoader

    def __init__(self, plan: Plan | None = None, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.actor = actor  # who imports: the services ask plans.tenancy for each write
        self.paths: dict[int, list[PlanNode]] = {}
        self.level_names: list[str] = list(plan.level_names) if plan else []
        self._add_level_fields()
        if plan is not None:
            self.load_plan(plan)

    def _add_level_fields(self) -> None:
        for depth, name in enumerate(self.level_names):
            self.fields[f"path_{depth}"] = fields.Field(
                column_name=name, readonly=True, dehydrate_method=self._level_label(depth)
            )

    def _level_label(self, depth: int):
        def label(obj) -> str:
            path = self.paths.get(self.node_id_of(obj), [])
            return str(path[depth]) if depth < len(path) else ""

        return label

    def node_id_of(self, obj) -> int:
        raise NotImplementedError

    def load_plan(self, plan: Plan) -> None:
        """Read the plan's tree once: node paths for the hierarchy columns, nodes by code/key."""
        self.paths = {}
        self.nodes_by_ref: dict[str, PlanNode] = {}
        for node in PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft"):
            self.paths[node.pk] = [*self.paths.get(node.parent_id, []), node]
            self.nodes_by_ref.setdefault(node.key, node)
            if node.code:
                self.nodes_by_ref[node.code] = node

    def dehydrate_plan_label(self, obj) -> str:
        return self.labels_by_plan.get(self.plan_id_of(obj), "")

    def plan_id_of(self, obj) -> int:
        return obj.plan_id

    @property
    def labels_by_plan(self) -> dict[int, str]:
        if not hasattr(self, "_labels"):
            plans = [self.plan] if self.plan else []
            self._labels = {p.pk: plan_label(p) for p in plans}
        return self._labels

    # Export ----------------------------------------------------------------------------------

    def before_export(self, queryset, **kwargs):
        if self.plan is not None or queryset is None:
            return
        plans = list(
            Plan.objects.filter(pk__in=self.plans_of(queryset)).select_related("municipality")
        )
        self._labels = {p.pk: plan_label(p) for p in plans}
        if len(plans) == 1:
            self.plan = plans[0]
            self.level_names = list(plans[0].level_names)
            self._add_level_fields()
            self.load_plan(plans[0])
        self.prepare_export(queryset)

    def plans_of(self, queryset):
        return queryset.values("plan_id")

    def prepare_export(self, queryset) -> None:
        """Read whatever the rows need, once (subclasses)."""

    # Import ----------------------------------------------------------------------------------

    def get_queryset(self):
        return self._meta.model.objects.filter(plan=self.plan)

    def get_export_order(self):
        # The hierarchy columns (added per plan) come right after the 計画 column.
        order = super().get_export_order()
        # The version goes last, where it is least in the way.
        levels = [name for name in order if name.startswith("path_")]
        rest = [name for name in order if not name.startswith("path_") and name != "row_version"]
        return (*rest[:1], *levels, *rest[1:], "row_version")

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        while len(dataset) and all(cell in (None, "") for cell in dataset[-1]):
            del dataset[-1]  # Excel often keeps blank rows after the data
        problems = self.header_problems(dataset.headers or [])
        if problems:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(self.get_error_result_class()(ValueError(problem)))
            return result
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def header_problems(self, headers) -> list[str]:
        if self.plan is None:
            return [str(NO_PLAN)]
        known = {str(f.column_name) for f in self.fields.values()}
        required = {
            str(f.column_name)
            for f in self.fields.values()
            if not f.readonly and not isinstance(f, ActualValueField)
        }
        required |= {PLAN_COLUMN, VERSION_COLUMN}
        given = {str(h).strip() for h in headers if h is not None and str(h).strip()}
        problems = [self.unknown_column_reason(c) for c in sorted(given - known)]
        if required - given:
            problems.append(MISSING_COLUMNS % {"columns": "、".join(sorted(required - given))})
        return [str(p) for p in problems]

    def unknown_column_reason(self, column: str) -> str:
        return UNKNOWN_COLUMNS % {"columns": column}

    def before_import_row(self, row, **kwargs):
        given = str(row.get(PLAN_COLUMN) or "").strip()
        expected = plan_label(self.plan)
        if given != expected:
            message = OTHER_PLAN % {"row": given or "空欄", "plan": expected}
            raise ValidationError({PLAN_COLUMN: message})

    def find_instance(self, row):
        raise NotImplementedError

    # Rows changed since export ---------------------------------------------------------------

    def version_fields(self) -> list[fields.Field]:
        """The columns an import writes: what a row's version records."""
        return [f for f in self.get_import_fields() if not f.readonly and f.attribute]

    def dehydrate_row_version(self, obj) -> str:
        values = {f.attribute: cell_text(f.get_value(obj)) for f in self.version_fields()}
        return signing.dumps(values, salt=VERSION_SALT, compress=True)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is not None:
            self.check_row_version(instance, str(row.get(VERSION_COLUMN) or "").strip())

    def check_row_version(self, instance, token: str) -> None:
        """Refuse the cells the file would change that someone saved after the export.

        A cell is in conflict when its value now differs from the one exported (someone saved
        since) and from the file's (the import would overwrite that save). A row without a
        version did not exist at export: any cell the file would change is in conflict.
        """
        try:
            seen = signing.loads(token, salt=VERSION_SALT) if token else None
        except signing.BadSignature:
            raise ValidationError({"row_version": VERSION_UNREADABLE}) from None
        loaded, conflicts = getattr(instance, "_loaded", {}), {}
        for field in self.version_fields():
            now = cell_text(self.loaded_value(field, instance, loaded))
            file = cell_text(field.get_value(instance))
            if file == now or (seen is not None and seen.get(field.attribute, "") == now):
                continue
            values = {"seen": (seen or {}).get(field.attribute, ""), "now": now, "file": file}
            message = ROW_CHANGED_SINCE_EXPORT if seen is not None else ROW_WITHOUT_VERSION
            conflicts[field.attribute] = message % values
        if conflicts:
            raise ValidationError(conflicts, code="changed_since_export")

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._loaded = {name: getattr(instance, name, None) for name in self.editable_fields}

    def changed_fields(self, instance) -> dict:
        loaded = getattr(instance, "_loaded", {})
        return {
            name: getattr(instance, name, None)
            for name in self.editable_fields
            if getattr(instance, name, None) != loaded.get(name)
        }

    def before_save_instance(self, instance, row, **kwargs):
        # Record the changes before the services derive other fields (raw texts) from them.
        instance._changes = self.row_changes(kwargs["row_number"] + 1, instance)

    def after_import_row(self, row, row_result, **kwargs):
        instance = row_result.instance
        row_result.changes = [] if row_result.is_skip() else getattr(instance, "_changes", [])

    def row_changes(self, spreadsheet_row: int, instance) -> list[Change]:
        loaded = getattr(instance, "_loaded", {})
        changes = []
        for field in self.version_fields():
            old, new = self.loaded_value(field, instance, loaded), field.get_value(instance)
            if old != new:
                changes.append(
                    Change(spreadsheet_row, self.row_key(instance), field.column_name, old, new)
                )
        return changes

    def loaded_value(self, field, instance, loaded):
        if isinstance(field, ActualValueField):
            return field.stored_value(instance)
        if instance.pk is None:
            return None
        return loaded.get(field.attribute, getattr(instance, field.attribute, None))

    def row_key(self, instance) -> str:
        return instance.key

    def column_for(self, key: str) -> str:
        for name, field in self.fields.items():
            if key in (field.attribute, name):
                return str(field.column_name)
        return "" if key == NON_FIELD_ERRORS else key


class PlanNodeResource(PlanScopedResource):
    """Nodes: export every node; import changes the fields of existing nodes (not the tree)."""

    key = fields.Field(attribute="key", column_name="キー")
    level_label = fields.Field(column_name="階層", readonly=True)
    code = fields.Field(attribute="code", column_name="コード", widget=widgets.CharWidget())
    title = fields.Field(attribute="title", column_name="名称", widget=widgets.CharWidget())
    is_priority = fields.Field(attribute="is_priority", column_name="重点", widget=MarkWidget())
    department = fields.Field(
        attribute="department", column_name="担当部局", widget=widgets.CharWidget()
    )
    sdgs = fields.Field(column_name="SDGs", readonly=True)
    editable_fields = ("code", "title", "is_priority", "department")

    class Meta(PlanScopedResource.Meta):
        model = PlanNode
        import_id_fields = ["key"]
        fields = [
            "plan_label",
            "key",
            "level_label",
            "code",
            "title",
            "is_priority",
            "department",
            "sdgs",
            "row_version",
        ]

    def node_id_of(self, obj) -> int:
        return obj.pk

    def find_instance(self, row):
        return self.nodes_by_key.get(str(row.get("キー") or "").strip())

    def load_plan(self, plan):
        super().load_plan(plan)
        self.nodes_by_key = {path[-1].key: path[-1] for path in self.paths.values()}

    def prepare_export(self, queryset):
        through = PlanNode.sdg_goals.through.objects.filter(plannode__in=queryset.values("pk"))
        self.sdgs_by_node: dict[int, list[int]] = {}
        for node_id, goal in through.values_list("plannode_id", "sdggoal_id").order_by("sdggoal"):
            self.sdgs_by_node.setdefault(node_id, []).append(goal)

    def export(self, queryset=None, **kwargs):
        if self.plan is not None and not hasattr(self, "sdgs_by_node"):
            queryset = self.get_queryset() if queryset is None else queryset
            self.prepare_export(queryset)
        return super().export(queryset=queryset, **kwargs)

    def dehydrate_level_label(self, obj) -> str:
        names = self.level_names
        if obj.kind == PlanNode.Kind.CROSS_CUTTING:
            return str(PlanNode.Kind.CROSS_CUTTING.label)
        return names[obj.level] if obj.level < len(names) else ""

    def dehydrate_sdgs(self, obj) -> str:
        return ", ".join(str(g) for g in getattr(self, "sdgs_by_node", {}).get(obj.pk, []))

    def init_instance(self, row=None):
        raise ValidationError({"key": NEW_NODE_REFUSED % {"value": (row or {}).get("キー")}})

    def do_instance_save(self, instance, is_create):
        changed = self.changed_fields(instance)
        if changed:
            plan_services.node_update(actor=self.actor, node=instance, **changed)

    def filter_export(self, queryset, **kwargs):
        return queryset.order_by("tree_id", "lft")


def kpi_columns() -> dict[str, fields.Field]:
    """The KPI fields (``indicators.fields``) as spreadsheet columns, in order: a measured one
    as its year, its number and its raw text (shown for reference: it follows the number, see
    ``indicator_update``)."""
    columns = {}
    for kpi_field in KPI_FIELDS:
        if isinstance(kpi_field, Measured):
            columns[kpi_field.year] = fields.Field(
                attribute=kpi_field.year,
                column_name=kpi_field.year_header,
                widget=FiscalYearWidget(),
            )
            columns[kpi_field.value] = fields.Field(
                attribute=kpi_field.value,
                column_name=kpi_field.value_header,
                widget=NumberWidget(),
            )
            columns[kpi_field.raw] = fields.Field(
                attribute=kpi_field.raw, column_name=kpi_field.raw_header, readonly=True
            )
        else:
            columns[kpi_field.name] = fields.Field(
                attribute=kpi_field.name, column_name=kpi_field.header, widget=_widget(kpi_field)
            )
    return columns


def _widget(kpi_field) -> widgets.Widget:
    if kpi_field.kind == CHOICE:
        choices = Indicator._meta.get_field(kpi_field.name).choices
        return ChoiceLabelWidget(choices, kpi_field.aliases)
    if kpi_field.kind == MARK:
        return MarkWidget()
    return widgets.CharWidget()


KPI_COLUMNS = kpi_columns()
# The resource class with a declared field per KPI column (what the class body would list).
IndicatorColumns = type(PlanScopedResource)(
    "IndicatorColumns", (PlanScopedResource,), {"__module__": __name__, **KPI_COLUMNS}
)


class IndicatorResource(IndicatorColumns):
    """KPIs, one row each, with a column of actual values per fiscal year (年度別実績)."""

    node = fields.Field(attribute="node", column_name="項目コード")
    key = fields.Field(attribute="key", column_name="キー")
    editable_fields = (
        "node",
        *(name for name, column in KPI_COLUMNS.items() if not column.readonly),
    )

    class Meta(PlanScopedResource.Meta):
        model = Indicator
        import_id_fields = ["key"]
        fields = ["plan_label", "node", "key", *KPI_COLUMNS, "row_version"]

    def __init__(self, plan: Plan | None = None, **kwargs):
        self.actuals: dict[tuple[int, int], IndicatorValue] = {}
        self.years: list[int] = []
        super().__init__(plan, **kwargs)

    def node_id_of(self, obj) -> int:
        return obj.node_id

    def load_plan(self, plan):
        super().load_plan(plan)
        self.fields["node"].widget = LookupWidget(
            self.nodes_by_ref, lambda node: node.code or node.key, UNKNOWN_NODE
        )
        self.indicators_by_key = {i.key: i for i in Indicator.objects.filter(plan=plan)}
        self.load_actuals(IndicatorValue.objects.filter(indicator__plan=plan))
        first, last = plan.first_fiscal_year, plan.last_fiscal_year
        period = set(range(first, last + 1)) if first and last else set()  # open: a draft
        years = {y for (_, y) in self.actuals} | period
        self._add_year_fields(sorted(years))

    def load_actuals(self, values) -> None:
        self.actuals = {(v.indicator_id, v.fiscal_year): v for v in values}

    def _add_year_fields(self, years: list[int]) -> None:
        for year in self.years:
            self.fields.pop(f"actual_{year}", None)
        self.years = years
        for year in years:
            self.fields[f"actual_{year}"] = ActualValueField(year, self.actuals)

    def unknown_column_reason(self, column: str) -> str:
        match = YEAR_COLUMN.match(column)
        if match:
            plan = self.plan
            return YEAR_OUTSIDE_PLAN % {
                "year": match[1],
                "first": plan.first_fiscal_year,
                "last": plan.last_fiscal_year,
            }
        return super().unknown_column_reason(column)

    def find_instance(self, row):
        return self.indicators_by_key.get(str(row.get("キー") or "").strip())

    def init_instance(self, row=None):
        return Indicator(plan=self.plan)

    def do_instance_save(self, instance, is_create):
        if is_create:
            fields_ = {name: getattr(instance, name) for name in self.editable_fields}
            node, name = fields_.pop("node"), fields_.pop("name")
            saved = indicator_services.indicator_create(
                actor=self.actor, plan=self.plan, node=node, key=instance.key, name=name, **fields_
            )
            instance.pk = saved.pk
            return
        changed = self.changed_fields(instance)
        if changed:
            indicator_services.indicator_update(actor=self.actor, indicator=instance, **changed)

    def after_save_instance(self, instance, row, **kwargs):
        for year, value in getattr(instance, "_actuals", {}).items():
            current = self.actuals.get((instance.pk, year))
            if (current.value if current else None) != value:
                indicator_services.indicator_value_set(
                    actor=self.actor, indicator=instance, fiscal_year=year, value=value
                )

    def prepare_export(self, queryset):
        self.load_actuals(IndicatorValue.objects.filter(indicator__in=queryset.values("pk")))
        self._add_year_fields(sorted({y for (_, y) in self.actuals}))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("node").order_by("node__tree_id", "node__lft", "order")

    def get_queryset(self):
        return super().get_queryset().select_related("node")


class ActualValueField(fields.Field):
    """The actual value of one fiscal year, in a KPI's row (column ``2024年度実績``)."""

    def __init__(self, year: int, actuals: dict):
        super().__init__(
            attribute=f"actual_{year}", column_name=f"{year}年度実績", widget=NumberWidget()
        )
        self.year, self.actuals = year, actuals

    def get_value(self, instance):
        pending = instance.__dict__.get("_actuals", {})
        return pending[self.year] if self.year in pending else self.stored_value(instance)

    def stored_value(self, instance):
        current = self.actuals.get((instance.pk, self.year))
        return current.value if current else None

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.__dict__.setdefault("_actuals", {})[self.year] = self.clean(row, **kwargs)


class IndicatorValueResource(PlanScopedResource):
    """Yearly actual values, one row per KPI and fiscal year."""

    indicator = fields.Field(attribute="indicator", column_name="指標キー")
    indicator_name = fields.Field(column_name="指標名", readonly=True)
    fiscal_year = fields.Field(
        attribute="fiscal_year", column_name="年度", widget=FiscalYearWidget()
    )
    value = fields.Field(attribute="value", column_name="実績値", widget=NumberWidget())
    raw_text = fields.Field(attribute="raw_text", column_name="実績値（原文）", readonly=True)
    note = fields.Field(attribute="note", column_name="備考", widget=widgets.CharWidget())
    editable_fields = ("value", "note")

    class Meta(PlanScopedResource.Meta):
        model = IndicatorValue
        import_id_fields = ["indicator", "fiscal_year"]
        fields = [
            "plan_label",
            "indicator",
            "indicator_name",
            "fiscal_year",
            "value",
            "raw_text",
            "note",
            "row_version",
        ]

    def node_id_of(self, obj) -> int:
        return obj.indicator.node_id

    def plan_id_of(self, obj) -> int:
        return obj.indicator.plan_id

    def plans_of(self, queryset):
        return queryset.values("indicator__plan_id")

    def load_plan(self, plan):
        super().load_plan(plan)
        indicators = {i.key: i for i in Indicator.objects.filter(plan=plan)}
        self.fields["indicator"].widget = LookupWidget(
            indicators, lambda indicator: indicator.key, UNKNOWN_INDICATOR
        )
        values = IndicatorValue.objects.filter(indicator__plan=plan).select_related("indicator")
        self.values_by_key = {(v.indicator.key, v.fiscal_year): v for v in values}

    def dehydrate_indicator_name(self, obj) -> str:
        return obj.indicator.name

    def get_queryset(self):
        return IndicatorValue.objects.filter(indicator__plan=self.plan).select_related("indicator")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("indicator").order_by(
            "indicator__node__tree_id", "indicator__node__lft", "indicator__order", "fiscal_year"
        )

    def find_instance(self, row):
        try:
            year = FiscalYearWidget().clean(row.get("年度"))
        except ValueError:
            return None
        return self.values_by_key.get((str(row.get("指標キー") or "").strip(), year))

    def init_instance(self, row=None):
        return IndicatorValue()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        indicator, year = instance.indicator, instance.fiscal_year
        first, last = self.plan.first_fiscal_year, self.plan.last_fiscal_year
        outside = first and last and not first <= year <= last  # an open period takes any
        if year is not None and outside and year != indicator.baseline_year:
            raise ValidationError(
                {"fiscal_year": YEAR_OUTSIDE_PLAN % {"year": year, "first": first, "last": last}}
            )

    def row_key(self, instance) -> str:
        return f"{instance.indicator.key} {instance.fiscal_year}"

    def do_instance_save(self, instance, is_create):
        changed = self.changed_fields(instance)
        saved = indicator_services.indicator_value_set(
            actor=self.actor,
            indicator=instance.indicator,
            fiscal_year=instance.fiscal_year,
            value=instance.value,
            raw_text=None if "value" in changed else instance.raw_text,
            note=instance.note,
        )
        instance.pk = saved.pk


# --- Reading results -------------------------------------------------------------------------


def import_problems(resource: PlanScopedResource, result: Result) -> list[ImportProblem]:
    """Every reason the import was refused, as spreadsheet row, column and message."""
    problems = [ImportProblem(None, "", str(error.error)) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [ImportProblem(number + 1, "", str(error.error)) for error in errors]
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = resource.column_for(key)
            problems += [ImportProblem(invalid.number + 1, column, str(m)) for m in messages]
    return problems


def import_changes(result: Result) -> list[Change]:
    """What the import changes (or, on a dry run, would change), cell by cell."""
    return [change for row in result.rows for change in getattr(row, "changes", [])]
