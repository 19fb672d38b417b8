"""Backup and restore of one municipality or all: every row that belongs to a municipality
(every model with a ``tenancy_path``, see :mod:`plans.tenancy`) and its history.

The document is JSON: Django's serialized rows with their ids kept (the tree's ``tree_id``,
``lft``, ``rght`` included, so the tree comes back exactly), and users named by user name —
staff roles and the history's 「変更者」 — never by id or with passwords. A model that joins
the tenancy later is backed up without changing this module.

Restoring replaces the municipalities in the document: their rows and history are deleted
and the document's rows written with their ids, in one transaction. A user name unknown to
the database becomes an inactive account without a password (reported), so history keeps it.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from plans import tenancy, versions
from plans.models import Municipality

FORMAT = "sogo-keikaku-portal-backup"
VERSION = 1


class BackupError(ValueError):
    """A document we cannot restore; ``str()`` says why, for the command line."""


@dataclass
class RestoreReport:
    municipalities: list[str]
    rows: dict[str, int] = field(default_factory=dict)
    created_users: list[str] = field(default_factory=list)


def backed_up_models() -> list[type[models.Model]]:
    """Municipality models, parents first, then their histories."""
    tenant = [m for m in apps.get_models() if tenancy.tenancy_path(m) is not None]
    ordered = serializers.sort_dependencies([(None, tenant)])
    histories = [m.history.model for m in ordered if _has_history(m)]
    return [*ordered, *histories]


def _has_history(model) -> bool:
    return hasattr(model, "_meta") and getattr(
        model._meta, "simple_history_manager_attribute", None
    )


def _rows(model, municipality_ids: list[int] | None) -> models.QuerySet:
    """The rows of ``model`` (or of a history) that belong to these municipalities.

    Followed one link at a time through ids that ever belonged to them — live rows and past
    versions — so the history of a KPI deleted since is found too.
    """
    rows = model._base_manager.order_by("pk")
    if municipality_ids is None:
        return rows
    base = getattr(model, "instance_type", model)
    path = tenancy.tenancy_path(base)
    if path == "":  # a municipality, or its history: the original id is ``id`` in both
        return rows.filter(id__in=municipality_ids)
    link = base._meta.get_field(path.split("__")[0])
    owners = _ids_ever(link.related_model, municipality_ids)
    return rows.filter(**{f"{link.attname}__in": owners})


def _ids_ever(model, municipality_ids: list[int]) -> set:
    ids = set(_rows(model, municipality_ids).values_list("pk", flat=True))
    if _has_history(model):
        ids |= set(_rows(model.history.model, municipality_ids).values_list("id", flat=True))
    return ids


def _user_fields(model) -> list[str]:
    user_model = get_user_model()
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is user_model
    ]


def backup_document(slugs: list[str] | None = None) -> dict:
    """The backup of the municipalities with these slugs (all when None) as a JSON-ready dict."""
    cities = Municipality.objects.order_by("slug")
    if slugs is not None:
        cities = cities.filter(slug__in=slugs)
        missing = sorted(set(slugs) - set(cities.values_list("slug", flat=True)))
        if missing:
            raise BackupError(f"自治体が見つかりません: {', '.join(missing)}")
    ids = list(cities.values_list("pk", flat=True)) if slugs is not None else None
    usernames = dict(get_user_model()._default_manager.values_list("pk", "username"))
    objects = []
    for model in backed_up_models():
        user_fields = _user_fields(model)
        for row in serializers.serialize("python", _rows(model, ids)):
            for name in user_fields:
                if row["fields"][name] is not None:
                    row["fields"][name] = usernames[row["fields"][name]]
            objects.append(row)
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "municipalities": list(cities.values_list("slug", flat=True)),
        "objects": objects,
    }


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def backup_json(slugs: list[str] | None = None) -> str:
    return json.dumps(backup_document(slugs), cls=ExactJSONEncoder, ensure_ascii=False, indent=1)


def restore_document(document: dict) -> RestoreReport:
    """Replace the document's municipalities by its rows, in one transaction."""
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise BackupError(f"バックアップ（{FORMAT} 第{VERSION}版）のファイルではありません。")
    slugs = list(document["municipalities"])
    report = RestoreReport(municipalities=slugs)
    with transaction.atomic():
        _delete_municipalities(slugs)
        objects = _with_user_ids(document["objects"], report)
        _refuse_taken_ids(objects)
        with connection.constraint_checks_disabled(), versions.paused():
            for restored in serializers.deserialize("python", objects):
                restored.save()
                label = restored.object._meta.label
                report.rows[label] = report.rows.get(label, 0) + 1
        connection.check_constraints()
        _reset_sequences()
    return report


def _delete_municipalities(slugs: list[str]) -> None:
    ids = list(Municipality.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    if not ids:
        return
    # Histories first (their rows are found through the live rows), then children before
    # parents; whole trees go at once, so no tree bookkeeping and no new history rows.
    for model in reversed(backed_up_models()):
        rows = _rows(model, ids)
        pks = list(rows.values_list("pk", flat=True))
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                links = through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": pks})
                links._raw_delete(links.db)
        rows._raw_delete(rows.db)


def _with_user_ids(objects: list[dict], report: RestoreReport) -> list[dict]:
    user_model = get_user_model()
    fields_by_model = {m._meta.label_lower: _user_fields(m) for m in backed_up_models()}
    named = {
        row["fields"][name]
        for row in objects
        for name in fields_by_model.get(row["model"], [])
        if row["fields"][name] is not None
    }
    ids = dict(user_model._default_manager.filter(username__in=named).values_list("username", "pk"))
    for username in sorted(named - ids.keys()):
        user = user_model(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
        ids[username] = user.pk
        report.created_users.append(username)
    for row in objects:
        for name in fields_by_model.get(row["model"], []):
            if row["fields"][name] is not None:
                row["fields"][name] = ids[row["fields"][name]]
    return objects


def _refuse_taken_ids(objects: list[dict]) -> None:
    """Ids held by another municipality's rows would be overwritten: refuse, say where."""
    wanted: dict[str, list] = {}
    for row in objects:
        wanted.setdefault(row["model"], []).append(row["pk"])
    taken = []
    for label, pks in wanted.items():
        model = apps.get_model(label)
        count = model._base_manager.filter(pk__in=pks).count()
        if count:
            taken.append(f"{model._meta.verbose_name} {count}件")
    if taken:
        raise BackupError(
            "復元先のデータベースで、別の自治体の行が同じIDを使っています: " + "、".join(taken)
        )


def _reset_sequences() -> None:
    """After rows written with their ids, new rows must get ids past them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval('plans_plannode_tree_id_seq', GREATEST("
                "(SELECT last_value FROM plans_plannode_tree_id_seq), "
                "(SELECT COALESCE(MAX(tree_id), 0) FROM plans_plannode)))"
            )
