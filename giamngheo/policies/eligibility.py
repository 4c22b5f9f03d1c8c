"""Who is eligible for a policy on a date: derived from the register's decisions, never stored.

`eligibility(scope, policy, on)` reads the statuses recognised by `on` (the one door,
`review.statuses.decided_history`) and, for member-level policies, the members' facts
(`registry.frames.member_facts`), and applies the policy's dated conditions in force on `on`
(`policies/data/<id>.yaml`). Each row says why in words: "hộ nghèo theo QĐ 45/QĐ-UBND ngày
12/12/2025". "Newly escaped" is read from the history: the household's latest status is neither
poor nor near-poor, an earlier one was, and the decision that took it off the lists is at most N
months old on `on`. A household that fell back into poverty is poor again, not newly escaped.

Member facts are the register's current ones (birth, schooling, disability), ages taken on `on`; a
member whose age or fact is unknown does not meet a condition that needs it (listed only when known).
"""

from __future__ import annotations

import copy
import datetime as dt

import polars as pl
from django.db import connection

from ..accounts.access import Scope
from ..core.bulk_read import read_frames
from ..registry.frames import (
    household_codes_frame,
    household_codes_query,
    member_facts,
    member_facts_frame,
    member_facts_query,
)
from ..review.statuses import decided_query, history_frame, latest_of
from ..standards.capacity import employment_indicator
from ..standards.indicators import age_at_least, age_below, birth_from_facts, working_age
from ..standards.params import standard_in_force
from .catalogue import Policy

LISTED = ("poor", "near_poor")
WORDS = {"poor": "hộ nghèo", "near_poor": "hộ cận nghèo", "average": "hộ có mức sống trung bình"}
LEFT = {"poor": "mới thoát nghèo", "near_poor": "mới thoát cận nghèo"}
OUTPUT = ["household_pk", "household_id", "member_pk", "member_id", "national_id", "category", "reason"]
SCHEMA = {
    "household_pk": pl.Int64,
    "household_id": pl.String,
    "member_pk": pl.Int64,
    "member_id": pl.String,
    "national_id": pl.String,
    "category": pl.String,
    "reason": pl.String,
}


def _by_decision(number: pl.Expr, day: pl.Expr) -> pl.Expr:
    """ "theo QĐ 45/QĐ-UBND ngày 12/12/2025" (without a number: "từ ngày 12/12/2025")."""
    on_day = day.dt.strftime("%d/%m/%Y")
    return (
        pl.when(number.fill_null("").str.strip_chars() != "")
        .then(pl.concat_str(pl.lit("theo QĐ "), number, pl.lit(" ngày "), on_day))
        .otherwise(pl.concat_str(pl.lit("từ ngày "), on_day))
    )


def _months_since(start: pl.Expr, on: dt.date) -> pl.Expr:
    """Whole months from `start` to `on` (12/12/2025 → 11/12/2026 is 11, → 12/12/2026 is 12)."""
    months = (on.year - start.dt.year()) * 12 + (on.month - start.dt.month())
    return (months - (start.dt.day() > on.day).cast(pl.Int32)).cast(pl.Int32)


