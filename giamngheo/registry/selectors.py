"""Reads of the registry, always through the access layer: a user gets only their units' rows."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ..accounts.access import ALL, visible_unit_ids
from ..core.errors import AccessDenied
from .models import Household, Member


def households_visible_to(actor, *, include_inactive: bool = False) -> QuerySet[Household]:
    ids = visible_unit_ids(actor)
    qs = Household.objects.all() if ids is ALL else Household.objects.filter(unit_id__in=ids)
    return qs if include_inactive else qs.filter(is_active=True)


def members_visible_to(actor) -> QuerySet[Member]:
    ids = visible_unit_ids(actor)
    qs = Member.objects.filter(is_active=True)
    return qs if ids is ALL else qs.filter(household__unit_id__in=ids)


def household_get(actor, household_id: str) -> Household:
    """One household the actor may see; AccessDenied looks the same as 'not found' to callers."""
    try:
        return households_visible_to(actor, include_inactive=True).select_related("unit", "village").get(
            household_id=household_id
        )
    except Household.DoesNotExist as exc:
        raise AccessDenied("Không tìm thấy hộ hoặc không có quyền xem", "No such household, or not yours") from exc


def household_list(actor, *, unit_id: int | None = None, query: str = "") -> QuerySet[Household]:
    """A commune's households with head name and size; search by name, national id or code."""
    qs = households_visible_to(actor)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    query = query.strip()
    if query:
        if query.isdigit() and len(query) == 12:
            qs = qs.filter(members__national_id=query, members__is_active=True)
        else:
            qs = qs.filter(
                Q(household_id__icontains=query) | Q(members__full_name__icontains=query, members__is_active=True)
            ).distinct()
    heads = Member.objects.filter(household=OuterRef("pk"), is_active=True, relation_to_head="head")
    return (
        qs.select_related("unit", "village")
        .annotate(head_name=Subquery(heads.values("full_name")[:1]),
                  member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("household_id")
    )


def household_members(household: Household) -> QuerySet[Member]:
    return household.members.filter(is_active=True).order_by("member_id")


def household_history(household: Household) -> list:
    """Change history of the household and its members, newest first, with who made it."""
    rows = list(household.history.select_related("history_user").all()[:200])
    member_ids = list(Member.objects.filter(household=household).values_list("pk", flat=True))
    rows += list(Member.history.filter(id__in=member_ids).select_related("history_user")[:300])
    return sorted(rows, key=lambda r: r.history_date, reverse=True)
