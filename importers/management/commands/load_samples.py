"""``manage.py load_samples``: load the sample plans' fixtures into a database that lacks them.

``loaddata`` would overwrite whatever staff changed in the sample plans since, and the fixtures'
tree ids assume no other trees, so the sample fixtures are loaded only into a database that holds
no plan yet; otherwise this says so and changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from plans.models import Plan


class Command(BaseCommand):
    help = "Load fixtures/*.json (the sample plans) into a database that holds no plan yet."

    def handle(self, *args, **options):
        if Plan.objects.exists():
            self.stdout.write("The database already holds plans; sample fixtures not loaded.")
            return
        fixtures = sorted(str(path) for path in Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        call_command("loaddata", *fixtures, verbosity=0)
        names = ", ".join(str(plan) for plan in Plan.objects.select_related("municipality"))
        self.stdout.write(f"Loaded {len(fixtures)} sample fixtures: {names}")
