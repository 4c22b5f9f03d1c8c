"""Writes of the plans app: organisations, their people, helper assignments, and one household's plan.

Keyword-only, with the actor, atomic, history-tracked (the actor is the history user) and audited; who may
write: `accounts.access.require_assign_helpers` and `require_keep_plans` (the commune's official or chair,
in their commune).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..accounts.access import require_assign_helpers, require_keep_plans, require_record_visit
from ..core import clock
from ..core.audit import audit
from ..core.errors import ServiceError
from ..geo.models import AdminUnit, Village
from ..policies.catalogue import available_policies
from ..policies.models import Benefit
from ..registry.models import Household
from ..review.statuses import form_b_behind, latest_of, status_history
from .models import (
    HelperAssignment,
    HelperVisit,
    HouseholdPlan,
    NotAchievedReason,
    Organisation,
    OrganisationKind,
    Person,
    PlanGroup,
    PlannedSupport,
    PlanState,
)
from .rules import plan_causes


def _save_as(actor, row) -> None:
    row._history_user = actor
    row.full_clean(exclude=["created_by", "recorded_by"])
    row.save()


@transaction.atomic
def organisation_add(*, actor, unit: AdminUnit, kind: str, name: str) -> Organisation:
    require_assign_helpers(actor, unit)
    if kind not in OrganisationKind.values:
        raise ServiceError(f"Loại tổ chức không hợp lệ: {kind!r}", f"Unknown organisation kind {kind!r}", field="kind")
    name = name.strip()
    if not name:
        raise ServiceError("Thiếu tên tổ chức", "The organisation's name is missing", field="name")
    if Organisation.objects.filter(unit=unit, name=name).exists():
        raise ServiceError(f"Đã có tổ chức {name!r}", f"There is already an organisation {name!r}", field="name")
    row = Organisation(unit=unit, kind=kind, name=name, created_by=actor)
    _save_as(actor, row)
    audit(actor, "plans.organisation.add", row, kind=kind)
    return row


@transaction.atomic
def person_add(
    *, actor, organisation: Organisation, full_name: str, position: str = "", phone: str = "", user=None
) -> Person:
    """A person of `organisation`; `user` makes them sign in as a helper (their login needs the `helper` role)."""
    require_assign_helpers(actor, organisation.unit_id)
    if not full_name.strip():
        raise ServiceError("Thiếu họ tên", "The name is missing", field="full_name")
    if user is not None and Person.objects.filter(user=user).exists():
        raise ServiceError(
            "Tài khoản này đã gắn với một người giúp đỡ khác", "This login is already another helper's", field="user"
        )
    row = Person(
        organisation=organisation,
        full_name=full_name.strip(),
        position=position.strip(),
        phone=phone.strip(),
        user=user,
        created_by=actor,
    )
    _save_as(actor, row)
    audit(actor, "plans.person.add", row, organisation=organisation.pk, login=getattr(user, "pk", None))
    return row


@transaction.atomic
def assignment_add(
    *,
    actor,
    valid_from: dt.date,
    organisation: Organisation | None = None,
    person: Person | None = None,
    household: Household | None = None,
    village: Village | None = None,
    valid_to: dt.date | None = None,
) -> HelperAssignment:
    """Give a household, or every household of a village, to an organisation or one of its people."""
    if (organisation is None) == (person is None):
        raise ServiceError("Chọn một tổ chức hoặc một người", "Name one organisation or one person", field="helper")
    if (household is None) == (village is None):
        raise ServiceError("Chọn một hộ hoặc một thôn", "Name one household or one village", field="household")
    commune_id = household.unit_id if household is not None else village.commune_id  # type: ignore[union-attr]
    require_assign_helpers(actor, commune_id)
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(
            "Ngày kết thúc trước ngày bắt đầu", "The end date is before the start date", field="valid_to"
        )
    if household is not None and not household.is_active:
        raise ServiceError("Hộ không còn hoạt động", "The household is no longer active", field="household")
    row = HelperAssignment(
        organisation=organisation,
        person=person,
        household=household,
        village=village,
        commune_id=commune_id,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor,
    )
    _save_as(actor, row)
    audit(
        actor,
        "plans.assignment.add",
        row,
        household=getattr(household, "pk", None),
        village=getattr(village, "pk", None),
    )
    return row


@transaction.atomic
def assignment_end(*, actor, assignment: HelperAssignment, on: dt.date) -> HelperAssignment:
    """Close an assignment on `on` (the last day it counts); its history keeps the period it had."""
    require_assign_helpers(actor, assignment.commune_id)
    if on < assignment.valid_from:
        raise ServiceError(
            "Ngày kết thúc trước ngày bắt đầu", "The end date is before the start date", field="valid_to"
        )
    before = assignment.valid_to
    assignment.valid_to = on
    _save_as(actor, assignment)
    audit(actor, "plans.assignment.end", assignment, before=str(before or ""), after=on.isoformat())
    return assignment


# -- Household plans, one at a time (the bulk draft is `drafting.plan_draft_bulk`). --

# state -> the states it may move to (one explicit table, like review/transitions.py)
PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanState.DRAFT: frozenset({PlanState.AGREED}),
    PlanState.AGREED: frozenset({PlanState.DRAFT, PlanState.ACHIEVED, PlanState.NOT_ACHIEVED}),
    PlanState.ACHIEVED: frozenset(),
    PlanState.NOT_ACHIEVED: frozenset(),
}
EDITABLE = ("causes", "group", "target_exit_year", "commitment", "organisation", "helper")


def check_plan_fields(fields: dict, *, year: int, on: dt.date) -> None:
    """The checks every path applies to a plan's editable fields (the form, the import, the bulk draft)."""
    if "causes" in fields:
        known = plan_causes(on)
        causes = fields["causes"]
        if not isinstance(causes, list) or not all(c in known for c in causes):
            stray = [c for c in causes if c not in known] if isinstance(causes, list) else causes
            raise ServiceError(
                f"Nguyên nhân không có trong danh mục: {stray}", f"Unknown causes: {stray}", field="causes"
            )
    if "group" in fields and fields["group"] not in PlanGroup.values:
        raise ServiceError(
            f"Nhóm hộ không hợp lệ: {fields['group']!r}", f"Unknown group {fields['group']!r}", field="group"
        )
    target = fields.get("target_exit_year")
    if target is not None and not (year <= target <= year + 10):
        raise ServiceError(
            f"Năm dự kiến thoát nghèo phải từ {year} đến {year + 10}",
            f"The target exit year must be between {year} and {year + 10}",
            field="target_exit_year",
        )
    helper, organisation = fields.get("helper"), fields.get("organisation")
    if helper is not None and organisation is not None and helper.organisation_id != organisation.pk:
        raise ServiceError(
            "Người giúp đỡ không thuộc tổ chức đã chọn", "The helper is not of the organisation named", field="helper"
        )


