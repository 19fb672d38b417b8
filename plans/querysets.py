"""Read-only QuerySet methods, named for what they select."""

from django.db import models
from mptt.querysets import TreeQuerySet

from .tenancy import CHANGE, scope
from .trees import PlanTreeManager


class MunicipalityManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PlanQuerySet(models.QuerySet):
    def get_by_natural_key(self, municipality_slug, slug):
        return self.get(municipality__slug=municipality_slug, slug=slug)

    def published(self):
        return self.filter(status="published")

    def for_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def editable_by(self, user):
        """Plans a staff user may edit: all for superusers, else their municipalities'."""
        return scope(self, user, CHANGE)


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
        """Nodes a staff user may edit (the same question as :meth:`PlanQuerySet.editable_by`)."""
        return scope(self, user, CHANGE)


class PlanNodeManager(PlanTreeManager.from_queryset(PlanNodeQuerySet)):
    def get_by_natural_key(self, municipality_slug, plan_slug, key):
        return self.get(plan__municipality__slug=municipality_slug, plan__slug=plan_slug, key=key)


class NodeSectionManager(models.Manager):
    def get_by_natural_key(self, municipality_slug, plan_slug, node_key, order):
        return self.get(
            node__plan__municipality__slug=municipality_slug,
            node__plan__slug=plan_slug,
            node__key=node_key,
            order=order,
        )


class CrossReferenceManager(models.Manager):
    def get_by_natural_key(self, municipality_slug, plan_slug, from_key, order):
        return self.get(
            from_node__plan__municipality__slug=municipality_slug,
            from_node__plan__slug=plan_slug,
            from_node__key=from_key,
            order=order,
        )


class GlossaryTermManager(models.Manager):
    def get_by_natural_key(self, municipality_slug, plan_slug, term):
        return self.get(plan__municipality__slug=municipality_slug, plan__slug=plan_slug, term=term)
