"""Tenancy in one place: may this user do this to this municipality's object?

Every admin view (:class:`plans.admin.TenantAdmin` and its inlines), every upload and every
service that acts for a person asks :func:`allowed` for one object or narrows a query with
:func:`scope`. Nothing else decides who reaches what.

* A model names the way to its municipality in ``tenancy_path`` (a lookup such as
  ``"plan__municipality"``; ``""`` for :class:`~plans.models.Municipality` itself).
* A model without ``tenancy_path`` is a shared reference table (SDGゴール, users, groups):
  superusers only. A model registered later is refused to staff until it says where it belongs.
* A service that writes for a person takes that person as ``actor`` and calls :func:`require`
  (or :func:`require_in` for a municipality as a whole) before it writes: the admin, the entry
  screen, the Excel import and the text import all pass ``request.user``. Management commands,
  restores and the sample loader act as the portal itself and pass :data:`SYSTEM`, by name, so
  every write that skips the question can be found with ``grep SYSTEM``.
* Staff act through their role in each municipality (:class:`~plans.models.Membership`):
  an editor edits content and values, a publisher also publishes plans, a municipality admin
  also manages the municipality's staff and may delete its plans.

:class:`RoleBackend` turns the roles into Django's model permissions, so a staff member needs
a membership, not a hand-picked list of permissions.
"""

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
PUBLISH, ADMINISTER = "publish", "administer"
SUPERUSER_ONLY = None
NOT_ALLOWED = _("この自治体のこの内容を変更する権限がありません。")


class Role(models.TextChoices):
    """A staff member's role in one municipality, held by :class:`~plans.models.Membership`.

    Declared here, below the models, so that the models and their querysets may ask this
    module without an import cycle: tenancy imports nothing of the project.
    """

    EDITOR = "editor", _("編集者")
    PUBLISHER = "publisher", _("公開担当者")
    ADMIN = "admin", _("自治体管理者")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.EDITOR: frozenset({VIEW, ADD, CHANGE, DELETE}),
    Role.PUBLISHER: frozenset({VIEW, ADD, CHANGE, DELETE, PUBLISH}),
    Role.ADMIN: frozenset({VIEW, ADD, CHANGE, DELETE, PUBLISH, ADMINISTER}),
}

# What a role must allow for an action on these models, where it is not the action itself.
REQUIRED_ACTION: dict[str, dict[str, str | None]] = {
    "plans.municipality": {ADD: SUPERUSER_ONLY, CHANGE: ADMINISTER, DELETE: SUPERUSER_ONLY},
    "plans.membership": {ADD: ADMINISTER, CHANGE: ADMINISTER, DELETE: ADMINISTER},
    "plans.plan": {DELETE: ADMINISTER},
}


class System:
    """The portal acting on its own (a management command, a restore, the sample loader).

    Not a person, so no tenancy question is asked; passed explicitly as a service's ``actor``.
    """

    is_authenticated = False
    is_active = False
    is_superuser = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = System()


def tenancy_path(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its municipality; None for shared tables."""
    return getattr(model, "tenancy_path", None)


def required_action(model: type[models.Model], action: str) -> str | None:
    """The role action needed for ``action`` on ``model``; None when only superusers may."""
    if tenancy_path(model) is None:
        return SUPERUSER_ONLY
    return REQUIRED_ACTION.get(model._meta.label_lower, {}).get(action, action)


def roles_of(user) -> dict[int, str]:
    """The user's role in each municipality (by id), read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_tenancy_roles", None)
    if cached is None:
        rows = user.memberships.values_list("municipality_id", "role")
        cached = user._tenancy_roles = dict(rows)
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles (after the user's memberships changed)."""
    user.__dict__.pop("_tenancy_roles", None)


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def municipality_ids(user, model: type[models.Model], action: str = VIEW) -> list[int]:
    """Ids of the municipalities in which ``user`` may do ``action`` to ``model`` rows."""
    needed = required_action(model, action)
    if needed is None:
        return []
    return sorted(mid for mid, role in roles_of(user).items() if needed in ROLE_ACTIONS[role])


def scope(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    """The rows of ``queryset`` that ``user`` may do ``action`` to."""
    return scope_for(queryset, user, queryset.model, action)


def scope_for(queryset: models.QuerySet, user, model: type[models.Model], action: str):
    """The rows of ``queryset`` in municipalities where ``user`` may do ``action`` to ``model``.

    The choices of a form's foreign key: a plan may be chosen for a new KPI where the user may
    add KPIs, whatever their role allows on plans themselves.
    """
    if is_superuser(user):
        return queryset
    path = tenancy_path(queryset.model)
    ids = municipality_ids(user, model, action)
    if path is None or not ids:
        return queryset.none()
    return queryset.filter(**{f"{path}__in" if path else "pk__in": ids})


def municipality_id_of(obj: models.Model) -> int | None:
    """Follow the object's ``tenancy_path`` to its municipality's id (None if it has none yet)."""
    path = tenancy_path(type(obj))
    if path is None:
        return None
    if path == "":
        return obj.pk
    *through, last = path.split("__")
    try:
        for name in through:
            if getattr(obj, f"{name}_id", None) is None:
                return None
            obj = getattr(obj, name)
    except ObjectDoesNotExist:  # a past version whose plan or node is gone
        return None
    return getattr(obj, f"{last}_id", None)


def allowed(user, obj: models.Model, action: str = VIEW) -> bool:
    """May ``user`` do ``action`` to ``obj``? The one question every view and service asks."""
    if is_superuser(user):
        return True
    needed = required_action(type(obj), action)
    if needed is None:
        return False
    role = roles_of(user).get(municipality_id_of(obj))
    return role is not None and needed in ROLE_ACTIONS[role]


def parse_id(text) -> int | None:
    """A database id typed in a URL or form: digits that fit a 64-bit integer, else None."""
    text = str(text) if text is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def require(actor, obj: models.Model, action: str = VIEW) -> None:
    """Raise PermissionDenied unless :func:`allowed` (or ``actor`` is :data:`SYSTEM`)."""
    if actor is not SYSTEM and not allowed(actor, obj, action):
        raise PermissionDenied(NOT_ALLOWED)


def require_in(actor, model: type[models.Model], municipality_id: int | None, action: str) -> None:
    """Raise PermissionDenied unless ``actor`` may do ``action`` to ``model`` rows of the
    municipality (for writes to many rows at once, or to rows not yet made)."""
    if actor is SYSTEM or is_superuser(actor):
        return
    if municipality_id is None or municipality_id not in municipality_ids(actor, model, action):
        raise PermissionDenied(NOT_ALLOWED)


class RoleBackend:
    """Model permissions from roles: a membership grants its role's actions on tenant models.

    Without an object, a permission means "somewhere"; with one, :func:`allowed` decides.
    Shared tables get nothing from roles (superusers have every permission anyway).
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm: str, obj=None) -> bool:
        if not getattr(user, "is_staff", False):
            return False
        model, action = self._model_and_action(perm)
        if model is None:
            return False
        if obj is not None:
            return allowed(user, obj, action)
        return bool(municipality_ids(user, model, action))

    def has_module_perms(self, user, app_label: str) -> bool:
        if not getattr(user, "is_staff", False) or not roles_of(user):
            return False
        config = apps.get_app_config(app_label)
        return any(tenancy_path(model) is not None for model in config.get_models())

    @staticmethod
    def _model_and_action(perm: str):
        app_label, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        if action not in (VIEW, ADD, CHANGE, DELETE):
            return None, action
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return None, action
        return (model if tenancy_path(model) is not None else None), action
