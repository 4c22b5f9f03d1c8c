"""The one door to the register's statuses: each household's latest recognised status, and its history.

A status is what a chair's decision recognised (`Status`, written by `round_recognise` and
`decision_record`). "Latest" has one rule, `latest_of`: the newest `valid_from`, and of two on the
same day the one recorded last. Reports, exports, the review itself and the pages read statuses
here, as Polars frames of plain values, so no reader above needs `review.models` (a contract in
`.importlinter` checks that reports and exports do not import them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl
from django.db import connection

from ..accounts.access import Scope
from ..core.bulk_read import Columns, read_frame

_COLUMNS = {
    "household_pk": pl.Int64,
    "category": pl.String,
    "valid_from": pl.String,
    "round_id": pl.Int64,
    "round_commune_id": pl.Int64,
    "status_id": pl.Int64,
}
COLUMNS: Columns = _COLUMNS


def _ids(values: Iterable[int]) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


def history_query(
    unit_ids: Iterable[int] | None = None,
    *,
    household_pks: Iterable[int] | None = None,
    until: dt.date | None = None,
) -> tuple[str, Columns]:
    """(SQL, columns) of the statuses recognised up to `until` (every one without it) of the
    households registered in `unit_ids`, or of the households `household_pks`. For readers that
    batch several reads in one (`core.bulk_read.read_frames`); turn the result into `history_frame`."""
    where = []
    if unit_ids is not None:
        where.append(f"h.unit_id IN ({_ids(unit_ids)})")
    if household_pks is not None:
        where.append(f"s.household_id IN ({_ids(household_pks)})")
    if until is not None:
        where.append(f"s.valid_from <= '{until.isoformat()}'")
    return (
        "SELECT s.household_id, s.category, CAST(s.valid_from AS TEXT), s.review_round_id, r.commune_id, "
        "s.id FROM review_status s JOIN review_reviewround r ON r.id = s.review_round_id "
        "JOIN registry_household h ON h.id = s.household_id" + (f" WHERE {' AND '.join(where)}" if where else ""),
        COLUMNS,
    )


def history_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of `history_query` typed and in order: by household, then as recognised."""
    return frame.with_columns(
        pl.col("valid_from").cast(pl.String).str.slice(0, 10).str.to_date(),
        pl.col("household_pk", "round_id", "round_commune_id", "status_id").cast(pl.Int64),
    ).sort("household_pk", "valid_from", "status_id")


def status_history(
    unit_ids: Iterable[int] | None = None,
    *,
    household_pks: Iterable[int] | None = None,
    until: dt.date | None = None,
    large: bool = False,
) -> pl.DataFrame:
    """Every status up to `until` of the households of `unit_ids` (or `household_pks`), in order:
    household_pk, category, valid_from (a date), round_id, round_commune_id, status_id."""
    sql, columns = history_query(unit_ids, household_pks=household_pks, until=until)
    return history_frame(read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large))


def latest_of(history: pl.DataFrame) -> pl.DataFrame:
    """One row per household: its latest status in `history` (a `status_history` frame, or part of one)."""
    return history.sort("household_pk", "valid_from", "status_id").group_by("household_pk", maintain_order=True).last()


def latest_statuses(scope: Scope, on: dt.date) -> pl.DataFrame:
    """Each household of the scope's communes with a status recognised by `on`: its latest one
    (columns as `status_history`). Households never recognised have no row."""
    return latest_of(status_history(scope.commune_ids, until=on, large=len(scope.commune_ids) > 20))


DECISION_COLUMNS: Columns = {**_COLUMNS, "decision_number": pl.String, "transition": pl.String}


def decided_query(
    scope: Scope | None, on: dt.date, *, household_pks: Iterable[int] | None = None
) -> tuple[str, Columns, bool]:
    """(SQL, columns, large) of `decided_history`, for a reader that reads it with others
    (`core.bulk_read.read_frames`); turn the result into `history_frame`."""
    unit_ids = scope.commune_ids if scope is not None else None
    pks = list(household_pks) if household_pks is not None else None
    sql, _ = history_query(unit_ids, household_pks=pks, until=on)
    sql = sql.replace("s.id FROM", "s.id, s.decision_number, s.transition FROM", 1)
    return sql, DECISION_COLUMNS, len(unit_ids or ()) > 20


def decided_history(scope: Scope | None, on: dt.date, *, household_pks: Iterable[int] | None = None) -> pl.DataFrame:
    """Every status recognised by `on` of the households of the scope's communes (or of
    `household_pks`), with the decision behind it: the `status_history` columns plus decision_number
    and transition (the decision's date is `valid_from`). What a household was on `on`, and what it
    was before (policies' eligibility reads "newly escaped" from it), for any past or present date."""
    sql, columns, large = decided_query(scope, on, household_pks=household_pks)
    frame = read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large)
    return history_frame(frame)


FORM_B_COLUMNS: Columns = {"household_pk": pl.Int64, "round_id": pl.Int64, "causes": pl.String, "needs": pl.String}


