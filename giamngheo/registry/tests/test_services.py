"""Household and member writes: every change kept in history, attributed, and validated."""

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, user_with_role
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import Household, HouseholdEvent, Member
from giamngheo.registry.services import (
    household_merge,
    household_split,
    household_update,
    member_add,
    member_move,
    member_update,
)
from giamngheo.registry.services.households import StaleEditError

pytestmark = pytest.mark.django_db
COMMUNE = "03880"


@pytest.fixture
def official():
    return user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo")


def test_register_and_edit_are_in_history_with_who(official):
    hh = household(official, "H1", COMMUNE)
    household_update(actor=official, household=hh, income_per_capita_month=900_000)
    history = list(Household.objects.get(pk=hh.pk).history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.income_per_capita_month for h in history] == [1_200_000, 900_000]
    assert {h.history_user.username for h in history} == {"canbo"}
    assert AuditEvent.objects.filter(verb="household.update", actor=official).exists()


def test_member_edit_is_in_history(official):
    hh = household(official, "H1", COMMUNE)
    member = hh.members.get(member_id="H1-2")
    member_update(actor=official, member=member, in_school=True)
    assert [h.in_school for h in member.history.order_by("history_date")] == [False, True]


def test_a_second_writer_with_a_stale_version_is_refused(official):
    hh = household(official, "H1", COMMUNE)
    household_update(actor=official, household=hh, expected_version=1, latrine="none")
    with pytest.raises(StaleEditError) as caught:
        household_update(actor=official, household=hh, expected_version=1, water_source="vendor")
    assert "vừa được người khác sửa" in caught.value.message_vi
    fresh = Household.objects.get(pk=hh.pk)
    assert (fresh.latrine, fresh.water_source, fresh.version) == ("none", "piped", 2)


def test_national_id_must_be_12_digits(official):
    hh = household(official, "H1", COMMUNE, members=0)
    for bad in ("12345", "0123456789ab", "1234567890123"):
        with pytest.raises(ServiceError) as caught:
            member_add(actor=official, household=hh, member_id=f"m-{bad}", national_id=bad)
        assert "12" in caught.value.message_en


def test_a_duplicate_national_id_names_the_other_household(official):
    h1 = household(official, "H1", COMMUNE, members=0)
    h2 = household(official, "H2", COMMUNE, members=0)
    member_add(actor=official, household=h1, member_id="a", national_id="014090000123")
    with pytest.raises(ServiceError) as caught:
        member_add(actor=official, household=h2, member_id="b", national_id="014090000123")
    assert "H1" in caught.value.message_vi and "household H1" in caught.value.message_en
    assert not Member.objects.filter(member_id="b").exists()


def test_an_inactive_members_id_can_be_reused():
    from giamngheo.accounts.tests.factories import system_user

    admin = system_user()
    h1 = household(admin, "H1", COMMUNE, members=0)
    m = member_add(actor=admin, household=h1, member_id="a", national_id="014090000123")
    Member.objects.filter(pk=m.pk).update(is_active=False)
    member_add(actor=admin, household=h1, member_id="b", national_id="014090000123")


def test_move_a_member_keeps_history_and_an_event(official):
    h1, h2 = household(official, "H1", COMMUNE), household(official, "H2", COMMUNE)
    member = h1.members.get(member_id="H1-2")
    member_move(actor=official, member=member, to_household=h2)
    member.refresh_from_db()
    assert member.household == h2 and member.relation_to_head == "other"
    assert [h.household_id for h in member.history.order_by("history_date")] == [h1.pk, h2.pk]
    assert HouseholdEvent.objects.filter(kind="member_moved", household=h2, other_household=h1).exists()


def test_split_creates_a_household_with_the_chosen_members(official):
    hh = household(official, "H1", COMMUNE, members=3)
    new = household_split(actor=official, household=hh, member_ids=["H1-2", "H1-3"], new_household_id="H1B")
    assert set(new.members.values_list("member_id", flat=True)) == {"H1-2", "H1-3"}
    assert new.members.get(member_id="H1-2").relation_to_head == "head"
    assert new.floor_area_m2 == hh.floor_area_m2 and new.unit == hh.unit
    assert set(hh.members.values_list("member_id", flat=True)) == {"H1-1"}
    assert HouseholdEvent.objects.filter(kind="split", household=new, other_household=hh).exists()


def test_split_must_leave_someone_behind(official):
    hh = household(official, "H1", COMMUNE, members=2)
    with pytest.raises(ServiceError):
        household_split(actor=official, household=hh, member_ids=["H1-1", "H1-2"], new_household_id="H1B")
    assert not Household.objects.filter(household_id="H1B").exists()


def test_merge_moves_everyone_and_retires_the_source(official):
    h1, h2 = household(official, "H1", COMMUNE, members=2), household(official, "H2", COMMUNE, members=1)
    household_merge(actor=official, source=h1, target=h2)
    h1.refresh_from_db()
    assert not h1.is_active and h1.history.filter(is_active=False).exists()
    assert h2.members.count() == 3
    assert h2.members.filter(relation_to_head="head").count() == 1  # the source's head joins as 'other'


def test_writes_outside_the_users_commune_are_refused(official):
    other = user_with_role(Role.COMMUNE_OFFICIAL, "04045")
    hh = household(other, "HX", "04045")
    with pytest.raises(AccessDenied):
        household_update(actor=official, household=hh, latrine="none")
    with pytest.raises(AccessDenied):
        member_add(actor=official, household=hh, member_id="intruder")
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    with pytest.raises(AccessDenied):
        household_update(actor=province, household=hh, latrine="none")
    assert Household.objects.get(pk=hh.pk).latrine == "septic"


def test_unknown_codes_are_refused_with_the_field(official):
    hh = household(official, "H1", COMMUNE)
    with pytest.raises(ServiceError) as caught:
        household_update(actor=official, household=hh, water_source="river")
    assert caught.value.field == "water_source"


def test_birth_date_is_a_plain_date(official):
    hh = household(official, "H1", COMMUNE)
    assert hh.members.get(member_id="H1-1").birth_date == dt.date(1980, 1, 1)
