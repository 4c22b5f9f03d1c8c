"""The benefit ledger: append-only, corrections by reversal, loans with their use checks, and who may write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.models import Benefit
from giamngheo.policies.services import LoanTerms, benefit_record, benefit_reverse, loan_check_record
from giamngheo.review.models import ReviewRound, Status

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
D = dt.date


@pytest.fixture
def home():
    admin = system_user()
    hh = household(admin, "HH-1", A)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=hh,
        category="poor",
        valid_from=D(2025, 12, 12),
        review_round=rnd,
        decision_number="45/QĐ-UBND",
        transition="",
    )
    return hh


@pytest.fixture
def official():
    return user_with_role("commune_official", A)


def test_a_benefit_keeps_the_status_and_eligibility_of_its_delivery_date(home, official):
    paid = benefit_record(
        actor=official,
        household=home,
        policy_id="tien-dien",
        delivered_on=D(2026, 3, 31),
        amount_vnd=147_000,
        evidence="PC-12",
    )
    assert (paid.status_at_delivery, paid.eligible_at_delivery) == ("poor", True)
    assert paid.eligibility_reason == "hộ nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025"
    assert paid.recorded_by == official and paid.history.first().history_user == official
    assert paid.funding_source == "state_budget" and paid.provider  # from the catalogue
    before = benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=D(2025, 6, 30))
    assert (before.status_at_delivery, before.eligible_at_delivery, before.eligibility_reason) == ("", False, "")
    near = benefit_record(
        actor=official,
        household=home,
        policy_id="vay-ho-can-ngheo",
        delivered_on=D(2026, 1, 5),
        amount_vnd=50_000_000,
        loan=LoanTerms(60, Decimal("7.92"), "nuôi bò"),
    )
    assert (near.status_at_delivery, near.eligible_at_delivery) == ("poor", False)  # a wrong target, kept as such


def test_rows_are_never_edited_or_deleted_and_a_reversal_nets_to_zero(home, official):
    paid = benefit_record(
        actor=official, household=home, policy_id="tien-dien", delivered_on=D(2026, 3, 31), amount_vnd=147_000
    )
    paid.amount_vnd = 1
    with pytest.raises(ServiceError):
        paid.save()
    with pytest.raises(ServiceError):
        paid.delete()
    with pytest.raises(ServiceError):
        benefit_reverse(actor=official, benefit=paid, reason=" ")
    reversal = benefit_reverse(actor=official, benefit=paid, reason="ghi nhầm hộ")
    assert (reversal.amount_vnd, reversal.quantity, reversal.reverses_id) == (-147_000, Decimal("-1"), paid.pk)
    assert sum(b.amount_vnd for b in Benefit.objects.filter(household=home)) == 0
    with pytest.raises(ServiceError):
        benefit_reverse(actor=official, benefit=paid, reason="lần nữa")
    with pytest.raises(ServiceError):
        benefit_reverse(actor=official, benefit=reversal, reason="đảo của đảo")
    assert Benefit.objects.get(pk=paid.pk).amount_vnd == 147_000


def test_inputs_the_policy_refuses(home, official):
    member = home.members.first()
    cases = [
        dict(policy_id="bhyt"),  # a member policy needs a member
        dict(policy_id="tien-dien", member=member),  # a household policy takes none
        dict(policy_id="tien-dien", amount_vnd=-5),
        dict(policy_id="tien-dien", amount_vnd=1.5),
        dict(policy_id="tien-dien", quantity=0),
        dict(policy_id="vay-ho-ngheo", amount_vnd=10_000_000),  # a loan without its terms
        dict(policy_id="tien-dien", loan=LoanTerms(12, Decimal("1"), "x")),
        dict(policy_id="no-such"),
    ]
    for case in cases:
        with pytest.raises(ServiceError):
            benefit_record(actor=official, household=home, delivered_on=D(2026, 1, 5), **case)
    with pytest.raises(ServiceError, match="future"):  # its eligibility would be read from today's statuses
        benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=D(2099, 1, 5))
    assert not Benefit.objects.exists()
    card = benefit_record(actor=official, household=home, member=member, policy_id="bhyt", delivered_on=D(2026, 1, 5))
    assert card.member == member and card.eligible_at_delivery


def test_a_loan_and_its_purpose_checks(home, official):
    benefit = benefit_record(
        actor=official,
        household=home,
        policy_id="vay-ho-ngheo",
        delivered_on=D(2026, 1, 5),
        amount_vnd=100_000_000,
        evidence="HĐ 123",
        loan=LoanTerms(120, Decimal("6.6"), "mua bò giống"),
    )
    loan = benefit.loan
    assert (loan.programme, loan.term_months, loan.declared_purpose) == ("vay-ho-ngheo", 120, "mua bò giống")
    with pytest.raises(ServiceError):
        loan_check_record(actor=official, loan=loan, checked_on=D(2025, 12, 1), observed_use="x", conforms=True)
    check = loan_check_record(
        actor=official, loan=loan, checked_on=D(2026, 7, 1), observed_use="sửa nhà", conforms=False
    )
    assert loan.checks.get() == check and not check.conforms


def test_who_may_not_write_the_ledger(home, official):
    denied = [
        user_with_role("reviewer", A),
        user_with_role("village_head", A),
        user_with_role("commune_official", B),  # another commune
        user_with_role("province_official", unit_by_code(A).province_code),
        user_with_role("national_viewer"),
    ]
    paid = benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=D(2026, 3, 31))
    for user in denied:
        with pytest.raises(AccessDenied):
            benefit_record(actor=user, household=home, policy_id="tien-dien", delivered_on=D(2026, 3, 31))
        with pytest.raises(AccessDenied):
            benefit_reverse(actor=user, benefit=paid, reason="x")
    assert Benefit.objects.count() == 1
