"""The registry read once per report into Polars frames: households with their statuses, members, units.

Every report is computed from these frames by pure functions (`tables.py`), so the numbers can be
recomputed from raw records in tests. Reads go through `core.bulk_read` (Arrow when it can).

Which commune a household is counted in (docs/adr/0005-report-units.md): the commune of the
round that recognised its status at the period's end, else its registry commune; a commune not in
force in the period is mapped to its default successor (after 1 July 2025) or to its only
predecessor (before); a post-2025 commune formed from several old ones cannot be split back, so
its households are counted in a row "not assignable" rather than guessed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cached_property

import polars as pl
from django.db import connection

from ..accounts.access import Scope
from ..core.bulk_read import Columns, read_frame, read_frames
from ..core.ethnicities import KINH
from ..geo.models import AdminUnit, UnitLevel, UnitSuccession
from ..geo.unit_tables import area_of_unit_type
from ..registry.frames import head_join_sql
from ..review.statuses import history_frame, history_query, latest_of, registry_marks
from ..review.transitions import transition
from ..standards import load_standard
from ..standards.capacity import no_working_capacity
from ..standards.params import Standard, resolve_standard
from .period import Period

UNASSIGNED = -1
I64, STR = pl.Int64, pl.String  # each read names its columns' types: an empty read has the same as a full one
SIMPLE = ("poor", "near_poor", None)


def _ids(values) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


LARGE_SCOPE = 20  # communes: above this a SQLite read goes through the Arrow child process


def _read(sql: str, columns: Columns, large: bool = True) -> pl.DataFrame:
    return read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large, replica_ok=True)


def _transition_table() -> pl.DataFrame:
    """Every (start, end, ever poor, ever near-poor) combination through the one transitions table."""
    rows = []
    for start in SIMPLE:
        for end in SIMPLE:
            for ever_poor in (False, True):
                for ever_near in (False, True):
                    history = [
                        *(["poor"] if ever_poor else []),
                        *(["near_poor"] if ever_near else []),
                        start or "other",
                    ]
                    rows.append((start, end, ever_poor, ever_near, transition(history, end or "other")))
    return pl.DataFrame(
        rows, schema=["start_simple", "end_simple", "ever_poor", "ever_near", "transition"], orient="row"
    )


_CACHE: OrderedDict[tuple, dict[str, pl.DataFrame]] = OrderedDict()
_CACHE_SIZE = 6
_CACHE_LOCK = threading.Lock()


def registry_version() -> tuple:
    """Changes whenever anything a report reads changes: the newest history, audit and register rows.

    Every registry write leaves a history row (django-simple-history, the admin included) and every
    service an audit event; statuses and listings are only ever added by services. Each is the newest
    row by primary key, so the check costs a few index lookups, not a scan. The newest audit and
    history rows are named by their time as well as their key: after a restore the same keys are given
    to different rows, and the time tells them apart (a restore also writes an audit
    event, so even an unchanged registry gets a new version).
    """
    from ..core.models import AuditEvent
    from ..registry.models import Household, Member

    stamped = (
        (AuditEvent, "at"),
        (Household.history.model, "history_date"),
        (Member.history.model, "history_date"),
    )
    return (*(m.objects.order_by("-pk").values_list("pk", when).first() for m, when in stamped), *registry_marks())


def shared_entry(key: tuple) -> dict:
    """The cache entry for `key` plus the registry's version (a fresh dict inside a transaction)."""
    if connection.in_atomic_block:  # uncommitted rows, or ids a rollback will hand out again: no sharing
        return {}
    key = (*key, connection.alias, registry_version())
    with _CACHE_LOCK:
        entry = _CACHE.pop(key, None) or {}
        _CACHE[key] = entry
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return entry


def shared_frame(method):
    """A frame read once per (scope, period, registry version) and shared by every report, user and
    request that asks for the same: the dashboard, the page and its downloads read the registry once."""
    name = method.__name__

    def getter(self):
        entry = self._entry
        if name not in entry:
            entry[name] = method(self)
        return entry[name]

    getter.__doc__ = method.__doc__
    return property(getter)


