"""The admin site: optional TOTP two-factor login for staff, required for superusers in
production (``OTP_REQUIRED_FOR_SUPERUSERS``).

A staff member with a confirmed TOTP device (``manage.py totp_device <username>``) types its
six-digit code at login; one without a device logs in with the password alone. A superuser
without a device is refused where two factors are required, with the command to run.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm

SESSION_NEEDS_OTP = "portal_needs_otp"
SUPERUSER_NEEDS_DEVICE = _(
    "管理者アカウントには二要素認証が必要です。サーバーで "
    "「manage.py totp_device ユーザー名」を実行して認証アプリを登録してください。"
)


def needs_second_factor(user) -> bool:
    """Whether this user must have typed a one-time code to use the admin."""
    if user_has_device(user, confirmed=True):
        return True
    return bool(user.is_superuser and getattr(settings, "OTP_REQUIRED_FOR_SUPERUSERS", False))


class PortalAuthenticationForm(OTPAdminAuthenticationForm):
    """The password, then the one-time code of those who registered an authenticator."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("認証アプリに表示されている6桁の確認コードを入力してください。"),
        "invalid_token": _("確認コードが違います。認証アプリの最新のコードを入力してください。"),
    }

    def _chosen_device(self, user):
        """The user's authenticator: the login page asks for a code, not for a device."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        chosen = super()._chosen_device(user)
        return chosen or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def clean(self):
        cleaned = AdminAuthenticationForm.clean(self)  # the password (django-axes counts it)
        user = self.get_user()
        if user is None:
            return cleaned
        if user_has_device(user, confirmed=True):
            self.clean_otp(user)
        elif needs_second_factor(user):
            raise ValidationError(SUPERUSER_NEEDS_DEVICE, code="superuser_needs_device")
        return cleaned


class PortalAdminSite(admin.AdminSite):
    """Every model is registered through :meth:`register`, which puts it under plans.tenancy."""

    login_form = PortalAuthenticationForm
    login_template = "admin/login_otp.html"
    site_header = _("総合計画ポータル 管理画面")
    site_title = _("総合計画ポータル 管理")
    index_title = _("管理メニュー")

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if request.user.is_verified():
            return True
        # Asked once per session, not on every page (the answer changes only at a new login).
        required = request.session.get(SESSION_NEEDS_OTP)
        if required is None:
            required = request.session[SESSION_NEEDS_OTP] = needs_second_factor(request.user)
        return not required

    def register(self, model_or_iterable, admin_class=None, **options):
        """A shared model (no ``tenancy_path``: users, groups, SDGs, login records, devices)
        gets a superusers-only admin; a municipality's model must have a TenantAdmin."""
        from . import tenancy
        from .admin import SuperuserOnlyAdmin, TenantAdmin

        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            chosen = admin_class or admin.ModelAdmin
            if tenancy.tenancy_path(model) is None:
                if not issubclass(chosen, SuperuserOnlyAdmin):
                    chosen = type(chosen.__name__, (SuperuserOnlyAdmin, chosen), {})
            elif not issubclass(chosen, TenantAdmin):
                raise ImproperlyConfigured(
                    f"{model._meta.label} belongs to a municipality: register it with a "
                    "plans.admin.TenantAdmin, which asks plans.tenancy on every view."
                )
            super().register(model, chosen, **options)
