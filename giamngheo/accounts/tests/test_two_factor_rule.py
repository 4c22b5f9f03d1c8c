"""Who must pass the second sign-in step (`access.needs_two_factor`): every role, the ones who must
and the ones who need not, and the demo's exception (docs/adr/0010)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from giamngheo.accounts.access import needs_two_factor
from giamngheo.accounts.models import Role, RoleAssignment, User
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.geo.models import AdminUnit, UnitLevel

pytestmark = pytest.mark.django_db
COMMUNE, PROVINCE = "03880", "14"


@pytest.mark.parametrize(
    ("role", "unit", "needed"),
    [
        (Role.REVIEWER, COMMUNE, False),
        (Role.VILLAGE_HEAD, COMMUNE, False),
        (Role.COMMUNE_OFFICIAL, COMMUNE, False),
        (Role.COMMUNE_CHAIR, COMMUNE, False),
        (Role.PROVINCE_OFFICIAL, PROVINCE, True),
        (Role.NATIONAL_VIEWER, None, True),
        (Role.ADMIN, None, True),
    ],
)
def test_each_role(role, unit, needed):
    assert needs_two_factor(user_with_role(role, unit)) is needed


def test_a_commune_role_given_a_province_reads_many_communes_and_needs_it():
    assert needs_two_factor(user_with_role(Role.REVIEWER, PROVINCE)) is True


def test_a_district_assignment_needs_it():
    district = AdminUnit.objects.filter(level=UnitLevel.DISTRICT).first()
    user = User.objects.create_user("huyen", password="pw-long-enough")
    RoleAssignment.objects.create(user=user, role=Role.PROVINCE_OFFICIAL, unit=district, valid_from=dt.date(2020, 1, 1))
    assert needs_two_factor(user) is True


def test_staff_who_open_the_admin_need_it_without_a_role():
    assert needs_two_factor(User.objects.create_user("staff", password="x" * 12, is_staff=True)) is True
    assert needs_two_factor(User.objects.create_superuser("root", password="x" * 12)) is True


def test_an_ended_province_assignment_no_longer_needs_it():
    user = User.objects.create_user("cu", password="pw-long-enough")
    RoleAssignment.objects.create(
        user=user,
        role=Role.PROVINCE_OFFICIAL,
        unit=AdminUnit.objects.get(code=PROVINCE, valid_to__isnull=True),
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2021, 1, 1),
    )
    assert needs_two_factor(user) is False


def test_no_one_signed_in_and_an_inactive_user_need_nothing():
    assert needs_two_factor(AnonymousUser()) is False
    assert needs_two_factor(None) is False
    admin = user_with_role(Role.ADMIN)
    admin.is_active = False
    assert needs_two_factor(admin) is False


def test_the_demo_setting_lets_only_the_demo_accounts_through(settings):
    demo_admin = user_with_role(Role.ADMIN, username="quan_tri")
    demo_province = user_with_role(Role.PROVINCE_OFFICIAL, PROVINCE, username="can_bo_tinh")
    other_admin = user_with_role(Role.ADMIN, username="admin-that")
    assert needs_two_factor(demo_admin) and needs_two_factor(demo_province)  # without the setting
    settings.DEMO = True
    for user in (demo_admin, demo_province, other_admin):
        user.__dict__.pop("_assignments_cache", None)
    assert not needs_two_factor(demo_admin) and not needs_two_factor(demo_province)
    assert needs_two_factor(other_admin) is True


def test_check_deploy_refuses_the_demo_setting(settings):
    from giamngheo.core.checks import deployment

    assert "giamngheo.E005" not in {p.id for p in deployment(None)}
    settings.DEMO = True
    assert "giamngheo.E005" in {p.id for p in deployment(None)}
