"""Reads for imports: the sample catalog, a plan's outline document and its fixture."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from importers.models import ImportRun
from importers.municipalities import (
    MunicipalityAmbiguous,
    MunicipalityNotFound,
    find_municipality,
)
from importers.parsing.model import ParsedPlan
from importers.targets import ImportFailed, MunicipalityInfo, PlanInfo
from indicators.models import Indicator, IndicatorValue
from plans.models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
CATALOG_PATH = SAMPLES_DIR / "catalog.json"
OPEN_PERIOD_SLUG = "draft"  # the slug of a new plan whose text states no period
MUNICIPALITY_AMBIGUOUS = (
    "%(name)s is the name of municipalities in %(prefectures)s: which prefecture? "
    "give --prefecture (e.g. --prefecture %(first)s)"
)
MUNICIPALITY_UNKNOWN = (
    "unknown municipality %(name)r: not in the national table of municipalities; check the "
    "name (e.g. 松戸市 or 千葉県松戸市), or give --municipality-slug and --prefecture to create it"
)

# The sample fixtures are a snapshot of the samples, not of the moment or the database they were
# built with: every "when was this row written" field carries this one instant (令和6年度 begins,
# 00:00 JST) and JSON fields list their keys sorted (PostgreSQL's jsonb keeps no key order), so
# a rebuild changes no line unless what the samples import to has changed.
FIXTURE_WRITTEN_AT = datetime(2024, 3, 31, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class CatalogEntry:
    """A sample plan: where to import it, from which files, into which fixture."""

    municipality: MunicipalityInfo
    plan: PlanInfo
    files: tuple[str, ...]
    prefer: str | None
    fixture: str

    def paths(self) -> list[Path]:
        return [SAMPLES_DIR / name for name in self.files]


@cache
def sample_catalog() -> tuple[CatalogEntry, ...]:
    """The sample plans of ``importers/samples/catalog.json``, in catalog order."""
    data = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return tuple(
        CatalogEntry(
            municipality=MunicipalityInfo(**entry["municipality"]),
            plan=PlanInfo(**entry["plan"]),
            files=tuple(entry["files"]),
            prefer=entry.get("prefer"),
            fixture=entry["fixture"],
        )
        for entry in data["plans"]
    )


def catalog_entry_for(name: str) -> CatalogEntry | None:
    """The sample whose municipality has this name (小美玉市) or slug (omitama)."""
    return next(
        (
            entry
            for entry in sample_catalog()
            if name in (entry.municipality.name, entry.municipality.slug)
        ),
        None,
    )


def plan_for_slug(plan_slug: str, municipality: str | None = None) -> Plan:
    """A plan by "municipality/plan" or by plan slug plus municipality (name or slug).

    Raises ``Plan.DoesNotExist`` or ``Plan.MultipleObjectsReturned`` (a slug such as 2023 is
    shared by several municipalities: name the municipality then).
    """
    if "/" in plan_slug and municipality is None:
        municipality, plan_slug = plan_slug.split("/", 1)
    plans = Plan.objects.select_related("municipality").filter(slug=plan_slug)
    if municipality is not None:
        plans = plans.filter(
            Q(municipality__slug=municipality) | Q(municipality__name=municipality)
        )
    return plans.get()


def import_target_for(
    municipality: str,
    *,
    parsed: ParsedPlan | None = None,
    municipality_slug: str | None = None,
    prefecture: str = "",
    local_gov_code: str = "",
    plan_slug: str | None = None,
    plan_title: str = "",
    period: tuple[int, int] | None = None,
    status: str | None = None,
) -> tuple[MunicipalityInfo, PlanInfo]:
    """Where ``import_plan --municipality NAME …`` imports to.

    The municipality is found in the database (by slug or name, in ``prefecture`` if given),
    else in the sample catalog, else in the national table of municipalities (code, prefecture,
    reading and a slug made from the reading); a name that several municipalities share (府中市)
    needs ``prefecture``. Options given always apply. For a plan that does not exist yet, the
    catalog's title, period and status are defaults, then the period ``parsed`` states (its
    first year is the slug); without any, the period stays open (a draft).

    Raises ``ImportFailed`` with a question when the municipality is unknown or ambiguous.
    """
    found = _municipality_in_database(municipality, municipality_slug, prefecture)
    entry = catalog_entry_for(municipality_slug or municipality)
    if found is not None:
        where = MunicipalityInfo(name=found.name, slug=found.slug, prefecture=found.prefecture)
    elif entry is not None:
        where = entry.municipality
    else:
        where = _municipality_from_table(
            municipality, municipality_slug, prefecture, local_gov_code
        )
    text_period = (parsed.first_fiscal_year, parsed.last_fiscal_year) if parsed else (None, None)
    slug = plan_slug or _default_plan_slug(found, entry, period or text_period)
    exists = Plan.objects.filter(municipality__slug=where.slug, slug=slug).exists()
    defaults = entry.plan if entry is not None and entry.plan.slug == slug and not exists else None
    if period is None and defaults is not None:
        period = (defaults.first_fiscal_year, defaults.last_fiscal_year)
    first, last = period or (text_period if not exists else (None, None))
    return where, PlanInfo(
        slug=slug,
        title=plan_title or (defaults.title if defaults else ""),
        first_fiscal_year=first,
        last_fiscal_year=last,
        status=status or (defaults.status if defaults else None),
    )


def _municipality_in_database(name: str, slug: str | None, prefecture: str) -> Municipality | None:
    if slug:
        return Municipality.objects.filter(slug=slug).first()
    found = list(Municipality.objects.filter(Q(slug=name) | Q(name=name)))
    if prefecture:
        found = [m for m in found if m.prefecture in (prefecture, f"{prefecture}県")]
    if len(found) > 1:
        choices = "、".join(m.prefecture for m in found)
        first = found[0].prefecture
        raise ImportFailed(
            MUNICIPALITY_AMBIGUOUS % {"name": name, "prefectures": choices, "first": first}
        )
    return found[0] if found else None


def _municipality_from_table(
    name: str, slug: str | None, prefecture: str, local_gov_code: str
) -> MunicipalityInfo:
    """A new municipality from the national table (or, outside it, from the options given)."""
    try:
        record = find_municipality(name, prefecture)
    except MunicipalityAmbiguous as error:
        choices = "、".join(record.prefecture for record in error.candidates)
        raise ImportFailed(
            MUNICIPALITY_AMBIGUOUS
            % {"name": error.name, "prefectures": choices, "first": error.candidates[0].prefecture}
        ) from error
    except MunicipalityNotFound:
        if slug and prefecture:
            return MunicipalityInfo(
                name=name, slug=slug, prefecture=prefecture, local_gov_code=local_gov_code
            )
        raise ImportFailed(MUNICIPALITY_UNKNOWN % {"name": name}) from None
    known = Municipality.objects.filter(local_gov_code=record.code).first()
    if known is not None:
        return MunicipalityInfo(name=known.name, slug=known.slug, prefecture=known.prefecture)
    if not slug:
        slug = record.slug
        if Municipality.objects.filter(slug=slug).exists():
            slug = f"{slug}-{record.prefecture_slug}"  # the second 府中市: fuchu-hiroshima
    return MunicipalityInfo(
        name=record.name,
        slug=slug,
        prefecture=record.prefecture,
        name_kana=record.kana,
        local_gov_code=record.code,
    )


def _default_plan_slug(
    found: Municipality | None, entry: CatalogEntry | None, period: tuple
) -> str:
    if entry is not None:
        return entry.plan.slug
    slugs = list(Plan.objects.filter(municipality=found).values_list("slug", flat=True))
    if len(slugs) == 1:
        return slugs[0]
    if slugs and not period[0]:
        raise ImportFailed("which plan? give --plan-slug (e.g. 2023)")
    return str(period[0]) if period[0] else OPEN_PERIOD_SLUG


# --- Fixtures -------------------------------------------------------------------------------


def plan_fixture_objects(plan: Plan) -> list[dict]:
    """Everything of one plan as serializable dicts with natural keys, parents before children.

    Tree fields come as stored; ``fixture_tree_ids_renumbered`` makes them start where the
    fixture set needs them.
    """
    nodes = PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft")
    groups = [
        ([plan.municipality], ["name", "name_kana", "prefecture", "local_gov_code", "slug"]),
        ([plan], None),
        (nodes, None),
        (
            NodeSection.objects.filter(node__plan=plan).order_by(
                "node__tree_id", "node__lft", "order", "pk"
            ),
            None,
        ),
        (
            CrossReference.objects.filter(from_node__plan=plan).order_by(
                "from_node__tree_id", "from_node__lft", "order"
            ),
            None,
        ),
        (Indicator.objects.filter(plan=plan).order_by("node__tree_id", "node__lft", "order"), None),
        (
            IndicatorValue.objects.filter(indicator__plan=plan).order_by(
                "indicator", "fiscal_year"
            ),
            None,
        ),
        (GlossaryTerm.objects.filter(plan=plan).order_by("order"), None),
        (ImportRun.objects.filter(plan=plan).order_by("number"), None),
    ]
    objects: list[dict] = []
    for queryset, fields in groups:
        objects.extend(
            serializers.serialize(
                "python",
                queryset,
                fields=fields,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
    for item in objects:
        written_at, json_fields = _fields_to_settle(item["model"])
        for name in written_at:
            item["fields"][name] = FIXTURE_WRITTEN_AT
        for name in json_fields:
            item["fields"][name] = _keys_sorted(item["fields"][name])
    return objects


@cache
def _fields_to_settle(label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A model's fields that record when a row was written (auto_now, default=now), and its
    JSON fields."""
    fields = apps.get_model(label)._meta.concrete_fields
    written_at = tuple(
        field.name
        for field in fields
        if isinstance(field, models.DateTimeField)
        and (field.auto_now or field.auto_now_add or field.default is timezone.now)
    )
    return written_at, tuple(f.name for f in fields if isinstance(f, models.JSONField))