def household_categories(
    history: pl.DataFrame,
    policy: Policy,
    on: dt.date,
    *,
    latest: pl.DataFrame | None = None,
    exits: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """household_pk, category, reason of the households eligible on `on` by the register alone.

    `history` is a `decided_history` frame (statuses by `on`, in order); pure Polars, so the tests
    recount it by plain Python and a province is one pass. `latest` (`latest_of(history)`) and `exits`
    (`exits_of(history)`) when already made: a register answering every policy makes them once."""
    served = list(policy.condition("categories", on) or [])
    latest = latest_of(history) if latest is None else latest
    direct = latest.filter(pl.col("category").is_in([c for c in served if c in WORDS])).select(
        "household_pk",
        "category",
        pl.concat_str(
            pl.col("category").replace_strict(WORDS, default=pl.col("category")),
            pl.lit(" "),
            _by_decision(pl.col("decision_number"), pl.col("valid_from")),
        ).alias("reason"),
    )
    frames = [direct]
    months = policy.condition("newly_escaped_months", on)
    if "newly_escaped" in served and months:
        frames.append(_newly_escaped(exits_of(history) if exits is None else exits, latest, int(months), on))
    return pl.concat(frames).unique("household_pk", keep="first", maintain_order=True)


def exits_of(history: pl.DataFrame) -> pl.DataFrame:
    """Per household that was ever listed: the decision right after its last listed status (household_pk,
    left: the category it left, exit_on, exit_no); none for a household still on the lists."""
    indexed = history.with_columns(pl.int_range(pl.len()).over("household_pk").alias("idx"))
    last_listed = (
        indexed.filter(pl.col("category").is_in(LISTED))
        .group_by("household_pk")
        .agg(pl.col("idx").max().alias("last_listed"), pl.col("category").last().alias("left"))
    )
    exits = (
        indexed.join(last_listed, on="household_pk")
        .filter(pl.col("idx") == pl.col("last_listed") + 1)
        .select(
            "household_pk", "left", pl.col("valid_from").alias("exit_on"), pl.col("decision_number").alias("exit_no")
        )
    )
    return exits


def _newly_escaped(exits: pl.DataFrame, latest: pl.DataFrame, months: int, on: dt.date) -> pl.DataFrame:
    now_off = latest.filter(~pl.col("category").is_in(LISTED)).select("household_pk")
    elapsed = _months_since(pl.col("exit_on"), on)
    return (
        now_off.join(exits, on="household_pk")
        .filter(pl.col("exit_on").dt.offset_by(f"{months}mo") >= on)
        .select(
            "household_pk",
            pl.lit("newly_escaped").alias("category"),
            pl.concat_str(
                pl.col("left").replace_strict(LEFT),
                pl.lit(" "),
                _by_decision(pl.col("exit_no"), pl.col("exit_on")),
                pl.lit(" ("),
                elapsed.cast(pl.String),
                pl.lit(f"/{months} tháng)"),
            ).alias("reason"),
        )
    )


def member_rule(policy: Policy, on: dt.date) -> tuple[pl.Expr | None, list[pl.Expr]]:
    """The member conditions in force on `on` as one expression over `member_facts` rows (null, an
    unknown fact, counts as not met; None: no condition), and the words each adds to the reason.

    No literal `True` to start from: Polars 2.1 refuses a literal predicate on a frame of several
    chunks ("filter predicate length of 2"), which a join of a province's members makes."""
    conditions: list[pl.Expr] = []
    words: list[pl.Expr] = []
    birth_known = pl.col("birth").is_not_null()
    low, high = policy.condition("min_age", on), policy.condition("max_age", on)
    if low is not None:
        conditions.append(age_at_least(int(low), on))
    if high is not None:
        conditions.append(age_below(int(high) + 1, on))
    if low is not None or high is not None:
        month_day = pl.col("birth").dt.month().cast(pl.Int32) * 100 + pl.col("birth").dt.day().cast(pl.Int32)
        birthday_ahead = month_day > on.month * 100 + on.day
        age = (on.year - pl.col("birth").dt.year() - birthday_ahead.cast(pl.Int32)).cast(pl.String)
        words.append(pl.when(birth_known).then(pl.concat_str(age, pl.lit(" tuổi"))))
    school = policy.condition("in_school", on)
    if school is not None:
        conditions.append(pl.col("in_school") == bool(school))
        words.append(pl.lit("đang đi học" if school else "không đi học"))
    if policy.condition("working_age", on):
        ind = employment_indicator(standard_in_force(on))
        if ind is not None:
            conditions.append(working_age(ind, on))
            words.append(pl.lit("trong độ tuổi lao động"))
    disabled = policy.condition("disability", on)
    if disabled is not None:
        has = pl.col("disability").fill_null("").is_in(["", "none"]).not_()
        conditions.append(has if disabled else ~has)
        words.append(pl.lit("người khuyết tật" if disabled else "không khuyết tật"))
    if not conditions:
        return None, words
    return pl.all_horizontal(conditions).fill_null(False), words


def eligible_members(households: pl.DataFrame, members: pl.DataFrame, policy: Policy, on: dt.date) -> pl.DataFrame:
    """The members (`member_facts` rows) of eligible `households` who meet the member conditions."""
    rule, words = member_rule(policy, on)
    if "birth" not in members.columns:
        members = members.with_columns(birth_from_facts())
    frame = members.join(households, on="household_pk")
    if rule is not None:
        frame = frame.filter(rule)
    reason = pl.concat_str([pl.col("reason"), *[pl.concat_str(pl.lit("; "), w) for w in words]], ignore_nulls=True)
    return frame.with_columns(reason.alias("reason"))


class Register:
    """What eligibility reads, each once for any number of policies: the decisions by `on`, the
    households' ids and areas, and (only if a member policy asks) the active members' facts. For a
    scope the reads select by commune; for chosen households, by id."""

    def __init__(
        self,
        on: dt.date,
        *,
        scope: Scope | None = None,
        household_pks: list[int] | None = None,
        with_members: bool = False,
    ):
        queries = self.queries(on, scope=scope, household_pks=household_pks, with_members=with_members)
        frames = read_frames(
            [(sql, columns) for sql, columns, _ in queries],
            committed_only_ok=not connection.in_atomic_block,
            large=any(large for _, _, large in queries),
        )
        self._set(on, scope, household_pks, frames)

    @staticmethod
    def queries(
        on: dt.date,
        *,
        scope: Scope | None = None,
        household_pks: list[int] | None = None,
        with_members: bool = False,
    ) -> list[tuple[str, dict, bool]]:
        """(SQL, columns, large) of what a register reads, for a reader that reads more in the same
        go (the coverage report: the register, the ledger and the households' communes in one child)."""
        units = list(scope.commune_ids) if scope is not None else None
        queries = [
            decided_query(scope, on, household_pks=household_pks),
            household_codes_query(household_pks, unit_ids=units),
        ]
        if with_members:  # a member policy is asked: its facts in the same read
            queries.append(member_facts_query(household_pks, unit_ids=units))
        return queries  # type: ignore[return-value]

    @classmethod
    def from_frames(cls, on: dt.date, frames: list[pl.DataFrame], *, scope: Scope | None = None) -> Register:
        """A register from the frames of `queries` (in their order), read by the caller."""
        register = cls.__new__(cls)
        register._set(on, scope, None, frames)
        return register

    def _set(self, on: dt.date, scope: Scope | None, household_pks: list[int] | None, frames: list) -> None:
        self.on = on
        self._units = list(scope.commune_ids) if scope is not None else None
        self._pks = household_pks
        self._read: dict[str, pl.DataFrame] = {}  # shared with the registers `on_day` makes
        self._derived: dict[str, pl.DataFrame] = {}  # from this register's history: its own
        self.history = history_frame(frames[0])
        self._read["codes"] = household_codes_frame(frames[1])
        if len(frames) > 2:
            self._read["members"] = member_facts_frame(frames[2])

    @property
    def codes(self) -> pl.DataFrame:
        return self._read["codes"]

    @property
    def members(self) -> pl.DataFrame:
        if "members" not in self._read:
            self._read["members"] = member_facts(self._pks, unit_ids=self._units)
        return self._read["members"]

    def on_day(self, day: dt.date) -> Register:
        """The same register as it stood on an earlier `day` (the decisions recognised by then), with
        no new read: the wrong-target check answers every delivery date of a year from one read."""
        if day > self.on:
            raise ValueError(f"the register was read up to {self.on}, not {day}")
        if day == self.on:
            return self
        earlier = copy.copy(self)
        earlier.on = day
        earlier.history = self.history.filter(pl.col("valid_from") <= day)
        earlier._derived = {}
        return earlier

    as_of = on_day  # the name the findings' recheck used on main before the two met

    def _made(self, name: str, make) -> pl.DataFrame:
        """A frame derived from this register's history, made once for every policy asked."""
        if name not in self._derived:
            self._derived[name] = make()
        return self._derived[name]

    def eligible(self, policy: Policy) -> pl.DataFrame:
        """Who is eligible for `policy` on the register's date (columns `OUTPUT`)."""
        on = self.on
        latest = self._made("latest", lambda: latest_of(self.history))
        exits = self._made("exits", lambda: exits_of(self.history))
        households = household_categories(self.history, policy, on, latest=latest, exits=exits).join(
            self.codes, on="household_pk"
        )
        area = policy.condition("area", on)
        if area:
            households = households.filter(pl.col("area").is_in([area] if isinstance(area, str) else list(area)))
        households = households.drop("area")
        if policy.member_level:
            born = self._read.get("born")
            if born is None:  # the members' birth as the engine reads it, once (shared with `on_day`'s copies)
                born = self._read["born"] = self.members.with_columns(birth_from_facts())
            rows = eligible_members(households, born, policy, on)
        else:
            rows = households.with_columns(
                pl.lit(None, pl.Int64).alias("member_pk"),
                pl.lit(None, pl.String).alias("member_id"),
                pl.lit(None, pl.String).alias("national_id"),
            )
        return rows.select(pl.col(c).cast(t) for c, t in SCHEMA.items()).sort(
            "household_id", "member_id", nulls_last=False
        )


def eligibility(scope: Scope, policy: Policy, on: dt.date) -> pl.DataFrame:
    """Who in the scope's communes is eligible for `policy` on `on`, past or present: one row per
    household (household policies) or member (member policies), columns `OUTPUT`, in household then
    member order. The area condition (rural/urban) is applied; unit designations are not (unread)."""
    return Register(on, scope=scope, with_members=policy.member_level).eligible(policy)


def eligibility_all(scope: Scope, policies: list[Policy], on: dt.date) -> dict[str, pl.DataFrame]:
    """`eligibility` of several policies on one date, reading the register once (the coverage of a
    province, every policy)."""
    register = Register(on, scope=scope, with_members=any(p.member_level for p in policies))
    return {policy.id: register.eligible(policy) for policy in policies}


def eligibility_of(household_pks: list[int], policy: Policy, on: dt.date) -> pl.DataFrame:
    """The same for chosen households (a benefit being recorded, a delivery list's rows)."""
    return Register(on, household_pks=household_pks, with_members=policy.member_level).eligible(policy)
