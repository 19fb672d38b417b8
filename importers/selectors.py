"""Reads for imports: the sample catalog, a plan's outline document and its fixture."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from importers.models import GlossaryTerm, ImportRun
from importers.services import MunicipalityInfo, PlanInfo
from indicators.models import Indicator, IndicatorValue
from plans.models import CrossReference, NodeSection, Plan, PlanNode

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
CATALOG_PATH = SAMPLES_DIR / "catalog.json"


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
        plans = plans.filter(municipality__slug=municipality) | plans.filter(
            municipality__name=municipality
        )
    return plans.get()


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
        (NodeSection.objects.filter(node__plan=plan).order_by("node__tree_id", "node__lft"), None),
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
    return objects


def fixture_tree_ids_renumbered(objects: list[dict], first_tree_id: int) -> int:
    """Give the plan's trees consecutive ids from ``first_tree_id``; return the next free id.

    mptt's ``rebuild()`` numbers trees 1, 2, 3 … in ``tree_id`` order, so a fixture set whose
    trees are numbered consecutively from 1 loads as a valid forest that ``rebuild()`` keeps.
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
