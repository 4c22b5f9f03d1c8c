"""Report numbers from the registry, through the area scope: counts by status, deprivation statistics."""

from __future__ import annotations

import polars as pl
from django.db.models import Count, Q

from ..accounts.access import ALL, visible_unit_ids
from ..classification.models import Classification
from ..geo.models import AdminUnit
from ..geo.selectors import communes_under
from ..registry.models import Household
from ..review.models import Status
from .alkire_foster import AFResult, alkire_foster


def _communes(actor, unit: AdminUnit) -> list[int]:
    ids = set(communes_under(unit).values_list("pk", flat=True))
    visible = visible_unit_ids(actor)
    return sorted(ids if visible is ALL else ids & visible)


def status_summary(actor, unit: AdminUnit) -> list[dict]:
    """Per commune: resident households, and poor / near-poor households by their latest recognised status."""
    communes = _communes(actor, unit)
    latest = {}
    for household_id, category in Status.objects.filter(household__unit_id__in=communes).order_by(
            "household_id", "valid_from", "pk").values_list("household_id", "category"):
        latest[household_id] = category
    rows = []
    households = Household.objects.filter(unit_id__in=communes, is_active=True)
    per_unit = households.values("unit_id", "unit__code", "unit__name").annotate(n=Count("id")).order_by("unit__code")
    by_unit: dict[int, list[int]] = {}
    for household_id, unit_id in households.values_list("pk", "unit_id"):
        by_unit.setdefault(unit_id, []).append(household_id)
    for row in per_unit:
        categories = [latest.get(h) for h in by_unit.get(row["unit_id"], [])]
        poor, near = categories.count("poor"), categories.count("near_poor")
        rows.append({"admin_code": row["unit__code"], "name": row["unit__name"], "households": row["n"],
                     "poor": poor, "near_poor": near,
                     "poor_rate": poor / row["n"] if row["n"] else 0.0,
                     "near_poor_rate": near / row["n"] if row["n"] else 0.0})
    return rows


def deprivation_statistics(actor, unit: AdminUnit, k: str = "0.25") -> tuple[AFResult, list[str]]:
    """Alkire-Foster over each household's latest stored classification in the unit (equal weights)."""
    communes = _communes(actor, unit)
    from ..standards import load_standard

    latest: dict[int, dict] = {}
    standards: set[str] = set()
    for household_id, deprived, standard_id in Classification.objects.filter(
            Q(household__unit_id__in=communes), household__is_active=True).order_by(
            "household_id", "created_at", "pk").values_list("household_id", "deprived", "standard_id"):
        latest[household_id] = deprived
        standards.add(standard_id)
    # the standard's own indicator list; an indicator left unknown (it could not change the category) counts 0
    indicators = sorted({i for s in standards for i in load_standard(s).indicator_ids})
    frame = pl.DataFrame([{i: int(d.get(f"deprived_{i}") or 0) for i in indicators} for d in latest.values()],
                         schema=dict.fromkeys(indicators, pl.Int8))
    return alkire_foster(frame, indicators, k), indicators
