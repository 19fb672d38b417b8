"""The run command loads the sample plans once, and never over plans already there."""

from io import StringIO

from django.core.management import call_command

from plans.models import Plan, PlanNode


def run() -> str:
    out = StringIO()
    call_command("load_samples", stdout=out)
    return out.getvalue()


def test_loads_every_sample_plan_into_an_empty_database(db):
    assert "Loaded 4 sample fixtures" in run()
    assert sorted(Plan.objects.values_list("municipality__slug", flat=True)) == [
        "honjo",
        "kiyose",
        "omitama",
        "tomakomai",
    ]
    before = list(
        PlanNode.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level")
    )
    PlanNode.objects.rebuild()
    assert (
        list(PlanNode.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level"))
        == before
    )


def test_a_second_run_changes_nothing(db):
    run()
    node = PlanNode.objects.get(plan__municipality__slug="omitama", code="1101")
    PlanNode.objects.filter(pk=node.pk).update(title="職員が直した名称")
    assert "already holds plans" in run()
    node.refresh_from_db()
    assert node.title == "職員が直した名称"