def _keys_sorted(value):
    if isinstance(value, dict):
        return {key: _keys_sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_keys_sorted(item) for item in value]
    return value


def fixture_tree_ids_renumbered(objects: list[dict], first_tree_id: int) -> int:
    """Give the plan's trees consecutive ids from ``first_tree_id``; return the next free id.

    Whatever ids the database handed out (PostgreSQL's start at a million, see
    :mod:`plans.trees`), a fixture set numbers its trees 1, 2, 3 … in order: the same text
    from either database, and ids below any the running site hands out.
    """
    nodes = [item for item in objects if item["model"] == "plans.plannode"]
    mapping: dict[int, int] = {}
    for item in nodes:
        mapping.setdefault(item["fields"]["tree_id"], first_tree_id + len(mapping))
    for item in nodes:
        item["fields"]["tree_id"] = mapping[item["fields"]["tree_id"]]
    return first_tree_id + len(mapping)


def fixture_json(objects: list[dict]) -> str:
    return json.dumps(objects, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1) + "\n"


def plan_fixture_text(plan: Plan, first_tree_id: int = 1) -> str:
    """A standalone fixture of one plan, its trees numbered from ``first_tree_id``."""
    objects = plan_fixture_objects(plan)
    fixture_tree_ids_renumbered(objects, first_tree_id)
    return fixture_json(objects)
