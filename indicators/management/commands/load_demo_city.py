"""``manage.py load_demo_city``: add the fictional city 「サンプル市（架空）」 with yearly actuals.

The real sample cities print no actuals, so on a fresh machine no KPI would show progress. This
adds a clearly fictional city instead of inventing figures for a real one. Once loaded, running
it again changes nothing.
"""

from django.core.management.base import BaseCommand

from indicators.demo import DEMO_SLUG, build_demo_plan
from plans.models import Municipality


class Command(BaseCommand):
    help = "Add the fictional demo city サンプル市（架空） with a plan, KPIs and yearly actuals."

    def handle(self, *args, **options):
        if Municipality.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("The fictional demo city is already loaded; nothing changed.")
            return
        plan = build_demo_plan()
        kpis = plan.indicators.count()
        self.stdout.write(f"Loaded the fictional demo city: {plan} ({kpis} KPIs with actuals).")
