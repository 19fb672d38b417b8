"""Register a TOTP authenticator for a staff account and print the URL to scan.

    manage.py totp_device <username> [--name スマートフォン]

The printed ``otpauth://`` URL goes into an authenticator app (as a QR code, or typed); from
then on the admin asks this user for the six-digit code at every login.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "スタッフアカウントに認証アプリ（TOTP）を登録し、登録用URLを表示します。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="認証アプリ")

    def handle(self, *args, username, name, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None or not user.is_staff:
            raise CommandError(f"スタッフアカウント「{username}」がありません。")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(device.config_url)
