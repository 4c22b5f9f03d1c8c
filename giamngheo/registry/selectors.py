"""Reads of the registry, always through the access layer: a user gets only their units' rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ..accounts.access import ALL, assigned_household_ids, may_search_national_id, visible_unit_ids
from ..accounts.throttle import require_id_search_allowed
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from .models import Household, HouseholdEvent, LeaveReason, Member


def _visible(actor, prefix: str = "") -> Q | None:
    """The households `actor` reads as a filter (None: all): their communes' households, and a helper's
    assigned ones (`accounts.access.assigned_household_ids`)."""
    ids = visible_unit_ids(actor)
    if ids is ALL:
        return None
    q = Q(**{f"{prefix}unit_id__in": ids})
    assigned = assigned_household_ids(actor)
    return q | Q(**{f"{prefix}pk__in": assigned}) if assigned else q


def households_visible_to(actor, *, include_inactive: bool = False) -> QuerySet[Household]:
    where = _visible(actor)
    qs = Household.objects.all() if where is None else Household.objects.filter(where)
    return qs if include_inactive else qs.filter(is_active=True)


def members_visible_to(actor) -> QuerySet[Member]:
    where = _visible(actor, "household__")
    qs = Member.objects.filter(is_active=True)
    return qs if where is None else qs.filter(where)


def household_get(actor, household_id: str) -> Household:
    """One household the actor may see; AccessDenied looks the same as 'not found' to callers."""
    try:
        return (
            households_visible_to(actor, include_inactive=True)
            .select_related("unit", "village")
            .get(household_id=household_id)
        )
    except Household.DoesNotExist as exc:
        raise AccessDenied("Không tìm thấy hộ hoặc không có quyền xem", "No such household, or not yours") from exc


def household_list(actor, *, unit_id: int | None = None, query: str = "", village: str = "") -> QuerySet[Household]:
    """A commune's households the actor may see; search by name, 12-digit national id or code; `village`
    by its name (a household's village row, or the name an import gave when it named no row).

    Plain rows, cheap to count and page; `with_heads` adds head names and sizes to one page.
    A search by national id is an id view: only for roles that see ids, audited, rate-limited
    (here, so that the web page and the API cannot differ).
    """
    qs = households_visible_to(actor)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if village:
        qs = qs.filter(Q(village__name=village) | Q(village__isnull=True, village_name=village))
    query = query.strip()
    if len(query) > MAX_QUERY:
        raise ServiceError(
            f"Từ khoá tìm kiếm dài quá {MAX_QUERY} ký tự", f"search text longer than {MAX_QUERY} characters", field="q"
        )
    if query:
        if query.isdigit() and len(query) == 12:
            national_id_search_check(actor, query)
            qs = qs.filter(members__national_id=query, members__is_active=True)
        else:
            # names are searched among this list's own households only, not the whole registry
            matching = Member.objects.filter(
                household__in=qs.values("pk"), is_active=True, full_name__icontains=query
            ).values("household_id")
            qs = qs.filter(Q(household_id__icontains=query) | Q(pk__in=matching))
    return qs.select_related("unit").order_by("household_id")


MAX_QUERY = 100


def national_id_search_check(actor, national_id: str) -> None:
    """Refuse (and record the attempt) for a role that sees masked ids; record and rate-limit the rest."""
    if not may_search_national_id(actor):
        audit(actor, "national_id.search.refused", None, last4=national_id[-4:])
        raise AccessDenied(
            "Vai trò của bạn không được tìm theo số định danh", "Your role may not search by national id"
        )
    require_id_search_allowed(actor)
    audit(actor, "national_id.search", None, last4=national_id[-4:])


def heads() -> QuerySet[Member]:
    """Active members marked head, the lowest member id first: the one rule for who heads a household.
    The import and the member services refuse a second head; this order decides for data that came in
    before they did, so no list, paper or payment file shows a household twice or a different head."""
    return Member.objects.filter(is_active=True, relation_to_head="head").order_by("household_id", "member_id")


def heads_of(household_ids) -> dict[int, Member]:
    """Each household's head by household pk, in one query (households with no head are absent)."""
    found: dict[int, Member] = {}
    for member in heads().filter(household_id__in=list(household_ids)):
        found.setdefault(member.household_id, member)
    return found


def head_of(household: Household) -> Member | None:
    return heads().filter(household=household).first()


def head_field(field: str = "full_name", household: str = "household") -> Subquery:
    """The head's `field` as a subquery of a queryset whose `household` field points at the household
    (one query for a page of rows, whatever their number)."""
    return Subquery(heads().filter(household=OuterRef(household)).values(field)[:1])


def with_heads(households) -> list[Household]:
    """The given households with `head_name` and `member_count` set, in two queries in all."""
    rows = list(households)
    ids = [h.pk for h in rows]
    heads = {pk: m.full_name for pk, m in heads_of(ids).items()}
    sizes = dict(
        Member.objects.filter(household_id__in=ids, is_active=True)
        .values("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
    )
    for h in rows:
        h.head_name, h.member_count = heads.get(h.pk), sizes.get(h.pk, 0)
    return rows


def household_members(household: Household) -> QuerySet[Member]:
    return household.members.filter(is_active=True).order_by("member_id")


def household_member(household: Household, member_id: str) -> Member:
    """An active member of a household the caller already may see; AccessDenied if there is none."""
    member = household.members.filter(is_active=True, member_id=member_id).first()
    if member is None:
        raise AccessDenied("Không tìm thấy thành viên", "No such member")
    return member


def next_member_id(household: Household) -> str:
    """A free member id to offer on the form: the household's id, a hyphen and the next number (H1-03)."""
    number = household.members.count() + 1
    while Member.objects.filter(member_id=f"{household.household_id}-{number:02d}").exists():
        number += 1
    return f"{household.household_id}-{number:02d}"


def household_departures(household: Household) -> list[dict]:
    """Members who left (died or moved away): id, name, day, reason and who recorded it, newest first."""
    events = list(
        HouseholdEvent.objects.filter(household=household, kind=HouseholdEvent.Kind.MEMBER_LEFT)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    names = dict(
        Member.objects.filter(household=household, member_id__in=[e.data.get("member_id") for e in events]).values_list(
            "member_id", "full_name"
        )
    )
    labels = dict(LeaveReason.choices)
    return [
        {
            "member_id": e.data.get("member_id", ""),
            "full_name": names.get(e.data.get("member_id"), ""),
            "left_on": dt.date.fromisoformat(e.data["left_on"]),
            "reason": labels.get(e.data.get("reason"), e.data.get("reason", "")),
            "note": e.data.get("note", ""),
            "by": e.actor.username if e.actor else "",
        }
        for e in events
    ]


def household_history(household: Household) -> list:
    """Change history of the household and its members, newest first, with who made it."""
    rows = list(household.history.select_related("history_user").all()[:200])
    member_ids = list(Member.objects.filter(household=household).values_list("pk", flat=True))
    rows += list(Member.history.filter(id__in=member_ids).select_related("history_user")[:300])
    return sorted(rows, key=lambda r: r.history_date, reverse=True)


def classifications_of(household: Household):
    """Stored classification results of a household the caller already may see, newest first."""
    return household.classifications.order_by("-created_at", "-pk")
