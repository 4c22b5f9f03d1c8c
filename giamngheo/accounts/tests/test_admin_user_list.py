"""The admin's user list says who each user is today: their role and unit, not only a username."""

import datetime as dt

import pytest

from giamngheo.accounts.models import Role, RoleAssignment
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db


def test_the_user_list_shows_role_and_unit_of_today(client):
    client.force_login(user_with_role(Role.ADMIN, username="quan_tri"))
    user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
    gone = user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="xa_cu")
    RoleAssignment.objects.filter(user=gone).update(valid_to=dt.date(2021, 1, 1))  # an ended assignment

    page = client.get("/admin/accounts/user/").content.decode()

    assert f"Cán bộ cấp tỉnh — {unit_by_code('14').name}" in page
    assert "Quản trị hệ thống — toàn quốc" in page
    assert unit_by_code("03880").name not in page  # the ended role is not shown as current
