"""Giving a round's households to reviewers (`services.listed_assign`): by village or chosen ones, by
the commune's office only, to a reviewer of the commune only, in each row's history and the audit
log; and the worklist ("Hộ của tôi") showing each reviewer what was given to them."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.access import can_assign_reviewers, is_reviewer_of
from giamngheo.accounts.models import Role
from giamngheo.accounts.selectors import reviewers_of
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.core.models import AuditEvent
from giamngheo.geo.models import Village
from giamngheo.geo.selectors import unit_by_code
from giamngheo.registry.models import Household
from giamngheo.review import selectors
from giamngheo.review import services as review
from giamngheo.review.models import Listed, Request, ReviewRound

pytestmark = pytest.mark.django_db
COMMUNE, OTHER = "03880", "04045"
ON = dt.date(2025, 9, 10)


@pytest.fixture
def world():
    admin = system_user()
    commune = unit_by_code(COMMUNE)
    upper, lower = (Village.objects.create(commune=commune, name=n) for n in ("Bản Trên", "Bản Dưới"))
    for i in range(6):
        household(admin, f"H{i}", COMMUNE, members=1)
    Household.objects.filter(household_id__in=["H0", "H1", "H2"]).update(village=upper)
    Household.objects.filter(household_id__in=["H3", "H4", "H5"]).update(village=lower)
    people = {
        "official": user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo"),
        "chair": user_with_role(Role.COMMUNE_CHAIR, COMMUNE, username="chutich"),
        "an": user_with_role(Role.REVIEWER, COMMUNE, username="an"),
        "binh": user_with_role(Role.REVIEWER, COMMUNE, username="binh"),
        "head": user_with_role(Role.VILLAGE_HEAD, COMMUNE, username="truongthon"),
        "other_reviewer": user_with_role(Role.REVIEWER, OTHER, username="xakhac"),
        "other_official": user_with_role(Role.COMMUNE_OFFICIAL, OTHER, username="canbo2"),
        "province": user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh"),
    }
    for h in Household.objects.filter(unit=commune):
        Request.objects.create(household=h, form="01", received_on=ON, channel="post", recorded_by=admin)
    with clock.fixed(ON):
        r = review.round_open(actor=people["official"], commune=commune, kind="periodic", reference_date=ON, on=ON)
        r = review.round_advance(actor=people["official"], review_round=r, from_step="listing", today=ON)
    return {"round": r, "upper": upper, "lower": lower, **people}


def _ids(rows) -> list[str]:
    return sorted(rows.values_list("household__household_id", flat=True))


def test_a_village_is_given_to_a_reviewer_with_history_and_audit(world):
    r, an = world["round"], world["an"]
    n = review.listed_assign(actor=world["official"], review_round=r, assignee=an, village_id=world["upper"].pk)
    assert n == 3
    assert _ids(r.listed.filter(assignee=an)) == ["H0", "H1", "H2"]
    row = r.listed.get(household__household_id="H0")
    last = row.history.first()
    assert last.assignee_id == an.pk and last.history_user == world["official"]
    event = AuditEvent.objects.get(verb="review.assign")
    assert event.actor == world["official"] and event.data["assignee"] == "an"
    assert event.data["households"] == ["H0", "H1", "H2"]


def test_chosen_households_change_hands_and_can_be_taken_back(world):
    r, an, binh = world["round"], world["an"], world["binh"]
    review.listed_assign(actor=world["chair"], review_round=r, assignee=an, village_id=world["upper"].pk)
    chosen = list(r.listed.filter(household__household_id__in=["H2", "H3"]).values_list("pk", flat=True))
    assert review.listed_assign(actor=world["chair"], review_round=r, assignee=binh, listed_ids=chosen) == 2
    assert _ids(r.listed.filter(assignee=an)) == ["H0", "H1"]
    assert _ids(r.listed.filter(assignee=binh)) == ["H2", "H3"]
    assert review.listed_assign(actor=world["chair"], review_round=r, assignee=binh, listed_ids=chosen) == 0
    assert review.listed_assign(actor=world["chair"], review_round=r, assignee=None, listed_ids=chosen) == 2
    assert _ids(r.listed.filter(assignee__isnull=True)) == ["H2", "H3", "H4", "H5"]


def test_ids_of_another_rounds_households_are_ignored(world):
    r = world["round"]
    other = ReviewRound.objects.create(
        commune=unit_by_code(OTHER), kind="periodic", reference_date=ON, opened_by=system_user(), step="surveying"
    )
    foreign = Listed.objects.create(
        review_round=other, household=household(system_user(), "K1", OTHER, members=1), reason="on_list"
    )
    assert (
        review.listed_assign(actor=world["official"], review_round=r, assignee=world["an"], listed_ids=[foreign.pk])
        == 0
    )
    foreign.refresh_from_db()
    assert foreign.assignee is None


@pytest.mark.parametrize("who", ["an", "head", "other_official", "province"])
def test_only_the_communes_office_assigns(world, who):
    r = world["round"]
    with pytest.raises(AccessDenied):
        review.listed_assign(actor=world[who], review_round=r, assignee=world["an"], village_id=world["upper"].pk)
    assert not r.listed.exclude(assignee=None).exists()
    assert not AuditEvent.objects.filter(verb="review.assign").exists()


@pytest.mark.parametrize("who", ["official", "chair"])
def test_the_office_may_assign_and_others_may_not(world, who):
    commune = unit_by_code(COMMUNE)
    assert can_assign_reviewers(world[who], commune)
    for other in ("an", "head", "other_official", "province", "other_reviewer"):
        assert not can_assign_reviewers(world[other], commune), other


@pytest.mark.parametrize("who", ["other_reviewer", "head", "official", "province"])
def test_households_go_only_to_a_reviewer_of_the_commune(world, who):
    r = world["round"]
    with pytest.raises(ServiceError, match="không phải rà soát viên"):
        review.listed_assign(actor=world["official"], review_round=r, assignee=world[who], village_id=world["upper"].pk)
    assert not r.listed.exclude(assignee=None).exists()


def test_reviewers_of_the_commune(world):
    assert [u.username for u in reviewers_of(unit_by_code(COMMUNE).pk)] == ["an", "binh"]
    assert is_reviewer_of(world["an"], unit_by_code(COMMUNE)) and not is_reviewer_of(world["an"], unit_by_code(OTHER))


def test_a_closed_round_and_a_missing_choice_are_refused(world):
    r = world["round"]
    with pytest.raises(ServiceError, match="thôn hoặc các hộ"):
        review.listed_assign(actor=world["official"], review_round=r, assignee=world["an"])
    ReviewRound.objects.filter(pk=r.pk).update(step="closed")
    with pytest.raises(ServiceError, match="đã kết thúc"):
        review.listed_assign(
            actor=world["official"], review_round=r, assignee=world["an"], village_id=world["upper"].pk
        )


def test_the_worklist_shows_mine_and_unassigned_ones_not_yet_surveyed(world):
    r, an, binh = world["round"], world["an"], world["binh"]
    r.listed.update(form_a_passed=True)
    review.listed_assign(actor=world["official"], review_round=r, assignee=an, village_id=world["upper"].pk)
    review.listed_assign(
        actor=world["official"],
        review_round=r,
        assignee=binh,
        listed_ids=[r.listed.get(household__household_id="H3").pk],
    )
    # H4 was taken up by binh (a survey sent back to be done again), H5 by no one
    Listed.objects.filter(review_round=r, household__household_id="H4").update(reviewer=binh)
    assert _ids(selectors.worklist_of(an, r)) == ["H0", "H1", "H2", "H5"]
    assert _ids(selectors.worklist_of(binh, r)) == ["H3", "H4", "H5"]
    # given to an, even if binh had taken it before: it is an's
    Listed.objects.filter(review_round=r, household__household_id="H0").update(reviewer=binh)
    assert "H0" not in _ids(selectors.worklist_of(binh, r))
    # surveyed: off every worklist
    Listed.objects.filter(review_round=r, household__household_id="H1").update(state=Listed.State.SURVEYED)
    assert _ids(selectors.worklist_of(an, r)) == ["H0", "H2", "H5"]
