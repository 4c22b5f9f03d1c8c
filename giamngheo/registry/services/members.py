"""Member writes: add, edit, move to another household."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ...accounts.access import require_unit_write
from ...core.audit import audit
from ...core.errors import ServiceError
from ..models import Household, HouseholdEvent, Member
from .common import apply_fields, jsonable, save_attributed

MEMBER_FIELDS = {
    f.name for f in Member._meta.fields if f.name not in ("id", "household", "created_at", "updated_at", "is_active")
}


def check_national_id(national_id: str | None, *, exclude_pk: int | None = None) -> None:
    """Unique among active members across the registry; the error names the other household."""
    if not national_id:
        return
    if len(national_id) != 12 or not national_id.isdigit():
        raise ServiceError("Số định danh cá nhân phải có đúng 12 chữ số",
                           "national id must be exactly 12 digits", field="national_id")
    other = (Member.objects.filter(national_id=national_id, is_active=True).exclude(pk=exclude_pk)
             .select_related("household").first())
    if other is not None:
        raise ServiceError(
            f"Số định danh {national_id} đã thuộc thành viên {other.member_id} của hộ {other.household.household_id}",
            f"national id {national_id} already belongs to member {other.member_id} "
            f"of household {other.household.household_id}",
            field="national_id",
        )


@transaction.atomic
def member_add(*, actor, household: Household, member_id: str, **fields: Any) -> Member:
    require_unit_write(actor, household.unit_id)
    if Member.objects.filter(member_id=member_id).exists():
        raise ServiceError(f"Mã thành viên {member_id} đã tồn tại", f"member id {member_id} already exists",
                           field="member_id")
    check_national_id(fields.get("national_id"))
    member = Member(household=household, member_id=member_id)
    apply_fields(member, fields, MEMBER_FIELDS)
    save_attributed(member, actor, "member_add")
    audit(actor, "member.add", member, household=household.household_id)
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **fields: Any) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    require_unit_write(actor, member.household.unit_id)
    if "national_id" in fields:
        check_national_id(fields["national_id"], exclude_pk=member.pk)
    changes = apply_fields(member, fields, MEMBER_FIELDS - {"member_id"})
    if changes:
        save_attributed(member, actor, "member_update")
        audit(actor, "member.update", member, changes=jsonable(changes))
    return member


@transaction.atomic
def member_move(*, actor, member: Member, to_household: Household, relation_to_head: str = "other") -> Member:
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    source = member.household
    require_unit_write(actor, source.unit_id)
    require_unit_write(actor, to_household.unit_id)
    if source.pk == to_household.pk:
        raise ServiceError("Thành viên đã ở hộ này", "member is already in this household")
    if not to_household.is_active:
        raise ServiceError("Hộ nhận đã ngừng hoạt động", "the receiving household is no longer active")
    member.household = to_household
    member.relation_to_head = relation_to_head
    save_attributed(member, actor, f"moved from {source.household_id}")
    HouseholdEvent.objects.create(kind=HouseholdEvent.Kind.MEMBER_MOVED, actor=actor, household=to_household,
                                  other_household=source, data={"member_id": member.member_id})
    audit(actor, "member.move", member, source=source.household_id, target=to_household.household_id)
    return member
