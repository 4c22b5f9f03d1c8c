"""The second factor's devices in the admin under names its administrators read, and no secret shown."""

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_admin_names_the_devices_in_vietnamese_and_does_not_show_their_secret(client):
    """They were 'TOTP devices' and 'Static devices', and django-otp's page showed any device's
    secret and QR code to any administrator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = user_with_role(Role.ADMIN, username="quan_tri")
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="điện thoại", confirmed=True)
    index = client.get("/admin/").content.decode()
    assert "Ứng dụng xác thực" in index and "Bộ mã khôi phục" in index
    assert "TOTP devices" not in index and "Static devices" not in index
    listed = client.get("/admin/accounts/authenticatorapp/").content.decode()
    assert "quan_tri" in listed and "điện thoại" in listed
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 404
    page = client.get(f"/admin/accounts/authenticatorapp/{device.pk}/change/").content.decode()
    assert device.key not in page
