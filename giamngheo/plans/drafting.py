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
from django.db import connection, transaction
from django.db.models import Q

from ..accounts.access import area_scope, require_keep_plans
from ..core import clock
from ..core.audit import audit
from ..core.bulk_read import read_frame
from ..geo.models import AdminUnit
from ..registry.models import Household
from ..review.statuses import form_b_behind, latest_statuses
from .bulk_write import ids_after, insert_with_history, max_id
from .models import HelperAssignment, HouseholdPlan, PlannedSupport, PlanSource, PlanState
from .rules import Rules, load_rules

DRAFTED_CATEGORIES = ("poor", "near_poor")


@dataclass(frozen=True)
class DraftResult:
    households: int  # poor and near-poor households of the unit on the day
    created: int  # plans drafted
    existing: int  # left as they were: they had a plan for the year
    supports: int  # planned supports written


def _poor(scope, on: dt.date) -> pl.DataFrame:
    """household_pk, category, unit_id, causes, needs, key of the scope's active poor and near-poor households
    on `on`, with the Form B behind each status. Read before the write's transaction, so the register is
    read in Arrow (a child process on SQLite) rather than row by row on the writing connection."""
    latest = latest_statuses(scope, on).filter(pl.col("category").is_in(DRAFTED_CATEGORIES))
    units = read_frame(
        f"SELECT id, unit_id FROM registry_household WHERE is_active AND unit_id IN ({_ids(scope.commune_ids)})",
        {"household_pk": pl.Int64, "unit_id": pl.Int64},
        committed_only_ok=not connection.in_atomic_block,
        large=len(scope.commune_ids) > 20,
    ).with_columns(pl.col("household_pk", "unit_id").cast(pl.Int64))
    frame = latest.select("household_pk", "category", "round_id").join(units, on="household_pk", how="inner")
    return (
        frame.join(form_b_behind(frame), on="household_pk", how="left")
        .drop("round_id")
        .with_columns(pl.col("causes").fill_null([]), pl.col("needs").fill_null([]))
        .with_columns(_key().alias("key"))
        .sort("household_pk")
    )


def _without_plan(scope, poor: pl.DataFrame, year: int) -> pl.DataFrame:
    """The rows of `poor` whose household has no plan for `year` (read inside the write's transaction)."""
    existing = read_frame(
        "SELECT p.household_id FROM plans_householdplan p JOIN registry_household h ON h.id = p.household_id "
        f"WHERE p.year = {int(year)} AND h.unit_id IN ({_ids(scope.commune_ids)})",
        {"household_pk": pl.Int64},
        committed_only_ok=False,
        large=False,
    ).with_columns(pl.col("household_pk").cast(pl.Int64))
    return poor.join(existing, on="household_pk", how="anti")


def _ids(values) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


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


def _helper_columns(scope, todo: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """organisation_id and helper_id per household of `todo` (null where no assignment is in force)."""
    by_household, by_village = _helpers(scope, on)
    out = todo.select("household_pk")
    if by_village:
        villages = pl.DataFrame(
            list(
                Household.objects.filter(unit_id__in=scope.commune_ids, village_id__in=list(by_village))
                .order_by()
                .values_list("pk", "village_id")
            ),
            schema={"household_pk": pl.Int64, "village_id": pl.Int64},
            orient="row",
        )
        for household, village in villages.iter_rows():
            by_household.setdefault(household, by_village[village])
    who = pl.DataFrame(
        [(k, o, p) for k, (o, p) in by_household.items()],
        schema={"household_pk": pl.Int64, "organisation_id": pl.Int64, "helper_id": pl.Int64},
        orient="row",
    )
    return out.join(who, on="household_pk", how="left")


def _json_list(column: str) -> pl.Expr:
    """A list of codes as JSON text, vectorised (codes are plain identifiers: nothing to escape)."""
    quoted = pl.col(column).list.eval(pl.format('"{}"', pl.element())).list.join(", ")
    return pl.format("[{}]", quoted)


def plan_draft_bulk(*, actor, unit: AdminUnit, year: int, on: dt.date | None = None) -> DraftResult:
    """Draft a plan for `year` for every poor and near-poor household of `unit` on `on` (today) that has
    none. Refused unless the actor keeps plans in every commune of the unit (`access.require_keep_plans`)."""
    on = on or clock.today()
    scope = area_scope(actor, unit, on=on)
    for commune_id in scope.commune_ids:
        require_keep_plans(actor, commune_id)
    rules = load_rules()
    poor = _poor(scope, on)
    households = poor.height
    with transaction.atomic():
        max_id(HouseholdPlan)  # on PostgreSQL, no other draft writes until this one ends
        todo = _without_plan(scope, poor, year)
        suggestions = _suggestions(rules, todo, on)
        plans = todo.join(_helper_columns(scope, todo, on), on="household_pk", how="left").select(
            pl.col("household_pk").alias("household_id"),
            pl.lit(year).alias("year"),
            pl.col("unit_id").alias("commune_id"),
            "category",
            _json_list("causes").alias("causes"),
            _json_list("needs").alias("needs"),
            pl.lit(rules.default_group).alias("group"),
            pl.lit(None, pl.Int64).alias("target_exit_year"),
            pl.lit("").alias("commitment"),
            "organisation_id",
            "helper_id",
            pl.lit(PlanState.DRAFT.value).alias("state"),
            pl.lit(None, pl.Date).alias("agreed_on"),
            pl.lit("").alias("outcome_reason"),
            pl.lit(PlanSource.DRAFTED.value).alias("source"),
            pl.lit(rules.id).alias("rules_id"),
            pl.lit(actor.pk).alias("created_by_id"),
        )
        before = insert_with_history(HouseholdPlan, plans, actor_id=actor.pk, reason="plans.draft_bulk")
        ids = ids_after(HouseholdPlan, before, "household_id").rename({"id": "plan_id", "household_id": "household_pk"})
        supports = (
            todo.select("household_pk", "key")
            .join(suggestions, on="key", how="inner")
            .join(ids, on="household_pk", how="inner")
            .sort("household_pk", "order")
            .select(
                "policy_id",
                pl.lit("").alias("project"),
                pl.lit(None, pl.Int64).alias("month"),
                "reason",
                "plan_id",
            )
        )
        insert_with_history(PlannedSupport, supports, actor_id=actor.pk, reason="plans.draft_bulk")
        result = DraftResult(households, plans.height, households - plans.height, supports.height)
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


def _suggestions(rules: Rules, todo: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """key, order, policy_id, reason of every distinct (category, causes, needs) of `todo` (its `key`
    column, `_key`): a province has a few hundred combinations, not 150,000."""
    rows = []
    for key, category, causes, needs in (
        todo.select("key", "category", "causes", "needs").unique("key", maintain_order=True).iter_rows()
    ):
        for order, (policy_id, reason) in enumerate(rules.suggestions(list(causes), list(needs), category, on)):
            rows.append((key, order, policy_id, reason))
    return pl.DataFrame(
        rows, schema={"key": pl.String, "order": pl.Int64, "policy_id": pl.String, "reason": pl.String}, orient="row"
    )


def _key() -> pl.Expr:
    return pl.format("{}|{}|{}", pl.col("category"), pl.col("causes").list.join(","), pl.col("needs").list.join(","))


__all__ = ["DRAFTED_CATEGORIES", "DraftResult", "plan_draft_bulk"]
