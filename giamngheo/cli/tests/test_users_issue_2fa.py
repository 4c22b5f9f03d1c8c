"""`giamngheo users issue-2fa USERNAME`: an administrator issues the authenticator to hand over in
person (the closed-enrolment server's only way); the printed secret is the device's key and its codes
work. Refused to others, and an unknown user is an error."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.accounts.two_factor import code_check
from giamngheo.cli.main import main
from giamngheo.core.models import AuditEvent
from giamngheo.testing.two_factor import confirmed_device, current_code

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_a_device_whose_printed_secret_and_codes_work(capsys, tmp_path):
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    old = confirmed_device(province)
    admin = user_with_role(Role.ADMIN, username="quan-tri-1")
    qr = tmp_path / "qr.svg"
    assert main(["--as", admin.username, "users", "issue-2fa", province.username, "--qr", str(qr)]) == 0
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user=province)
    assert device.pk != old.pk and device.confirmed  # the earlier device is replaced
    secret = re.search(r"secret: ([A-Z2-7 ]+)\n", out).group(1).replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key
    assert "<svg" in qr.read_text(encoding="utf-8")
    codes = out.rsplit(": ", 1)[1].split()
    assert len(codes) == 8 and set(codes) == set(
        StaticToken.objects.filter(device__user=province).values_list("token", flat=True)
    )
    assert code_check(user=province, code=current_code(device)) == device
    assert code_check(user=province, code=codes[0]).user == province
    event = AuditEvent.objects.get(verb="otp.issue")
    assert event.actor == admin and event.object_id == str(province.pk)
    assert secret not in str(event.data)  # the secret is never kept in the audit trail


def test_anyone_else_is_refused_and_nothing_changes():
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    device = confirmed_device(province)
    for actor in (user_with_role(Role.COMMUNE_OFFICIAL, "03880"), user_with_role(Role.PROVINCE_OFFICIAL, "14")):
        with pytest.raises(SystemExit) as stopped:
            main(["--as", actor.username, "users", "issue-2fa", province.username])
        assert stopped.value.code == 2
    assert list(TOTPDevice.objects.filter(user=province)) == [device]
    assert not AuditEvent.objects.filter(verb="otp.issue").exists()


def test_an_unknown_user_is_an_error(capsys):
    assert main(["users", "issue-2fa", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
