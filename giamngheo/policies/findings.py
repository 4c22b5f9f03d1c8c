"""What the ledger and eligibility reveal together (issue #16 item 5), read only: the eligible who got
nothing (`gaps`), the benefits that went to someone not eligible (`wrong_target`), and households
given two policies of one exclusivity group within its window (`overlaps`).

A reversed benefit and its reversal never count (the pair nets to nothing). Each answer is a frame
(household_id, member_id, national_id, category, reason in Vietnamese, and what else the list needs)
with a note (`Said`, Vietnamese with its English) saying how the period or window was read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ..accounts.access import Scope
from ..core.words import Said
from .catalogue import Policy, catalogue
from .eligibility import Register, eligibility, eligibility_of

# A policy's periodicity (YAML `periodicity`) → the calendar period around a date. "once" is the
# household's (member's) whole history up to the date; any other value (project, on_request, not
# read) has no period and the calendar year is used, said in the note.
PERIODS = {"yearly": "năm", "quarterly": "quý", "monthly": "tháng", "once": "một lần"}
WORDS = {"poor": "hộ nghèo", "near_poor": "hộ cận nghèo", "average": "hộ có mức sống trung bình", "other": "hộ khác"}
GAP_COLUMNS = ["household_id", "member_id", "national_id", "category", "reason"]
WRONG_COLUMNS = [
    "household_id",
    "member_id",
    "national_id",
    "category",
    "policy_id",
    "delivered_on",
    "amount_vnd",
    "evidence",
    "eligible_recorded",
    "eligible_rechecked",
    "reason",
]
OVERLAP_COLUMNS = [
    "household_id",
    "member_id",
    "national_id",
    "category",
    "group",
    "first_policy",
    "first_on",
    "second_policy",
    "second_on",
    "reason",
]


@dataclass(frozen=True)
class Finding:
    """A list and the note that says how it was read (the period, the window, what was not checked)."""

    frame: pl.DataFrame
    note: Said


def _day(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, the day clipped to the month's end (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def period_of(policy: Policy, on: dt.date) -> tuple[dt.date | None, dt.date, Said]:
    """(start, end, note) of the policy's period around `on`: the calendar year, quarter or month of
    `on`; for "once", everything up to `on` (start None); otherwise the calendar year, said so."""
    kind = policy.fact("periodicity", on)
    if kind == "yearly":
        start, end = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    elif kind == "quarterly":
        first = (on.month - 1) // 3 * 3 + 1
        start, end = dt.date(on.year, first, 1), _add_months(dt.date(on.year, first, 1), 3) - dt.timedelta(days=1)
    elif kind == "monthly":
        start = dt.date(on.year, on.month, 1)
        end = _add_months(start, 1) - dt.timedelta(days=1)
    elif kind == "once":
        return (
            None,
            on,
            Said(
                f"Chính sách một lần: tính mọi lần nhận đến ngày {_day(on)}",
                f"A once-only policy: every delivery up to {on.isoformat()} counts",
            ),
        )
    else:
        start, end = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
        return (
            start,
            end,
            Said(
                f"Chính sách không có kỳ xác định (chu kỳ: {kind or 'chưa đọc'}): "
                f"dùng năm dương lịch {_day(start)}–{_day(end)}",
                f"The policy defines no period (periodicity: {kind or 'not read'}): "
                f"the calendar year {start.isoformat()}–{end.isoformat()} is used",
            ),
        )
    word = PERIODS[str(kind)]
    return (
        start,
        end,
        Said(
            f"Kỳ của chính sách ({word}): {_day(start)}–{_day(end)}",
            f"The policy's period ({kind}): {start.isoformat()}–{end.isoformat()}",
        ),
    )


SQL_SCHEMA = {
    "benefit_pk": pl.Int64,
    "household_pk": pl.Int64,
    "household_id": pl.String,
    "member_pk": pl.Int64,
    "member_id": pl.String,
    "national_id": pl.String,
    "policy_id": pl.String,
    "delivered_on": pl.String,
    "covers_from": pl.String,
    "covers_to": pl.String,
    "quantity": pl.Float64,
    "amount_vnd": pl.Int64,
    "evidence": pl.String,
    "status_at_delivery": pl.String,
    "eligible_at_delivery": pl.Int64,
    "eligibility_reason": pl.String,
}
FILTERS = {"delivered_on__gte": "b.delivered_on >= '{}'", "delivered_on__lte": "b.delivered_on <= '{}'"}


def _quoted(policy_ids) -> str:
    """Policy ids as SQL literals; an id is a catalogue file's name (letters, digits, hyphens) or refused."""
    for pid in policy_ids:
        if not re.fullmatch(r"[a-z0-9-]{1,40}", str(pid)):
            raise ValueError(f"not a policy id: {str(pid)[:40]!r}")
    return ",".join(f"'{pid}'" for pid in policy_ids) or "NULL"


