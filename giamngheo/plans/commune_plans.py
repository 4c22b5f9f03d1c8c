"""A commune's annual plan (issue #17 item 4): the target number of exits, and the chair's approval,
which fixes the named list of expected exits from the households' plans.

Expected: a household plan of the commune and year in the group `can_escape` whose target exit year is
that year and which is not closed as not achieved. The list is kept as approved (`models.ExpectedExit`),
so a plan edited afterwards does not rewrite what the chair signed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..accounts.access import require_approve_commune_plan, require_keep_plans
from ..core import clock
from ..core.audit import audit
from ..core.errors import ServiceError
from ..geo.models import AdminUnit, UnitLevel
from .models import CommunePlan, ExpectedExit, HouseholdPlan, PlanGroup, PlanState


def _saved_by(actor, row) -> None:
    row._history_user = actor  # django-simple-history's history user for this save
    row.save()


def expected_plans(commune_id: int, year: int):
    """The household plans that make the expected-exit list of `commune_id` for `year`."""
    return (
        HouseholdPlan.objects.filter(
            commune_id=commune_id, year=year, target_exit_year=year, group=PlanGroup.CAN_ESCAPE
        )
        .exclude(state=PlanState.NOT_ACHIEVED)
        .order_by("household_id")
    )


@transaction.atomic
def commune_plan_save(*, actor, commune: AdminUnit, year: int, target_households: int) -> CommunePlan:
    """Set the year's target number of households to escape (the commune office); refused once approved."""
    require_keep_plans(actor, commune)
    if commune.level != UnitLevel.COMMUNE:
        raise ServiceError("Kế hoạch năm là của một xã", "An annual plan belongs to a commune", field="commune")
    if isinstance(target_households, bool) or not isinstance(target_households, int) or target_households < 0:
        raise ServiceError("Chỉ tiêu là số hộ, không âm", "The target is a number of households", field="target")
    plan = CommunePlan.objects.select_for_update().filter(commune=commune, year=year).first()
    if plan is not None and plan.state == CommunePlan.State.APPROVED:
        raise ServiceError("Kế hoạch đã được phê duyệt", "The plan is approved already", field="target")
    before = plan.target_households if plan is not None else None
    plan = plan or CommunePlan(commune=commune, year=year, created_by=actor, target_households=0)
    plan.target_households = target_households
    _saved_by(actor, plan)
    audit(actor, "plans.commune_plan.save", plan, before=before, after=target_households)
    return plan


@transaction.atomic
def commune_plan_approve(
    *, actor, commune_plan: CommunePlan, decision_number: str, decision_date: dt.date
) -> CommunePlan:
    """The chair's approval by decision: fixes the list of expected exits as the households' plans say today."""
    plan = CommunePlan.objects.select_for_update().get(pk=commune_plan.pk)
    require_approve_commune_plan(actor, plan.commune_id)
    if plan.state == CommunePlan.State.APPROVED:
        raise ServiceError("Kế hoạch đã được phê duyệt", "The plan is approved already")
    if not decision_number.strip():
        raise ServiceError("Thiếu số quyết định", "The decision number is missing", field="decision_number")
    if decision_date > clock.today():
        raise ServiceError("Ngày quyết định ở tương lai", "The decision date is in the future", field="decision_date")
    plan.state = CommunePlan.State.APPROVED
    plan.decision_number, plan.decision_date, plan.approved_by = decision_number.strip(), decision_date, actor
    _saved_by(actor, plan)
    rows = [
        ExpectedExit(commune_plan=plan, household_id=hp.household_id, household_plan=hp)
        for hp in expected_plans(plan.commune_id, plan.year)
    ]
    bulk_create_with_history(rows, ExpectedExit, batch_size=2000, default_user=actor)
    audit(actor, "plans.commune_plan.approve", plan, decision=plan.decision_number, expected=len(rows))
    return plan


__all__ = ["commune_plan_approve", "commune_plan_save", "expected_plans"]
