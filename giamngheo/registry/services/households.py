"""Household writes: register, edit (with optimistic locking), split, merge."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ...accounts.access import require_change_registry, require_unit_write
from ...core.audit import audit
from ...core.errors import ServiceError
from ...geo.models import AdminUnit, UnitLevel
from ..models import Household, HouseholdEvent, Member
from ..summary import summary_refresh
from .common import apply_fields, jsonable, save_attributed
from .members import member_move

HOUSEHOLD_FIELDS = {
    f.name
    for f in Household._meta.fields
    if f.name not in ("id", "household_id", "unit", "created_at", "updated_at", "is_active", "version")
} | {"village_id"}
DWELLING_FIELDS = (
    "walls_durable",
    "columns_durable",
    "roof_durable",
    "floor_area_m2",
    "water_source",
    "latrine",
    "uses_telecom",
    "has_info_device",
    "hears_loudspeaker",
    "uses_internet",
    "waste_treated",
)


class StaleEditError(ServiceError):
    def __init__(self, household_id: str):
        super().__init__(
            f"Hộ {household_id} vừa được người khác sửa. Hãy tải lại trang, xem thay đổi rồi sửa lại.",
            f"Household {household_id} was changed by someone else meanwhile. Reload, review, and edit again.",
        )


@transaction.atomic
def household_register(*, actor, household_id: str, unit: AdminUnit, **fields: Any) -> Household:
    if unit.level != UnitLevel.COMMUNE:
        raise ServiceError("Hộ phải thuộc một xã/phường", "a household belongs to a commune-level unit")
    require_change_registry(actor, unit)
    if Household.objects.filter(household_id=household_id).exists():
        raise ServiceError(
            f"Mã hộ {household_id} đã tồn tại", f"household id {household_id} already exists", field="household_id"
        )
    household = Household(household_id=household_id, unit=unit)
    apply_fields(household, fields, HOUSEHOLD_FIELDS)
    save_attributed(household, actor, "household_register")
    audit(actor, "household.register", household, unit=unit.code)
    summary_refresh([household.pk])
    return household


@transaction.atomic
def household_update(*, actor, household: Household, expected_version: int | None = None, **fields: Any) -> Household:
    """Edit facts; with `expected_version`, refuse if someone saved in between (no lost update)."""
    current = Household.objects.select_for_update().get(pk=household.pk)
    require_unit_write(actor, current.unit_id)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError(current.household_id)
    changes = apply_fields(current, fields, HOUSEHOLD_FIELDS)
    if changes:
        current.version += 1
        save_attributed(current, actor, "household_update")
        audit(actor, "household.update", current, changes=jsonable(changes))
        summary_refresh([current.pk])
    return current


@transaction.atomic
def household_split(
    *, actor, household: Household, member_ids: list[str], new_household_id: str, head_member_id: str | None = None
) -> Household:
    """Members leave to form a new household in the same commune; dwelling facts start as a copy."""
    source = Household.objects.select_for_update().get(pk=household.pk)
    require_change_registry(actor, source.unit_id)
    movers = list(Member.objects.filter(household=source, is_active=True, member_id__in=member_ids))
    if len(movers) != len(set(member_ids)):
        raise ServiceError("Có thành viên không thuộc hộ này", "some members are not in this household")
    remaining = Member.objects.filter(household=source, is_active=True).exclude(member_id__in=member_ids)
    if not remaining.exists():
        raise ServiceError("Tách hộ phải để lại ít nhất một thành viên", "a split must leave at least one member")
    facts = {name: getattr(source, name) for name in DWELLING_FIELDS}
    new = household_register(
        actor=actor,
        household_id=new_household_id,
        unit=source.unit,
        village=source.village,
        village_name=source.village_name,
        area=source.area,
        **facts,
    )
    head = head_member_id or movers[0].member_id
    for member in movers:
        member_move(
            actor=actor,
            member=member,
            to_household=new,
            relation_to_head="head" if member.member_id == head else "other",
        )
    HouseholdEvent.objects.create(
        kind=HouseholdEvent.Kind.SPLIT,
        actor=actor,
        household=new,
        other_household=source,
        data={"member_ids": sorted(member_ids)},
    )
    audit(actor, "household.split", source, new_household=new.household_id, members=sorted(member_ids))
    return new


@transaction.atomic
def household_merge(*, actor, source: Household, target: Household) -> Household:
    """All members of `source` join `target`; `source` stays in history as inactive."""
    # both households locked in id order, as the bulk loader and member_move take them (no deadlock)
    locked = {
        h.pk: h for h in Household.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
    }
    source = locked[source.pk]
    require_change_registry(actor, source.unit_id)
    require_change_registry(actor, target.unit_id)
    if source.pk == target.pk:
        raise ServiceError("Không thể nhập hộ vào chính nó", "cannot merge a household into itself")
    for member in Member.objects.filter(household=source, is_active=True):
        relation = "other" if member.relation_to_head == "head" else member.relation_to_head or "other"
        member_move(actor=actor, member=member, to_household=target, relation_to_head=relation)
    source.is_active = False
    source.version += 1
    save_attributed(source, actor, f"merged into {target.household_id}")
    HouseholdEvent.objects.create(
        kind=HouseholdEvent.Kind.MERGED, actor=actor, household=target, other_household=source, data={}
    )
    audit(actor, "household.merge", target, source=source.household_id)
    summary_refresh([source.pk, target.pk])
    return target
