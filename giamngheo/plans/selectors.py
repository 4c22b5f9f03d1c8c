"""Reads of the plans app for a user, always through the access layer (`registry.households_visible_to`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet

from ..accounts.access import ALL, assigned_household_ids, require_unit_read, visible_unit_ids
from ..registry.models import Household
from ..registry.selectors import households_visible_to
from .follow_up import visit_overdue_days
from .models import HelperAssignment, HelperVisit


def followed_ids(commune_ids, on: dt.date) -> set[int]:
    """Households with a helper assignment in force on `on` in these communes (directly or by their village)."""
    rows = (
        HelperAssignment.objects.filter(commune_id__in=commune_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("household_id", "village_id")
    )
    households = {h for h, _ in rows if h is not None}
    villages = {v for _, v in rows if v is not None}
    if villages:
        households |= set(Household.objects.filter(village_id__in=villages).values_list("pk", flat=True))
    return households


def followed_households(actor, *, on: dt.date, unit_id: int | None = None) -> QuerySet[Household]:
    """The households the actor follows (a helper: those assigned to them), or, with `unit_id`, every
    followed household of that commune (refused unless the actor reads it); each with `last_visit`."""
    if unit_id is not None:
        require_unit_read(actor, unit_id)
        ids = followed_ids([unit_id], on)
    else:
        ids = set(assigned_household_ids(actor, on))
    return (
        households_visible_to(actor)
        .filter(pk__in=ids)
        .annotate(last_visit=Max("helper_visits__visited_on"))
        .select_related("unit", "village")
        .order_by("household_id")
    )


def overdue(households: QuerySet[Household], on: dt.date) -> tuple[QuerySet[Household], int]:
    """Those of `households` not visited in the last N days (`follow_up.visit_overdue_days`), and N."""
    days = visit_overdue_days(on)
    cutoff = on - dt.timedelta(days=days)
    return households.filter(Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff)), days


def visits_of(actor, household: Household, limit: int = 20) -> list[HelperVisit]:
    """A household's latest visits, for a reader of the household (the caller got it through `household_get`)."""
    ids = visible_unit_ids(actor)
    if not (ids is ALL or household.unit_id in ids or household.pk in assigned_household_ids(actor)):
        return []
    return list(
        HelperVisit.objects.filter(household=household)
        .select_related("person", "recorded_by")
        .order_by("-visited_on", "-pk")[:limit]
    )


def benefit_choices(household: Household, limit: int = 20) -> list[tuple[int, str]]:
    """(pk, "dd/mm/yyyy · policy") of the household's latest benefits that are not reversals nor reversed:
    what a visit may say it delivered."""
    from ..policies.models import Benefit

    rows = (
        Benefit.objects.filter(household=household, reverses__isnull=True, reversed_by__isnull=True)
        .order_by("-delivered_on", "-pk")
        .values_list("pk", "delivered_on", "policy_id")[:limit]
    )
    return [(pk, f"{day:%d/%m/%Y} · {policy_id}") for pk, day, policy_id in rows]


def benefit_get(household: Household, pk: int):
    """One of the household's benefits (None if it is not theirs)."""
    from ..policies.models import Benefit

    return Benefit.objects.filter(household=household, pk=pk).first()


__all__ = ["benefit_choices", "benefit_get", "followed_households", "followed_ids", "overdue", "visits_of"]
