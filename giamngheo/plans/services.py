"""Writes of the plans app: organisations, their people, helper assignments.

Keyword-only, with the actor, atomic, history-tracked (the actor is the history user) and audited; who may
write: `accounts.access.require_assign_helpers` (the commune's official or chair, in their commune).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..accounts.access import require_assign_helpers
from ..core.audit import audit
from ..core.errors import ServiceError
from ..geo.models import AdminUnit, Village
from ..registry.models import Household
from .models import HelperAssignment, Organisation, OrganisationKind, Person


def _save_as(actor, row) -> None:
    row._history_user = actor
    row.full_clean(exclude=["created_by"])
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