def standing_benefits(scope: Scope, policy_ids: list[str], **filters: dt.date) -> pl.DataFrame:
    """The benefits of `policy_ids` to households of the scope's communes that stand: neither a
    reversal nor reversed. `covers_from`/`covers_to` are the period a benefit covers (its own
    period when recorded, else its delivery date). `filters`: `delivered_on__gte`, `delivered_on__lte`.

    One bulk read (Arrow when it can), not the ORM: a province's card list is 300,000 rows."""
    from django.db import connection

    from ..core.bulk_read import read_frame

    sql, columns, large = standing_query(scope, policy_ids, **filters)
    return standing_frame(read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large))


def standing_query(scope: Scope, policy_ids: list[str], **filters: dt.date) -> tuple[str, dict, bool]:
    """(SQL, columns, large) of `standing_benefits`, for a reader that reads it with others; then `standing_frame`."""
    where = [
        f"h.unit_id IN ({','.join(str(int(i)) for i in scope.commune_ids) or 'NULL'})",
        f"b.policy_id IN ({_quoted(policy_ids)})",
        "b.reverses_id IS NULL",
        "NOT EXISTS (SELECT 1 FROM policies_benefit r WHERE r.reverses_id = b.id)",
        *(FILTERS[name].format(day.isoformat()) for name, day in filters.items()),
    ]
    sql = (
        "SELECT b.id, b.household_id, h.household_id, b.member_id, m.member_id, m.national_id, b.policy_id, "
        "CAST(b.delivered_on AS TEXT), CAST(b.period_start AS TEXT), CAST(b.period_end AS TEXT), "
        "CAST(b.quantity AS DOUBLE PRECISION), b.amount_vnd, b.evidence, b.status_at_delivery, "
        "CASE WHEN b.eligible_at_delivery THEN 1 ELSE 0 END, b.eligibility_reason "
        "FROM policies_benefit b JOIN registry_household h ON h.id = b.household_id "
        f"LEFT JOIN registry_member m ON m.id = b.member_id WHERE {' AND '.join(where)}"
    )
    return sql, SQL_SCHEMA, len(scope.commune_ids) > 20


def standing_frame(frame: pl.DataFrame) -> pl.DataFrame:
    day = [pl.col(c).str.slice(0, 10).str.to_date() for c in ("delivered_on", "covers_from", "covers_to")]
    frame = frame.with_columns(
        *day, pl.col("eligible_at_delivery").cast(pl.Boolean), pl.col("amount_vnd", "benefit_pk").cast(pl.Int64)
    ).sort("household_pk", "delivered_on", "benefit_pk")
    return frame.with_columns(
        pl.coalesce("covers_from", "delivered_on").alias("covers_from"),
        pl.coalesce("covers_to", "covers_from", "delivered_on").alias("covers_to"),
    )


BENEFIT_SCHEMA = {
    "benefit_pk": pl.Int64,
    "household_pk": pl.Int64,
    "household_id": pl.String,
    "member_pk": pl.Int64,
    "member_id": pl.String,
    "national_id": pl.String,
    "policy_id": pl.String,
    "delivered_on": pl.Date,
    "covers_from": pl.Date,
    "covers_to": pl.Date,
    "amount_vnd": pl.Int64,
    "evidence": pl.String,
    "status_at_delivery": pl.String,
    "eligible_at_delivery": pl.Boolean,
    "eligibility_reason": pl.String,
}


