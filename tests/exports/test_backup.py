"""Backup and restore (``manage.py backup`` / ``restore``): a round trip gives back every field
of every row — plans, trees, KPIs, values, glossary, staff roles, history — and a valid tree.
Runs on SQLite and on PostgreSQL (``DATABASE_URL``)."""

import json

import pytest
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from exports.backup import backed_up_models
from indicators.models import Indicator
from plans.models import Membership, PlanNode
from tests.security.conftest import build_two_cities


@pytest.fixture(scope="module")
def with_history(django_db_setup, django_db_blocker):
    """The two sample cities, with past versions by a named staff member; rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_two_cities()
            clerk = User.objects.get(username="clerk_b")
            for model in (PlanNode, Indicator):
                for row in model.objects.order_by("pk")[:40]:
                    row.save()
                    row.history.filter(pk=row.history.latest().pk).update(history_user=clerk)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def cities(with_history, db):
    return None


def snapshot() -> dict[str, list[dict]]:
    """Every field of every backed-up row (many-to-many links included), by model."""
    return {
        model._meta.label: serializers.serialize("python", model._base_manager.order_by("pk"))
        for model in backed_up_models()
    }


def differences(before: dict, after: dict) -> list[str]:
    """Rows missing, added or changed, as short lines naming the model, id and fields."""
    found = []
    for label in sorted(before.keys() | after.keys()):
        old = {row["pk"]: row["fields"] for row in before.get(label, [])}
        new = {row["pk"]: row["fields"] for row in after.get(label, [])}
        for pk in sorted(old.keys() ^ new.keys(), key=str):
            found.append(f"{label} {pk}: {'missing' if pk in old else 'added'}")
        for pk in sorted(old.keys() & new.keys(), key=str):
            changed = [k for k in old[pk] if old[pk][k] != new[pk].get(k)]
            if changed:
                found.append(f"{label} {pk}: {changed}")
    return found


def tree_fields() -> list[tuple]:
    return list(
        PlanNode.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level")
    )


def test_the_backup_holds_every_kind_of_row(cities, tmp_path):
    path = tmp_path / "all.json"
    call_command("backup", "-o", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    document = json.loads(path.read_text(encoding="utf-8"))
    kinds = {row["model"] for row in document["objects"]}
    for expected in [
        "plans.municipality",
        "plans.membership",
        "plans.plan",
        "plans.plannode",
        "plans.nodesection",
        "plans.crossreference",
        "plans.glossaryterm",
        "indicators.indicator",
        "indicators.indicatorvalue",
        "plans.historicalplannode",
        "indicators.historicalindicator",
    ]:
        assert expected in kinds
    staff = {
        row["fields"]["user"] for row in document["objects"] if row["model"] == "plans.membership"
    }
    assert staff == {"clerk_a", "clerk_b"}  # users by name, never by id or with a password
    assert "password" not in path.read_text(encoding="utf-8")


def test_round_trip_gives_back_every_field_and_a_valid_tree(cities, tmp_path):
    before, trees = snapshot(), tree_fields()
    path = tmp_path / "all.json"
    call_command("backup", "-o", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    PlanNode.objects.filter(plan__municipality__slug="honjo").update(title="壊れた名称")
    Indicator.objects.all().delete()
    call_command("restore", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    assert differences(before, snapshot()) == []
    PlanNode.objects.rebuild()
    assert tree_fields() == trees  # rebuilding from parent links changes nothing


def test_one_municipality_is_restored_without_touching_the_other(cities, tmp_path):
    path = tmp_path / "honjo.json"
    call_command("backup", "honjo", "-o", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    omitama_node = PlanNode.objects.filter(plan__municipality__slug="omitama").first()
    honjo_node = PlanNode.objects.filter(plan__municipality__slug="honjo").first()
    honjo_title = honjo_node.title
    PlanNode.objects.filter(pk__in=[omitama_node.pk, honjo_node.pk]).update(title="編集後")
    call_command("restore", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    assert PlanNode.objects.get(pk=honjo_node.pk).title == honjo_title
    assert PlanNode.objects.get(pk=omitama_node.pk).title == "編集後"


def test_a_missing_user_comes_back_as_an_inactive_account(cities, tmp_path):
    path = tmp_path / "honjo.json"
    call_command("backup", "honjo", "-o", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    User.objects.filter(username="clerk_b").delete()
    out = tmp_path / "restore.txt"
    call_command("restore", str(path), stdout=open(out, "w"))  # noqa: SIM115
    clerk = User.objects.get(username="clerk_b")
    assert not clerk.is_active and not clerk.has_usable_password()
    assert Membership.objects.get(user=clerk).municipality.slug == "honjo"
    assert "clerk_b" in out.read_text(encoding="utf-8")


def test_a_file_that_is_no_backup_is_refused_and_changes_nothing(cities, tmp_path):
    before = snapshot()
    path = tmp_path / "other.json"
    path.write_text('{"model": "plans.plan"}', encoding="utf-8")
    with pytest.raises(CommandError, match="バックアップ"):
        call_command("restore", str(path))
    assert snapshot() == before
