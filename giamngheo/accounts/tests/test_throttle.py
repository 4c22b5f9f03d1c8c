"""Login throttling: every login path, keyed on (username, client address), a cool-off not a lockout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
PASSWORD = "pw-long-enough"  # the factories' password


def _post(path, username, password, ip="10.0.0.1", **headers):
    return Client(REMOTE_ADDR=ip).post(path, {"username": username, "password": password}, **headers)


def _fail(path, username, ip="10.0.0.1", times=5, **headers):
    for _ in range(times):
        _post(path, username, "wrong-password", ip, **headers)


@pytest.mark.parametrize("path", ["/dang-nhap/", "/admin/login/"])
def test_every_login_path_is_throttled(path):
    admin = user_with_role(Role.ADMIN)
    _fail(path, admin.username)
    refused = _post(path, admin.username, PASSWORD)
    assert refused.status_code == 429 and "quá nhiều lần" in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_failures_on_one_path_count_on_the_other():
    admin = user_with_role(Role.ADMIN)
    _fail("/dang-nhap/", admin.username, times=3)
    _fail("/admin/login/", admin.username, times=2)
    assert _post("/admin/login/", admin.username, PASSWORD).status_code == 429


def test_one_shared_address_does_not_lock_out_other_users():
    """Behind one proxy address, someone's bad passwords do not stop everyone else."""
    chi = user_with_role(Role.COMMUNE_OFFICIAL, "03880")
    _fail("/dang-nhap/", "mallory")
    assert _post("/dang-nhap/", chi.username, PASSWORD).status_code == 302


def test_a_stranger_cannot_lock_out_a_named_user():
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    _fail("/dang-nhap/", chair.username, ip="203.0.113.9")
    assert _post("/dang-nhap/", chair.username, PASSWORD, ip="203.0.113.9").status_code == 429
    assert _post("/dang-nhap/", chair.username, PASSWORD, ip="10.0.0.1").status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count():
    """Only the trusted proxy's header is read, and waitress does that (serve); a client's own is ignored."""
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    for n in range(5):
        _post("/dang-nhap/", chair.username, "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _post("/dang-nhap/", chair.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77").status_code == 429


def test_the_wait_ends_after_the_cool_off():
    from axes.models import AccessAttempt

    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    _fail("/dang-nhap/", chair.username)
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 302
