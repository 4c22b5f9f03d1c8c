"""Drafting household plans in bulk (issue #17 item 2): every poor and near-poor household of a unit
without a plan for the year gets a draft, its causes and needs from the Form B behind its latest
recognised status, its supports from the rules table (`rules.load_rules`), its helper from the
assignment in force.

One read of the register's statuses (`review.statuses.latest_statuses`), one of the Form B answers
behind them, one of the existing plans; then every row in bulk with its history row and one audit
event (a province's 150,000 poor and near-poor households are one write, not 150,000 services). A
household that already has a plan for the year is left as it is: drafting never overwrites.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from ..accounts.access import area_scope, require_keep_plans
from ..core import clock
from ..core.audit import audit
from ..geo.models import AdminUnit
from ..registry.models import Household
from ..review.statuses import form_b_behind, latest_statuses
from .models import HelperAssignment, HouseholdPlan, PlannedSupport, PlanSource
from .rules import Rules, load_rules

BATCH = 2000
DRAFTED_CATEGORIES = ("poor", "near_poor")


@dataclass(frozen=True)
class DraftResult:
    households: int  # poor and near-poor households of the unit on the day
    created: int  # plans drafted
    existing: int  # left as they were: they had a plan for the year
    supports: int  # planned supports written


def _to_draft(scope, year: int, on: dt.date) -> pl.DataFrame:
    """household_pk, category, causes, needs, unit_id of the scope's active poor and near-poor households
    on `on` that have no plan for `year`."""
    latest = latest_statuses(scope, on).filter(pl.col("category").is_in(DRAFTED_CATEGORIES))
    answers = form_b_behind(latest)
    units = pl.DataFrame(
        list(
            Household.objects.filter(unit_id__in=scope.commune_ids, is_active=True)
            .order_by()
            .values_list("pk", "unit_id")
        ),
        schema={"household_pk": pl.Int64, "unit_id": pl.Int64},
        orient="row",
    )
    frame = latest.select("household_pk", "category").join(answers, on="household_pk", how="left")
    return frame.join(units, on="household_pk", how="inner").sort("household_pk")


def _existing(scope, year: int) -> set[int]:
    return set(
        HouseholdPlan.objects.filter(year=year, household__unit_id__in=scope.commune_ids)
        .order_by()
        .values_list("household_id", flat=True)
    )


def _helpers(scope, on: dt.date) -> tuple[dict[int, tuple[int | None, int | None]], dict[int, tuple]]:
    """(household pk -> (organisation id, person id)), (village pk -> the same) of the assignments in
    force on `on` in the scope's communes; a person's organisation is theirs. The newest assignment wins."""
    rows = (
        HelperAssignment.objects.filter(commune_id__in=scope.commune_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("valid_from", "pk")
        .values_list("household_id", "village_id", "organisation_id", "person_id", "person__organisation_id")
    )
    by_household: dict[int, tuple[int | None, int | None]] = {}
    by_village: dict[int, tuple[int | None, int | None]] = {}
    for household, village, organisation, person, person_org in rows:
        who = (organisation or person_org, person)
        if household is not None:
            by_household[household] = who
        else:
            by_village[village] = who
    return by_household, by_village


def plan_draft_bulk(*, actor, unit: AdminUnit, year: int, on: dt.date | None = None) -> DraftResult:
    """Draft a plan for `year` for every poor and near-poor household of `unit` on `on` (today) that has
    none. Refused unless the actor keeps plans in every commune of the unit (`access.require_keep_plans`)."""
    on = on or clock.today()
    scope = area_scope(actor, unit, on=on)
    for commune_id in scope.commune_ids:
        require_keep_plans(actor, commune_id)
    rules = load_rules()
    frame = _to_draft(scope, year, on)
    with transaction.atomic():
        existing = _existing(scope, year)
        todo = frame.filter(~pl.col("household_pk").is_in(list(existing)))
        by_household, by_village = _helpers(scope, on)
        villages = _villages(scope) if by_village else {}
        plans, wanted = _build(actor, rules, todo, year, on, villages, by_household, by_village)
        created = bulk_create_with_history(plans, HouseholdPlan, batch_size=BATCH, default_user=actor)
        supports = [
            PlannedSupport(plan_id=plan.pk, policy_id=policy_id, reason=reason)
            for plan, suggestions in zip(created, wanted, strict=True)
            for policy_id, reason in suggestions
        ]
        bulk_create_with_history(supports, PlannedSupport, batch_size=BATCH, default_user=actor)
        result = DraftResult(frame.height, len(created), frame.height - todo.height, len(supports))
        audit(
            actor,
            "plans.draft_bulk",
            unit,
            year=year,
            on=on.isoformat(),
            rules=rules.id,
            households=result.households,
            created=result.created,
            existing=result.existing,
            supports=result.supports,
        )
    return result


def _villages(scope) -> dict[int, int]:
    return dict(
        Household.objects.filter(unit_id__in=scope.commune_ids, village__isnull=False)
        .order_by()
        .values_list("pk", "village_id")
    )


def _build(actor, rules: Rules, todo: pl.DataFrame, year, on, villages, by_household, by_village):
    """The plan rows and, for each, its suggested supports (memoised by causes, needs and category:
    a province has a few hundred distinct combinations, not 150,000)."""
    memo: dict[tuple, list[tuple[str, str]]] = {}
    plans, wanted = [], []
    for pk, category, causes, needs, unit_id in todo.iter_rows():
        causes, needs = list(causes or []), list(needs or [])
        key = (tuple(causes), tuple(needs), category)
        if key not in memo:
            memo[key] = rules.suggestions(causes, needs, category, on)
        organisation, person = by_household.get(pk) or by_village.get(villages.get(pk), (None, None))
        plans.append(
            HouseholdPlan(
                household_id=pk,
                year=year,
                commune_id=unit_id,
                category=category,
                causes=causes,
                needs=needs,
                group=rules.default_group,
                organisation_id=organisation,
                helper_id=person,
                source=PlanSource.DRAFTED,
                rules_id=rules.id,
                created_by=actor,
            )
        )
        wanted.append(memo[key])
    return plans, wanted


__all__ = ["DRAFTED_CATEGORIES", "DraftResult", "plan_draft_bulk"]
