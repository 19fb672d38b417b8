"""A plan's version for the page cache: read by a query the ORM compiled once, run with each
call's slugs, and remembered until a write may have changed it."""

import select
import threading
from datetime import timedelta

import pytest
from django.db import connection

from plans import versions
from plans.models import Plan


def test_each_plan_reads_its_own_version(plan, earlier_plan, django_assert_num_queries):
    """The second call runs the compiled query with its own slugs, not the first call's."""
    Plan.objects.filter(pk=earlier_plan.pk).update(
        status=Plan.Status.PUBLISHED, updated_at=plan.updated_at - timedelta(days=1)
    )
    earlier_plan.refresh_from_db()
    with django_assert_num_queries(2):
        found = [
            versions.plan_version("omitama", "2023"),
            versions.plan_version("omitama", "2018"),
        ]
    assert found == [plan.updated_at, earlier_plan.updated_at]
    assert found[0] != found[1]


def test_no_version_for_a_draft_or_unknown_plan(plan, earlier_plan, django_assert_num_queries):
    assert versions.plan_version("omitama", "no-such-plan") is None
    with django_assert_num_queries(1):  # asked again: no address is remembered as "none"
        assert versions.plan_version("omitama", "no-such-plan") is None
    assert versions.plan_version("omitama", "2018") is None  # a draft
    assert versions.plan_version("omitama", "2023") == plan.updated_at


def test_site_version_is_the_newest_published_plan_and_the_number_of_plans(plan, earlier_plan):
    assert versions.site_version() == (plan.updated_at, 1)
    Plan.objects.filter(pk=earlier_plan.pk).update(status=Plan.Status.PUBLISHED)
    versions.plans_touch([earlier_plan.pk])
    earlier_plan.refresh_from_db()
    assert versions.site_version() == (earlier_plan.updated_at, 2)


def test_no_published_plan_has_a_site_version_too(earlier_plan):
    assert versions.site_version() == (None, 0)


def test_a_version_read_once_is_remembered_until_a_write_here(plan, django_assert_num_queries):
    versions.plan_version("omitama", "2023")
    with django_assert_num_queries(0):
        assert versions.plan_version("omitama", "2023") == plan.updated_at
    plan.title = "書き換えた計画"
    plan.save()  # moves updated_at itself, with no plans_touch
    assert versions.plan_version("omitama", "2023") == plan.updated_at


def _elsewhere(write) -> None:
    """Run ``write`` on another connection (a thread of its own), as another worker would."""

    def run():
        try:
            write()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if connection.vendor == "postgresql":
        # PostgreSQL sends the notice once the other transaction has committed; it reaches
        # this connection's socket a moment after that commit returns.
        assert select.select([connection.connection], [], [], 5)[0], "no notice within 5 s"


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_is_seen_at_the_next_read(plan):
    """An UPDATE by hand on another connection sends no signal in this process: the database
    tells (a PostgreSQL notice from plans_plan's trigger, SQLite's data_version)."""
    assert versions.plan_version("omitama", "2023") == plan.updated_at
    assert versions.site_version() == (plan.updated_at, 1)
    later = plan.updated_at + timedelta(hours=1)
    writes = versions._writes_here.count
    _elsewhere(lambda: Plan.objects.filter(pk=plan.pk).update(updated_at=later))
    assert versions._writes_here.count == writes  # nothing counted here: the database told
    assert versions.plan_version("omitama", "2023") == later
    assert versions.site_version() == (later, 1)
