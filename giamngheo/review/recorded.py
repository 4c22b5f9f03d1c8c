"""Recording a recognition decision already taken outside the system (last year's paper lists).

A commune that starts using giamngheo has lists its chair recognised on paper. This service
enters such a decision in bulk as a closed round: one classification (the engine's result on the
facts given, with the standard and version), one listing and one register status per household,
transitions from each household's earlier statuses, history rows and one audit event per commune.
The demo and the benchmarks use it to give a synthetic province a recognised history.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..classification.models import Classification
from ..core.audit import audit
from ..core.errors import ServiceError
from ..registry.models import Household
from ..standards.params import Standard
from .models import Listed, ReviewRound, RoundKind, RoundStep, Status
from .statuses import category_histories, summary_refresh
from .transitions import transition

BATCH = 5_000
LOOKUP = 20_000


def _facts(row: dict, columns: list[str]) -> dict:
    return {c: (v.isoformat() if isinstance(v, dt.date) else v) for c in columns if (v := row.get(c)) is not None}


@transaction.atomic
def decision_record(
    *,
    actor,
    results: pl.DataFrame,
    standard: Standard,
    as_of: dt.date,
    kind: str,
    decision_number: str,
    decision_date: dt.date,
    fact_columns: list[str],
) -> int:
    """Enter one decision per commune for the engine `results` (household_id, admin_code, category, deprived_*).

    Optional list columns `causes` and `needs` hold Form B codes. Returns the number of statuses written.
    Refuses households that are not in the registry; nothing is written then.
    """
    if kind not in RoundKind.values:
        raise ServiceError(f"Loại đợt rà soát không hợp lệ: {kind}", f"unknown round kind: {kind}")
    known: dict[str, int] = {}
    units: dict[int, int] = {}
    history: dict[int, list[str]] = {}
    ids = results.get_column("household_id").to_list()
    for start in range(0, len(ids), LOOKUP):  # SQLite caps the variables of one query
        chunk = ids[start : start + LOOKUP]
        pks = []
        for household_id, pk, unit_id in Household.objects.filter(household_id__in=chunk).values_list(
            "household_id", "pk", "unit_id"
        ):
            known[household_id], units[pk] = pk, unit_id
            pks.append(pk)
        history.update(category_histories(pks))
    missing = [h for h in ids if h not in known]
    if missing:
        raise ServiceError(
            f"{len(missing)} hộ không có trong sổ, ví dụ {missing[:3]}",
            f"{len(missing)} households are not in the registry, e.g. {missing[:3]}",
        )
    deprived_cols = [c for c in results.columns if c.startswith("deprived_")]
    written = 0
    for (admin_code,), group in results.group_by(["admin_code"], maintain_order=True):
        pks = [known[h] for h in group.get_column("household_id")]
        round_ = ReviewRound.objects.create(
            commune_id=units[pks[0]],
            kind=kind,
            reference_date=as_of,
            step=RoundStep.CLOSED,
            decision_number=decision_number,
            decision_date=decision_date,
            opened_by=actor,
        )
        classifications, listed, statuses = [], [], []
        for pk, row in zip(pks, group.iter_rows(named=True), strict=True):
            classifications.append(
                Classification(
                    household_id=pk,
                    standard_id=standard.id,
                    standard_version=standard.version,
                    as_of=as_of,
                    category=row["category"],
                    income_line=row["income_line"] or 0,
                    deprivation_count=row["deprivation_count"] or 0,
                    deprived={c: row[c] for c in deprived_cols if row[c] is not None},
                    facts={"household": _facts(row, fact_columns), "source": "decision_record"},
                    explanation=row.get("explanation") or "",
                    created_by=actor,
                )
            )
        Classification.objects.bulk_create(classifications, batch_size=BATCH)
        for pk, row, cls in zip(pks, group.iter_rows(named=True), classifications, strict=True):
            listed.append(
                Listed(
                    review_round=round_,
                    household_id=pk,
                    reason=Listed.Reason.ON_LIST,
                    state=Listed.State.RECOGNISED,
                    classification=cls,
                    causes=row.get("causes") or [],
                    needs=row.get("needs") or [],
                    reviewer=actor,
                    surveyed_on=as_of,
                )
            )
            before = history.get(pk, [])
            statuses.append(
                Status(
                    household_id=pk,
                    category=row["category"],
                    valid_from=decision_date,
                    review_round=round_,
                    decision_number=decision_number,
                    transition=transition(before, row["category"]),
                )
            )
        Listed.objects.bulk_create(listed, batch_size=BATCH)
        bulk_create_with_history(statuses, Status, batch_size=BATCH, default_user=actor)
        audit(
            actor,
            "round.decision_record",
            round_,
            admin_code=admin_code,
            households=len(pks),
            decision_number=decision_number,
            decision_date=decision_date.isoformat(),
        )
        written += len(statuses)
        summary_refresh(pks)
    return written
