"""Writes to the benefit ledger: record a delivery, reverse a wrong one, record a loan's use check.

Keyword-only, with the actor, atomic and audited; access through `accounts.access.require_record_benefit`
(the commune's official, in a commune they may change, or the agency officer of the benefit's policy). The register status and eligibility on the
delivery date are read here, through the door (`review.statuses`) and `eligibility.eligibility_of`,
and kept on the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from ..accounts.access import require_record_benefit, require_set_province_norms
from ..core.audit import audit
from ..core.errors import ServiceError
from ..registry.models import Household, Member
from ..review.statuses import latest_by_household
from .catalogue import Policy, PolicyError, load_policy
from .eligibility import eligibility_of
from .ledger_checks import (
    check_amount,
    check_checked_on,
    check_delivery_date,
    check_loan_terms,
    check_period,
    check_quantity,
)
from .models import Benefit, Loan, LoanCheck, ProvinceNorm
from .norms import numeric_norm


@dataclass(frozen=True)
class LoanTerms:
    """What a loan carries besides its amount (the benefit's `amount_vnd`)."""

    term_months: int
    interest_percent_year: Decimal
    declared_purpose: str
    programme: str = ""  # default: the policy id (vay-ho-ngheo, ...)


def _policy(policy_id: str) -> Policy:
    try:
        return load_policy(policy_id)
    except PolicyError as exc:
        raise ServiceError(f"Không có chính sách {policy_id!r}", f"No policy {policy_id!r}", field="policy_id") from exc


def benefit_defaults(policy: Policy) -> tuple[str, str]:
    """The funding source and provider a benefit of `policy` carries unless told otherwise (the catalogue's)."""
    provider = policy.fact("provider")
    return str(policy.fact("funding_source") or ""), provider.get("vi", "") if isinstance(provider, dict) else ""


def _save_as(actor, row) -> None:
    row._history_user = actor
    row.save()


def _eligible_then(policy: Policy, household: Household, member: Member | None, on: dt.date) -> tuple[bool, str]:
    rows = eligibility_of([household.pk], policy, on)
    if member is not None:
        rows = rows.filter(rows.get_column("member_pk") == member.pk)
    if rows.is_empty():
        return False, ""
    return True, str(rows.get_column("reason")[0])[:255]


SUBMISSION_PREFIX = "form:"  # a submission's import key; a delivery list's keys never start so


def _submission_import_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise ServiceError(
            "Mã lần gửi không hợp lệ (tối đa 200 ký tự)",
            "The submission key is not valid (at most 200 characters)",
            field="submission_key",
        )
    return SUBMISSION_PREFIX + key


def _submitted(actor, household: Household, policy: Policy, import_key: str) -> Benefit | None:
    """The row an earlier submission with this key wrote; a key of another actor, household or policy
    is refused rather than answered with someone else's row."""
    earlier = Benefit.objects.filter(import_key=import_key).first()
    if earlier is None:
        return None
    if (earlier.recorded_by_id, earlier.household_id, earlier.policy_id) != (actor.pk, household.pk, policy.id):
        raise ServiceError(
            "Mã lần gửi này đã dùng cho một lần ghi khác",
            "This submission key was used for another record",
            field="submission_key",
        )
    return earlier


@transaction.atomic
def benefit_record(
    *,
    actor,
    household: Household,
    policy_id: str,
    delivered_on: dt.date,
    member: Member | None = None,
    quantity: Decimal | int | str = 1,
    amount_vnd: int = 0,
    funding_source: str = "",
    provider: str = "",
    evidence: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    loan: LoanTerms | None = None,
    source: str = Benefit.Source.MANUAL,
    import_key: str = "",
    at_delivery: tuple[str, bool, str] | None = None,
    submission_key: str = "",
) -> Benefit:
    """Record that `household` (or its `member`) received `policy_id` on `delivered_on`.

    `at_delivery` (status, eligible, reason) is for a delivery list, which reads them for all its
    rows at once; otherwise they are read here. `submission_key` makes a submission idempotent: the
    record form's hidden token, the API's `Idempotency-Key` header. It is kept as the row's import key
    "form:<key>" (unique, `models.Benefit`), and the same key again returns the row it wrote instead of
    writing another (a form sent twice, a retried request, two at once)."""
    require_record_benefit(actor, household.unit_id, policy_id)
    policy = _policy(policy_id)
    if submission_key:
        import_key = _submission_import_key(submission_key)
        earlier = _submitted(actor, household, policy, import_key)
        if earlier is not None:
            return earlier
    if policy.member_level and member is None:
        raise ServiceError(
            "Chính sách này dành cho thành viên: cần chọn thành viên",
            "This policy goes to members: name one",
            field="member",
        )
    if not policy.member_level and member is not None:
        raise ServiceError(
            "Chính sách này dành cho hộ, không ghi thành viên",
            "This policy goes to the household, not a member",
            field="member",
        )
    if member is not None and member.household_id != household.pk:
        raise ServiceError("Thành viên không thuộc hộ này", "The member is not of this household", field="member")
    is_loan = policy.fact("unit") == "loan"
    qty = check_quantity(policy, quantity)
    check_amount(amount_vnd, loan=is_loan)
    check_delivery_date(policy, delivered_on)
    check_period(policy, delivered_on, period_start, period_end)
    if is_loan and loan is None:
        raise ServiceError(
            "Khoản vay cần thời hạn, lãi suất và mục đích vay",
            "A loan needs its term, rate and declared purpose",
            field="loan",
        )
    if loan is not None and not is_loan:
        raise ServiceError("Chính sách này không phải khoản vay", "This policy is not a loan", field="loan")
    if loan is not None:
        term, rate = check_loan_terms(loan.term_months, loan.interest_percent_year)
        if not loan.declared_purpose.strip():
            raise ServiceError(
                "Khoản vay cần mục đích vay", "A loan needs its declared purpose", field="declared_purpose"
            )
    if at_delivery is None:
        status = latest_by_household([household.pk], delivered_on).get(household.pk)
        at_delivery = (status[0] if status else "", *_eligible_then(policy, household, member, delivered_on))
    status_then, eligible, reason = at_delivery
    default_funding, default_provider = benefit_defaults(policy)
    benefit = Benefit(
        household=household,
        member=member,
        policy_id=policy.id,
        delivered_on=delivered_on,
        period_start=period_start,
        period_end=period_end,
        quantity=qty,
        amount_vnd=amount_vnd,
        funding_source=(funding_source or default_funding)[:40],
        provider=(provider or default_provider)[:120],
        evidence=evidence.strip()[:80],
        status_at_delivery=status_then,
        eligible_at_delivery=eligible,
        eligibility_reason=reason,
        source=source,
        import_key=import_key,
        recorded_by=actor,
    )
    if submission_key:
        try:
            with transaction.atomic():  # a savepoint: the same key written meanwhile by another request
                _save_as(actor, benefit)
        except IntegrityError:
            earlier = _submitted(actor, household, policy, import_key)
            if earlier is None:
                raise
            return earlier
    else:
        _save_as(actor, benefit)
    if loan is not None:
        _save_as(
            actor,
            Loan(
                benefit=benefit,
                programme=(loan.programme or policy.id)[:80],
                term_months=term,
                interest_percent_year=rate,
                declared_purpose=loan.declared_purpose.strip()[:255],
            ),
        )
    audit(
        actor,
        "policies.benefit_record",
        benefit,
        policy=policy.id,
        household=household.household_id,
        member=member.member_id if member else "",
        amount_vnd=amount_vnd,
        eligible=eligible,
    )
    return benefit


@transaction.atomic
def benefit_reverse(*, actor, benefit: Benefit, reason: str) -> Benefit:
    """Answer a wrong entry with its reversal: the same delivery, opposite quantity and amount."""
    require_record_benefit(actor, benefit.household.unit_id, benefit.policy_id)
    if not reason.strip():
        raise ServiceError("Cần nêu lý do đảo bút toán", "A reason for the reversal is required", field="reason")
    original = Benefit.objects.select_for_update().get(pk=benefit.pk)
    if original.reverses_id is not None:
        raise ServiceError("Không đảo một bút toán đảo", "A reversal is not reversed", field="benefit")
    if Benefit.objects.filter(reverses=original).exists():
        raise ServiceError("Bút toán này đã được đảo", "This entry is already reversed", field="benefit")
    reversal = Benefit(
        household_id=original.household_id,
        member_id=original.member_id,
        policy_id=original.policy_id,
        delivered_on=original.delivered_on,
        period_start=original.period_start,
        period_end=original.period_end,
        quantity=-original.quantity,
        amount_vnd=-original.amount_vnd,
        funding_source=original.funding_source,
        provider=original.provider,
        evidence=original.evidence,
        status_at_delivery=original.status_at_delivery,
        eligible_at_delivery=original.eligible_at_delivery,
        eligibility_reason=original.eligibility_reason,
        source=original.source,
        reverses=original,
        note=reason.strip()[:255],
        recorded_by=actor,
    )
    _save_as(actor, reversal)
    audit(actor, "policies.benefit_reverse", reversal, reverses=original.pk, reason=reason.strip())
    return reversal


@transaction.atomic
def loan_check_record(*, actor, loan: Loan, checked_on: dt.date, observed_use: str, conforms: bool) -> LoanCheck:
    """Record a check of how a loan is used, and whether it conforms to the declared purpose."""
    require_record_benefit(actor, loan.benefit.household.unit_id, loan.benefit.policy_id)
    if not observed_use.strip():
        raise ServiceError(
            "Cần ghi việc sử dụng vốn quan sát được", "Say what the loan was seen used for", field="observed_use"
        )
    check_checked_on(checked_on, loan.benefit.delivered_on)
    check = LoanCheck(
        loan=loan, checked_on=checked_on, observed_use=observed_use.strip()[:255], conforms=conforms, recorded_by=actor
    )
    _save_as(actor, check)
    audit(actor, "policies.loan_check", check, loan=loan.pk, conforms=conforms)
    return check


@transaction.atomic
def province_norm_set(
    *,
    actor,
    province,
    policy_id: str,
    norm: str,
    valid_from: dt.date,
    value: Decimal | int | str,
    reference: str,
    confidence: str,
    note: str = "",
) -> ProvinceNorm:
    """Set `province`'s own value of a policy's norm from `valid_from`, with the decision behind it
    (a province official of that province, `accounts.access.require_set_province_norms`). The same date
    set again changes that row; its history keeps the earlier value."""
    from ..geo.models import UnitLevel

    require_set_province_norms(actor, province)
    if province.level != UnitLevel.PROVINCE:
        raise ServiceError("Định mức riêng chỉ đặt cho một tỉnh", "A norm is set for a province", field="province")
    policy = _policy(policy_id)
    if norm not in policy.norms:
        raise ServiceError(f"Chính sách không có định mức {norm!r}", f"The policy has no norm {norm!r}", field="norm")
    if not numeric_norm(policy, norm):
        raise ServiceError("Định mức này không phải là số", "This norm is not a number", field="norm")
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation as exc:
        raise ServiceError("Giá trị phải là số", "The value must be a number", field="value") from exc
    if (
        not amount.is_finite()
        or amount < 0
        or amount >= Decimal("1e14")
        or amount != amount.quantize(Decimal("0.0001"))
    ):
        raise ServiceError(
            "Giá trị là số không âm (tối đa 4 chữ số thập phân)", "The value is a number, not negative", field="value"
        )
    if "vnd" in norm and amount != amount.to_integral_value():
        raise ServiceError("Số tiền là số nguyên đồng", "An amount is a whole number of đồng", field="value")
    if not reference.strip():
        raise ServiceError(
            "Cần số, ngày của quyết định hoặc nghị quyết của tỉnh",
            "Give the number and date of the province's decision or resolution",
            field="reference",
        )
    if confidence not in ProvinceNorm.Confidence.values:
        raise ServiceError("Độ tin cậy là V, S, C hoặc B", "Confidence is V, S, C or B", field="confidence")
    row = ProvinceNorm.objects.filter(policy_id=policy.id, norm=norm, province=province, valid_from=valid_from).first()
    before = None if row is None else {"value": str(row.value), "reference": row.reference}
    row = row or ProvinceNorm(policy_id=policy.id, norm=norm, province=province, valid_from=valid_from)
    row.value, row.reference, row.confidence = amount, reference.strip()[:255], confidence
    row.note, row.set_by = note.strip()[:255], actor
    row._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    row.save()
    audit(
        actor,
        "policies.province_norm_set",
        province,
        policy=policy.id,
        norm=norm,
        valid_from=valid_from.isoformat(),
        value=str(amount),
        before=before,
    )
    return row