def form_b_behind(latest: pl.DataFrame) -> pl.DataFrame:
    """The Form B causes and needs behind each status of `latest` (a `latest_statuses` frame, or part of
    one): household_pk, causes, needs (lists of codes, empty when the household's listing in that
    round recorded none, or when the status came from a decision with no Form B). Plans draft from it."""
    empty = pl.DataFrame(schema={"household_pk": pl.Int64, "causes": pl.List(pl.String), "needs": pl.List(pl.String)})
    if latest.is_empty():
        return empty
    rounds = latest.get_column("round_id").unique().to_list()
    frame = read_frame(
        "SELECT l.household_id, l.review_round_id, CAST(l.causes AS TEXT), CAST(l.needs AS TEXT) "
        f"FROM review_listed l WHERE l.review_round_id IN ({_ids(rounds)})",
        FORM_B_COLUMNS,
        committed_only_ok=not connection.in_atomic_block,
        large=len(rounds) > 20,
    ).with_columns(pl.col("household_pk", "round_id").cast(pl.Int64))
    joined = latest.select("household_pk", "round_id").join(frame, on=["household_pk", "round_id"], how="left")
    return joined.select(
        "household_pk",
        pl.col("causes").fill_null("[]").str.json_decode(pl.List(pl.String)).fill_null([]),
        pl.col("needs").fill_null("[]").str.json_decode(pl.List(pl.String)).fill_null([]),
    )


def latest_by_household(household_pks: Iterable[int], on: dt.date) -> dict[int, tuple[str, dt.date]]:
    """Household pk -> (category, since) of its latest status by `on`, for a page of households (the
    same rule as `latest_statuses`, read on the request's own connection)."""
    pks = list(household_pks)
    if not pks:
        return {}
    latest = latest_of(status_history(household_pks=pks, until=on, large=False))
    return {
        pk: (category, since)
        for pk, category, since in latest.select("household_pk", "category", "valid_from").iter_rows()
    }


def latest_sources(household_pks: Iterable[int], on: dt.date) -> dict[int, str]:
    """Household pk -> how its latest status by `on` came in (`StatusSource`: "decision" when recorded
    from a decision taken before giamngheo, with no Form B behind it), for a household's page."""
    from .models import Status

    pks = list(household_pks)
    if not pks:
        return {}
    latest = latest_of(status_history(household_pks=pks, until=on, large=False))
    ids = latest.get_column("status_id").to_list()
    return dict(Status.objects.filter(pk__in=ids).values_list("household_id", "source"))


def category_histories(household_pks: Iterable[int]) -> dict[int, list[str]]:
    """Household pk -> its categories as recognised, oldest first (the transitions table reads them)."""
    frame = status_history(household_pks=household_pks)
    return {
        pk: categories
        for pk, categories in frame.group_by("household_pk", maintain_order=True).agg(pl.col("category")).iter_rows()
    }


def registry_marks() -> tuple:
    """The newest status and listing (by key): a report cache is stale when either changes."""
    from .models import Listed, Status

    return tuple(m.objects.order_by("-pk").values_list("pk").first() for m in (Status, Listed))


def _latest_sql(where: str) -> str:
    """Each household's latest status by `latest_of`'s rule (newest valid_from, then the one recorded
    last), its round's commune and the classification listed behind it."""
    ranked = (
        "SELECT s.household_id, s.category, s.valid_from, s.review_round_id, s.id, r.commune_id, "
        "ROW_NUMBER() OVER (PARTITION BY s.household_id ORDER BY s.valid_from DESC, s.id DESC) AS rn "
        "FROM review_status s JOIN review_reviewround r ON r.id = s.review_round_id "
        f"WHERE s.household_id IN ({where})"
    )
    return (
        "SELECT x.household_id, x.category, x.valid_from, x.review_round_id, x.id, x.commune_id, "
        f"l.classification_id, c.deprivation_count FROM ({ranked}) x "
        "LEFT JOIN review_listed l ON l.household_id = x.household_id AND l.review_round_id = x.review_round_id "
        "LEFT JOIN classification_classification c ON c.id = l.classification_id WHERE x.rn = 1"
    )


STATUS_COLUMNS = (
    "status_category",
    "status_valid_from",
    "round_id",
    "status_id",
    "round_commune_id",
    "classification_id",
    "deprivation_count",
)


def _status_refresh_sql(where: str) -> list[str]:
    cleared = ", ".join(f"{c} = NULL" for c in STATUS_COLUMNS)
    sources = (
        "category",
        "valid_from",
        "review_round_id",
        "id",
        "commune_id",
        "classification_id",
        "deprivation_count",
    )
    sets = ", ".join(f"{c} = x.{s}" for c, s in zip(STATUS_COLUMNS, sources, strict=True))
    return [
        f"UPDATE registry_householdsummary SET {cleared} WHERE household_id IN ({where})",
        f"UPDATE registry_householdsummary SET {sets} FROM ({_latest_sql(where)}) x "
        "WHERE registry_householdsummary.household_id = x.household_id",
    ]


def summary_refresh(household_pks: Iterable[int]) -> None:
    """Recompute these households' summary rows (`registry.summary`), the latest status included:
    called by every service that records a status, in its transaction, after the write."""
    from ..registry.summary import CHUNK
    from ..registry.summary import summary_refresh as registry_refresh

    pks = sorted({int(pk) for pk in household_pks})
    registry_refresh(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            for sql in _status_refresh_sql(_ids(pks[start : start + CHUNK])):
                cursor.execute(sql)


def summary_rebuild(unit_ids: Iterable[int] | None = None) -> int:
    """Every household's summary row (or those registered in `unit_ids`), from scratch: after a
    migration, a restore, or to check the kept rows (a test compares the two). Returns the rows."""
    from ..registry.models import Household, HouseholdSummary

    households = Household.objects.all() if unit_ids is None else Household.objects.filter(unit_id__in=list(unit_ids))
    pks = list(households.values_list("pk", flat=True))
    HouseholdSummary.objects.filter(pk__in=households.values("pk")).delete()
    summary_refresh(pks)
    return len(pks)
