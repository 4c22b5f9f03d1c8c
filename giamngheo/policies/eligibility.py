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

import datetime as dt
from functools import cached_property

import polars as pl

from ..accounts.access import Scope
from ..registry.frames import household_codes, member_facts
from ..review.statuses import decided_history, latest_of
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


def household_categories(history: pl.DataFrame, policy: Policy, on: dt.date) -> pl.DataFrame:
    """household_pk, category, reason of the households eligible on `on` by the register alone.

    `history` is a `decided_history` frame (statuses by `on`, in order); pure Polars, so the tests
    recount it by plain Python and a province is one pass."""
    served, months = _served(policy, on)
    return categories_served(history, latest_of(history), served, months, on)


def _served(policy: Policy, on: dt.date) -> tuple[tuple[str, ...], int | None]:
    """The categories a policy serves on `on` and, if it serves the newly escaped, for how many months:
    all `categories_served` asks of the policy (13 policies ask 6 different questions)."""
    served = tuple(policy.condition("categories", on) or [])
    months = policy.condition("newly_escaped_months", on)
    return served, int(months) if "newly_escaped" in served and months else None


def categories_served(
    history: pl.DataFrame, latest: pl.DataFrame, served: tuple[str, ...], months: int | None, on: dt.date
) -> pl.DataFrame:
    """`household_categories` from `history`, its `latest_of` and what the policy serves (`_served`)."""
    return _served_from(history, latest, _with_reasons(latest), served, months, on, {})


def _with_reasons(latest: pl.DataFrame) -> pl.DataFrame:
    """household_pk, category and the reason in words of each latest status, whatever the category
    (the policies then keep the categories they serve)."""
    return latest.select(
        "household_pk",
        "category",
        pl.concat_str(
            pl.col("category").replace_strict(WORDS, default=pl.col("category")),
            pl.lit(" "),
            _by_decision(pl.col("decision_number"), pl.col("valid_from")),
        ).alias("reason"),
    )


def _served_from(
    history: pl.DataFrame,
    latest: pl.DataFrame,
    reasons: pl.DataFrame,
    served: tuple[str, ...],
    months: int | None,
    on: dt.date,
    escaped: dict[int, pl.DataFrame],
) -> pl.DataFrame:
    """`categories_served` from the latest statuses' reasons (`_with_reasons`) and the newly escaped
    already found (`escaped`, by months; filled here), so several policies share them."""
    direct = reasons.filter(pl.col("category").is_in([c for c in served if c in WORDS]))
    if not months or history.filter(pl.col("category").is_in(LISTED)).is_empty():  # never listed: none escaped
        return direct  # one row a household already (`latest_of`)
    if months not in escaped:
        escaped[months] = _newly_escaped(history, latest, months, on)
    return pl.concat([direct, escaped[months]]).unique("household_pk", keep="first", maintain_order=True)


def _newly_escaped(history: pl.DataFrame, latest: pl.DataFrame, months: int, on: dt.date) -> pl.DataFrame:
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
    frame = members.with_columns(birth_from_facts()).join(households, on="household_pk")
    if rule is not None:
        frame = frame.filter(rule)
    reason = pl.concat_str([pl.col("reason"), *[pl.concat_str(pl.lit("; "), w) for w in words]], ignore_nulls=True)
    return frame.with_columns(reason.alias("reason"))


class Register:
    """What eligibility reads, each once for any number of policies: the decisions by `on`, the
    households' ids and areas, and (only if a member policy asks) the active members' facts. For a
    scope the reads select by commune; for chosen households, by id."""

    def __init__(self, on: dt.date, *, scope: Scope | None = None, household_pks: list[int] | None = None):
        self.on = on
        self._units = list(scope.commune_ids) if scope is not None else None
        self._pks = household_pks
        self._later: Register | None = None  # the register this one was cut from (`as_of`), whose reads it shares
        self.history = decided_history(scope, on, household_pks=household_pks)
        self._latest: tuple[pl.DataFrame, pl.DataFrame] | None = None  # `latest_of` and `_with_reasons`
        self._escaped: dict[int, pl.DataFrame] = {}  # by months
        self._households: dict[tuple[tuple[str, ...], int | None], pl.DataFrame] = {}  # by `_served`

    def _served_households(self, policy: Policy) -> pl.DataFrame:
        """The households served by the policy's categories, with their ids and areas: computed once
        for every policy asking the same (`_served`), from the latest statuses computed once."""
        key = _served(policy, self.on)
        if key not in self._households:
            if self._latest is None:
                latest = latest_of(self.history)
                self._latest = latest, _with_reasons(latest)
            served = _served_from(self.history, *self._latest, *key, self.on, self._escaped)
            self._households[key] = served.join(self.codes, on="household_pk")
        return self._households[key]

    @cached_property
    def codes(self) -> pl.DataFrame:
        if self._later is not None:
            return self._later.codes
        return household_codes(self._pks, unit_ids=self._units)

    @cached_property
    def members(self) -> pl.DataFrame:
        if self._later is not None:
            return self._later.members
        return member_facts(self._pks, unit_ids=self._units)

    def as_of(self, day: dt.date) -> Register:
        """The same households on an earlier `day` without reading again (a household's deliveries
        rechecked day by day): the decisions cut at `day`, as `decided_history` reads them for it
        (`valid_from` by then), the ids, areas and member facts shared (today's on any day)."""
        if day > self.on:
            raise ValueError("a register is cut at an earlier day, not a later one")
        earlier = object.__new__(Register)
        earlier.on, earlier._units, earlier._pks, earlier._later = day, self._units, self._pks, self
        earlier.history = self.history.filter(pl.col("valid_from") <= day)
        earlier._latest, earlier._households, earlier._escaped = None, {}, {}
        return earlier

    def eligible(self, policy: Policy) -> pl.DataFrame:
        """Who is eligible for `policy` on the register's date (columns `OUTPUT`)."""
        on = self.on
        households = self._served_households(policy)
        area = policy.condition("area", on)
        if area:
            households = households.filter(pl.col("area").is_in([area] if isinstance(area, str) else list(area)))
        if households.is_empty():  # nobody served (most households, policy by policy): the same empty answer,
            if policy.member_level:  # after the same reads (query counts do not depend on the answer)
                _ = self.members
            return pl.DataFrame(schema=SCHEMA)
        households = households.drop("area")
        if policy.member_level:
            rows = eligible_members(households, self.members, policy, on)
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
    return Register(on, scope=scope).eligible(policy)


def eligibility_all(scope: Scope, policies: list[Policy], on: dt.date) -> dict[str, pl.DataFrame]:
    """`eligibility` of several policies on one date, reading the register once (the coverage of a
    province, every policy)."""
    register = Register(on, scope=scope)
    return {policy.id: register.eligible(policy) for policy in policies}


def eligibility_of(household_pks: list[int], policy: Policy, on: dt.date) -> pl.DataFrame:
    """The same for chosen households (a benefit being recorded, a delivery list's rows)."""
    return Register(on, household_pks=household_pks).eligible(policy)
