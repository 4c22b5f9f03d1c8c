"""Reads for the web pages that are not owned by one domain app."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from ..accounts.access import ALL, visible_unit_ids
from ..geo.models import AdminUnit, UnitLevel


def communes_for_home(user, limit: int = 200) -> QuerySet[AdminUnit]:
    """The communes a user works in, with household counts; national roles see communes with data."""
    ids = visible_unit_ids(user)
    qs = AdminUnit.objects.filter(level=UnitLevel.COMMUNE)
    qs = qs.filter(households__isnull=False).distinct() if ids is ALL else qs.filter(pk__in=ids)
    return (qs.select_related("parent")
            .annotate(n_households=Count("households", filter=Q(households__is_active=True)))
            .order_by(F("valid_to").asc(nulls_first=True), "province_code", "name")[:limit])
