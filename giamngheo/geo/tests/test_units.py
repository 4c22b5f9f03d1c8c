"""Dated units: which unit a code was on a date, and what it is now."""

import datetime as dt

import pytest

from giamngheo.geo.models import AdminUnit, UnitLevel, UnitSuccession
from giamngheo.geo.selectors import current_unit, successors, unit_by_code, unit_on

pytestmark = pytest.mark.django_db


def test_counts_of_both_eras():
    new = AdminUnit.objects.filter(valid_from=dt.date(2025, 7, 1))
    old = AdminUnit.objects.filter(valid_from__isnull=True)
    assert new.filter(level=UnitLevel.PROVINCE).count() == 34
    assert new.filter(level=UnitLevel.COMMUNE).count() == 3321
    assert old.filter(level=UnitLevel.PROVINCE).count() == 63
    assert old.filter(level=UnitLevel.DISTRICT).count() == 696
    assert old.filter(level=UnitLevel.COMMUNE).count() == 10035


def test_a_code_means_different_units_before_and_after_the_reform():
    before = unit_on("00376", dt.date(2024, 5, 1))
    after = unit_on("00376", dt.date(2025, 9, 1))
    assert before.name == "Thị trấn Sóc Sơn" and before.area == "urban"
    assert before.parent.level == UnitLevel.DISTRICT and before.parent.parent.code == "01"
    assert after.name == "Xã Sóc Sơn" and after.area == "rural"
    assert after.parent.level == UnitLevel.PROVINCE
    assert unit_on("00376", dt.date(2025, 6, 30)).pk == before.pk
    assert unit_on("00376", dt.date(2025, 7, 1)).pk == after.pk


def test_a_2024_commune_code_resolves_to_its_2025_successor():
    # Phường Phúc Xá (00001, Ba Đình, Hà Nội) became part of Phường Hồng Hà (00097).
    old = unit_on("00001", dt.date(2024, 1, 1))
    assert old.name == "Phường Phúc Xá" and old.valid_to == dt.date(2025, 6, 30)
    assert unit_on("00001", dt.date(2025, 9, 1)) is None
    now = current_unit("00001", dt.date(2024, 1, 1))
    assert (now.code, now.name) == ("00097", "Phường Hồng Hà")
    assert now.in_force_on(dt.date(2026, 1, 1))


def test_a_split_commune_lists_every_successor_default_first():
    split = UnitSuccession.objects.values("old").annotate().filter(is_default=False).first()
    old = AdminUnit.objects.get(pk=split["old"])
    names = successors(old)
    assert len(names) >= 2
    assert UnitSuccession.objects.get(old=old, new=names[0]).is_default


def test_every_old_commune_has_a_default_successor():
    old = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, valid_from__isnull=True)
    with_default = UnitSuccession.objects.filter(is_default=True).values("old").distinct().count()
    assert with_default == old.count()


def test_unit_by_code_prefers_the_unit_in_force_today():
    assert unit_by_code("14").name == "Tỉnh Sơn La"
    assert unit_by_code("00004").valid_from == dt.date(2025, 7, 1)


def test_loading_twice_adds_nothing():
    from giamngheo.geo.services import units_load

    assert units_load() == {"units_created": 0, "successions_created": 0}
