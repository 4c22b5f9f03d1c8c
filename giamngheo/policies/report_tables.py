"""The policy reports of the report set (issue #16 item 6): results, coverage and loans, by unit and period.

Each is a function `ReportData -> Table` like the standard set's (`reports/tables.py`), added to
`reports.tables.REPORTS` when the app starts (`register`, called from `apps.PoliciesConfig.ready`;
`reports/` sits below `policies/` and may not import it), so `giamngheo report NAME`, the page
`/bao-cao/NAME/`, its Excel, PDF and CSV, the API's `/reports/table/NAME` and the background PDF all
answer them through the one scope (`reports.selectors.report_table`).

Rows: the scope's total, then each province, (district, before 1 July 2025,) and commune, each unit
followed by a row per policy ("item"); the total lists every policy of the catalogue, a unit only the
policies with something to count there. A household counts in the commune the report set counts it
in (docs/adr/0005, `ReportData.counted_in`). The ledger's benefits count when they stand: a reversed
benefit and its reversal never count (`findings.standing_benefits`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
from django.db import connection

from ..accounts.access import Scope
from ..core.bulk_read import read_frame, read_frames
from ..core.ethnicities import KINH
from ..core.words import Said
from ..reports.data import UNASSIGNED, ReportData
from ..reports.table import Col, Table
from ..reports.tables import ReportKind, _unit_notes
from . import findings
from .catalogue import Policy, catalogue
from .eligibility import Register

RESULTS, COVERAGE, LOANS = "chinh-sach-ket-qua", "chinh-sach-bao-phu", "chinh-sach-vay-von"
POLICY_COLS = [Col("code", "Mã", "Code", "text"), Col("name", "Đơn vị / chính sách", "Unit / policy", "text")]


def ledger_scope(data: ReportData) -> Scope:
    """The report's scope widened to the communes whose households may count in it (before 1 July
    2025 the households are registered in today's communes): the ledger and the register are read
    there, and `household_units` keeps only the households counted in the scope."""
    _, relevant = data._mapping
    return dataclasses.replace(data.scope, commune_ids=tuple(sorted(relevant)))


def household_units(data: ReportData, rows: pl.DataFrame | None = None) -> pl.DataFrame:
    """household_pk, commune_id (where the report set counts it) and ethnic_minority (the head's
    ethnicity) of the scope's active households: from the kept summary rows when every latest status
    lies within the period (one query, no member read), else from `ReportData.households`. `rows`:
    the result of `household_units_query`, when read with other queries."""
    if rows is None:
        sql, columns, large = household_units_query(data)
        rows = read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large)
    if rows.height and rows.get_column("later").sum():  # a past period: the status at its end decides
        return data.households.select("household_pk", "commune_id", "ethnic_minority")
    minority = pl.col("head_ethnicity").fill_null("").is_in(["", KINH]).not_()
    rows = rows.with_columns(pl.col("household_pk", "_from").cast(pl.Int64), minority.alias("ethnic_minority"))
    return data.counted_in(rows).select("household_pk", "commune_id", "ethnic_minority")


def household_units_query(data: ReportData) -> tuple[str, dict, bool]:
    _, relevant = data._mapping
    ids = ",".join(str(int(i)) for i in sorted(relevant)) or "NULL"
    sql = (
        "SELECT s.household_id, COALESCE(s.round_commune_id, s.unit_id), s.head_ethnicity, "
        f"CASE WHEN s.status_valid_from > '{data.period.end.isoformat()}' THEN 1 ELSE 0 END "
        f"FROM registry_householdsummary s WHERE s.is_active AND s.unit_id IN ({ids})"
    )
    columns = {"household_pk": pl.Int64, "_from": pl.Int64, "head_ethnicity": pl.String, "later": pl.Int64}
    return sql, columns, data.large


def _counted(frame: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """`frame` (with household_pk) with the commune each row counts in; rows counted elsewhere dropped."""
    return frame.join(units, on="household_pk", how="inner")


def _pct(part, whole) -> float | None:
    return round(part * 100.0 / whole, 2) if whole else None


def _unit_blocks(data: ReportData) -> list[tuple[str, object, str, list[int]]]:
    """(level, name, code, commune ids) of the total, each province, district and commune, in order;
    the households not assignable to a commune of the period (`UNASSIGNED`) last."""
    units = data.units
    every = units.get_column("commune_id").to_list()
    blocks: list[tuple[str, object, str, list[int]]] = [("total", Said("Tổng cộng", "Total"), "", [*every, UNASSIGNED])]
    for (p_code, p_name), province in units.group_by(["province_code", "province_name"], maintain_order=True):
        blocks.append(("province", p_name, p_code, province.get_column("commune_id").to_list()))
        for (d_code, d_name), district in province.group_by(["district_code", "district_name"], maintain_order=True):
            if d_code is not None:
                blocks.append(("district", d_name, d_code, district.get_column("commune_id").to_list()))
            for commune in district.iter_rows(named=True):
                blocks.append(("commune", commune["commune_name"], commune["commune_code"], [commune["commune_id"]]))
    blocks.append(
        (
            "unassigned",
            Said(
                "Chưa xác định được xã trước 01/07/2025 (xã mới hợp thành từ nhiều xã cũ)",
                "Commune before 01/07/2025 not known (a new commune formed from several old ones)",
            ),
            "",
            [UNASSIGNED],
        )
    )
    return blocks


def policy_rows(
    data: ReportData,
    policies: list[Policy],
    per_policy: pl.DataFrame,
    counts: list[str],
    rates: dict[str, tuple[str, str]],
    per_unit: pl.DataFrame | None = None,
) -> list[dict]:
    """Each unit's row, then its policies' rows: `per_policy` has commune_id, policy_id and the
    `counts` (summed over a unit's communes: every count is of rows or households, which lie in one
    commune); `per_unit` (commune_id and some of `counts`) fills the unit rows, else they stay empty.
    `rates` maps a key to (numerator, denominator) computed from the summed counts at every level."""
    by_commune: dict[tuple[int, str], dict] = {}
    for row in per_policy.iter_rows(named=True):
        by_commune[(row["commune_id"], row["policy_id"])] = row
    unit_counts = {r["commune_id"]: r for r in per_unit.iter_rows(named=True)} if per_unit is not None else {}
    unit_keys = [c for c in counts if per_unit is not None and c in per_unit.columns]

    def summed(found: list[dict], keys: list[str]) -> dict:
        out = {k: sum(r[k] or 0 for r in found) for k in keys}
        for key, (n, d) in rates.items():
            if n in out and d in out:
                out[key] = _pct(out[n], out[d])
        return out

    rows: list[dict] = []
    for level, name, code, communes in _unit_blocks(data):
        found_units = [unit_counts[c] for c in communes if c in unit_counts]
        if (
            level == "unassigned"
            and not found_units
            and not any((c, p.id) in by_commune for c in communes for p in policies)
        ):
            continue
        rows.append({"_level": level, "name": name, "code": code, **summed(found_units, unit_keys)})
        for policy in policies:
            found = [by_commune[(c, policy.id)] for c in communes if (c, policy.id) in by_commune]
            if not found and level != "total":
                continue
            rows.append(
                {
                    "_level": "item",
                    "name": Said(policy.name_vi, policy.name_en),
                    "code": policy.id,
                    **summed(found, counts),
                }
            )
    return rows


def _table(data: ReportData, name: str, title: tuple[str, str], cols: list[Col], rows: list[dict], notes) -> Table:
    return Table(
        name, *title, data.unit.name, data.period.label_vi, POLICY_COLS + cols, rows, [*_unit_notes(data)[:1], *notes]
    )


def _period(data: ReportData) -> tuple[dt.date, dt.date]:
    """The days of the period whose deliveries count: its start to its reference date (today, if running)."""
    return data.period.start, data.when


# -- policy results -------------------------------------------------------------------------------------------


def results(data: ReportData) -> Table:
    """Per policy: households and persons reached, times (ledger rows), quantity and amount of the standing
    benefits delivered in the period; households reached by their register category on the delivery day
    (`status_at_delivery`) and ethnic-minority households (the head's ethnicity) with their amount."""
    start, end = _period(data)
    policies = list(catalogue().values())
    units = household_units(data)
    got = _counted(
        findings.standing_benefits(
            ledger_scope(data), [p.id for p in policies], delivered_on__gte=start, delivered_on__lte=end
        ),
        units,
    )
    hh = pl.col("household_pk")
    status = pl.col("status_at_delivery").fill_null("")
    minority = pl.col("ethnic_minority")
    measures = {
        "households": hh.n_unique(),
        "persons": pl.col("member_pk").drop_nulls().n_unique(),
        "times": pl.len(),
        "amount": pl.col("amount_vnd").sum(),
        "poor": hh.filter(status == "poor").n_unique(),
        "near": hh.filter(status == "near_poor").n_unique(),
        "other": hh.filter(~status.is_in(["poor", "near_poor"])).n_unique(),
        "minority": hh.filter(minority).n_unique(),
        "minority_amount": pl.col("amount_vnd").filter(minority).sum(),
    }
    aggs = [e.cast(pl.Int64).alias(k) for k, e in measures.items()]
    per_policy = got.group_by("commune_id", "policy_id").agg(*aggs, pl.col("quantity").sum().alias("quantity"))
    per_unit = got.group_by("commune_id").agg(*aggs)
    counts = [
        "households",
        "persons",
        "times",
        "quantity",
        "amount",
        "poor",
        "near",
        "other",
        "minority",
        "minority_amount",
    ]
    rows = policy_rows(data, policies, per_policy, counts, {}, per_unit)
    by_cat = ("Số hộ được hỗ trợ theo tình trạng trên sổ ngày nhận", "Households reached by register status on the day")
    dtts = ("Hộ dân tộc thiểu số", "Ethnic-minority households")
    cols = [
        Col("households", "Số hộ được hỗ trợ", "Households reached"),
        Col("persons", "Số người được hỗ trợ", "Persons reached"),
        Col("times", "Số lượt", "Times"),
        Col("quantity", "Số lượng", "Quantity", "num"),
        Col("amount", "Số tiền (đồng)", "Amount (VND)"),
        Col("poor", "Hộ nghèo", "Poor", "int", *by_cat),
        Col("near", "Hộ cận nghèo", "Near-poor", "int", *by_cat),
        Col("other", "Hộ khác", "Other", "int", *by_cat),
        Col("minority", "Số hộ", "Households", "int", *dtts),
        Col("minority_amount", "Số tiền (đồng)", "Amount (VND)", "int", *dtts),
    ]
    notes = [
        Said(
            f"Hỗ trợ giao từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} còn hiệu lực trong sổ hỗ trợ (bút toán đã đảo và "
            "bút toán đảo không tính); số lượt là số dòng của sổ.",
            f"Benefits delivered {start.isoformat()}–{end.isoformat()} standing in the ledger (a reversed entry and "
            "its reversal do not count); times are the ledger's rows.",
        ),
        Said(
            "Số người: thành viên được ghi tên (chính sách cho thành viên); chính sách cho hộ chỉ đếm hộ. Số lượng "
            "theo đơn vị tính của từng chính sách (thẻ, khoản vay, m², ...), nên dòng đơn vị để trống.",
            "Persons: members named in the ledger (member-level policies); a household policy counts households only. "
            "Quantity is in each policy's own unit (cards, loans, m², ...), so unit rows leave it empty.",
        ),
        Said(
            "Tình trạng: theo sổ ngày nhận; một hộ nhận nhiều lần với tình trạng khác nhau được đếm ở mỗi nhóm. "
            "Hộ dân tộc thiểu số: chủ hộ không phải dân tộc Kinh.",
            "Status: as the register stood on the delivery day; a household reached under different statuses counts "
            "in each. Ethnic-minority households: the head is not Kinh.",
        ),
    ]
    if got.is_empty():
        notes.append(
            Said(
                "Không có hỗ trợ nào được ghi trong kỳ: mọi số liệu bằng 0.",
                "No benefit recorded in the period: every figure is 0.",
            )
        )
    title = ("Kết quả thực hiện chính sách hỗ trợ giảm nghèo", "Results of the poverty-reduction support policies")
    return _table(data, RESULTS, title, cols, rows, notes)


# -- coverage -------------------------------------------------------------------------------------------------


def coverage(data: ReportData) -> Table:
    """Per policy on the period's reference date: eligible (households, or members for member policies),
    reached (eligible with a standing benefit in the policy's period around that date, `findings.missing`),
    the gap and its %, wrong targets (`findings.wrong_target`, benefits delivered in the report's period) and
    overlaps (`findings.overlaps`, pairs whose later benefit falls in the period, counted for both policies)."""
    on = data.when
    start = data.period.start
    policies = list(catalogue().values())
    scope = ledger_scope(data)
    queries = [
        *Register.queries(on, scope=scope, with_members=any(p.member_level for p in policies)),
        findings.standing_query(scope, [p.id for p in policies], delivered_on__lte=on),
        household_units_query(data),
    ]
    *frames, ledger, homes = read_frames(  # one read (one child process on SQLite) for the whole report
        [(sql, columns) for sql, columns, _ in queries],
        committed_only_ok=not connection.in_atomic_block,
        large=any(large for _, _, large in queries),
    )
    register = Register.from_frames(on, frames, scope=scope)
    benefits = findings.standing_frame(ledger)
    units = household_units(data, homes)
    parts: list[pl.DataFrame] = []
    schema = {"household_pk": pl.Int64, "policy_id": pl.String, "what": pl.String}

    def add(frame: pl.DataFrame, policy_id: str, what: str) -> None:
        parts.append(
            frame.select(
                pl.col("household_pk").cast(pl.Int64), pl.lit(policy_id).alias("policy_id"), pl.lit(what).alias("what")
            )
        )

    for policy in policies:
        eligible = register.eligible(policy)
        gap = findings.missing(policy, on, eligible, benefits)
        add(eligible, policy.id, "eligible")
        add(gap.frame, policy.id, "gap")
        delivered = benefits.filter(
            pl.col("policy_id") == policy.id, pl.col("delivered_on") >= start, pl.col("delivered_on") <= on
        )

        def eligible_on(day: dt.date, _pks: list[int], p: Policy = policy) -> pl.DataFrame:
            return register.on_day(day).eligible(p)

        wrong = findings.wrong_of(policy, delivered, eligible_on)
        add(wrong, policy.id, "wrong")
    groups = findings.exclusivity_groups(on)
    pairs = findings.overlap_pairs(benefits.filter(pl.col("delivered_on") <= on), groups)
    pairs = pairs.filter(pl.col("second_on") >= start)
    for column in ("first_policy", "second_policy"):
        parts.append(
            pairs.select(
                pl.col("household_pk").cast(pl.Int64),
                pl.col(column).alias("policy_id"),
                pl.lit("overlap").alias("what"),
            )
        )
    unread = sorted(pid for members in groups.values() for pid, months in members.items() if months is None)
    every = pl.concat(parts) if parts else pl.DataFrame(schema=schema)
    counted = _counted(every, units)
    per_policy = (
        counted.group_by("commune_id", "policy_id")
        .agg(*[(pl.col("what") == w).sum().cast(pl.Int64).alias(w) for w in ("eligible", "gap", "wrong", "overlap")])
        .with_columns((pl.col("eligible") - pl.col("gap")).alias("reached"))
    )
    counts = ["eligible", "reached", "gap", "wrong", "overlap"]
    rows = policy_rows(
        data, policies, per_policy, counts, {"gap_rate": ("gap", "eligible"), "reached_rate": ("reached", "eligible")}
    )
    cols = [
        Col("eligible", "Đủ điều kiện", "Eligible"),
        Col("reached", "Đã nhận", "Reached"),
        Col("reached_rate", "Tỷ lệ đã nhận %", "Reached %", "pct"),
        Col("gap", "Chưa nhận", "Not reached"),
        Col("gap_rate", "Tỷ lệ chưa nhận %", "Gap %", "pct"),
        Col("wrong", "Hỗ trợ sai đối tượng", "Wrong-target benefits"),
        Col("overlap", "Trùng lặp", "Overlaps"),
    ]
    notes = [
        Said(
            f"Đủ điều kiện ngày {on:%d/%m/%Y} theo quyết định công nhận và thông tin thành viên (hộ, hoặc người với "
            "chính sách cho thành viên); đã nhận: có hỗ trợ còn hiệu lực trong kỳ của chính sách (năm, quý, tháng; "
            "một lần: mọi lần đến ngày đó).",
            f"Eligible on {on.isoformat()} by the recognition decisions and the members' facts (households, or persons "
            "for member-level policies); reached: a standing benefit in the policy's own period (year, quarter, month; "
            "once-only: any delivery up to that day).",
        ),
        Said(
            f"Sai đối tượng: hỗ trợ giao từ {start:%d/%m/%Y} đến {on:%d/%m/%Y} cho người không đủ điều kiện ngày "
            "nhận (theo sổ lúc ghi hoặc kiểm tra lại). Trùng lặp: hai chính sách cùng nhóm loại trừ trong thời hạn, "
            "lần sau trong kỳ, đếm ở cả hai chính sách. Bút toán đã đảo và bút toán đảo không tính.",
            f"Wrong target: benefits delivered {start.isoformat()}–{on.isoformat()} to someone not eligible that day "
            "(as recorded, or rechecked). Overlaps: two policies of one exclusivity group within its window, the later "
            "in the period, counted under both. Reversed entries and reversals do not count.",
        ),
        *(
            [
                Said(
                    f"Trùng lặp chưa kiểm tra (thời hạn chưa đọc): {', '.join(unread)}.",
                    f"Overlaps not checked (window not read): {', '.join(unread)}.",
                )
            ]
            if unread
            else []
        ),
    ]
    title = (
        "Độ bao phủ chính sách hỗ trợ: đủ điều kiện, đã nhận, chưa nhận",
        "Support policy coverage: eligible, reached, gaps",
    )
    return _table(data, COVERAGE, title, cols, rows, notes)


# -- loans ----------------------------------------------------------------------------------------------------


def _loans_frame(data: ReportData, policies: list[Policy], end: dt.date) -> pl.DataFrame:
    """The standing loan benefits delivered by `end` with their term (months), one row a loan."""
    scope = ledger_scope(data)
    benefits = findings.standing_benefits(scope, [p.id for p in policies], delivered_on__lte=end)
    ids = ",".join(str(int(i)) for i in benefits.get_column("benefit_pk").to_list()) or "NULL"
    terms = read_frame(
        f"SELECT l.benefit_id, l.id, l.term_months FROM policies_loan l WHERE l.benefit_id IN ({ids})",
        {"benefit_pk": pl.Int64, "loan_pk": pl.Int64, "term_months": pl.Int64},
        committed_only_ok=not connection.in_atomic_block,
        large=False,
    ).with_columns(pl.col("benefit_pk", "loan_pk", "term_months").cast(pl.Int64))
    return benefits.join(terms, on="benefit_pk", how="left")


def _checks(loans: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """The purpose checks of `loans` made in the period: loan_pk, checked_on, conforms."""
    ids = ",".join(str(int(i)) for i in loans.get_column("loan_pk").drop_nulls().to_list()) or "NULL"
    checks = read_frame(
        "SELECT c.loan_id, c.id, CAST(c.checked_on AS TEXT), CASE WHEN c.conforms THEN 1 ELSE 0 END "
        f"FROM policies_loancheck c WHERE c.loan_id IN ({ids}) "
        f"AND c.checked_on >= '{start.isoformat()}' AND c.checked_on <= '{end.isoformat()}'",
        {"loan_pk": pl.Int64, "check_pk": pl.Int64, "checked_on": pl.String, "conforms": pl.Int64},
        committed_only_ok=not connection.in_atomic_block,
        large=False,
    )
    return checks.with_columns(
        pl.col("loan_pk", "check_pk").cast(pl.Int64),
        pl.col("checked_on").str.slice(0, 10).str.to_date(),
        pl.col("conforms").cast(pl.Boolean),
    ).sort("loan_pk", "checked_on", "check_pk")


def loans(data: ReportData) -> Table:
    """Per loan programme: loans disbursed in the period (number, amount); loans within their term at the
    period's end (number, amount lent: the ledger records no repayment, so no outstanding balance); purpose
    checks made in the period, the loans checked and those whose latest check found a use not conforming."""
    start, end = _period(data)
    policies = [p for p in catalogue().values() if p.fact("unit") == "loan"]
    units = household_units(data)
    every = _counted(_loans_frame(data, policies, end), units)
    month_end = pl.col("delivered_on").dt.offset_by(pl.concat_str(pl.col("term_months").cast(pl.String), pl.lit("mo")))
    every = every.with_columns((pl.col("term_months").is_not_null() & (month_end > end)).alias("in_term"))
    checks = _checks(every, start, end).join(every.select("loan_pk", "commune_id", "policy_id"), on="loan_pk")
    latest = checks.group_by("loan_pk", maintain_order=True).agg(pl.all().last())
    new = pl.col("delivered_on") >= start
    lent = every.group_by("commune_id", "policy_id").agg(
        new.sum().cast(pl.Int64).alias("loans"),
        pl.col("amount_vnd").filter(new).sum().cast(pl.Int64).alias("amount"),
        pl.col("in_term").sum().cast(pl.Int64).alias("in_term"),
        pl.col("amount_vnd").filter(pl.col("in_term")).sum().cast(pl.Int64).alias("in_term_amount"),
    )
    checked = checks.group_by("commune_id", "policy_id").agg(pl.len().cast(pl.Int64).alias("checks"))
    latest_counts = latest.group_by("commune_id", "policy_id").agg(
        pl.len().cast(pl.Int64).alias("loans_checked"),
        (~pl.col("conforms")).sum().cast(pl.Int64).alias("not_conforming"),
    )
    keys = ["commune_id", "policy_id"]
    per_policy = (
        pl.concat([lent.select(keys), checked.select(keys), latest_counts.select(keys)])
        .unique()
        .join(lent, on=keys, how="left")
        .join(checked, on=keys, how="left")
        .join(latest_counts, on=keys, how="left")
        .fill_null(0)
    )
    counts = ["loans", "amount", "in_term", "in_term_amount", "checks", "loans_checked", "not_conforming"]
    per_unit = per_policy.group_by("commune_id").agg(pl.col(counts).sum())
    rows = policy_rows(
        data, policies, per_policy, counts, {"not_conforming_rate": ("not_conforming", "loans_checked")}, per_unit
    )
    g_new = ("Cho vay trong kỳ", "Lent in the period")
    g_term = (
        "Còn trong hạn vay cuối kỳ (số tiền đã vay, không phải dư nợ)",
        "Within term at the period's end (amount lent, not a balance)",
    )
    g_check = ("Kiểm tra sử dụng vốn vay trong kỳ", "Checks of the loans' use in the period")
    cols = [
        Col("loans", "Số khoản vay", "Loans", "int", *g_new),
        Col("amount", "Số tiền (đồng)", "Amount (VND)", "int", *g_new),
        Col("in_term", "Số khoản vay", "Loans", "int", *g_term),
        Col("in_term_amount", "Số tiền đã vay (đồng)", "Amount lent (VND)", "int", *g_term),
        Col("checks", "Số lần kiểm tra", "Checks", "int", *g_check),
        Col("loans_checked", "Khoản vay được kiểm tra", "Loans checked", "int", *g_check),
        Col("not_conforming", "Sử dụng sai mục đích", "Not as declared", "int", *g_check),
        Col("not_conforming_rate", "Tỷ lệ sai mục đích %", "Not as declared %", "pct", *g_check),
    ]
    notes = [
        Said(
            "Dư nợ: sổ hỗ trợ không ghi việc trả nợ, nên không tính được dư nợ. Cột 'còn trong hạn' đếm các khoản vay "
            f"chưa hết thời hạn vay ngày {end:%d/%m/%Y} và số tiền đã cho vay của chúng; dư nợ thực tế có thể thấp hơn.",
            "Outstanding balance: the ledger records no repayment, so no balance can be computed. The 'within term' "
            f"columns count the loans whose term has not ended on {end.isoformat()} and the amount lent on them; the "
            "actual balance may be lower.",
        ),
        Said(
            "Sai mục đích: khoản vay mà lần kiểm tra gần nhất trong kỳ ghi không đúng mục đích đã khai; tỷ lệ % so với "
            "số khoản vay được kiểm tra. Bút toán đã đảo và bút toán đảo không tính.",
            "Not as declared: loans whose latest check in the period found a use not conforming to the declared purpose; "
            "the % is of the loans checked. Reversed entries and reversals do not count.",
        ),
    ]
    title = ("Cho vay ưu đãi của Ngân hàng Chính sách xã hội", "Preferential loans of the Bank for Social Policies")
    return _table(data, LOANS, title, cols, rows, notes)


KINDS: tuple[ReportKind, ...] = (
    ReportKind(
        RESULTS,
        "Kết quả thực hiện chính sách hỗ trợ",
        "Support policy results",
        results,
    ),
    ReportKind(
        COVERAGE,
        "Độ bao phủ chính sách hỗ trợ",
        "Support policy coverage",
        coverage,
    ),
    ReportKind(
        LOANS,
        "Cho vay ưu đãi",
        "Preferential loans",
        loans,
    ),
)


def coverage_tiles(actor, code: str, period_text: str) -> list[dict]:
    """The dashboard's coverage tiles: per policy with anyone eligible in the unit, its name in the reader's
    language, eligible, reached and the gap %, from the coverage report's total (the same numbers, the same
    scope and refusals; a fixed number of queries however many communes or households)."""
    from ..core.words import pick
    from ..reports.selectors import report_table

    table = report_table(actor, COVERAGE, code, period_text, with_chart=False)
    tiles = []
    for row in table.rows[1:]:  # the total's policy rows, up to the first unit
        if row["_level"] != "item":
            break
        if row["eligible"] or row["reached"] or row["wrong"]:
            name = row["name"]
            tiles.append(
                {
                    "policy_id": row["code"],
                    "name": pick(str(name), getattr(name, "en", "") or str(name)),
                    "eligible": row["eligible"],
                    "reached": row["reached"],
                    "gap_rate": row["gap_rate"],
                    "wrong": row["wrong"],
                }
            )
    return tiles


def register(reports: dict[str, ReportKind] | None = None) -> None:
    """Add the policy reports to the report set (`reports.tables.REPORTS`), once."""
    from ..reports.tables import REPORTS

    target = REPORTS if reports is None else reports
    for kind in KINDS:
        target.setdefault(kind.name, kind)


__all__: list[str] = [
    "COVERAGE",
    "KINDS",
    "coverage_tiles",
    "LOANS",
    "RESULTS",
    "coverage",
    "loans",
    "register",
    "results",
]
