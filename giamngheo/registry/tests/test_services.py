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
    reused = member_add(actor=admin, household=h1, member_id="b", national_id="014090000123")
    holders = Member.objects.filter(national_id="014090000123").order_by("member_id")
    assert [(h.member_id, h.is_active) for h in holders] == [("a", False), ("b", True)]
    assert reused.history.get().national_id == "014090000123"
    with pytest.raises(ServiceError):  # while "b" is active, the id is taken again
        member_add(actor=admin, household=h1, member_id="c", national_id="014090000123")


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


def test_a_national_id_held_in_another_province_names_nobody_and_is_audited(official):
    from giamngheo.accounts.tests.factories import system_user

    foreign = household(system_user(), "09616000001", "00004", members=0)  # Hà Nội
    member_add(actor=system_user(), household=foreign, member_id="09616000001-01", national_id="001090000777")
    hh = household(official, "H1", COMMUNE, members=0)
    with pytest.raises(ServiceError) as caught:
        member_add(actor=official, household=hh, member_id="H1-9", national_id="001090000777")
    assert caught.value.message_en == (
        "this national id is already registered to an active member elsewhere; contact the province"
    )
    assert "09616000001" not in caught.value.message_vi + caught.value.message_en
    assert not Member.objects.filter(member_id="H1-9").exists()
    event = AuditEvent.objects.get(verb="member.national_id_refused", actor=official)
    assert event.data["holder_member"] == "09616000001-01"
    member = household(official, "H2", COMMUNE, members=1).members.get()
    with pytest.raises(ServiceError) as caught:
        member_update(actor=official, member=member, national_id="001090000777")
    assert "09616000001" not in caught.value.message_vi + caught.value.message_en
    assert AuditEvent.objects.filter(verb="member.national_id_refused", actor=official).count() == 2


def test_member_add_racing_another_insert_of_the_same_national_id_is_a_service_error(official, monkeypatch):
    """The check-then-insert race: another member takes the id between member_add's check and its insert."""
    from giamngheo.registry.services import members as members_module

    h1 = household(official, "H1", COMMUNE, members=0)
    h2 = household(official, "H2", COMMUNE, members=0)
    real = members_module.apply_fields

    def racing(obj, fields, allowed):
        if obj.member_id == "b":
            Member.objects.create(household=h1, member_id="rival", national_id="014090000123")
        return real(obj, fields, allowed)

    monkeypatch.setattr(members_module, "apply_fields", racing)
    with pytest.raises(ServiceError) as caught:
        member_add(actor=official, household=h2, member_id="b", national_id="014090000123")
    assert caught.value.field == "national_id" and "rival" in caught.value.message_en
    assert not Member.objects.filter(member_id="b").exists()


def test_member_add_racing_another_insert_of_the_same_member_id_is_a_service_error(official, monkeypatch):
    from giamngheo.registry.services import members as members_module

    h1 = household(official, "H1", COMMUNE, members=0)
    real = members_module.apply_fields

    def racing(obj, fields, allowed):
        Member.objects.create(household=h1, member_id=obj.member_id)
        return real(obj, fields, allowed)

    monkeypatch.setattr(members_module, "apply_fields", racing)
    with pytest.raises(ServiceError) as caught:
        member_add(actor=official, household=h1, member_id="dup", full_name="Lò Văn A")
    assert caught.value.field == "member_id" and "dup" in caught.value.message_en
