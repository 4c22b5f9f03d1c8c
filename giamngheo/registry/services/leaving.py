"""A member leaves the household (death or moving away): kept in history as inactive, never deleted.

The day and the reason are kept on a `HouseholdEvent` (the member row has no column for them, so
a member listed again by an import simply becomes active again, as before). When the head leaves
and others stay, a new head must be named; when the last member leaves, the household closes.
"""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from django.db import transaction

from ...accounts.access import require_change_registry
from ...core import clock
from ...core.audit import audit
from ...core.errors import ServiceError
from ..models import HouseholdEvent, LeaveReason, Member
from ..summary import summary_refresh
from .common import save_attributed
from .members import _lock_member

NOTE_MAX = 255


def _refuse(vi: str, en: str, field: str) -> NoReturn:
    raise ServiceError(vi, en, field=field)


def _check(member: Member, left_on: dt.date, reason: str, note: str) -> None:
    if not member.is_active:
        _refuse("Thành viên này đã rời hộ", "this member has already left the household", "member")
    if reason not in LeaveReason.values:
        _refuse(f"Lý do không hợp lệ: {reason}", f"unknown reason: {reason}", "reason")
    if left_on > clock.today():
        _refuse("Ngày rời hộ không được sau hôm nay", "the day of leaving cannot be in the future", "left_on")
    if member.birth_date and left_on < member.birth_date:
        _refuse("Ngày rời hộ trước ngày sinh", "the day of leaving is before the birth date", "left_on")
    if len(note) > NOTE_MAX:
        _refuse(f"Ghi chú dài quá {NOTE_MAX} ký tự", f"the note is longer than {NOTE_MAX} characters", "note")


def _new_head(member: Member, others: list[Member], new_head_member_id: str | None) -> Member | None:
    """The member who becomes head, when the head leaves and others stay; refused if none is named."""
    if member.relation_to_head != "head" or not others:
        if new_head_member_id:
            _refuse(
                "Chỉ chọn chủ hộ mới khi chủ hộ rời hộ và còn thành viên khác",
                "a new head is named only when the head leaves and others stay",
                "new_head",
            )
        return None
    if not new_head_member_id:
        _refuse(
            "Chủ hộ rời hộ: hãy chọn chủ hộ mới trong số thành viên còn lại",
            "the head is leaving: name the new head among the remaining members",
            "new_head",
        )
    chosen = next((m for m in others if m.member_id == new_head_member_id), None)
    if chosen is None:
        _refuse(
            "Chủ hộ mới phải là một thành viên còn lại của hộ",
            "the new head must be one of the household's remaining members",
            "new_head",
        )
    return chosen


@transaction.atomic
def member_leave(
    *,
    actor,
    member: Member,
    left_on: dt.date,
    reason: str,
    note: str = "",
    new_head_member_id: str | None = None,
) -> Member:
    """Mark `member` inactive from `left_on` (not in the future) for `reason` (`LeaveReason`).

    The head leaving while others stay needs `new_head_member_id` (that member's relation becomes
    "head"; the others' relations are kept as they were). The last member leaving closes the household.
    """
    member = _lock_member(member.pk)  # household first, then the member
    household = member.household
    require_change_registry(actor, household.unit_id)
    note = (note or "").strip()
    _check(member, left_on, reason, note)
    others = list(Member.objects.filter(household=household, is_active=True).exclude(pk=member.pk))
    new_head = _new_head(member, others, new_head_member_id)
    member.is_active = False
    save_attributed(member, actor, f"member_leave: {reason} {left_on:%d/%m/%Y}")
    if new_head is not None:
        new_head.relation_to_head = "head"
        save_attributed(new_head, actor, f"new head: {member.member_id} left")
    closed = not others
    if closed:
        household.is_active = False
        household.version += 1
        save_attributed(household, actor, f"closed: last member {member.member_id} left")
    data = {
        "member_id": member.member_id,
        "left_on": left_on.isoformat(),
        "reason": reason,
        "note": note,
        "new_head": new_head.member_id if new_head else None,
        "household_closed": closed,
    }
    HouseholdEvent.objects.create(kind=HouseholdEvent.Kind.MEMBER_LEFT, actor=actor, household=household, data=data)
    audit(actor, "member.leave", member, household=household.household_id, **data)
    summary_refresh([household.pk])
    return member