def household_benefits(household_pk: int, policy_ids: list[str], **filters) -> pl.DataFrame:
    """`standing_benefits` of one household (its page's flags), in one query."""
    return _standing(policy_ids, household_id=household_pk, **filters)


def _standing(policy_ids: list[str], **filters) -> pl.DataFrame:
    from .models import Benefit

    rows = (
        Benefit.objects.filter(
            policy_id__in=policy_ids,
            reverses__isnull=True,
            reversed_by__isnull=True,
            **filters,
        )
        .order_by("household_id", "delivered_on", "pk")
        .values_list(
            "pk",
            "household_id",
            "household__household_id",
            "member_id",
            "member__member_id",
            "member__national_id",
            "policy_id",
            "delivered_on",
            "period_start",
            "period_end",
            "amount_vnd",
            "evidence",
            "status_at_delivery",
            "eligible_at_delivery",
            "eligibility_reason",
        )
    )
    frame = pl.DataFrame(list(rows), schema=BENEFIT_SCHEMA, orient="row")
    return frame.with_columns(
        pl.coalesce("covers_from", "delivered_on").alias("covers_from"),
        pl.coalesce("covers_to", "covers_from", "delivered_on").alias("covers_to"),
    )


def gaps(scope: Scope, policy: Policy, on: dt.date) -> Finding:
    """The households (members) eligible for `policy` on `on` with no standing benefit of it that
    covers any day of the policy's period around `on` (`period_of`)."""
    return missing(policy, on, eligibility(scope, policy, on), standing_benefits(scope, [policy.id]))


def missing(policy: Policy, on: dt.date, eligible: pl.DataFrame, benefits: pl.DataFrame) -> Finding:
    """`gaps` from what it reads: the `eligible` rows (of `eligibility`) with no row of `benefits`
    (`standing_benefits`, any policies) of `policy` covering a day of its period around `on`."""
    start, end, note = period_of(policy, on)
    got = benefits.filter(
        pl.col("policy_id") == policy.id, pl.col("covers_to") >= (start or dt.date.min), pl.col("covers_from") <= end
    )
    keys = ["household_pk", "member_pk"] if policy.member_level else ["household_pk"]
    absent = eligible.join(got.select(keys).unique(), on=keys, how="anti", nulls_equal=True)
    when = f"đến ngày {_day(end)}" if start is None else f"trong kỳ {_day(start)}–{_day(end)}"
    frame = absent.with_columns(
        pl.concat_str(pl.col("reason"), pl.lit(f"; chưa nhận {policy.name_vi} {when}")).alias("reason")
    )
    return Finding(frame, note)


def wrong_target(scope: Scope, policy: Policy, start: dt.date | None, end: dt.date) -> Finding:
    """The standing benefits of `policy` delivered from `start` to `end` to a household (member) not
    eligible on the delivery date, by either reading: the eligibility the ledger kept when the
    benefit was recorded (`eligible_recorded`), or eligibility recomputed now for that date from the
    register's decisions (`eligible_rechecked`; a decision recorded later may change it). `start`
    None: every delivery up to `end`."""
    since = {} if start is None else {"delivered_on__gte": start}
    rows = standing_benefits(scope, [policy.id], delivered_on__lte=end, **since)
    frame = wrong_of(policy, rows, _rechecker(rows, policy))
    vi_when = f"đến {_day(end)}" if start is None else f"từ {_day(start)} đến {_day(end)}"
    en_when = f"up to {end.isoformat()}" if start is None else f"{start.isoformat()}–{end.isoformat()}"
    note = Said(
        f"Hỗ trợ giao {vi_when}; đối chiếu điều kiện lưu trong sổ lúc ghi "
        "và kiểm tra lại theo quyết định hiện có cho ngày giao",
        f"Benefits delivered {en_when}; checked against the eligibility the "
        "ledger kept when recorded and rechecked from the decisions recorded now, on the delivery date",
    )
    return Finding(frame, note)


