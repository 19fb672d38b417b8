"""Why the plan tree is built in Python: render a plan tree of about 5,010 nodes (the largest
sample plan's trees repeated) with ``plan_tree_html`` and with a template ``{% include %}`` per
node (cached templates), on the same data, and print the best of five of each.

    .venv/bin/python bench/tree_render.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODES = 5010

TREE = (
    '<ol class="tree">{% for root in roots %}<li class="tree-root">'
    '{% include "item.html" with node=root %}{% if root.tree_children %}'
    '{% include "children.html" with nodes=root.tree_children open=True %}{% endif %}'
    "</li>{% endfor %}</ol>"
)
CHILDREN = (
    "{% load i18n %}<details{% if open %} open{% endif %}><summary>"
    "{% blocktranslate with level=nodes.0.level_label count counter=nodes|length %}"
    "{{ level }} {{ counter }}件{% plural %}{{ level }} {{ counter }}件{% endblocktranslate %}"
    '</summary><ol>{% for node in nodes %}<li>{% include "item.html" %}'
    '{% if node.tree_children %}{% include "children.html" with nodes=node.tree_children '
    "open=False %}{% endif %}</li>{% endfor %}</ol></details>"
)
ITEM = (
    '{% load i18n %}<a class="node-link" href="{{ node.url }}"><span class="level">'
    '{{ node.level_label }}</span>{% if node.code %} <span class="code">{{ node.code }}'
    '</span>{% endif %} <span class="title">{{ node.title }}</span></a>'
    '{% if node.is_priority %} <span class="badge priority">{% translate "重点" %}</span>'
    '{% endif %} <span class="counts">{% if node.descendant_total %}'
    "{% blocktranslate with count=node.descendant_total %}{{ count }}項目"
    "{% endblocktranslate %}{% endif %}</span>{% for goal in node.goals %}"
    '<span class="sdg sdg-{{ goal.number }}" title="{{ goal.name }}">SDG{{ goal.number }}'
    "</span>{% endfor %}"
)


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "tree.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, keepdb=False)
    call_command("loaddata", "omitama", "honjo", "kiyose", "tomakomai", verbosity=0)


def best_of_five(render) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    setup()
    from django.db.models import Count
    from django.template import Context, Engine

    from plans.models import Plan
    from portal import selectors
    from portal.presenters.plans import plan_tree_html

    largest = Plan.objects.published().annotate(n=Count("nodes")).order_by("-n").first()
    plan = selectors.public_plan(largest.municipality.slug, largest.slug)
    tree = selectors.plan_tree(plan, sdg=None, goals=selectors.sdg_goals())
    copies = NODES // largest.n
    roots = tree.roots * copies
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"tree.html": TREE, "children.html": CHILDREN, "item.html": ITEM},
                    )
                ],
            )
        ],
        libraries={"i18n": "django.templatetags.i18n"},
    )
    template = engine.get_template("tree.html")
    in_python = best_of_five(lambda: plan_tree_html(roots, {}))
    in_templates = best_of_five(lambda: template.render(Context({"roots": roots})))
    print(f"{plan.municipality.name} {plan.title}, {copies} copies: {largest.n * copies} nodes")
    print(f"plan_tree_html, one pass in Python:  {in_python * 1000:8.1f} ms")
    print(f"an {{% include %}} per node:          {in_templates * 1000:8.1f} ms")
    print(f"ratio: {in_templates / in_python:.1f}x")


if __name__ == "__main__":
    main()
