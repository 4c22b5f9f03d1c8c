"""The communes a role's unit covers are kept per process (two joins of the unit tables on every
request before), and the kept answer never outlives the tables: a new unit, a rolled-back one and a
unit moved in place are seen at once."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from giamngheo.accounts.access import visible_unit_ids
from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.geo.models import AdminUnit, UnitLevel
from giamngheo.geo.selectors import communes_with_history, unit_by_code

pytestmark = pytest.mark.django_db(transaction=False)


def _new_commune(province: AdminUnit, code: str = "99990") -> AdminUnit:
    return AdminUnit.objects.create(
        code=code, level=UnitLevel.COMMUNE, name="Xã Thử", parent=province, province_code=province.code
    )


def test_a_provinces_communes_are_read_once_and_new_units_are_seen_at_once():
    province = unit_by_code("14")
    before = communes_with_history(province)
    with CaptureQueriesContext(connection) as again:
        assert communes_with_history(province) == before
    assert len(again) == 1  # the generation check only, not the two joins
    official = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    visible_unit_ids(official)
    added = _new_commune(province)
    assert added.pk in communes_with_history(province)
    assert added.pk in visible_unit_ids(user_with_role(Role.PROVINCE_OFFICIAL, "14"))


def test_a_rolled_back_unit_and_a_unit_moved_in_place_are_forgotten():
    province = unit_by_code("14")
    other = unit_by_code("01")
    with pytest.raises(RuntimeError), transaction.atomic():
        ghost = _new_commune(province, "99991")
        assert ghost.pk in communes_with_history(province)
        raise RuntimeError("roll back")
    assert ghost.pk not in communes_with_history(province)
    moved = _new_commune(province, "99992")
    assert moved.pk in communes_with_history(province)
    moved.parent = other
    moved.save()
    assert moved.pk not in communes_with_history(province) and moved.pk in communes_with_history(other)