def _rechecker(rows: pl.DataFrame, policy: Policy) -> Callable[[dt.date, list[int]], pl.DataFrame]:
    """Eligibility of the delivered households on each delivery day, read once for all the days:
    one register of the households at the last delivery, cut at each day (`Register.as_of`), so a
    list costs the same reads whatever the number of delivery days."""
    if rows.is_empty():
        return lambda day, pks: eligibility_of(pks, policy, day)
    last: dt.date = max(rows.get_column("delivered_on").to_list())
    register = Register(last, household_pks=rows.get_column("household_pk").unique().to_list())

    def eligible_on(day: dt.date, _pks: list[int]) -> pl.DataFrame:
        return register.as_of(day).eligible(policy)

    return eligible_on


def wrong_of(
    policy: Policy, rows: pl.DataFrame, eligible_on: Callable[[dt.date, list[int]], pl.DataFrame]
) -> pl.DataFrame:
    """`wrong_target`'s rows from what it reads: the `standing_benefits` `rows` of `policy`, and
    `eligible_on(day, household_pks)`, the eligibility of those households on a delivery day."""
    keys = ["household_pk", "member_pk"] if policy.member_level else ["household_pk"]
    rechecked: list[pl.DataFrame] = []
    for day in rows.get_column("delivered_on").unique().sort().to_list():
        pks = rows.filter(pl.col("delivered_on") == day).get_column("household_pk").unique().to_list()
        rechecked.append(
            eligible_on(day, pks)
            .select(*keys, pl.col("reason").alias("recheck_reason"))
            .with_columns(pl.lit(day, pl.Date).alias("delivered_on"))
            .unique(keys)
        )
    schema = {"household_pk": pl.Int64, "member_pk": pl.Int64, "recheck_reason": pl.String, "delivered_on": pl.Date}
    again = (
        pl.concat(rechecked)
        if rechecked
        else pl.DataFrame(schema=schema).select(*keys, "recheck_reason", "delivered_on")
    )
    joined = rows.join(again, on=[*keys, "delivered_on"], how="left", nulls_equal=True).with_columns(
        pl.col("eligible_at_delivery").alias("eligible_recorded"),
        pl.col("recheck_reason").is_not_null().alias("eligible_rechecked"),
    )
    wrong = joined.filter(~pl.col("eligible_recorded") | ~pl.col("eligible_rechecked"))
    status = pl.col("status_at_delivery").replace_strict(WORDS, default=pl.col("status_at_delivery"))
    status_words = (
        pl.when(pl.col("status_at_delivery").fill_null("") == "")
        .then(pl.lit("chưa có trong danh sách"))
        .otherwise(status)
    )
    on_day = pl.col("delivered_on").dt.strftime("%d/%m/%Y")
    reason = (
        pl.when(~pl.col("eligible_recorded") & ~pl.col("eligible_rechecked"))
        .then(pl.concat_str(pl.lit("không đủ điều kiện ngày "), on_day, pl.lit(" theo sổ khi ghi và khi kiểm tra lại")))
        .when(~pl.col("eligible_recorded"))
        .then(
            pl.concat_str(
                pl.lit("không đủ điều kiện ngày "),
                on_day,
                pl.lit(" theo sổ khi ghi; kiểm tra lại nay đủ: "),
                pl.col("recheck_reason"),
            )
        )
        .otherwise(
            pl.concat_str(
                pl.lit("sổ ghi đủ điều kiện ("),
                pl.col("eligibility_reason"),
                pl.lit("); kiểm tra lại theo quyết định hiện có: không đủ điều kiện ngày "),
                on_day,
            )
        )
    )
    return wrong.with_columns(
        pl.concat_str(pl.lit("lúc nhận: "), status_words, pl.lit("; "), reason).alias("reason"),
        pl.col("status_at_delivery").alias("category"),
    )


