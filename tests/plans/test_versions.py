"""A plan's version for the page cache: read by a query the ORM compiled once, run with each
call's slugs."""

from datetime import timedelta

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


def test_no_version_for_a_draft_or_unknown_plan(plan, earlier_plan):
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