@transaction.atomic
def plan_create(*, actor, household: Household, year: int, **fields) -> HouseholdPlan:
    """A household's plan for `year`, by hand; its causes and needs from the Form B behind its latest status
    unless given."""
    require_keep_plans(actor, household.unit_id)
    if HouseholdPlan.objects.filter(household=household, year=year).exists():
        raise ServiceError(
            f"Hộ {household.household_id} đã có kế hoạch năm {year}",
            f"Household {household.household_id} already has a plan for {year}",
            field="year",
        )
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"Không sửa được {sorted(unknown)}", f"Not editable: {sorted(unknown)}")
    on = clock.today()
    answers = latest_form_b(household, on)
    fields = {"causes": answers[1], "needs": answers[2], **fields}
    check_plan_fields(fields, year=year, on=on)
    plan = HouseholdPlan(
        household=household, year=year, commune_id=household.unit_id, category=answers[0], created_by=actor, **fields
    )
    _save_as(actor, plan)
    audit(actor, "plans.plan.create", plan, household=household.household_id, year=year)
    return plan


def latest_form_b(household: Household, on: dt.date) -> tuple[str, list[str], list[str]]:
    """(category, causes, needs) of the household's latest recognised status by `on` and its Form B."""
    latest = latest_of(status_history(household_pks=[household.pk], until=on, large=False))
    if latest.is_empty():
        return "", [], []
    answers = form_b_behind(latest)
    return (
        str(latest.get_column("category")[0]),
        list(answers.get_column("causes")[0]),
        list(answers.get_column("needs")[0]),
    )


