"""Read-only QuerySet methods, named for what they select."""

from django.db import models
from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def for_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def editable_by(self, user):
        """Plans a staff user may edit: all for superusers, else their municipalities'."""
        if user.is_superuser:
            return self
        return self.filter(municipality__editors=user)


class PlanNodeQuerySet(TreeQuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def published(self):
        return self.filter(plan__status="published")

    def policies(self):
        return self.filter(kind="policy")

    def cross_cutting(self):
        return self.filter(kind="cross_cutting")

    def editable_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(plan__municipality__editors=user)


class PlanNodeManager(TreeManager.from_queryset(PlanNodeQuerySet)):
    pass
