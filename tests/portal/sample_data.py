"""The sample plans for portal tests: the importer's committed fixtures (natural keys).

``loaddata`` resolves every natural key and saves every row on its own (about 3,200 queries
for the four plans: seconds on PostgreSQL, and the modules that load the samples are many).
So each test process loads them once with ``loaddata`` and keeps the rows it wrote; later
loads insert those same rows again, a statement per table, as stored (ids, tree fields and
update times included). The fixtures' own loading is tested in ``tests/importers``.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

FIXTURE_NAMES = ["omitama", "honjo", "kiyose", "tomakomai"]
# The tables the fixtures write, parents first.
MODELS = [
    "plans.Municipality",
    "plans.Plan",
    "importers.ImportRun",
    "plans.PlanNode",
    "plans.NodeSection",
    "plans.CrossReference",
    "plans.GlossaryTerm",
    "indicators.Indicator",
]

# Per set of fixtures: (model, rows as stored) of its first load in this process.
_loaded: dict[tuple[str, ...], list[tuple[type[models.Model], list[models.Model]]]] = {}


def load_sample_plans(names: tuple[str, ...] = tuple(FIXTURE_NAMES)) -> None:
    """The sample plans ``names`` (all four by default) in the database, as
    fixtures/<name>.json hold them; fails saying which fixture is missing."""
    if names in _loaded:
        for model, rows in _loaded[names]:
            _insert_as_stored(model, rows)
        return
    fixture_dir = Path(settings.BASE_DIR) / "fixtures"
    missing = [name for name in names if not (fixture_dir / f"{name}.json").exists()]
    if missing:
        pytest.fail(f"sample fixtures missing in {fixture_dir}: {missing}", pytrace=False)
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _tables()}
    call_command("loaddata", *names, verbosity=0)
    _loaded[names] = [
        (model, [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]])
        for model in _tables()
    ]


def _tables() -> list[type[models.Model]]:
    """The fixtures' models, then the link tables of their many-to-many fields."""
    tables = [apps.get_model(label) for label in MODELS]
    links = [
        field.remote_field.through
        for model in tables
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    return tables + links


def _insert_as_stored(model: type[models.Model], rows: list[models.Model]) -> None:
    """``rows`` inserted as they were read. ``bulk_create`` sets auto_now fields to now (on the
    rows too), so they are put back to the stored time: one UPDATE per distinct time, and the
    fixtures have one."""
    stamped = [
        field.attname for field in model._meta.concrete_fields if getattr(field, "auto_now", False)
    ]
    stored = [(row, [getattr(row, name) for name in stamped]) for row in rows]
    model._base_manager.bulk_create(rows, batch_size=200)
    for index, name in enumerate(stamped):
        pks_by_time: dict = {}
        for row, times in stored:
            setattr(row, name, times[index])
            pks_by_time.setdefault(times[index], []).append(row.pk)
        for time, pks in pks_by_time.items():
            model._base_manager.filter(pk__in=pks).update(**{name: time})
