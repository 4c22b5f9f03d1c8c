"""A member leaving (death or moving away): attributed, in history, dated, and the head replaced."""

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import Household, HouseholdEvent, Member
from giamngheo.registry.services import member_leave

pytestmark = pytest.mark.django_db
COMMUNE, OTHER = "03880", "04045"
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def official():
    return user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo")


@pytest.fixture
def home(official):
    return household(system_user(), "H1", COMMUNE, members=3)  # H1-1 head, H1-2 and H1-3 children


def test_a_member_who_died_is_inactive_in_history_with_who_when_and_why(official, home):
    with clock.fixed(TODAY):
        member_leave(
            actor=official, member=Member.objects.get(member_id="H1-2"), left_on=dt.date(2026, 3, 5), reason="died"
        )
    member = Member.objects.get(member_id="H1-2")
    assert member.is_active is False
    last = member.history.order_by("-history_date", "-history_id").first()
    assert (last.is_active, last.history_user.username) == (False, "canbo")
    assert last.history_change_reason == "member_leave: died 05/03/2026"
    event = HouseholdEvent.objects.get(kind=HouseholdEvent.Kind.MEMBER_LEFT, household=home)
    assert (event.actor, event.data["left_on"], event.data["reason"]) == (official, "2026-03-05", "died")
    assert AuditEvent.objects.filter(verb="member.leave", actor=official, object_id=str(member.pk)).exists()
    assert Household.objects.get(pk=home.pk).is_active  # others stay


def test_a_day_in_the_future_is_refused_and_nothing_changes(official, home):
    with clock.fixed(TODAY), pytest.raises(ServiceError) as caught:
        member_leave(
            actor=official,
            member=Member.objects.get(member_id="H1-2"),
            left_on=TODAY + dt.timedelta(days=1),
            reason="moved_away",
        )
    assert caught.value.field == "left_on" and "sau hôm nay" in caught.value.message_vi
    assert Member.objects.get(member_id="H1-2").is_active
    assert not HouseholdEvent.objects.filter(kind=HouseholdEvent.Kind.MEMBER_LEFT).exists()


def test_today_is_accepted_and_a_day_before_birth_is_not(official, home):
    child = Member.objects.get(member_id="H1-3")  # born 01/01/2000
    with clock.fixed(TODAY), pytest.raises(ServiceError, match="trước ngày sinh"):
        member_leave(actor=official, member=child, left_on=dt.date(1999, 12, 31), reason="moved_away")
    with clock.fixed(TODAY):
        member_leave(actor=official, member=child, left_on=TODAY, reason="moved_away", note="  lên Hà Nội  ")
    assert HouseholdEvent.objects.get(kind=HouseholdEvent.Kind.MEMBER_LEFT).data["note"] == "lên Hà Nội"


def test_the_head_cannot_leave_others_behind_without_a_new_head(official, home):
    head = Member.objects.get(member_id="H1-1")
    with clock.fixed(TODAY), pytest.raises(ServiceError) as caught:
        member_leave(actor=official, member=head, left_on=TODAY, reason="died")
    assert caught.value.field == "new_head" and Member.objects.get(pk=head.pk).is_active
    with clock.fixed(TODAY), pytest.raises(ServiceError, match="thành viên còn lại"):
        member_leave(actor=official, member=head, left_on=TODAY, reason="died", new_head_member_id="H1-1")
    with clock.fixed(TODAY):
        member_leave(actor=official, member=head, left_on=TODAY, reason="died", new_head_member_id="H1-3")
    relations = dict(Member.objects.filter(household=home, is_active=True).values_list("member_id", "relation_to_head"))
    assert relations == {"H1-2": "child", "H1-3": "head"}
    assert Member.objects.get(member_id="H1-3").history.first().history_user == official


def test_a_new_head_is_refused_when_the_head_stays(official, home):
    with clock.fixed(TODAY), pytest.raises(ServiceError, match="Chỉ chọn chủ hộ mới"):
        member_leave(
            actor=official,
            member=Member.objects.get(member_id="H1-2"),
            left_on=TODAY,
            reason="died",
            new_head_member_id="H1-3",
        )


def test_the_last_member_leaving_closes_the_household(official):
    alone = household(system_user(), "H2", COMMUNE, members=1)
    with clock.fixed(TODAY):
        member_leave(actor=official, member=alone.members.get(), left_on=TODAY, reason="died")
    closed = Household.objects.get(pk=alone.pk)
    assert (closed.is_active, closed.version) == (False, 2)
    assert closed.history.first().history_user == official
    assert HouseholdEvent.objects.get(household=alone).data["household_closed"] is True


def test_leaving_twice_or_for_an_unknown_reason_is_refused(official, home):
    member = Member.objects.get(member_id="H1-2")
    with clock.fixed(TODAY), pytest.raises(ServiceError, match="Lý do"):
        member_leave(actor=official, member=member, left_on=TODAY, reason="married")
    with clock.fixed(TODAY):
        member_leave(actor=official, member=member, left_on=TODAY, reason="moved_away")
    with clock.fixed(TODAY), pytest.raises(ServiceError, match="đã rời hộ"):
        member_leave(actor=official, member=member, left_on=TODAY, reason="moved_away")


@pytest.mark.parametrize(
    "role,unit", [(Role.REVIEWER, COMMUNE), (Role.PROVINCE_OFFICIAL, "14"), (Role.COMMUNE_OFFICIAL, OTHER)]
)
def test_only_the_communes_office_records_a_leaving(home, role, unit):
    with clock.fixed(TODAY), pytest.raises(AccessDenied):
        member_leave(
            actor=user_with_role(role, unit),
            member=Member.objects.get(member_id="H1-2"),
            left_on=TODAY,
            reason="died",
        )
    assert Member.objects.get(member_id="H1-2").is_active
