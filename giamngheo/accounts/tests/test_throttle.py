"""Login throttling: every login path, keyed on (username, client address), a cool-off not a lockout,
and a wait that grows with each lockout of the same pair (#13.6)."""

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


def _later(delta: dt.timedelta) -> None:
    """As if `delta` had passed: every attempt, expiry and audit event moves back by it."""
    from axes.models import AccessAttempt, AccessAttemptExpiration
    from django.db.models import F

    from giamngheo.core.models import AuditEvent

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AuditEvent.objects.update(at=F("at") - delta)


def _lock(username, ip="10.0.0.1"):
    """Five failures; the fifth is answered 429 with the wait, the four before with the form."""
    for n in range(5):
        response = _post("/dang-nhap/", username, "wrong-password", ip)
        assert response.status_code == (429 if n == 4 else 200), n
    return response.content.decode()


def test_the_wait_ends_after_the_cool_off():
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    assert "1 phút" in _lock(chair.username)
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 429
    _later(dt.timedelta(seconds=61))
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 302


def test_the_wait_grows_with_each_lockout_of_the_pair():
    """1, 5, 15, then 60 minutes; between waits the pair has its five tries again."""
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    for minutes in (1, 5, 15, 60, 60):
        page = _lock(chair.username)
        assert f"sau {minutes} phút" in page and f"in {minutes} minutes" in page, minutes
        _later(dt.timedelta(minutes=minutes) - dt.timedelta(seconds=5))
        refused = _post("/dang-nhap/", chair.username, PASSWORD)
        assert refused.status_code == 429 and "1 phút" in refused.content.decode(), minutes  # 5 s left
        _later(dt.timedelta(seconds=10))
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 302


def test_trying_during_the_wait_does_not_lengthen_it():
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    _lock(chair.username)
    for _ in range(3):
        _later(dt.timedelta(seconds=15))
        assert _post("/dang-nhap/", chair.username, "wrong-password").status_code == 429
    _later(dt.timedelta(seconds=20))
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 302


def test_the_growing_wait_is_for_that_address_only():
    """Lockouts from one address lengthen that address's waits; the user is not locked elsewhere."""
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    for minutes in (1, 5, 15):
        assert f"{minutes} phút" in _lock(chair.username, ip="203.0.113.9")
        _later(dt.timedelta(minutes=minutes, seconds=1))
    _lock(chair.username, ip="203.0.113.9")  # waits an hour now
    assert _post("/dang-nhap/", chair.username, PASSWORD, ip="203.0.113.9").status_code == 429
    assert "1 phút" in _lock(chair.username, ip="10.0.0.2")  # a first lockout from this address
    assert _post("/dang-nhap/", chair.username, PASSWORD, ip="10.0.0.3").status_code == 302


def test_one_pair_s_long_wait_is_not_cut_short_by_others():
    """axes cleans every pair's attempts on each failure: a long wait must survive a short one's clean."""
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    for minutes in (1, 5):
        _lock(chair.username)
        _later(dt.timedelta(minutes=minutes, seconds=1))
    _lock(chair.username)  # 15 minutes
    _later(dt.timedelta(minutes=2))
    _lock("mallory", ip="10.0.0.1")  # one minute, and failures that clean expired attempts
    _later(dt.timedelta(minutes=2))
    _post("/dang-nhap/", "mallory", "wrong-password", ip="10.0.0.1")
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 429


def test_a_successful_login_starts_the_ladder_again():
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    for minutes in (1, 5):
        _lock(chair.username)
        _later(dt.timedelta(minutes=minutes, seconds=1))
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 302
    assert "1 phút" in _lock(chair.username)


def test_lockouts_are_forgotten_after_a_day():
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    for minutes in (1, 5):
        _lock(chair.username)
        _later(dt.timedelta(minutes=minutes, seconds=1))
    _later(dt.timedelta(hours=24))
    assert "1 phút" in _lock(chair.username)


def test_failures_are_forgotten_after_the_window():
    """Four failures, a pause longer than the window, four more: no lockout."""
    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    _fail("/dang-nhap/", chair.username, times=4)
    _later(dt.timedelta(minutes=16))
    _fail("/dang-nhap/", chair.username, times=4)
    assert _post("/dang-nhap/", chair.username, PASSWORD).status_code == 302


def test_each_lockout_is_audited():
    from giamngheo.core.models import AuditEvent

    chair = user_with_role(Role.COMMUNE_CHAIR, "03880")
    _lock(chair.username, ip="203.0.113.9")
    _post("/dang-nhap/", chair.username, "wrong-password", ip="203.0.113.9")  # refused in the wait: no new lockout
    _later(dt.timedelta(minutes=1, seconds=1))
    _lock(chair.username, ip="203.0.113.9")
    events = list(AuditEvent.objects.filter(verb="login.locked").order_by("at", "pk"))
    assert [(e.data["username"], e.data["ip"], e.data["lockout"], e.data["minutes"]) for e in events] == [
        (chair.username, "203.0.113.9", 1, 1),
        (chair.username, "203.0.113.9", 2, 5),
    ]
