"""Area scoping: what each role may read and change, and above all what it may not."""

import pytest

from giamngheo.accounts.access import (
    ALL,
    can_read_unit,
    can_write_unit,
    require_unit_write,
    visible_unit_ids,
)
from giamngheo.accounts.models import Role
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.selectors import unit_by_code, unit_on
from giamngheo.registry.selectors import household_get, household_list, households_visible_to, members_visible_to

from .factories import household, system_user, user_with_role

pytestmark = pytest.mark.django_db

COMMUNE_A, COMMUNE_B = "03880", "04045"  # two communes of Sơn La (14)
OTHER_PROVINCE_COMMUNE = "00376"  # Xã Sóc Sơn, Hà Nội


@pytest.fixture
def registry():
    admin = system_user()
    return {code: household(admin, f"HH-{code}", code) for code in (COMMUNE_A, COMMUNE_B, OTHER_PROVINCE_COMMUNE)}


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VILLAGE_HEAD, Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR])
def test_a_commune_role_sees_its_commune_and_nothing_of_another(registry, role):
    user = user_with_role(role, COMMUNE_A)
    assert set(households_visible_to(user).values_list("household_id", flat=True)) == {f"HH-{COMMUNE_A}"}
    assert set(members_visible_to(user).values_list("household__household_id", flat=True)) == {f"HH-{COMMUNE_A}"}
    with pytest.raises(AccessDenied):
        household_get(user, f"HH-{COMMUNE_B}")
    assert not household_list(user, unit_id=unit_by_code(COMMUNE_B).pk).exists()
    assert not household_list(user, query="Nguyễn").exclude(household_id=f"HH-{COMMUNE_A}").exists()
    assert not can_read_unit(user, unit_by_code(COMMUNE_B))
    assert can_write_unit(user, unit_by_code(COMMUNE_A))
    with pytest.raises(AccessDenied):
        require_unit_write(user, unit_by_code(COMMUNE_B))


def test_a_province_official_reads_its_communes_but_writes_none(registry):
    user = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    seen = set(households_visible_to(user).values_list("household_id", flat=True))
    assert seen == {f"HH-{COMMUNE_A}", f"HH-{COMMUNE_B}"}
    with pytest.raises(AccessDenied):
        household_get(user, f"HH-{OTHER_PROVINCE_COMMUNE}")
    assert not can_write_unit(user, unit_by_code(COMMUNE_A))


def test_a_province_official_also_sees_the_pre_2025_communes_that_became_its_communes(registry):
    user = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    old = unit_on(COMMUNE_A, __import__("datetime").date(2024, 1, 1))
    assert can_read_unit(user, old)
    assert not can_read_unit(user, unit_on("00376", __import__("datetime").date(2024, 1, 1)))


def test_national_roles_see_everything_but_a_national_viewer_writes_nothing(registry):
    viewer = user_with_role(Role.NATIONAL_VIEWER)
    assert visible_unit_ids(viewer) is ALL
    assert households_visible_to(viewer).count() == 3
    assert not can_write_unit(viewer, unit_by_code(COMMUNE_A))
    admin = user_with_role(Role.ADMIN)
    assert can_write_unit(admin, unit_by_code(COMMUNE_B))


def test_no_assignment_means_nothing(registry):
    from giamngheo.accounts.models import User

    nobody = User.objects.create_user("nobody", password="pw-long-enough")
    assert visible_unit_ids(nobody) == set()
    assert not households_visible_to(nobody).exists()


def test_an_expired_assignment_grants_nothing(registry):
    import datetime as dt

    user = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE_A)
    user.assignments.update(valid_to=dt.date(2024, 12, 31))
    user = type(user).objects.get(pk=user.pk)
    assert not households_visible_to(user).exists()


def test_an_anonymous_user_sees_nothing(registry):
    from django.contrib.auth.models import AnonymousUser

    assert not households_visible_to(AnonymousUser()).exists()
