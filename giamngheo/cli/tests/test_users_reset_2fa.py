"""`giamngheo users reset-2fa USERNAME`: an administrator removes a lost authenticator, audited; the
user enrols again at the next sign-in. Refused to others and for an unknown user."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.cli.main import main
from giamngheo.core.models import AuditEvent
from giamngheo.testing.two_factor import confirmed_device

pytestmark = pytest.mark.django_db


def _devices(user) -> int:
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


def test_an_administrator_resets_a_users_devices(capsys):
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    confirmed_device(province)
    StaticDevice.objects.create(user=province, name="ma-du-phong", confirmed=True).token_set.create(token="abcd2345")
    admin = user_with_role(Role.ADMIN, username="quan-tri-1")
    assert main(["--as", admin.username, "users", "reset-2fa", province.username]) == 0
    assert "2" in capsys.readouterr().out
    assert _devices(province) == 0
    event = AuditEvent.objects.get(verb="otp.reset")
    assert event.actor == admin and event.object_id == str(province.pk) and event.data["devices"] == 2


def test_anyone_else_is_refused_and_nothing_changes(capsys):
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    confirmed_device(province)
    official = user_with_role(Role.COMMUNE_OFFICIAL, "03880")
    other_province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    for actor in (official, other_province):
        with pytest.raises(SystemExit) as stopped:
            main(["--as", actor.username, "users", "reset-2fa", province.username])
        assert stopped.value.code == 2
    assert _devices(province) == 1 and not AuditEvent.objects.filter(verb="otp.reset").exists()


def test_an_unknown_user_is_an_error(capsys):
    assert main(["users", "reset-2fa", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