@transaction.atomic
def plan_update(*, actor, plan: HouseholdPlan, **fields) -> HouseholdPlan:
    """Edit causes, group, target exit year, commitment, organisation or helper of a plan not yet closed."""
    current = HouseholdPlan.objects.select_for_update().get(pk=plan.pk)
    require_keep_plans(actor, current.commune_id)
    if current.state in (PlanState.ACHIEVED, PlanState.NOT_ACHIEVED):
        raise ServiceError("Kế hoạch đã kết thúc, không sửa được", "The plan is closed and cannot be edited")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"Không sửa được {sorted(unknown)}", f"Not editable: {sorted(unknown)}")
    check_plan_fields(fields, year=current.year, on=clock.today())
    before = {k: str(getattr(current, k)) for k in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    _save_as(actor, current)
    audit(actor, "plans.plan.update", current, before=before, after={k: str(v) for k, v in fields.items()})
    return current


@transaction.atomic
def plan_support_add(
    *, actor, plan: HouseholdPlan, policy_id: str = "", project: str = "", month: int | None = None
) -> PlannedSupport:
    """A support the plan counts on: a catalogue policy or a project in words, with its month (1-12)."""
    require_keep_plans(actor, plan.commune_id)
    policy_id, project = policy_id.strip(), project.strip()
    if bool(policy_id) == bool(project):
        raise ServiceError(
            "Chọn một chính sách hoặc ghi một dự án", "Name one policy or one project", field="policy_id"
        )
    if policy_id and policy_id not in available_policies():
        raise ServiceError(f"Không có chính sách {policy_id!r}", f"No policy {policy_id!r}", field="policy_id")
    if month is not None and not 1 <= month <= 12:
        raise ServiceError("Tháng từ 1 đến 12", "The month is 1 to 12", field="month")
    row = PlannedSupport(plan=plan, policy_id=policy_id, project=project[:200], month=month)
    _save_as(actor, row)
    audit(actor, "plans.support.add", plan, policy=policy_id, project=project[:80], month=month)
    return row


@transaction.atomic
def plan_move(*, actor, plan: HouseholdPlan, to: str, on: dt.date | None = None, reason: str = "") -> HouseholdPlan:
    """Move a plan along `PLAN_TRANSITIONS`: agreed (with the day the household and helper agreed), achieved,
    or not achieved with a coded reason (`models.NotAchievedReason`)."""
    current = HouseholdPlan.objects.select_for_update().get(pk=plan.pk)
    require_keep_plans(actor, current.commune_id)
    if to not in PLAN_TRANSITIONS.get(current.state, frozenset()):
        raise ServiceError(
            f"Không chuyển được kế hoạch từ trạng thái {current.state} sang {to}",
            f"A plan cannot go from {current.state} to {to}",
            field="state",
        )
    if to == PlanState.NOT_ACHIEVED and reason not in NotAchievedReason.values:
        raise ServiceError("Cần lý do không đạt (mã)", "A coded reason is needed", field="reason")
    before = current.state
    current.state = to
    current.outcome_reason = reason if to == PlanState.NOT_ACHIEVED else ""
    if to == PlanState.AGREED:
        current.agreed_on = on or clock.today()
    elif to == PlanState.DRAFT:
        current.agreed_on = None
    _save_as(actor, current)
    audit(actor, "plans.plan.move", current, before=before, after=to, reason=reason)
    return current


# -- Helper visits. --


@transaction.atomic
def visit_record(
    *,
    actor,
    household: Household,
    visited_on: dt.date,
    difficulties: str = "",
    actions: str = "",
    next_step: str = "",
    benefit: Benefit | None = None,
) -> HelperVisit:
    """A visit to a household, by its helper or the commune office; the visitor is the actor's helper person
    when they have one. A benefit linked must be one of this household's, not a reversal."""
    require_record_visit(actor, household)
    if visited_on > clock.today():
        raise ServiceError("Ngày thăm ở tương lai", "The visit's date is in the future", field="visited_on")
    if not (difficulties.strip() or actions.strip() or next_step.strip()):
        raise ServiceError(
            "Ghi ít nhất khó khăn, việc đã làm hoặc bước tiếp theo",
            "Write the difficulties, the actions or the next step",
            field="difficulties",
        )
    if benefit is not None and (benefit.household_id != household.pk or benefit.reverses_id is not None):
        raise ServiceError("Hỗ trợ không phải của hộ này", "The benefit is not this household's", field="benefit")
    person = Person.objects.filter(user=actor).first() if getattr(actor, "pk", None) else None
    row = HelperVisit(
        household=household,
        person=person,
        visited_on=visited_on,
        difficulties=difficulties.strip(),
        actions=actions.strip(),
        next_step=next_step.strip(),
        benefit=benefit,
        recorded_by=actor,
    )
    _save_as(actor, row)
    audit(actor, "plans.visit.record", row, household=household.household_id)
    return row
