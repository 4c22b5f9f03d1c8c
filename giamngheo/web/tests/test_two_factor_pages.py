"""The second sign-in step in the web app: enrolment, codes right, wrong and reused, recovery codes
used once, throttling and audit, and no page (nor the admin, nor the API by session) before it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.testing.two_factor import confirmed_device, current_code

pytestmark = [pytest.mark.django_db, pytest.mark.unverified_logins]
PASSWORD = "pw-long-enough"  # the factories' password


def _sign_in(user, next_page="/"):
    client = Client()
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD, "next": next_page})
    return client, response


def _unlock(device):
    """The wait after a wrong code has passed (django-otp keeps it on the device)."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(hours=1)
    )


def test_an_administrator_without_a_device_is_sent_to_enrol_then_gets_recovery_codes():
    admin = user_with_role(Role.ADMIN)
    client, response = _sign_in(admin, "/bao-cao/")
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc/?")
    enrol = client.get(response["Location"], follow=True)
    assert enrol.redirect_chain[-1][0].startswith("/xac-thuc/dang-ky/")
    page = enrol.content.decode()
    assert "<svg" in page and "Cài đặt xác thực hai lớp" in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(secret) == device.bin_key  # the secret in text is the device's key
    assert client.get("/xac-thuc/dang-ky/").content.decode().count(secret[:4]) >= 1  # same secret on reload

    done = client.post("/xac-thuc/dang-ky/?next=/bao-cao/", {"code": current_code(device), "next": "/bao-cao/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 8 and set(codes) == set(
        StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/bao-cao/").status_code == 200  # verified: the pages open
    assert AuditEvent.objects.filter(verb="otp.enrol", actor=admin).count() == 1


def test_enrolling_is_refused_once_a_device_is_confirmed():
    """A stolen password alone must not bind a new authenticator."""
    admin = user_with_role(Role.ADMIN)
    confirmed_device(admin)
    client, _ = _sign_in(admin)
    response = client.get("/xac-thuc/dang-ky/")
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc/?")
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_a_wrong_enrolment_code_does_not_confirm():
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    client, _ = _sign_in(province)
    client.get("/xac-thuc/dang-ky/")
    device = TOTPDevice.objects.get(user=province)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/xac-thuc/dang-ky/", {"code": wrong})
    assert response.status_code == 400 and "Mã không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not StaticToken.objects.filter(device__user=province).exists()
    assert client.get("/").status_code == 302


def test_the_right_code_opens_the_pages_and_the_page_first_asked_for():
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    device = confirmed_device(province)
    client, response = _sign_in(province, "/bao-cao/")
    assert client.get("/bao-cao/").status_code == 302  # not yet
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    done = client.post("/xac-thuc/", {"code": current_code(device), "next": "/bao-cao/"})
    assert done.status_code == 302 and done["Location"] == "/bao-cao/"
    assert client.get("/bao-cao/").status_code == 200
    event = AuditEvent.objects.get(verb="otp.verify", actor=province)
    assert event.data["device"] == "totp" and "ip" in event.data


def test_a_wrong_code_is_refused_audited_and_throttled():
    national = user_with_role(Role.NATIONAL_VIEWER)
    device = confirmed_device(national)
    client, _ = _sign_in(national)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/xac-thuc/", {"code": wrong})
    assert response.status_code == 400 and "Mã không đúng" in response.content.decode()
    assert AuditEvent.objects.filter(verb="otp.failed", actor=national).count() == 1
    # at once after a failure, even the right code waits: a million codes cannot be tried
    refused = client.post("/xac-thuc/", {"code": current_code(device)})
    assert refused.status_code == 429 and "thử lại sau" in refused.content.decode()
    assert AuditEvent.objects.filter(verb="otp.refused", actor=national).exists()
    assert client.get("/").status_code == 302
    _unlock(device)
    assert client.post("/xac-thuc/", {"code": current_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_used_once_is_refused_the_second_time():
    admin = user_with_role(Role.ADMIN)
    device = confirmed_device(admin)
    first, _ = _sign_in(admin)
    code = current_code(device)
    assert first.post("/xac-thuc/", {"code": code}).status_code == 302
    second, _ = _sign_in(admin)
    reused = second.post("/xac-thuc/", {"code": code})
    assert reused.status_code == 400
    assert second.get("/").status_code == 302


def test_a_recovery_code_works_once():
    admin = user_with_role(Role.ADMIN)
    device = confirmed_device(admin)
    from django_otp.plugins.otp_static.models import StaticDevice

    static = StaticDevice.objects.create(user=admin, name="ma-du-phong", confirmed=True)
    static.token_set.create(token="abcd2345")
    static.token_set.create(token="efgh6789")
    first, _ = _sign_in(admin)
    assert first.post("/xac-thuc/", {"code": "ABCD 2345"}).status_code == 302  # as typed from paper
    assert first.get("/").status_code == 200
    assert list(static.token_set.values_list("token", flat=True)) == ["efgh6789"]
    second, _ = _sign_in(admin)
    assert second.post("/xac-thuc/", {"code": "abcd2345"}).status_code == 400
    assert second.get("/").status_code == 302
    assert AuditEvent.objects.filter(verb="otp.verify", actor=admin, data__device="recovery").count() == 1
    assert device.confirmed


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VILLAGE_HEAD, Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR])
def test_commune_staff_sign_in_with_the_password_alone(role):
    user = user_with_role(role, "03880")
    client, response = _sign_in(user)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/xac-thuc/").status_code == 302  # nothing to do there


@pytest.mark.parametrize(
    "role_unit", [(Role.ADMIN, None), (Role.PROVINCE_OFFICIAL, "14"), (Role.NATIONAL_VIEWER, None)]
)
@pytest.mark.parametrize("path", ["/", "/bao-cao/", "/xa/1/ho/", "/tien-do-ra-soat/", "/doi-mat-khau/", "/admin/"])
def test_an_unverified_session_reaches_no_page_and_not_the_admin(role_unit, path):
    user = user_with_role(*role_unit)
    confirmed_device(user)
    client = Client()
    client.force_login(user)  # the password step only
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc/?next=")


def test_the_admin_login_path_leads_to_the_code_page_too():
    admin = user_with_role(Role.ADMIN)
    confirmed_device(admin)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/xac-thuc/?next=")
    assert "Xác thực hai lớp" in response.content.decode()


def test_an_unverified_session_signs_no_one_in_on_the_api_but_a_token_does():
    admin = user_with_role(Role.ADMIN)
    confirmed_device(admin)
    client = Client()
    client.force_login(admin)
    assert client.get("/api/rounds").status_code == 401
    token = token_create(actor=system_user(), user=admin)
    assert Client().get("/api/rounds", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_the_code_page_and_sign_out_stay_open_before_the_code():
    admin = user_with_role(Role.ADMIN)
    confirmed_device(admin)
    client = Client()
    client.force_login(admin)
    page = client.get("/xac-thuc/")
    assert page.status_code == 200
    assert 'href="/doi-mat-khau/"' not in page.content.decode() and 'href="/admin/"' not in page.content.decode()
    assert client.get("/dang-nhap/").status_code == 200
    assert client.post("/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_says_when_demo_accounts_skip_the_code(settings):
    assert "GIAMNGHEO_DEMO" not in Client().get("/dang-nhap/").content.decode()
    settings.DEMO = True
    assert "GIAMNGHEO_DEMO" in Client().get("/dang-nhap/").content.decode()
    demo_admin = user_with_role(Role.ADMIN, username="quan_tri")
    client, response = _sign_in(demo_admin)
    assert response["Location"] == "/" and client.get("/").status_code == 200


def test_with_enrolment_closed_a_new_account_cannot_bind_a_device_at_sign_in(settings):
    """GIAMNGHEO_TWO_FACTOR_SELF_ENROL=0: whoever has the first password gets no secret to scan; the
    page says an administrator issues it, and no device is made."""
    settings.TWO_FACTOR_SELF_ENROL = False
    admin = user_with_role(Role.ADMIN)
    client, response = _sign_in(admin, "/bao-cao/")
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 403
    text = page.content.decode()
    assert "giamngheo users issue-2fa" in text and "<svg" not in text and 'class="secret"' not in text
    assert client.post("/xac-thuc/dang-ky/", {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert client.get("/bao-cao/").status_code == 302  # still nothing opens before the code


def test_with_enrolment_closed_an_issued_device_signs_in(settings):
    settings.TWO_FACTOR_SELF_ENROL = False
    admin = user_with_role(Role.ADMIN)
    device = confirmed_device(admin)
    client, response = _sign_in(admin, "/bao-cao/")
    done = client.post(response["Location"], {"code": current_code(device), "next": "/bao-cao/"})
    assert done.status_code == 302 and client.get("/bao-cao/").status_code == 200
