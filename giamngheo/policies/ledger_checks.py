"""What the ledger refuses before a row is written: amounts, quantities, loan terms and dates that are
impossible or that the columns cannot hold. One place, read by `services.benefit_record` (the record
form, the API) and by `deliveries` (a list's rows), so every door refuses the same things in the same words.

None of these bounds is a legal maximum (no law read here sets one): each is the storage of a column or
a bound of plausibility, and the comment beside it says which.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core import clock
from ..core.errors import ServiceError
from ..standards.params import available_standards, load_standard
from .catalogue import ALWAYS, Policy
from .findings import _add_months

# Storage and plausibility, not law: 10^15 đ is a million billion đồng, above any benefit or loan, and
# below BigIntegerField's 9.2 × 10^18 (SQLite raised OverflowError past 2^63).
AMOUNT_LIMIT = 10**15
# Benefit.quantity is DecimalField(max_digits=12, decimal_places=2): below 10^10, two decimals.
QUANTITY_PLACES = Decimal("0.01")
QUANTITY_LIMIT = Decimal(10) ** 10
# Loan.interest_percent_year is DecimalField(max_digits=5, decimal_places=2); a rate is a share of the
# amount per year, 0–100 % (the API's bound too): plausibility, not a legal ceiling.
RATE_PLACES = Decimal("0.01")
RATE_LIMIT = Decimal(100)
# Loan.term_months is a PositiveSmallIntegerField: PostgreSQL's smallint holds at most 32,767 (storage).
TERM_LIMIT = 32_767
# The catalogue's `unit` facts that count whole things: 1,5 cards or 0,5 loans mean a typing error.
# m² of land (`m2_land`) may be fractional; a unit not named here is not refused.
COUNTABLE_UNITS = {
    "card": ("thẻ", "cards"),
    "pupil": ("học sinh", "pupils"),
    "house": ("căn nhà", "houses"),
    "loan": ("khoản vay", "loans"),
    "payment": ("lần chi trả", "payments"),
    "course": ("khoá học", "courses"),
    "placement": ("lần giới thiệu việc làm", "placements"),
    "household": ("hộ", "households"),
    "case": ("vụ việc", "cases"),
}
# The catalogue's conventional first date of a value (data/README.md): the register's 2022–2025 standard.
CATALOGUE_FROM = dt.date(2022, 1, 1)
# A period longer than the policy's own (`findings.period_of`) would cover later periods and hide the
# household from their gap lists. "once" has no period; any other kind is the calendar year there.
PERIOD_MONTHS = {"yearly": 12, "quarterly": 3, "monthly": 1}


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_amount(amount_vnd: Any, *, loan: bool = False) -> int:
    """The amount as a whole number of đồng, 0 ≤ amount < 10^15 (a loan's above 0)."""
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or amount_vnd < 0:
        raise ServiceError(
            "Số tiền là số nguyên đồng, không âm",
            "The amount is a whole number of đồng, not negative",
            field="amount_vnd",
        )
    if amount_vnd >= AMOUNT_LIMIT:
        raise ServiceError(
            f"Số tiền quá lớn: phải dưới {_vnd(AMOUNT_LIMIT)} đ",
            f"The amount is too large: it must be below {AMOUNT_LIMIT:,} VND",
            field="amount_vnd",
        )
    if loan and amount_vnd == 0:
        raise ServiceError("Khoản vay cần số tiền vay lớn hơn 0", "A loan needs an amount above 0", field="amount_vnd")
    return amount_vnd


def check_quantity(policy: Policy, quantity: Any) -> Decimal:
    """The quantity as the column holds it: finite, above 0, below 10^10, two decimals at most, whole
    for a countable unit (`COUNTABLE_UNITS`)."""
    try:
        qty = Decimal(str(quantity).strip())
    except InvalidOperation as exc:
        raise ServiceError("Số lượng không phải là số", "The quantity is not a number", field="quantity") from exc
    if not qty.is_finite():
        raise ServiceError("Số lượng phải là một số hữu hạn", "The quantity must be a finite number", field="quantity")
    if qty <= 0:
        raise ServiceError("Số lượng phải lớn hơn 0", "The quantity must be above 0", field="quantity")
    if qty >= QUANTITY_LIMIT:
        raise ServiceError(
            "Số lượng quá lớn: tối đa 9.999.999.999,99",
            "The quantity is too large: at most 9,999,999,999.99",
            field="quantity",
        )
    if qty != qty.quantize(QUANTITY_PLACES):
        raise ServiceError(
            "Số lượng có tối đa 2 chữ số thập phân",
            "The quantity has at most 2 decimal places",
            field="quantity",
        )
    unit = str(policy.fact("unit") or "")
    if unit in COUNTABLE_UNITS and qty != qty.to_integral_value():
        vi, en = COUNTABLE_UNITS[unit]
        raise ServiceError(f"Số lượng {vi} là số nguyên", f"A number of {en} is a whole number", field="quantity")
    return qty


def check_loan_terms(term_months: Any, interest_percent_year: Any) -> tuple[int, Decimal]:
    """The term in whole months, 1 to the column's 32,767; the rate 0–100 %/year, two decimals at most."""
    if isinstance(term_months, bool) or not isinstance(term_months, int) or term_months < 1:
        raise ServiceError(
            "Thời hạn vay là số tháng nguyên, ít nhất 1",
            "The loan term is a whole number of months, at least 1",
            field="term_months",
        )
    if term_months > TERM_LIMIT:
        raise ServiceError(
            f"Thời hạn vay quá dài: tối đa {_vnd(TERM_LIMIT)} tháng",
            f"The loan term is too long: at most {TERM_LIMIT:,} months",
            field="term_months",
        )
    try:
        rate = Decimal(str(interest_percent_year).strip())
    except InvalidOperation as exc:
        raise ServiceError(
            "Lãi suất không phải là số", "The interest rate is not a number", field="interest_percent_year"
        ) from exc
    if not rate.is_finite() or rate < 0 or rate > RATE_LIMIT:
        raise ServiceError(
            "Lãi suất là số phần trăm một năm, từ 0 đến 100",
            "The interest rate is a percentage per year, from 0 to 100",
            field="interest_percent_year",
        )
    if rate != rate.quantize(RATE_PLACES):
        raise ServiceError(
            "Lãi suất có tối đa 2 chữ số thập phân",
            "The interest rate has at most 2 decimal places",
            field="interest_percent_year",
        )
    return term_months, rate


def first_delivery_day(policy: Policy) -> dt.date:
    """The first day a delivery of `policy` can be recorded: the first day of the earliest poverty standard
    in the register (`standards/data`): before it no household has a status to keep nor an eligibility to
    read. The catalogue's eligibility dates are not a floor: 01/01/2022 is its convention for "the
    2022–2025 standard the register records" (data/README.md), not the policy's start, and a loan of 2020
    still runs (the overlap windows of 60–120 months reach it); before that date a condition reads its
    first value (`standards.params.Parameter.at`). A date the policy's source gives later than the earliest
    standard (not the convention) is the floor instead."""
    earliest = min(load_standard(s).valid_from for s in available_standards())
    first = policy.eligibility["categories"].values[0][0]
    return first if first not in (ALWAYS, CATALOGUE_FROM) and first > earliest else earliest


def _day(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def check_delivery_date(policy: Policy, delivered_on: dt.date) -> None:
    """Not in the future (its eligibility would be read from today's statuses), not before the policy's
    first dated eligibility (`first_delivery_day`)."""
    if delivered_on > clock.today():
        raise ServiceError("Ngày nhận ở tương lai", "The delivery date is in the future", field="delivered_on")
    first = first_delivery_day(policy)
    if delivered_on < first:
        raise ServiceError(
            f"Ngày nhận trước ngày {_day(first)}: trước đó sổ đăng ký không có chuẩn nghèo nào để xét điều kiện hưởng",
            f"The delivery date is before {first.isoformat()}: the register has no poverty standard to judge eligibility by before it",
            field="delivered_on",
        )


def check_period(
    policy: Policy, delivered_on: dt.date, period_start: dt.date | None, period_end: dt.date | None
) -> None:
    """A period recorded contains the delivery date and is no longer than the policy's own period
    (`PERIOD_MONTHS`, as `findings.period_of` reads it; "once" sets none)."""
    if period_start is None and period_end is None:
        return
    if period_start and period_end and period_end < period_start:
        raise ServiceError("Kỳ kết thúc trước khi bắt đầu", "The period ends before it starts", field="period_end")
    if period_start is not None and period_start > delivered_on:
        raise ServiceError(
            "Kỳ phải chứa ngày nhận: kỳ bắt đầu sau ngày nhận",
            "The period must contain the delivery date: it starts after it",
            field="period_start",
        )
    if period_end is not None and period_end < delivered_on:
        raise ServiceError(
            "Kỳ phải chứa ngày nhận: kỳ kết thúc trước ngày nhận",
            "The period must contain the delivery date: it ends before it",
            field="period_end",
        )
    kind = policy.fact("periodicity", delivered_on)
    if kind == "once":
        return
    months = PERIOD_MONTHS.get(str(kind), 12)
    start, end = period_start or delivered_on, period_end or delivered_on
    if end >= _add_months(start, months):
        raise ServiceError(
            f"Kỳ dài hơn kỳ của chính sách ({months} tháng): một dòng không phủ nhiều kỳ",
            f"The period is longer than the policy's ({months} months): one row does not cover several periods",
            field="period_end",
        )


def check_checked_on(checked_on: dt.date, delivered_on: dt.date) -> None:
    """A loan's use check lies between the loan and today."""
    if checked_on > clock.today():
        raise ServiceError("Ngày kiểm tra ở tương lai", "The check is dated in the future", field="checked_on")
    if checked_on < delivered_on:
        raise ServiceError("Ngày kiểm tra trước ngày vay", "The check is dated before the loan", field="checked_on")