class ReportData:
    """One report's inputs for a scope (`accounts.access.area_scope`, read on the period's reference
    date), a period and the user who reads it (whose role decides what is masked)."""

    def __init__(self, actor, scope: Scope, period: Period):
        if scope.on != period.reference_date:
            raise ValueError(f"scope read on {scope.on}, period's reference date {period.reference_date}")
        self.actor, self.scope, self.unit, self.period = actor, scope, scope.unit, period
        self.when = period.reference_date
        self.commune_ids = list(scope.commune_ids)
        self._entry = shared_entry(("report", tuple(self.commune_ids), period, self.when))
        self.large = len(self.commune_ids) > LARGE_SCOPE

    @cached_property
    def standard(self) -> Standard:
        return resolve_standard("auto", self.when)

    # -- units ---------------------------------------------------------------------------------
    @cached_property
    def units(self) -> pl.DataFrame:
        """The period's communes in scope, with district (before the reform) and province."""
        rows = AdminUnit.objects.filter(pk__in=self.commune_ids).values_list(
            "pk",
            "code",
            "name",
            "unit_type",
            "parent__level",
            "parent__code",
            "parent__name",
            "parent__parent__code",
            "parent__parent__name",
            "lat",
            "lon",
        )
        out = []
        for pk, code, name, unit_type, p_level, p_code, p_name, pp_code, pp_name, lat, lon in rows:
            district = p_level == UnitLevel.DISTRICT
            out.append(
                {
                    "commune_id": pk,
                    "commune_code": code,
                    "commune_name": name,
                    "unit_type": unit_type,
                    "district_code": p_code if district else None,
                    "district_name": p_name if district else None,
                    "province_code": pp_code if district else p_code,
                    "province_name": pp_name if district else p_name,
                    "lat": lat,
                    "lon": lon,
                }
            )
        schema = {
            "commune_id": pl.Int64,
            "commune_code": pl.String,
            "commune_name": pl.String,
            "unit_type": pl.String,
            "district_code": pl.String,
            "district_name": pl.String,
            "province_code": pl.String,
            "province_name": pl.String,
            "lat": pl.Float64,
            "lon": pl.Float64,
        }
        return pl.DataFrame(out, schema=schema).sort("province_code", "district_code", "commune_code", nulls_last=True)

    @cached_property
    def _mapping(self) -> tuple[dict[int, int], set[int]]:
        """(unit -> reporting commune for units outside the period, units whose households may count here)."""
        scope = set(self.commune_ids)
        links = (
            UnitSuccession.objects.filter(new_id__in=scope)
            if not self.period.before_reform
            else UnitSuccession.objects.filter(old_id__in=scope)
        )
        mapping: dict[int, int] = {}
        if self.period.before_reform:  # new commune -> its only predecessor, if it has one
            news = {n for _, n, _ in links.values_list("old_id", "new_id", "is_default")}
            olds: dict[int, set[int]] = {}
            for old, new in UnitSuccession.objects.filter(new_id__in=news).values_list("old_id", "new_id"):
                olds.setdefault(new, set()).add(old)
            for new, old_set in olds.items():
                mapping[new] = next(iter(old_set)) if len(old_set) == 1 else UNASSIGNED
        else:  # old commune -> its default successor
            for old, new, is_default in links.values_list("old_id", "new_id", "is_default"):
                if is_default:
                    mapping[old] = new
        return mapping, scope | set(mapping)

    # -- households ------------------------------------------------------------------------------
    @shared_frame
    def statuses(self) -> pl.DataFrame:
        """Recognised statuses up to the period's end of the households read here, in order."""
        return history_frame(_read(*self._statuses_query(), large=self.large))

    def _statuses_query(self) -> tuple[str, Columns]:
        _, relevant = self._mapping
        return history_query(relevant, until=self.period.end)

    @shared_frame
    def households(self) -> pl.DataFrame:
        """Active households counted in the scope, with start/end category, transition and groups."""
        _, relevant = self._mapping
        queries = [
            (
                "SELECT h.id, h.household_id, h.unit_id, h.village_name, h.address, h.area, u.unit_type "
                "FROM registry_household h JOIN geo_adminunit u ON u.id = h.unit_id "
                f"WHERE h.is_active AND h.unit_id IN ({_ids(relevant)})",
                {
                    "household_pk": I64,
                    "household_id": STR,
                    "unit_id": I64,
                    "village_name": STR,
                    "address": STR,
                    "area": STR,
                    "unit_type": STR,
                },
            ),
            self._heads_query(),
        ]
        if "statuses" not in self._entry:
            queries.append(self._statuses_query())
        hh, heads, *statuses = read_frames(
            queries, committed_only_ok=not connection.in_atomic_block, large=self.large, replica_ok=True
        )
        if statuses:
            self._entry["statuses"] = history_frame(statuses[0])
        hh = hh.with_columns(pl.col("household_pk", "unit_id").cast(pl.Int64))
        st = self.statuses
        start = self.period.start
        before = (
            st.filter(pl.col("valid_from") < start)
            .group_by("household_pk")
            .agg(
                pl.col("category").last().alias("start_category"),
                (pl.col("category") == "poor").any().alias("ever_poor"),
                (pl.col("category") == "near_poor").any().alias("ever_near"),
            )
        )
        last = latest_of(st).select(
            "household_pk",
            pl.col("category").alias("end_category"),
            pl.col("round_id").alias("end_round_id"),
            pl.col("round_commune_id").alias("end_round_commune_id"),
        )
        hh = hh.join(before, on="household_pk", how="left").join(last, on="household_pk", how="left")
        hh = hh.with_columns(
            pl.col("ever_poor", "ever_near").fill_null(False),
            pl.when(pl.col("start_category").is_in(["poor", "near_poor"]))
            .then(pl.col("start_category"))
            .alias("start_simple"),
            pl.when(pl.col("end_category").is_in(["poor", "near_poor"]))
            .then(pl.col("end_category"))
            .alias("end_simple"),
        )
        hh = hh.join(
            _transition_table(),
            on=["start_simple", "end_simple", "ever_poor", "ever_near"],
            how="left",
            nulls_equal=True,
        )
        hh = self.counted_in(hh.with_columns(pl.coalesce("end_round_commune_id", "unit_id").alias("_from")))
        hh = hh.with_columns(
            pl.when(pl.col("area") != "")
            .then(pl.col("area"))
            .otherwise(area_of_unit_type(pl.col("unit_type")))
            .alias("area")
        )
        return self._with_head(hh, heads).sort("household_id")

    def counted_in(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with `commune_id`, the scope's commune its rows count in, from `_from` (the commune
        of the round behind the end status, else the registry's): kept if in force in the period,
        else mapped (`_mapping`); rows that count nowhere here are dropped."""
        mapping, _ = self._mapping
        lookup = pl.DataFrame(
            {"_from": list(mapping), "_to": list(mapping.values())}, schema={"_from": pl.Int64, "_to": pl.Int64}
        )
        return (
            frame.join(lookup, on="_from", how="left")
            .with_columns(
                pl.when(pl.col("_from").is_in(self.commune_ids))
                .then(pl.col("_from"))
                .otherwise(pl.col("_to"))
                .alias("commune_id")
            )
            .drop("_from", "_to")
            .filter(pl.col("commune_id").is_not_null())
        )

    use_summary = True  # tests set it False to compare with the frames' path

    @shared_frame
    def household_counts(self) -> pl.DataFrame:
        """Households counted in the scope by (commune_id, end_category, end_simple, ethnic_minority),
        `n` of each: from the kept summary rows in one grouped query when they hold the period's end
        status (`summary.summary_counts`), else grouped from `households`. The same numbers either way."""
        from .summary import GROUPS, summary_counts

        counts = summary_counts(self) if self.use_summary else None
        if counts is None:
            counts = self.households.group_by(GROUPS).agg(pl.len().cast(pl.Int64).alias("n"))
        return counts.sort(GROUPS, nulls_last=True)

    def _heads_query(self) -> tuple[str, Columns]:
        """Head's name and ethnicity, size, meritorious-service member: one row a household aggregated in
        the database (a province's 1.4 million members never cross the wire). Who can work is the engine's
        rule, not SQL: `working_capacity`."""
        _, relevant = self._mapping
        head = "m.relation_to_head = 'head' AND m.member_id = hd.head_id"
        return (
            "SELECT m.household_id, "
            f"MAX(CASE WHEN {head} THEN m.full_name END), "
            f"MAX(CASE WHEN {head} THEN m.ethnicity END), COUNT(*), "
            "SUM(CASE WHEN m.meritorious_service THEN 1 ELSE 0 END) "
            "FROM registry_member m JOIN registry_household h ON h.id = m.household_id "
            f"{head_join_sql('m', 'hd')} "
            f"WHERE m.is_active AND h.is_active AND h.unit_id IN ({_ids(relevant)}) GROUP BY m.household_id",
            {
                "household_pk": I64,
                "head_name": STR,
                "head_ethnicity": STR,
                "n_members": I64,
                "n_meritorious": I64,
            },
        )

    def _with_head(self, hh: pl.DataFrame, heads: pl.DataFrame) -> pl.DataFrame:
        heads = heads.with_columns(pl.col("household_pk", "n_members", "n_meritorious").cast(pl.Int64))
        hh = hh.join(heads, on="household_pk", how="left")
        return hh.with_columns(
            (
                pl.col("head_ethnicity").is_not_null()
                & (pl.col("head_ethnicity") != "")
                & (pl.col("head_ethnicity") != KINH)
            ).alias("ethnic_minority"),
            pl.col("n_members").fill_null(0),
            (pl.col("n_meritorious").fill_null(0) > 0).alias("meritorious"),
        ).drop("n_meritorious")

    @shared_frame
    def members(self) -> pl.DataFrame:
        """Active members of households ever recognised poor or near-poor (the children's report and the
        detailed lists count no others), with age on the reference date."""
        _, relevant = self._mapping
        flags = ["in_school", "has_health_insurance", "stunted", "underweight", "meritorious_service"]
        columns = {
            "household_pk": I64,
            "member_id": STR,
            "full_name": STR,
            "national_id": STR,
            "birth_date": STR,
            "birth_year": I64,
            "sex": STR,
            "relation_to_head": STR,
            "ethnicity": STR,
            **dict.fromkeys(flags[:4], I64),
            "disability": STR,
            "meritorious_service": I64,
        }
        frame = _read(
            "SELECT m.household_id, m.member_id, m.full_name, m.national_id, CAST(m.birth_date AS TEXT), "
            "m.birth_year, m.sex, m.relation_to_head, m.ethnicity, m.in_school, m.has_health_insurance, m.stunted, "
            "m.underweight, m.disability, m.meritorious_service FROM registry_member m "
            "JOIN registry_household h ON h.id = m.household_id "
            f"WHERE m.is_active AND h.is_active AND h.unit_id IN ({_ids(relevant)}) AND h.id IN "
            "(SELECT household_id FROM review_status WHERE category IN ('poor', 'near_poor'))",
            columns,
            large=self.large,
        )
        frame = frame.with_columns(
            pl.col("household_pk").cast(pl.Int64),
            pl.col("birth_year").cast(pl.Int64),
            *[pl.col(c).cast(pl.Boolean) for c in flags],
            pl.col("birth_date").cast(pl.String).str.slice(0, 10).str.to_date(strict=False),
        )
        return with_ages(frame, self.standard, self.when)

    @shared_frame
    def working_capacity(self) -> pl.DataFrame:
        """Per household of `members` (those ever poor or near-poor): `no_working_capacity` by the engine's
        working-age test on the reference date (`standards.capacity`); null where it hinges on an unknown."""
        return no_working_capacity(self.members, self.standard, self.when, key="household_pk")

    @shared_frame
    def deprivations(self) -> pl.DataFrame:
        """Per poor or near-poor household: the indicators of the classification behind its end status,
        causes and needs (the reports that use them count those households only)."""
        _, relevant = self._mapping
        listed = _read(
            "SELECT l.household_id, l.review_round_id, CAST(l.causes AS TEXT), CAST(l.needs AS TEXT), "
            "CAST(c.deprived AS TEXT), c.standard_id FROM review_listed l "
            "JOIN classification_classification c ON c.id = l.classification_id "
            "JOIN registry_household h ON h.id = l.household_id "
            "JOIN review_status s ON s.household_id = l.household_id AND s.review_round_id = l.review_round_id "
            f"WHERE h.unit_id IN ({_ids(relevant)}) AND s.category IN ('poor', 'near_poor')",
            {"household_pk": I64, "round_id": I64, "causes": STR, "needs": STR, "deprived": STR, "standard_id": STR},
            large=self.large,
        ).with_columns(pl.col("household_pk", "round_id").cast(pl.Int64))
        ends = self.households.select("household_pk", pl.col("end_round_id").alias("round_id")).drop_nulls()
        frame = ends.join(listed, on=["household_pk", "round_id"], how="inner")
        indicators = self.indicator_ids(frame)
        return frame.with_columns(
            *[
                pl.col("deprived").str.extract(rf'"deprived_{i}":\s*(\d)').cast(pl.Int8).fill_null(0).alias(i)
                for i in indicators
            ],
            pl.col("causes").str.json_decode(pl.List(pl.String)),
            pl.col("needs").str.json_decode(pl.List(pl.String)),
        ).drop("deprived")

    def indicator_ids(self, frame: pl.DataFrame | None = None) -> list[str]:
        """The indicators of the standards the classifications used (the period's standard if none)."""
        frame = self.deprivations if frame is None else frame
        used = frame.get_column("standard_id").unique().sort().to_list() if frame.height else []
        ids: list[str] = []
        for standard_id in used or [self.standard.id]:
            ids += [i for i in load_standard(standard_id).indicator_ids if i not in ids]
        return ids


def with_ages(members: pl.DataFrame, standard: Standard, when) -> pl.DataFrame:
    """Adds `birth` (date, or 1 July of the birth year, as the engine reads it) and `is_child` on `when`
    (under the standard's child age; null when the standard has no child indicator)."""
    from ..standards.indicators import age_below, birth_from_facts

    members = members.with_columns(birth_from_facts())
    child_below = next(
        (i.value("child_age_below", when) for i in standard.indicators if "child_age_below" in i.params), None
    )
    is_child = pl.lit(None, pl.Boolean) if child_below is None else age_below(child_below, when).fill_null(False)
    return members.with_columns(is_child.alias("is_child"))
