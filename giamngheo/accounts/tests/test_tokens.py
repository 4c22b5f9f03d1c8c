"""API tokens (#11.15): only a hash is kept, they expire, their use is recorded, administrators list
and revoke them (CLI and admin), and the API answers 401 to an expired or revoked one."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client

from giamngheo.accounts.models import ApiToken, Role
from giamngheo.accounts.services import token_create, token_issue, token_user
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.cli.main import main
from giamngheo.core import clock
from giamngheo.core.errors import ServiceError
from giamngheo.core.models import AuditEvent

pytestmark = pytest.mark.django_db
A = "03880"


def _run(argv) -> int:
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def _api(key: str):
    return Client().get("/api/rounds", HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def people():
    return {
        "admin": user_with_role(Role.ADMIN, username="quan_tri"),
        "official": user_with_role(Role.COMMUNE_OFFICIAL, A, username="can_bo_xa"),
        "reviewer": user_with_role(Role.REVIEWER, A, username="ra_soat_vien"),
        "province": user_with_role(Role.PROVINCE_OFFICIAL, "14", username="can_bo_tinh"),
    }


def test_only_the_hash_is_stored_and_the_token_works(people):
    key = token_create(actor=people["admin"], user=people["official"])
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in str(token.__dict__)
    assert token.prefix == key[:8]
    assert _api(key).status_code == 200


def test_a_token_expires_after_the_setting_s_days(people, settings):
    settings.TOKEN_DAYS = 7
    key, token = token_issue(actor=people["admin"], user=people["official"])
    assert dt.timedelta(days=7) - dt.timedelta(minutes=1) < token.expires_at - clock.now() <= dt.timedelta(days=7)
    with clock.fixed(clock.today() + dt.timedelta(days=6)):
        assert _api(key).status_code == 200
    with clock.fixed(clock.today() + dt.timedelta(days=8)):
        assert token_user(key) is None
        response = _api(key)
        assert response.status_code == 401 and "HA1" not in response.content.decode()


def test_the_default_term_is_ninety_days(people):
    _, token = token_issue(actor=people["admin"], user=people["official"])
    assert (token.expires_at - clock.now()).days == 89  # 90 days less the moment since it was made


@pytest.mark.parametrize("days", [0, -5])
def test_a_term_below_one_day_is_refused_not_obeyed(people, settings, days):
    settings.TOKEN_DAYS = days
    with pytest.raises(ServiceError, match="GIAMNGHEO_TOKEN_DAYS"):
        token_create(actor=people["admin"], user=people["official"])
    assert not ApiToken.objects.exists()


def test_each_use_is_recorded(people):
    key = token_create(actor=people["admin"], user=people["official"])
    assert ApiToken.objects.get().last_used_at is None
    assert _api(key).status_code == 200
    used = ApiToken.objects.get().last_used_at
    assert used is not None and abs(used - clock.now()) < dt.timedelta(minutes=1)


def test_a_revoked_token_is_refused_at_once(people, capsys):
    key = token_create(actor=people["admin"], user=people["official"])
    assert _api(key).status_code == 200
    assert _run(["--as", "quan_tri", "token", "--revoke", key[:8]]) == 0
    assert "revoked" in capsys.readouterr().out
    assert _api(key).status_code == 401
    assert Client().get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    event = AuditEvent.objects.get(verb="token.revoke")
    assert event.actor == people["admin"] and event.data["prefix"] == key[:8]
    assert event.object_id == str(people["official"].pk)


def test_create_is_audited_with_its_expiry(people, capsys):
    assert _run(["--as", "quan_tri", "token", "can_bo_xa"]) == 0
    captured = capsys.readouterr()
    key = captured.out.strip()
    assert len(key) >= 40 and "\n" not in key and "expires" in captured.err
    event = AuditEvent.objects.get(verb="token.create")
    assert event.actor == people["admin"] and event.data["prefix"] == key[:8] and "expires_at" in event.data
    assert key not in str(event.data)


def test_list_shows_owner_dates_and_prefix_never_the_secret(people, capsys):
    old = token_create(actor=people["admin"], user=people["official"])
    other = token_create(actor=people["admin"], user=people["province"])
    _run(["--as", "quan_tri", "token", "--revoke", old[:8]])
    token_user(other)
    capsys.readouterr()
    assert _run(["--as", "quan_tri", "token", "--list"]) == 0
    out = capsys.readouterr().out
    assert old not in out and other not in out
    assert f"{old[:8]}…" in out and f"{other[:8]}…" in out and "can_bo_xa" in out and "can_bo_tinh" in out
    today = clock.today().strftime("%d/%m/%Y")
    expires = (clock.today() + dt.timedelta(days=90)).strftime("%d/%m/%Y")
    assert today in out and expires in out and "revoked" in out and "never" in out
    assert _run(["--as", "quan_tri", "token", "--list", "can_bo_tinh"]) == 0
    mine = capsys.readouterr().out
    assert f"{other[:8]}…" in mine and old[:8] not in mine


def test_no_key_starts_with_a_dash(people, monkeypatch):
    """A prefix starting with '-' would read as an option: `token --revoke -abc` fails in argparse."""
    keys = iter(["-dash-first" + "x" * 32, "plain" + "y" * 38])
    monkeypatch.setattr("giamngheo.accounts.services.secrets.token_urlsafe", lambda n: next(keys))
    assert token_create(actor=people["admin"], user=people["official"]).startswith("plain")


def test_revoke_by_id(people, capsys):
    key, token = token_issue(actor=people["admin"], user=people["official"])
    assert _run(["token", "--revoke", str(token.pk)]) == 0
    assert ApiToken.objects.get().revoked_at is not None and token_user(key) is None


def test_revoke_refuses_unknown_ambiguous_and_already_revoked(people, capsys):
    key, token = token_issue(actor=people["admin"], user=people["official"])
    assert _run(["token", "--revoke", "zzzzzzzz"]) == 2
    assert "no token" in capsys.readouterr().err
    assert _run(["token", "--revoke", key[:2]]) == 2  # too short to be meant
    second, _ = token_issue(actor=people["admin"], user=people["official"])
    ApiToken.objects.filter(prefix=second[:8]).update(prefix=key[:6] + "xy")
    assert _run(["token", "--revoke", key[:6]]) == 2
    assert "several" in capsys.readouterr().err
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0
    assert _run(["token", "--revoke", key[:8]]) == 0
    assert _run(["token", "--revoke", key[:8]]) == 2
    assert "already revoked" in capsys.readouterr().err
    assert AuditEvent.objects.filter(verb="token.revoke").count() == 1


def test_revoke_with_a_user_checks_the_owner(people, capsys):
    key = token_create(actor=people["admin"], user=people["official"])
    assert _run(["token", "can_bo_tinh", "--revoke", key[:8]]) == 2
    assert "belongs to can_bo_xa" in capsys.readouterr().err and token_user(key) is not None


@pytest.mark.parametrize("as_user", ["ra_soat_vien", "can_bo_xa", "can_bo_tinh"])
@pytest.mark.parametrize("argv", [["--list"], ["--list", "can_bo_xa"], ["--revoke=KEY"], ["can_bo_xa"]])
def test_a_non_administrator_cannot_list_revoke_or_issue(people, as_user, argv, capsys):
    key = token_create(actor=people["admin"], user=people["official"])
    capsys.readouterr()
    argv = [a.replace("KEY", key[:8]) for a in argv]
    assert _run(["--as", as_user, "token", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "quản trị" in captured.err and key[:8] not in captured.err
    assert token_user(key) is not None and ApiToken.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="token.revoke").exists()


def test_the_admin_lists_and_revokes(people):
    key = token_create(actor=people["admin"], user=people["official"])
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/admin/accounts/apitoken/").content.decode()
    assert key[:8] in page and key not in page and "can_bo_xa" in page
    token = ApiToken.objects.get()
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200 and token_user(key) is None
    assert AuditEvent.objects.get(verb="token.revoke").actor == people["admin"]
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_the_admin_token_pages_are_not_for_other_roles(people):
    token_create(actor=people["admin"], user=people["official"])
    client = Client()
    client.force_login(people["official"])
    response = client.get("/admin/accounts/apitoken/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
