"""Member writes: add, edit, move to another household."""

from __future__ import annotations

import functools
from typing import Any

from django.db import IntegrityError, transaction

from ...accounts.access import can_read_unit, require_change_registry, require_survey, require_unit_write
from ...core.audit import audit
from ...core.errors import ServiceError
from ..models import Household, HouseholdEvent, Member
from ..summary import summary_refresh
from .common import apply_fields, jsonable, save_attributed

MEMBER_FIELDS = {
    f.name for f in Member._meta.fields if f.name not in ("id", "household", "created_at", "updated_at", "is_active")
}


class NationalIdTaken(ServiceError):
    """The id is held by another active member; `holder` is kept for the audit, not the message."""

    def __init__(self, message_vi: str, message_en: str, holder: Member, foreign: bool):
        super().__init__(message_vi, message_en, field="national_id")
        self.holder, self.foreign = holder, foreign


def check_national_id(national_id: str | None, *, actor=None, exclude_pk: int | None = None) -> None:
    """Unique among active members across the registry. The error names the other member only if
    `actor` may see that member's commune (finding 11.5: no foreign identifiers)."""
    if not national_id:
        return
    if len(national_id) != 12 or not national_id.isdigit():
        raise ServiceError(
            "Số định danh cá nhân phải có đúng 12 chữ số", "national id must be exactly 12 digits", field="national_id"
        )
    other = (
        Member.objects.filter(national_id=national_id, is_active=True)
        .exclude(pk=exclude_pk)
        .select_related("household")
        .first()
    )
    if other is None:
        return
    if actor is not None and can_read_unit(actor, other.household.unit_id):
        raise NationalIdTaken(
            f"Số định danh {national_id} đã thuộc thành viên {other.member_id} của hộ {other.household.household_id}",
            f"national id {national_id} already belongs to member {other.member_id} "
            f"of household {other.household.household_id}",
            holder=other,
            foreign=False,
        )
    raise NationalIdTaken(
        f"Số định danh {national_id} đã được đăng ký cho một thành viên đang hoạt động ở nơi khác; hãy liên hệ tỉnh",
        "this national id is already registered to an active member elsewhere; contact the province",
        holder=other,
        foreign=True,
    )


def _audited(write):
    """Record a refused national id held outside the actor's scope after the write's transaction
    has rolled back, so the attempt stays on record."""

    @functools.wraps(write)
    def wrapper(*, actor, **kwargs):
        try:
            return write(actor=actor, **kwargs)
        except NationalIdTaken as exc:
            if exc.foreign:
                audit(
                    actor,
                    "member.national_id_refused",
                    exc.holder,
                    national_id=exc.holder.national_id,
                    holder_member=exc.holder.member_id,
                    holder_household=exc.holder.household.household_id,
                )
            raise

    return wrapper


def _lock_household(pk: int) -> None:
    """Member writes lock the household first, the order the bulk loader takes its locks in."""
    list(Household.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _lock_member(pk: int) -> Member:
    """The member, locked with its household (household first; again if it moved meanwhile)."""
    while True:
        household_pk = Member.objects.filter(pk=pk).values_list("household_id", flat=True).get()
        _lock_household(household_pk)
        member = Member.objects.select_for_update().select_related("household").get(pk=pk)
        if member.household_id == household_pk:
            return member


def _refuse_second_head(household: Household, member: Member) -> None:
    """A household has one head (the import refuses a second too): making someone head while another
    active member is head is refused; change the old head's relation first."""
    if member.relation_to_head != "head":
        return
    other = household.members.filter(is_active=True, relation_to_head="head").exclude(pk=member.pk).first()
    if other is not None:
        raise ServiceError(
            f"Hộ {household.household_id} đã có chủ hộ {other.full_name or other.member_id}; "
            "hãy đổi quan hệ của người đó trước",
            f"household {household.household_id} already has a head, {other.full_name or other.member_id}; "
            "change that member's relation first",
            field="relation_to_head",
        )


def _save_checked(member: Member, actor, reason: str, national_id: str | None) -> None:
    """Save; a unique id taken by a concurrent write since our check is a ServiceError, not an IntegrityError."""
    try:
        with transaction.atomic():
            save_attributed(member, actor, reason)
    except IntegrityError:
        if member.pk is None and Member.objects.filter(member_id=member.member_id).exists():
            raise ServiceError(
                f"Mã thành viên {member.member_id} đã tồn tại",
                f"member id {member.member_id} already exists",
                field="member_id",
            ) from None
        check_national_id(national_id, actor=actor, exclude_pk=member.pk)
        raise ServiceError(
            "Dữ liệu vừa được người khác thay đổi; hãy thử lại",
            "the data was changed by someone else meanwhile; try again",
        ) from None


@_audited
@transaction.atomic
def member_add(*, actor, household: Household, member_id: str, surveyed: bool = False, **fields: Any) -> Member:
    """Who lives in a household is the commune office's record (`access.can_change_registry`); a member
    found by a Form B survey (`surveyed`: the phone intake, before it records the form) may be added by
    those who survey."""
    (require_survey if surveyed else require_change_registry)(actor, household.unit_id)
    _lock_household(household.pk)
    if Member.objects.filter(member_id=member_id).exists():
        raise ServiceError(
            f"Mã thành viên {member_id} đã tồn tại", f"member id {member_id} already exists", field="member_id"
        )
    check_national_id(fields.get("national_id"), actor=actor)
    member = Member(household=household, member_id=member_id)
    apply_fields(member, fields, MEMBER_FIELDS)
    _refuse_second_head(household, member)
    _save_checked(member, actor, "member_add", fields.get("national_id"))
    audit(actor, "member.add", member, household=household.household_id)
    summary_refresh([household.pk])
    return member


@_audited
@transaction.atomic
def member_update(*, actor, member: Member, **fields: Any) -> Member:
    member = _lock_member(member.pk)
    require_unit_write(actor, member.household.unit_id)
    if "national_id" in fields:
        check_national_id(fields["national_id"], actor=actor, exclude_pk=member.pk)
    changes = apply_fields(member, fields, MEMBER_FIELDS - {"member_id"})
    _refuse_second_head(member.household, member)
    if changes:
        _save_checked(member, actor, "member_update", member.national_id)
        audit(actor, "member.update", member, changes=jsonable(changes))
        summary_refresh([member.household_id])
    return member


@transaction.atomic
def member_move(*, actor, member: Member, to_household: Household, relation_to_head: str = "other") -> Member:
    for pk in sorted({member.household_id, to_household.pk}):  # households first, in id order
        _lock_household(pk)
    member = _lock_member(member.pk)
    source = member.household
    require_change_registry(actor, source.unit_id)
    require_change_registry(actor, to_household.unit_id)
    if source.pk == to_household.pk:
        raise ServiceError("Thành viên đã ở hộ này", "member is already in this household")
    if not to_household.is_active:
        raise ServiceError("Hộ nhận đã ngừng hoạt động", "the receiving household is no longer active")
    member.household = to_household
    member.relation_to_head = relation_to_head
    _refuse_second_head(to_household, member)
    save_attributed(member, actor, f"moved from {source.household_id}")
    HouseholdEvent.objects.create(
        kind=HouseholdEvent.Kind.MEMBER_MOVED,
        actor=actor,
        household=to_household,
        other_household=source,
        data={"member_id": member.member_id},
    )
    audit(actor, "member.move", member, source=source.household_id, target=to_household.household_id)
    summary_refresh([source.pk, to_household.pk])
    return member
