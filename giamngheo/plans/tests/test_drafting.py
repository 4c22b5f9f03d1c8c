"""Bulk drafting follows the rules table, recounted here in plain Python from the YAML files themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.selectors import unit_by_code
from giamngheo.plans.drafting import plan_draft_bulk
from giamngheo.plans.models import HouseholdPlan, PlannedSupport
from giamngheo.review.models import Listed, ReviewRound, Status

from .helpers import A, B, helper_login, household, system_user, user_with_role

pytestmark = pytest.mark.django_db
D = dt.date
PLANS_DATA = Path(__file__).parents[1] / "data" / "goi-y-ho-tro.yaml"
POLICIES_DATA = Path(__file__).parents[2] / "policies" / "data"

# household id -> (commune, category recognised, Form B causes, Form B needs); None: no Form B behind it
REGISTER = {
    "P1": (A, "poor", ["no_capital", "illness"], ["credit", "education"]),
    "P2": (A, "poor", ["no_skills", "no_capital"], []),
    "N1": (A, "near_poor", ["no_capital"], ["housing", "credit"]),
    "N2": (A, "near_poor", ["no_labour"], ["health"]),
    "D1": (A, "poor", None, None),  # brought in from a decision: no Form B, no causes
    "AV": (A, "average", ["no_capital"], ["credit"]),  # not poor: no plan
    "E1": (A, "poor", ["no_tools"], []),  # already has a plan for 2026: left as it is
    "B1": (B, "poor", ["no_capital"], []),  # another commune: not in A's draft
}


def _recount(category: str, causes: list[str], needs: list[str]) -> list[str]:
    """What the rules table says, read without the code under test: each cause's then each need's
    policies as listed for 2022-01-01, once, kept when the policy's own YAML serves the category."""
    table = yaml.safe_load(PLANS_DATA.read_text(encoding="utf-8"))
    out: list[str] = []
    for section, codes in (("causes", causes), ("needs", needs)):
        for code in codes:
            for policy_id in next(iter(table[section][code]["values"].values())):
                served = yaml.safe_load((POLICIES_DATA / f"{policy_id}.yaml").read_text(encoding="utf-8"))
                categories = next(iter(served["eligibility"]["categories"]["values"].values()))
                if category in categories and policy_id not in out:
                    out.append(policy_id)
    return out


@pytest.fixture
def register():
    admin = system_user()
    rounds = {}
    homes = {}
    for hid, (commune, category, causes, needs) in REGISTER.items():
        homes[hid] = hh = household(admin, hid, commune)
        if commune not in rounds:
            rounds[commune] = ReviewRound.objects.create(
                commune=unit_by_code(commune), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
            )
        rnd = rounds[commune]
        if causes is not None:
            Listed.objects.create(
                review_round=rnd, household=hh, reason="on_list", state="recognised", causes=causes, needs=needs
            )
        Status.objects.create(
            household=hh, category=category, valid_from=D(2025, 12, 12), review_round=rnd, decision_number="45/QĐ-UBND"
        )
    HouseholdPlan.objects.create(household=homes["E1"], year=2026, commune=homes["E1"].unit, created_by=admin)
    return homes


def test_drafting_follows_the_rules_table(register):
    official = user_with_role("commune_official", A)
    with clock.fixed(D(2026, 1, 15)):
        result = plan_draft_bulk(actor=official, unit=unit_by_code(A), year=2026)
    drafted = {p.household.household_id: p for p in HouseholdPlan.objects.filter(source="drafted")}
    assert set(drafted) == {"P1", "P2", "N1", "N2", "D1"}
    assert (result.households, result.created, result.existing) == (6, 5, 1)
    for hid, plan in drafted.items():
        _, category, causes, needs = REGISTER[hid]
        got = list(PlannedSupport.objects.filter(plan=plan).order_by("pk").values_list("policy_id", flat=True))
        assert got == _recount(category, causes or [], needs or []), hid
        assert (plan.category, plan.causes, plan.needs, plan.group) == (
            category,
            causes or [],
            needs or [],
            "to_review",
        )
    assert result.supports == PlannedSupport.objects.filter(plan__source="drafted").count()
    # the near-poor are offered the near-poor loan, never the poor households' one
    assert "vay-ho-ngheo" not in PlannedSupport.objects.filter(plan=drafted["N1"]).values_list("policy_id", flat=True)
    assert not HouseholdPlan.objects.get(household__household_id="E1").supports.exists()


def test_drafted_plans_and_supports_are_history_tracked_and_a_second_run_writes_nothing(register):
    official = user_with_role("commune_official", A)
    with clock.fixed(D(2026, 1, 15)):
        plan_draft_bulk(actor=official, unit=unit_by_code(A), year=2026)
        again = plan_draft_bulk(actor=official, unit=unit_by_code(A), year=2026)
    assert (again.created, again.existing, again.supports) == (0, 6, 0)
    for plan in HouseholdPlan.objects.filter(source="drafted"):
        assert plan.history.count() == 1 and plan.history.first().history_user == official
    assert all(s.history.first().history_user == official for s in PlannedSupport.objects.all())


def test_a_drafted_plan_names_the_helper_assigned(register):
    helper, person = helper_login(household=register["P1"])
    official = user_with_role("commune_official", A)
    with clock.fixed(D(2026, 1, 15)):
        plan_draft_bulk(actor=official, unit=unit_by_code(A), year=2026)
    plan = HouseholdPlan.objects.get(household=register["P1"])
    assert (plan.helper, plan.organisation) == (person, person.organisation)
    assert HouseholdPlan.objects.get(household=register["P2"]).helper is None


@pytest.mark.parametrize(
    "role, unit", [("reviewer", A), ("village_head", A), ("commune_official", B), ("province_official", "14")]
)
def test_drafting_is_refused_to_others_and_writes_nothing(register, role, unit):
    with pytest.raises(AccessDenied):
        plan_draft_bulk(actor=user_with_role(role, unit), unit=unit_by_code(A), year=2026)
    assert HouseholdPlan.objects.count() == 1