def exclusivity_groups(on: dt.date) -> dict[str, dict[str, int | None]]:
    """group → {policy id: window in months on `on` (None: not read)} of the catalogue's groups."""
    groups: dict[str, dict[str, int | None]] = {}
    for pid, policy in catalogue().items():
        group = policy.exclusivity.get("group")
        name = group.at(on) if group is not None else None
        if not name:
            continue
        window = policy.exclusivity.get("window_months")
        months = window.at(on) if window is not None else None
        groups.setdefault(str(name), {})[pid] = None if months is None else int(months)
    return groups


def overlaps(scope: Scope, on: dt.date, groups: dict[str, dict[str, int | None]] | None = None) -> Finding:
    """Households with standing benefits of two different policies of one exclusivity group, both
    delivered by `on`, the later within the window of the earlier's policy (its `window_months`).
    A policy whose window is not read is not checked (named in the note). `groups` defaults to
    the catalogue's (`exclusivity_groups`)."""
    groups = exclusivity_groups(on) if groups is None else groups
    unread = sorted(pid for members in groups.values() for pid, months in members.items() if months is None)
    window = {pid: months for members in groups.values() for pid, months in members.items() if months is not None}
    frame = overlap_pairs(standing_benefits(scope, sorted(window), delivered_on__lte=on), groups)
    vi = f"Hỗ trợ giao đến ngày {_day(on)}; hai chính sách khác nhau cùng nhóm, lần sau trong thời hạn của lần trước"
    en = f"Benefits delivered up to {on.isoformat()}; two different policies of one group, the later within the earlier's window"
    if unread:
        vi += f"; chưa kiểm tra (thời hạn chưa đọc): {', '.join(unread)}"
        en += f"; not checked (window not read): {', '.join(unread)}"
    return Finding(frame, Said(vi, en))


def overlap_pairs(benefits: pl.DataFrame, groups: dict[str, dict[str, int | None]]) -> pl.DataFrame:
    """`overlaps`' rows from what it reads: pairs among `benefits` (`standing_benefits` of the
    policies of `groups` whose window is read)."""
    window = {pid: months for members in groups.values() for pid, months in members.items() if months is not None}
    group_of = {pid: name for name, members in groups.items() for pid in members}
    rows = benefits.filter(pl.col("policy_id").is_in(sorted(window))).with_columns(
        pl.col("policy_id").replace_strict(group_of).alias("group")
    )
    first = rows.select(
        "household_pk",
        "group",
        pl.col("benefit_pk").alias("first_pk"),
        pl.col("policy_id").alias("first_policy"),
        pl.col("delivered_on").alias("first_on"),
        pl.col("policy_id").replace_strict(window, return_dtype=pl.Int64).alias("months"),
    )
    pairs = (
        rows.join(first, on=["household_pk", "group"])
        .filter(
            pl.col("first_policy") != pl.col("policy_id"),
            (pl.col("first_on") < pl.col("delivered_on"))
            | ((pl.col("first_on") == pl.col("delivered_on")) & (pl.col("first_pk") < pl.col("benefit_pk"))),
        )
        .filter(pl.col("delivered_on") < pl.col("first_on").dt.offset_by(pl.concat_str(pl.col("months"), pl.lit("mo"))))
        .rename({"policy_id": "second_policy", "delivered_on": "second_on"})
    )
    return pairs.with_columns(
        pl.col("status_at_delivery").alias("category"),
        pl.concat_str(
            pl.lit("nhận "),
            pl.col("first_policy"),
            pl.lit(" ngày "),
            pl.col("first_on").dt.strftime("%d/%m/%Y"),
            pl.lit(" và "),
            pl.col("second_policy"),
            pl.lit(" ngày "),
            pl.col("second_on").dt.strftime("%d/%m/%Y"),
            pl.lit(", cùng nhóm "),
            pl.col("group"),
            pl.lit(" trong "),
            pl.col("months").cast(pl.String),
            pl.lit(" tháng"),
        ).alias("reason"),
    ).sort("household_id", "first_on", "second_on")
