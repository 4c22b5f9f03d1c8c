"""Password rules on every path that sets one (#11.4): `users add` (new user, or a new password for
an existing one), the password change page, the admin's add and change forms. A weak password is
refused with the validators' messages: both, Vietnamese first, on the command line; the reader's
language only on a page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.services import password_change
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.cli.main import main
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.core.models import AuditEvent

pytestmark = pytest.mark.django_db
A = "03880"
OLD = "pw-long-enough"  # the factories' password
GOOD = "Lua-chin-vang-2026"
# (password, what the refusal must say in Vietnamese, and in English)
WEAK = [
    ("1", "quá ngắn: cần ít nhất 10 ký tự", "too short"),
    ("12345678901", "chỉ gồm chữ số", "entirely numeric"),
    ("password123", "quá phổ biến", "too common"),
]


def _run(argv) -> int:
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def test_the_validators_are_configured_and_sensible():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 10


@pytest.mark.parametrize("password, vi, en", WEAK)
def test_users_add_refuses_a_weak_password(password, vi, en, capsys):
    assert _run(["users", "add", "chi", "--role", "commune_official", "--unit", A, "--password", password]) == 2
    err = capsys.readouterr().err
    assert vi in err and en in err and err.index(vi) < err.index(en)  # Vietnamese first
    assert not User.objects.filter(username="chi").exists()


def test_users_add_refuses_a_password_like_the_username(capsys):
    assert _run(["users", "add", "nguyenvanchi", "--role", "reviewer", "--unit", A, "--password", "nguyenvanchi1"]) == 2
    err = capsys.readouterr().err
    assert "quá giống tên đăng nhập" in err and "too similar to the username" in err


def test_a_new_password_for_an_existing_user_is_checked_too(capsys):
    chi = user_with_role(Role.COMMUNE_OFFICIAL, A, username="chi")
    assert _run(["users", "add", "chi", "--role", "commune_official", "--unit", A, "--password", "1"]) == 2
    chi.refresh_from_db()
    assert chi.check_password(OLD) and "quá ngắn" in capsys.readouterr().err
    assert _run(["users", "add", "chi", "--role", "commune_official", "--unit", A, "--password", GOOD]) == 0
    chi.refresh_from_db()
    assert chi.check_password(GOOD)


def test_a_good_password_is_taken():
    assert _run(["users", "add", "chi", "--role", "reviewer", "--unit", A, "--password", GOOD]) == 0
    assert User.objects.get(username="chi").check_password(GOOD)


def _signed_in(user) -> Client:
    client = Client()
    assert client.post("/dang-nhap/", {"username": user.username, "password": OLD}).status_code == 302
    return client


def test_the_page_changes_the_password_keeps_this_session_and_ends_the_others():
    chi = user_with_role(Role.COMMUNE_OFFICIAL, A, username="chi")
    here, elsewhere = _signed_in(chi), _signed_in(chi)
    page = here.get("/doi-mat-khau/").content.decode()
    assert "Đổi mật khẩu" in page and "ít nhất 10 ký tự" in page
    response = here.post("/doi-mat-khau/", {"old_password": OLD, "new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 302 and response["Location"] == "/doi-mat-khau/xong/"
    chi.refresh_from_db()
    assert chi.check_password(GOOD)
    assert here.get("/").status_code == 200  # still signed in
    assert elsewhere.get("/").status_code == 302  # the other session ended
    event = AuditEvent.objects.get(verb="password.change")
    assert event.actor == chi and event.object_id == str(chi.pk) and GOOD not in str(event.data)


@pytest.mark.parametrize("password, vi, en", WEAK)
def test_the_page_refuses_a_weak_password(password, vi, en):
    chi = user_with_role(Role.COMMUNE_OFFICIAL, A, username="chi")
    client = _signed_in(chi)
    response = client.post(
        "/doi-mat-khau/", {"old_password": OLD, "new_password1": password, "new_password2": password}
    )
    body = response.content.decode()
    assert response.status_code == 200 and vi in body and en not in body  # one language per screen
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        "/doi-mat-khau/", {"old_password": OLD, "new_password1": password, "new_password2": password}
    )
    body = response.content.decode()
    assert response.status_code == 200 and en in body and vi not in body
    chi.refresh_from_db()
    assert chi.check_password(OLD) and not AuditEvent.objects.filter(verb="password.change").exists()


def test_the_page_refuses_a_wrong_old_password():
    chi = user_with_role(Role.COMMUNE_OFFICIAL, A, username="chi")
    client = _signed_in(chi)
    response = client.post(
        "/doi-mat-khau/", {"old_password": "wrong-one-x", "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response.status_code == 200 and "Mật khẩu cũ không chính xác" in response.content.decode()
    chi.refresh_from_db()
    assert chi.check_password(OLD)


def test_guessing_the_current_password_is_throttled_like_a_login():
    """A session left open must not allow unlimited guesses of the password behind it."""
    chi = user_with_role(Role.COMMUNE_OFFICIAL, A, username="chi")
    client = _signed_in(chi)
    for n in range(5):
        response = client.post(
            "/doi-mat-khau/", {"old_password": f"guess-{n}-xyz", "new_password1": GOOD, "new_password2": GOOD}
        )
        assert response.status_code == (429 if n == 4 else 200), n
    response = client.post("/doi-mat-khau/", {"old_password": OLD, "new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 429 and "quá nhiều lần" in response.content.decode()
    chi.refresh_from_db()
    assert chi.check_password(OLD)
    assert AuditEvent.objects.filter(verb="login.failed", data__username="chi").count() >= 5


def test_the_header_links_to_the_page_and_the_admin_for_administrators():
    official = Client()
    official.force_login(user_with_role(Role.COMMUNE_OFFICIAL, A))
    page = official.get("/").content.decode()
    assert 'href="/doi-mat-khau/"' in page and 'href="/admin/"' not in page
    admin = Client()
    admin.force_login(user_with_role(Role.ADMIN))
    page = admin.get("/").content.decode()
    assert 'href="/doi-mat-khau/"' in page and 'href="/admin/"' in page


def test_only_the_user_or_an_administrator_changes_a_password():
    chi, other = user_with_role(Role.COMMUNE_OFFICIAL, A), user_with_role(Role.COMMUNE_CHAIR, A)
    with pytest.raises(AccessDenied):
        password_change(actor=other, user=chi, password=GOOD)
    password_change(actor=user_with_role(Role.ADMIN), user=chi, password=GOOD)
    with pytest.raises(ServiceError, match="quá ngắn"):
        password_change(actor=chi, user=chi, password="1")
    chi.refresh_from_db()
    assert chi.check_password(GOOD)


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(user_with_role(Role.ADMIN))
    return client


@pytest.mark.parametrize("password, vi, en", WEAK)
def test_the_admin_add_form_refuses_a_weak_password(admin_client, password, vi, en):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "chi", "usable_password": "true", "password1": password, "password2": password},
    )
    body = response.content.decode()
    assert response.status_code == 200 and vi in body and en not in body  # one language per screen
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "chi", "usable_password": "true", "password1": password, "password2": password},
    )
    body = response.content.decode()
    assert response.status_code == 200 and en in body and vi not in body
    assert not User.objects.filter(username="chi").exists()


def test_the_admin_password_form_refuses_a_weak_password(admin_client):
    chi = user_with_role(Role.COMMUNE_OFFICIAL, A)
    url = f"/admin/accounts/user/{chi.pk}/password/"
    response = admin_client.post(url, {"usable_password": "true", "password1": "1", "password2": "1"})
    assert response.status_code == 200 and "quá ngắn" in response.content.decode()
    chi.refresh_from_db()
    assert chi.check_password(OLD)
    response = admin_client.post(url, {"usable_password": "true", "password1": GOOD, "password2": GOOD})
    assert response.status_code == 302
    chi.refresh_from_db()
    assert chi.check_password(GOOD)
