"""Login: throttling with a Japanese lock-out page (django-axes); optional TOTP two-factor for
staff, required for superusers where ``OTP_REQUIRED_FOR_SUPERUSERS`` is on (production)."""

import io

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = reverse("admin:login")


def log_in(client, username, password, token=""):
    data = {"username": username, "password": password, "next": "/admin/"}
    if token:
        data["otp_token"] = token
    return client.post(LOGIN, data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_lock_the_account_out_in_japanese(db, client):
    """The finding: 20 wrong admin passwords, then the right one logged in."""
    User.objects.create_user("clerk", password="correct-horse", is_staff=True)
    for _ in range(20):
        log_in(client, "clerk", "wrong")
    response = log_in(client, "clerk", "correct-horse")
    assert response.status_code == 429
    assert "ログインを一時停止しています" in response.content.decode()
    assert not logged_in(client)


def test_a_few_mistakes_do_not_lock_out(db, client):
    User.objects.create_user("clerk", password="correct-horse", is_staff=True)
    for _ in range(4):
        log_in(client, "clerk", "wrong")
    assert log_in(client, "clerk", "correct-horse").status_code == 302
    assert logged_in(client)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# django-otp makes the next try wait after a wrong code; no waiting in this test.
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_staff_with_an_authenticator_must_type_its_code(db, client, capsys):
    User.objects.create_user("clerk", password="correct-horse", is_staff=True)
    call_command("totp_device", "clerk")
    assert capsys.readouterr().out.startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user__username="clerk")
    assert log_in(client, "clerk", "correct-horse").status_code == 200  # no code: refused
    assert not logged_in(client)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert (
        "確認コードが違います" in log_in(client, "clerk", "correct-horse", wrong).content.decode()
    )
    assert log_in(client, "clerk", "correct-horse", code_for(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_an_authenticator_log_in_with_the_password(db, client):
    User.objects.create_user("clerk", password="correct-horse", is_staff=True)
    assert log_in(client, "clerk", "correct-horse").status_code == 302


@override_settings(OTP_REQUIRED_FOR_SUPERUSERS=True)
def test_in_production_a_superuser_needs_a_second_factor(db, client):
    User.objects.create_superuser("root", "root@example.jp", "correct-horse")
    response = log_in(client, "root", "correct-horse")
    assert "二要素認証が必要です" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # back to the login page
    call_command("totp_device", "root", stdout=io.StringIO())
    device = TOTPDevice.objects.get(user__username="root")
    assert log_in(client, "root", "correct-horse", code_for(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
