"""`area_scope`: the one scope of reports, exports, what-if runs and dashboards, and its denials."""

import dataclasses
import datetime as dt

import pytest

from giamngheo.accounts.access import Scope, area_scope
from giamngheo.accounts.models import Role
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.models import UnitLevel
from giamngheo.geo.selectors import communes_under, unit_by_code

from .factories import user_with_role

pytestmark = pytest.mark.django_db

COMMUNE_A = "03880"  # a commune of Sơn La (14)
TODAY = dt.date(2026, 3, 1)
BEFORE = dt.date(2024, 12, 31)  # 63 provinces, districts


def _ids(unit, on):
    return tuple(sorted(communes_under(unit, on).values_list("pk", flat=True)))


def test_a_commune_official_gets_their_commune_and_no_province():
    official = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE_A)
    commune, province = unit_by_code(COMMUNE_A, TODAY), unit_by_code("14", TODAY)
    scope = area_scope(official, commune, on=TODAY)
    assert scope == Scope(commune, TODAY, (commune.pk,)) and not scope.partial
    with pytest.raises(AccessDenied):
        area_scope(official, province, on=TODAY)
    with pytest.raises(AccessDenied):
        area_scope(official, unit_by_code("04045", TODAY), on=TODAY)  # another commune of the province
    visible = area_scope(official, province, on=TODAY, partial=True)  # asked for explicitly: what I may see
    assert visible.commune_ids == (commune.pk,) and visible.partial and visible.unit == province


def test_a_province_official_gets_the_communes_in_force_on_the_date():
    official = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    province = unit_by_code("14", TODAY)
    scope = area_scope(official, province, on=TODAY)
    assert scope.commune_ids == _ids(province, TODAY) and len(scope.commune_ids) > 50
    assert scope.on == TODAY and not scope.partial
    # the same code before the reform is another unit (with districts); the official's history covers it
    old = unit_by_code("14", BEFORE)
    assert old.pk != province.pk
    before = area_scope(official, old, on=BEFORE)
    assert before.commune_ids == _ids(old, BEFORE) and before.commune_ids
    assert all(u.valid_to == dt.date(2025, 6, 30) for u in communes_under(old, BEFORE))
    district = old.children.filter(level=UnitLevel.DISTRICT).first()
    assert area_scope(official, district, on=BEFORE).commune_ids == _ids(district, BEFORE)
    with pytest.raises(AccessDenied):
        area_scope(official, unit_by_code("01", TODAY), on=TODAY)
    assert area_scope(official, unit_by_code("01", TODAY), on=TODAY, partial=True).commune_ids == ()


def test_national_roles_read_any_unit_and_a_scope_cannot_be_changed():
    national = user_with_role(Role.NATIONAL_VIEWER)
    hanoi = unit_by_code("01", TODAY)
    scope = area_scope(national, hanoi, on=TODAY)
    assert scope.commune_ids == _ids(hanoi, TODAY) and not scope.partial
    assert area_scope(national, hanoi, on=BEFORE).is_empty  # no commune of the 34 provinces was in force then
    with pytest.raises(dataclasses.FrozenInstanceError):
        scope.commune_ids = ()  # type: ignore[misc]


def test_nobody_without_a_role_gets_a_scope():
    nobody = user_with_role(Role.REVIEWER, COMMUNE_A)
    nobody.is_active = False
    with pytest.raises(AccessDenied):
        area_scope(nobody, unit_by_code(COMMUNE_A, TODAY), on=TODAY)
