"""An agency's delivery list into the benefit ledger: `giamngheo benefits import --policy ID FILE`.

The social insurance card list, the bank's loan list, a school's exemption list, the electricity
payment list: CSV or XLSX read by the same reader as the registry import (`standards.reading`,
with the exchange's upload limits), Vietnamese headers accepted. Each row is matched to a household
or member by `household_id`, `member_id` or `national_id` (the last two for member policies);
everything is checked first and every problem is named by row and column in Vietnamese and
English; then all rows are written in one transaction, or none. A row already in the ledger (same
policy, beneficiary, date and evidence, same quantity and amount) is skipped: re-importing the
same file changes nothing. A reversed row does not stand in the way: the same row imported again is
the corrected delivery, written under the list key with "#2" (then "#3", ...), since the key is unique
(`models.Benefit`) and the reversed original keeps its own. Two imports of one policy at once take
turns (`_take_turn`), so the second finds the first's rows and skips them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.db import IntegrityError, connection, transaction

from ..accounts.access import ALL, can_import_deliveries, policy_unit_ids, require_import_deliveries
from ..core import clock
from ..core.audit import audit
from ..core.errors import ServiceError
from ..exchange.limits import import_limits
from ..geo.models import AdminUnit, UnitLevel
from ..geo.selectors import communes_under
from ..registry.bulk import insert_rows
from ..registry.models import Household, Member
from ..review.statuses import latest_of
from ..standards.contract import DATE, DECIMAL, INT, TEXT, Column
from ..standards.problems import InputError, Problem, distinct
from ..standards.reading import ROW, coerce, read_table
from .catalogue import Policy, PolicyError, load_policy
from .eligibility import Register
from .ledger_checks import check_amount, check_delivery_date, check_loan_terms, check_quantity
from .models import Benefit, Loan
from .services import LoanTerms, benefit_defaults

BATCH = 2000
CHUNK = 10_000

COLUMNS: tuple[Column, ...] = (
    Column("household_id", TEXT, False, "Mã hộ", max_length=40),
    Column("member_id", TEXT, False, "Mã thành viên", max_length=40),
    Column("national_id", TEXT, False, "Số định danh cá nhân (CCCD)", max_length=12),
    Column("date", DATE, True, "Ngày"),
    Column("quantity", DECIMAL, False, "Số lượng"),
    Column("amount_vnd", INT, False, "Số tiền (đồng)"),
    Column("evidence", TEXT, False, "Số chứng từ", max_length=80),
    Column("term_months", INT, False, "Thời hạn vay (tháng)"),
    Column("interest_percent_year", DECIMAL, False, "Lãi suất (%/năm)"),
    Column("declared_purpose", TEXT, False, "Mục đích vay", max_length=255),
)
# Vietnamese headers (the registry's labels "Mã hộ", "Mã thành viên", "Số định danh cá nhân (CCCD)"
# are read by `read_table` itself).
HEADERS = {
    **{c.label_vi.lower(): c.name for c in COLUMNS},
    "ngày nhận": "date",
    "ngày (dd/mm/yyyy)": "date",
    "số tiền": "amount_vnd",
    "chứng từ": "evidence",
    "số cccd": "national_id",
    "cccd": "national_id",
    "thời hạn (tháng)": "term_months",
    "lãi suất": "interest_percent_year",
    "số tiền (vnđ)": "amount_vnd",
    "số tiền (vnd)": "amount_vnd",
    "số tiền (đ)": "amount_vnd",
    "amount": "amount_vnd",
    # English names, any case ("Amount_VND"), are the columns' own names
    **{c.name: c.name for c in COLUMNS},
}
KEYS = ("household_id", "member_id", "national_id")


@dataclass(frozen=True)
class DeliveryResult:
    created: int
    skipped: int  # already in the ledger

    def summary(self) -> str:
        return f"{self.created} dòng mới, {self.skipped} đã có / {self.created} new, {self.skipped} already recorded"


@dataclass(slots=True)
class _Household:
    """What the import needs of a household: read as plain values, not ORM instances (300,000 of them)."""

    pk: int
    household_id: str
    unit_id: int


@dataclass(slots=True)
class _Member:
    pk: int
    member_id: str
    national_id: str
    household_id: int  # the household's pk, as on the model
    household: _Household


@dataclass
class _Row:
    row: int
    household: _Household
    member: _Member | None
    date: dt.date
    quantity: Decimal
    amount_vnd: int
    evidence: str
    loan: LoanTerms | None
    key: str


def _chunked(queryset, field: str, values) -> list:
    """`queryset` rows whose `field` is one of `values`, asked in chunks (SQLite takes at most 32,766
    parameters in one query; a 300,000-row list names as many ids)."""
    values = list(values)
    return [
        row
        for start in range(0, len(values), CHUNK)
        for row in queryset.filter(**{f"{field}__in": values[start : start + CHUNK]})
    ]


def _read(path: Path, label: str, policy: Policy) -> tuple[pl.DataFrame, list[Problem]]:
    """The file's columns by their contract names. A header not known, two headers for one column, a
    column the rows need and the file lacks: each said once, by name (an unknown "Số tiền (VNĐ)" was
    dropped and its rows recorded as 0 đ)."""
    frame = read_table(path, None, import_limits())  # it refuses a header twice, or "Mã hộ" with household_id
    names = {c: HEADERS.get(c.strip().lower()) for c in frame.columns if c != ROW}
    problems = [
        Problem(
            label,
            None,
            c,
            f"không biết cột '{c}' (các cột: {', '.join(k.name for k in COLUMNS)})",
            f"unknown column '{c}' (columns: {', '.join(k.name for k in COLUMNS)})",
        )
        for c, name in names.items()
        if name is None
    ]
    by_name: dict[str, list[str]] = {}
    for c, name in names.items():
        if name is not None:
            by_name.setdefault(name, []).append(c)
    problems += [
        Problem(
            label,
            None,
            name,
            f"hai cột cùng là '{name}': {', '.join(repr(h) for h in headers)}",
            f"two headers for '{name}': {', '.join(repr(h) for h in headers)}",
        )
        for name, headers in by_name.items()
        if len(headers) > 1
    ]
    needed = ["date"] + (["term_months", "interest_percent_year", "declared_purpose"] if _is_loan(policy) else [])
    problems += [
        Problem(label, None, name, "thiếu cột bắt buộc", "a required column is missing")
        for name in needed
        if name not in by_name
    ]
    if not set(KEYS) & set(by_name):
        problems.append(
            Problem(
                label,
                None,
                "household_id",
                "cần cột household_id, member_id hoặc national_id",
                "a household_id, member_id or national_id column is needed",
            )
        )
    if problems:
        raise InputError(problems)
    frame = frame.rename({c: name for c, name in names.items() if name is not None and c != name})
    for name in {c.name for c in COLUMNS} - set(frame.columns):
        frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
    return coerce(frame, COLUMNS, label)


def _is_loan(policy: Policy) -> bool:
    return policy.fact("unit") == "loan"


def _problem(label: str, row: int, column: str | None, vi: str, en: str) -> Problem:
    return Problem(label, row, column, vi, en)


def deliveries_import(
    *, actor, policy_id: str, path: Path, unit: AdminUnit | None = None, label: str = ""
) -> DeliveryResult:
    """Check every row of `path`, then record them all as benefits of `policy_id`, or none. With `unit`
    (the page's, or `--unit`), the actor must be allowed the whole unit
    (`accounts.access.require_import_deliveries`) and a row of a household outside it is a problem."""
    path = Path(path)
    label = label or str(path)  # the page gives the name the user chose, not its temporary file
    try:
        policy = load_policy(policy_id)
    except PolicyError:
        raise InputError(
            [Problem(label, None, None, f"không có chính sách '{policy_id}'", f"no policy '{policy_id}'")]
        ) from None
    if unit is not None:
        require_import_deliveries(actor, unit, policy.id)
    if not path.is_file():
        raise InputError([Problem(label, None, None, "không tìm thấy tệp", "file not found")])
    frame, problems = _read(path, label, policy)
    rows = _matched(actor, policy, frame, label, problems, unit)
    problems = distinct(problems)
    if problems:
        raise InputError(problems)
    try:
        return _write(actor, policy, rows, label, unit)
    except IntegrityError:  # a key written meanwhile by a submission outside the turns (`_take_turn`)
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    "một số dòng vừa được ghi bởi một lần nhập khác: nhập lại tệp",
                    "some rows were just recorded by another import: import the file again",
                )
            ]
        ) from None


def _in_reach(actor, policy: Policy, unit: AdminUnit | None):
    """Active households and members the actor reads for `policy` (within `unit`, if given): the communes
    they read, and an agency officer's units for it (`accounts.access.policy_unit_ids`); who may write is
    checked row by row."""
    ids = policy_unit_ids(actor, policy.id)
    if unit is not None:
        under = (
            {unit.pk}
            if unit.level == UnitLevel.COMMUNE
            else set(communes_under(unit, clock.today()).values_list("pk", flat=True))
        )
        ids = under if ids is ALL else ids & under
    households = Household.objects.filter(is_active=True)
    members = Member.objects.filter(is_active=True)
    if ids is not ALL:
        households, members = households.filter(unit_id__in=ids), members.filter(household__unit_id__in=ids)
    return households, members


def _matched(
    actor, policy: Policy, frame: pl.DataFrame, label: str, problems: list[Problem], unit: AdminUnit | None = None
) -> list[_Row]:
    records = frame.to_dicts()
    wanted = {k: {r[k] for r in records if r[k]} for k in KEYS}
    reach, reach_members = _in_reach(actor, policy, unit)
    households = {
        hid: _Household(pk, hid, unit_id)
        for pk, hid, unit_id in _chunked(
            reach.values_list("pk", "household_id", "unit_id"), "household_id", wanted["household_id"]
        )
    }
    members = reach_members.values_list(
        "pk", "member_id", "national_id", "household_id", "household__household_id", "household__unit_id"
    )

    def member_of(row) -> _Member:
        pk, mid, nid, hh_pk, hid, unit_id = row
        return _Member(pk, mid, nid or "", hh_pk, _Household(hh_pk, hid, unit_id))

    by_member_id = {row[1]: member_of(row) for row in _chunked(members, "member_id", wanted["member_id"])}
    by_national: dict[str, list] = {}
    for row in _chunked(members, "national_id", wanted["national_id"]):
        by_national.setdefault(row[2] or "", []).append(member_of(row))
    may_record: dict[int, bool] = {}  # by commune: one access check a commune, not one a row
    is_loan = _is_loan(policy)
    out: list[_Row] = []
    seen: dict[str, int] = {}

    def checked(row: int, column: str, check, *args, **kwargs):
        """`check(...)`, one of `ledger_checks` (the service's own), its refusal as this row's problem."""
        try:
            return check(*args, **kwargs)
        except ServiceError as exc:
            problems.append(_problem(label, row, column, exc.message_vi, exc.message_en))
            return None

    for r in records:
        row = r[ROW]
        before = len(problems)
        household, member = _beneficiary(policy, r, households, by_member_id, by_national, label, problems)
        if household is not None and household.unit_id not in may_record:  # one check a commune, not a row
            may_record[household.unit_id] = can_import_deliveries(actor, household.unit_id, policy.id)
        if household is not None and not may_record[household.unit_id]:
            problems.append(
                _problem(
                    label,
                    row,
                    "household_id",
                    "không được ghi hỗ trợ cho hộ của xã này",
                    "you may not record benefits in this household's commune",
                )
            )
        if r["date"] is not None:  # not in the future (eligible by today's statuses), not before the policy
            checked(row, "date", check_delivery_date, policy, r["date"])
        quantity = checked(row, "quantity", check_quantity, policy, 1 if r["quantity"] is None else r["quantity"])
        amount = 0 if r["amount_vnd"] is None else r["amount_vnd"]
        checked(row, "amount_vnd", check_amount, amount, loan=is_loan)
        loan = None
        if is_loan:
            for name in ("term_months", "interest_percent_year", "declared_purpose"):
                if r[name] is None or r[name] == "":
                    problems.append(_problem(label, row, name, "khoản vay cần giá trị này", "a loan needs this value"))
            if len(problems) == before:
                try:
                    term, rate = check_loan_terms(r["term_months"], r["interest_percent_year"])
                except ServiceError as exc:
                    problems.append(_problem(label, row, exc.field, exc.message_vi, exc.message_en))
                else:
                    loan = LoanTerms(term, rate, str(r["declared_purpose"]))
        if len(problems) > before or household is None or r["date"] is None:
            continue
        evidence = (r["evidence"] or "").strip()
        key = "|".join(
            [policy.id, household.household_id, member.member_id if member else "", r["date"].isoformat(), evidence]
        )
        if key in seen:
            problems.append(
                _problem(
                    label,
                    row,
                    None,
                    f"trùng với dòng {seen[key]} (cùng người, ngày, chứng từ)",
                    f"repeats row {seen[key]} (same beneficiary, date, evidence)",
                )
            )
            continue
        seen[key] = row
        out.append(_Row(row, household, member, r["date"], quantity, int(amount), evidence, loan, key))
    _already(out, label, problems)
    return out


def _beneficiary(policy, r, households, by_member_id, by_national, label, problems):
    row = r[ROW]
    hid, mid, nid = r["household_id"], r["member_id"], r["national_id"]
    if not (hid or mid or nid):
        problems.append(
            _problem(
                label,
                row,
                "household_id",
                "cần household_id, member_id hoặc national_id",
                "give household_id, member_id or national_id",
            )
        )
        return None, None
    household = member = None
    if not policy.member_level:
        for name, value in (("member_id", mid), ("national_id", nid)):
            if value:
                problems.append(
                    _problem(
                        label,
                        row,
                        name,
                        "chính sách cho hộ: chỉ dùng household_id",
                        "a household policy: use household_id only",
                    )
                )
        if mid or nid:
            return None, None
    if hid:
        household = households.get(hid)
        if household is None:
            problems.append(
                _problem(
                    label,
                    row,
                    "household_id",
                    f"không tìm thấy hộ '{hid}' (hoặc không thuộc phạm vi của bạn)",
                    f"no household '{hid}' (or not yours)",
                )
            )
            return None, None
    if mid:
        member = by_member_id.get(mid)
        if member is None:
            problems.append(
                _problem(label, row, "member_id", f"không tìm thấy thành viên '{mid}'", f"no member '{mid}'")
            )
            return None, None
    if nid:
        found = by_national.get(nid, [])
        if not found:
            problems.append(
                _problem(
                    label,
                    row,
                    "national_id",
                    "không tìm thấy người có số định danh này",
                    "no person with this national id",
                )
            )
            return None, None
        if len(found) > 1:
            problems.append(
                _problem(
                    label,
                    row,
                    "national_id",
                    f"số định danh trùng ở {len(found)} người: không rõ là ai",
                    f"the national id matches {len(found)} people: ambiguous",
                )
            )
            return None, None
        if member is not None and found[0].pk != member.pk:
            problems.append(
                _problem(
                    label,
                    row,
                    "national_id",
                    "số định danh không phải của thành viên này",
                    "the national id is not this member's",
                )
            )
            return None, None
        member = found[0]
    if member is not None:
        if household is not None and member.household_id != household.pk:
            problems.append(
                _problem(
                    label, row, "member_id", "thành viên không thuộc hộ này", "the member is not of this household"
                )
            )
            return None, None
        household = member.household
    if policy.member_level and member is None:
        problems.append(
            _problem(
                label,
                row,
                "member_id",
                "chính sách cho thành viên: cần member_id hoặc national_id",
                "a member policy: give member_id or national_id",
            )
        )
        return None, None
    return household, member


def _recorded(keys: list[str]) -> dict[str, tuple[tuple[Decimal, int] | None, str]]:
    """list key -> (quantity and amount of its standing row, or None; the import key a new row takes).

    A row reversed does not stand: the key's next one is looked at ("<key>#2", "#3", ...), few times
    as a list row is rarely reversed twice, one chunked query a round for the keys still open."""
    out: dict[str, tuple[tuple[Decimal, int] | None, str]] = {}
    open_keys = {key: key for key in keys}  # the list key -> the import key to look at
    n = 1
    while open_keys:
        found = {
            key: (quantity, amount, reversed_by)
            for key, quantity, amount, reversed_by in _chunked(
                Benefit.objects.values_list("import_key", "quantity", "amount_vnd", "reversed_by__pk"),
                "import_key",
                open_keys.values(),
            )
        }
        n += 1
        still: dict[str, str] = {}
        for key, looked in open_keys.items():
            row = found.get(looked)
            if row is None:
                out[key] = (None, looked)
            elif row[2] is None:
                out[key] = ((row[0], row[1]), looked)
            else:
                still[key] = f"{key}#{n}"
        open_keys = still
    return out


def _already(rows: list[_Row], label: str, problems: list[Problem]) -> None:
    """Rows in the ledger already: the same values are skipped later; other values are a problem."""
    existing = _recorded([r.key for r in rows])
    for r in rows:
        found = existing[r.key][0]
        if found is not None and (found[0] != r.quantity or found[1] != r.amount_vnd):
            problems.append(
                _problem(
                    label,
                    r.row,
                    "amount_vnd",
                    "đã ghi với số lượng/số tiền khác: đảo bút toán cũ trước",
                    "already recorded with another quantity or amount: reverse it first",
                )
            )


BENEFIT_TABLE = {
    "household_id": pl.Int64,
    "member_id": pl.Int64,
    "delivered_on": pl.Date,
    "quantity": pl.String,
    "amount_vnd": pl.Int64,
    "evidence": pl.String,
    "status_at_delivery": pl.String,
    "eligible_at_delivery": pl.Boolean,
    "eligibility_reason": pl.String,
    "import_key": pl.String,
}


def _take_turn(policy: Policy) -> None:
    """Two imports of one policy at once: the second waits here for the first to commit, then reads
    its rows as recorded (PostgreSQL's transaction-scoped advisory lock; SQLite's transactions begin
    IMMEDIATE, the database's write lock is already ours). The unique import key backs it up."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"policies.deliveries_import:{policy.id}"])


@transaction.atomic
def _write(actor, policy: Policy, rows: list[_Row], label: str, unit: AdminUnit | None = None) -> DeliveryResult:
    """Every new row in bulk, with their history rows and one audit event for the list (a 300,000-row
    card list is one write, not 300,000 services): the rows as a frame inserted at once (COPY on
    PostgreSQL, executemany on SQLite, `registry.bulk.insert_rows`), their history rows copied from
    them in one statement, as simple-history would have written them."""
    _take_turn(policy)
    recorded = _recorded([r.key for r in rows])
    todo = [r for r in rows if recorded[r.key][0] is None]
    import_key = {r.key: recorded[r.key][1] for r in todo}
    funding, provider = benefit_defaults(policy)
    by_day: dict[dt.date, list[_Row]] = {}
    for r in todo:
        by_day.setdefault(r.date, []).append(r)
    columns: dict[str, list] = {name: [] for name in BENEFIT_TABLE}
    for day in sorted(by_day):
        on_day = by_day[day]
        pks = sorted({r.household.pk for r in on_day})
        register = Register(day, household_pks=pks, with_members=policy.member_level)
        statuses = dict(latest_of(register.history).select("household_pk", "category").iter_rows())
        eligible = {
            (hh, mem): reason
            for hh, mem, reason in register.eligible(policy).select("household_pk", "member_pk", "reason").iter_rows()
        }
        for r in on_day:
            reason = eligible.get((r.household.pk, r.member.pk if r.member else None))
            status = statuses.get(r.household.pk)
            for name, value in (
                ("household_id", r.household.pk),
                ("member_id", r.member.pk if r.member else None),
                ("delivered_on", r.date),
                ("quantity", str(r.quantity)),
                ("amount_vnd", r.amount_vnd),
                ("evidence", r.evidence[:80]),
                ("status_at_delivery", status or ""),
                ("eligible_at_delivery", reason is not None),
                ("eligibility_reason", (reason or "")[:255]),
                ("import_key", import_key[r.key]),
            ):
                columns[name].append(value)
    now = clock.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    mine = "recorded_at = %s AND recorded_by_id = %s AND source = %s AND policy_id = %s"
    params = [stamp, actor.pk, Benefit.Source.IMPORT.value, policy.id]
    insert_rows(
        Benefit._meta.db_table,
        pl.DataFrame(columns, schema=BENEFIT_TABLE),
        {
            "policy_id": policy.id,
            "funding_source": funding[:40],
            "provider": provider[:120],
            "source": Benefit.Source.IMPORT.value,
            "note": "",
            "recorded_by_id": actor.pk,
            "recorded_at": stamp,
        },
    )
    copy_history(Benefit, mine, params, actor.pk, stamp)
    loans = [r for r in todo if r.loan is not None]
    if loans:
        written = Benefit.objects.filter(
            recorded_at=now, recorded_by=actor, source=Benefit.Source.IMPORT, policy_id=policy.id
        ).values_list("import_key", "pk")
        by_key = dict(written)
        frame = pl.DataFrame(
            {
                "benefit_id": [by_key[import_key[r.key]] for r in loans],
                "term_months": [r.loan.term_months for r in loans if r.loan],
                "interest_percent_year": [str(r.loan.interest_percent_year) for r in loans if r.loan],
                "declared_purpose": [r.loan.declared_purpose.strip()[:255] for r in loans if r.loan],
            },
            schema={
                "benefit_id": pl.Int64,
                "term_months": pl.Int64,
                "interest_percent_year": pl.String,
                "declared_purpose": pl.String,
            },
        )
        insert_rows(Loan._meta.db_table, frame, {"programme": policy.id})
        copy_history(
            Loan,
            f"benefit_id IN (SELECT id FROM {Benefit._meta.db_table} WHERE {mine})",  # noqa: S608
            params,
            actor.pk,
            stamp,
        )
    audit(
        actor,
        "policies.deliveries_import",
        None,
        policy=policy.id,
        unit=unit.code if unit is not None else "",
        file=Path(label).name,
        created=len(todo),
        skipped=len(rows) - len(todo),
    )
    return DeliveryResult(len(todo), len(rows) - len(todo))


def copy_history(model, where: str, params: list, actor_id: int, stamp) -> None:
    """The history rows ("+", created by `actor_id` at `stamp`) of the rows of `model` matching `where`."""
    history = model.history.model
    own = ", ".join(f.column for f in history._meta.concrete_fields if not f.column.startswith("history_"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} "  # noqa: S608 (our tables and columns)
            f"({own}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {own}, %s, NULL, '+', %s FROM {model._meta.db_table} WHERE {where}",
            [stamp, actor_id, *params],
        )


__all__ = ["COLUMNS", "DeliveryResult", "deliveries_import"]
