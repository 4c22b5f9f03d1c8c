"""One household's plan: causes from Form B and editable, the state table, a coded reason, history."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.plans.services import plan_create, plan_move, plan_support_add, plan_update
from giamngheo.review.models import Listed, ReviewRound, Status

from .helpers import A, B, household, system_user, user_with_role

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def poor():
    admin = system_user()
    hh = household(admin, "P1", A)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Listed.objects.create(review_round=rnd, household=hh, reason="on_list", causes=["no_capital"], needs=["credit"])
    Status.objects.create(household=hh, category="poor", valid_from=D(2025, 12, 12), review_round=rnd)
    return hh


@pytest.fixture
def official():
    return user_with_role("commune_official", A)


def test_a_plan_starts_from_the_latest_form_b_and_its_causes_are_editable(poor, official):
    with clock.fixed(D(2026, 1, 10)):
        plan = plan_create(actor=official, household=poor, year=2026)
        assert (plan.category, plan.causes, plan.needs, plan.state) == ("poor", ["no_capital"], ["credit"], "draft")
        plan = plan_update(actor=official, plan=plan, causes=["no_capital", "dependency"], target_exit_year=2027)
        with pytest.raises(ServiceError):
            plan_update(actor=official, plan=plan, causes=["lazy"])
        with pytest.raises(ServiceError):
            plan_update(actor=official, plan=plan, target_exit_year=2020)
        with pytest.raises(ServiceError):
            plan_create(actor=official, household=poor, year=2026)  # one plan a year
    assert plan.causes == ["no_capital", "dependency"]
    assert [h.causes for h in plan.history.order_by("history_id")] == [["no_capital"], ["no_capital", "dependency"]]
    assert plan.history.first().history_user == official


def test_the_state_table_and_the_coded_reason(poor, official):
    with clock.fixed(D(2026, 1, 10)):
        plan = plan_create(actor=official, household=poor, year=2026)
        with pytest.raises(ServiceError):
            plan_move(actor=official, plan=plan, to="achieved")  # a draft is agreed first
        plan = plan_move(actor=official, plan=plan, to="agreed")
        assert plan.agreed_on == D(2026, 1, 10)
        with pytest.raises(ServiceError):
            plan_move(actor=official, plan=plan, to="not_achieved")  # no reason
        with pytest.raises(ServiceError):
            plan_move(actor=official, plan=plan, to="not_achieved", reason="bad luck")
        plan = plan_move(actor=official, plan=plan, to="not_achieved", reason="illness")
        with pytest.raises(ServiceError):
            plan_move(actor=official, plan=plan, to="agreed")  # closed
        with pytest.raises(ServiceError):
            plan_update(actor=official, plan=plan, commitment="x")
    assert (plan.state, plan.outcome_reason) == ("not_achieved", "illness")
    assert [h.state for h in plan.history.order_by("history_id")] == ["draft", "agreed", "not_achieved"]


def test_a_support_is_a_catalogue_policy_or_a_project_with_a_month(poor, official):
    plan = plan_create(actor=official, household=poor, year=2026)
    plan_support_add(actor=official, plan=plan, policy_id="vay-ho-ngheo", month=3)
    plan_support_add(actor=official, plan=plan, project="Mô hình nuôi bò sinh sản của xã", month=5)
    for bad in (
        dict(policy_id="no-such"),
        dict(),
        dict(policy_id="bhyt", project="x"),
        dict(policy_id="bhyt", month=13),
    ):
        with pytest.raises(ServiceError):
            plan_support_add(actor=official, plan=plan, **bad)
    assert list(plan.supports.values_list("policy_id", "project", "month")) == [
        ("vay-ho-ngheo", "", 3),
        ("", "Mô hình nuôi bò sinh sản của xã", 5),
    ]


def test_plans_are_kept_by_the_commune_office_only(poor, official):
    plan = plan_create(actor=official, household=poor, year=2026)
    for role, unit in (("reviewer", A), ("commune_official", B), ("province_official", "14"), ("helper", A)):
        other = user_with_role(role, unit)
        with pytest.raises(AccessDenied):
            plan_update(actor=other, plan=plan, commitment="x")
        with pytest.raises(AccessDenied):
            plan_move(actor=other, plan=plan, to="agreed")
    chair = user_with_role("commune_chair", A)
    assert plan_move(actor=chair, plan=plan, to="agreed").state == "agreed"
