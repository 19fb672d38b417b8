from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("計画")

    def ready(self):
        from . import versions

        versions.connect()


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the portal's site (two-factor login, see plans.admin_site)."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "plans.admin_site.PortalAdminSite"
