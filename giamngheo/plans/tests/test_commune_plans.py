"""The commune's annual plan: a target, the chair's approval by decision (refused to every other role),
and the expected-exit list fixed from the households' plans as approved."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.plans.commune_plans import commune_plan_approve, commune_plan_save
from giamngheo.plans.models import ExpectedExit, HouseholdPlan

from .helpers import A, B, household, system_user, user_with_role

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plans():
    admin = system_user()
    made = {}
    # household -> (group, target exit year, state)
    for hid, (group, target, state) in {
        "E1": ("can_escape", 2026, "agreed"),  # expected
        "E2": ("can_escape", 2026, "draft"),  # expected
        "L1": ("can_escape", 2027, "agreed"),  # a later year
        "P1": ("protection_only", None, "agreed"),  # not expected to escape
        "R1": ("to_review", 2026, "draft"),  # not decided
        "N1": ("can_escape", 2026, "not_achieved"),  # closed
    }.items():
        hh = household(admin, hid, A)
        made[hid] = HouseholdPlan.objects.create(
            household=hh,
            year=2026,
            commune=hh.unit,
            group=group,
            target_exit_year=target,
            state=state,
            outcome_reason="illness" if state == "not_achieved" else "",
            created_by=admin,
        )
    return made


def test_the_chair_approves_and_the_expected_list_is_fixed(plans):
    official, chair = user_with_role("commune_official", A), user_with_role("commune_chair", A)
    with clock.fixed(D(2026, 2, 1)):
        plan = commune_plan_save(actor=official, commune=unit_by_code(A), year=2026, target_households=3)
        plan = commune_plan_approve(
            actor=chair, commune_plan=plan, decision_number="12/QĐ-UBND", decision_date=D(2026, 1, 30)
        )
        with pytest.raises(ServiceError):
            commune_plan_approve(
                actor=chair, commune_plan=plan, decision_number="13/QĐ-UBND", decision_date=D(2026, 1, 31)
            )
        with pytest.raises(ServiceError):
            commune_plan_save(actor=official, commune=unit_by_code(A), year=2026, target_households=5)
    expected = set(ExpectedExit.objects.filter(commune_plan=plan).values_list("household__household_id", flat=True))
    assert expected == {"E1", "E2"}
    assert (plan.state, plan.approved_by, plan.target_households) == ("approved", chair, 3)
    assert [h.state for h in plan.history.order_by("history_id")] == ["draft", "approved"]
    assert plan.history.first().history_user == chair
    # a household plan edited after approval does not change the approved list
    plans["L1"].target_exit_year = 2026
    plans["L1"].save()
    assert ExpectedExit.objects.filter(commune_plan=plan).count() == 2


@pytest.mark.parametrize(
    "role, unit",
    [
        ("commune_official", A),
        ("reviewer", A),
        ("village_head", A),
        ("helper", A),
        ("commune_chair", B),
        ("province_official", "14"),
        ("national_viewer", None),
    ],
)
def test_approval_is_refused_to_every_other_role(plans, role, unit):
    plan = commune_plan_save(
        actor=user_with_role("commune_official", A), commune=unit_by_code(A), year=2026, target_households=2
    )
    with pytest.raises(AccessDenied):
        commune_plan_approve(
            actor=user_with_role(role, unit), commune_plan=plan, decision_number="1/QĐ", decision_date=D(2026, 1, 1)
        )
    plan.refresh_from_db()
    assert plan.state == "draft" and not ExpectedExit.objects.exists()
