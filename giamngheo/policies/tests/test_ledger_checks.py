"""What the ledger refuses at the service (the record form, the API and a delivery list share it): loan
terms and amounts the columns cannot hold or that cannot be, fractional counts, impossible dates, and a
submission sent twice."""

from __future__ import annotations

import datetime as dt
import os
import threading
from decimal import Decimal

import pytest
from django.db import connection

from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.errors import ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.models import Benefit, Loan
from giamngheo.policies.services import LoanTerms, benefit_record, benefit_reverse, loan_check_record
from giamngheo.review.models import ReviewRound, Status

pytestmark = pytest.mark.django_db
A = "03880"
D = dt.date
ON = D(2026, 1, 5)


def _home(code="HH-1"):
    admin = system_user()
    hh = household(admin, code, A)
    rnd = ReviewRound.objects.filter(commune=unit_by_code(A)).first() or ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=hh, category="poor", valid_from=D(2021, 12, 12), review_round=rnd, decision_number="45/QĐ-UBND"
    )
    return hh


@pytest.fixture
def home():
    return _home()


@pytest.fixture
def official():
    return user_with_role("commune_official", A)


def _refused(field: str, words: str, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        benefit_record(**kwargs)
    assert caught.value.field == field, (kwargs, caught.value)
    assert words in caught.value.message_en, caught.value
    assert caught.value.message_vi and caught.value.message_vi != caught.value.message_en
    return caught.value


def _loan(home, official, amount=50_000_000, **terms):
    return dict(
        actor=official,
        household=home,
        policy_id="vay-ho-ngheo",
        delivered_on=ON,
        amount_vnd=amount,
        loan=LoanTerms(
            **{"term_months": 60, "interest_percent_year": Decimal("6.6"), "declared_purpose": "bò", **terms}
        ),
    )


def test_loan_terms_the_columns_cannot_hold_or_that_cannot_be_are_refused(home, official):
    for rate in (1000, -5, 99999999, Decimal("1234.5"), Decimal("100.01"), Decimal("6.605"), "NaN", "x"):
        _refused("interest_percent_year", "interest rate", **_loan(home, official, interest_percent_year=rate))
    for term in (99999, 32768, 0, -1, 1.5, True):
        _refused("term_months", "term", **_loan(home, official, term_months=term))
    _refused("amount_vnd", "above 0", **_loan(home, official, amount=0))
    _refused("declared_purpose", "purpose", **_loan(home, official, declared_purpose=" "))
    assert not Benefit.objects.exists() and not Loan.objects.exists()
    # the bounds themselves are written and read back (a rate of 1000 made the row unreadable)
    edge = benefit_record(**_loan(home, official, term_months=32767, interest_percent_year=100))
    free = benefit_record(**_loan(home, official, term_months=1, interest_percent_year=0))
    assert [(lo.term_months, lo.interest_percent_year) for lo in Loan.objects.order_by("pk")] == [
        (32767, Decimal("100.00")),
        (1, Decimal("0.00")),
    ]
    assert {edge.pk, free.pk} == set(Benefit.objects.values_list("pk", flat=True))


def test_amounts_and_quantities_out_of_the_columns_are_refused_by_name(home, official):
    base = dict(actor=official, household=home, policy_id="tien-dien", delivered_on=ON)
    for amount in (10**19, 10**15, 2**63):
        _refused("amount_vnd", "too large", **base, amount_vnd=amount)
    for amount in (-1, 1.5, "100"):
        _refused("amount_vnd", "whole number", **base, amount_vnd=amount)
    for quantity in (Decimal("1e15"), "1000000000000", 10**10, Decimal("1e30")):
        _refused("quantity", "too large", **base, quantity=quantity)  # not "must be above 0"
    for quantity in ("NaN", "inf", float("nan"), float("-inf"), Decimal("sNaN")):
        _refused("quantity", "finite", **base, quantity=quantity)
    for quantity in (0, -1, "-0.5"):
        _refused("quantity", "above 0", **base, quantity=quantity)
    _refused("quantity", "not a number", **base, quantity="một")
    _refused("quantity", "2 decimal", **base, quantity="1.005")
    _refused("quantity", "payments is a whole number", **base, quantity="1.5")
    member = home.members.first()
    _refused("quantity", "cards is a whole number", **{**base, "policy_id": "bhyt"}, member=member, quantity=1.5)
    assert not Benefit.objects.exists()
    land = benefit_record(**{**base, "policy_id": "dat-o"}, quantity="1.5")  # m² of land may be fractional
    big = benefit_record(**base, amount_vnd=10**15 - 1, quantity="9999999999")
    assert (land.quantity, Benefit.objects.get(pk=big.pk).amount_vnd) == (Decimal("1.5"), 10**15 - 1)


def test_dates_before_the_policy_in_the_future_and_periods_that_hide_gaps_are_refused(home, official):
    base = dict(actor=official, household=home, policy_id="tien-dien", amount_vnd=147_000)
    # the register's earliest poverty standard starts on 01/01/2016: before it, no eligibility to read
    for day in (D(1800, 1, 1), D(2015, 12, 31)):
        _refused("delivered_on", "2016-01-01", **base, delivered_on=day)
    quarterly = dict(**base, delivered_on=D(2026, 3, 31))
    _refused("period_end", "longer", **quarterly, period_start=D(2026, 1, 1), period_end=D(2099, 12, 31))
    _refused("period_end", "longer", **quarterly, period_start=D(2026, 1, 1), period_end=D(2026, 4, 1))
    _refused("period_end", "contain", **quarterly, period_start=D(2025, 10, 1), period_end=D(2025, 12, 31))
    _refused("period_start", "contain", **quarterly, period_start=D(2026, 4, 1), period_end=D(2026, 6, 30))
    _refused("period_end", "ends before it starts", **quarterly, period_start=D(2026, 3, 31), period_end=D(2026, 3, 1))
    member = home.members.first()
    card = dict(actor=official, household=home, member=member, policy_id="bhyt", delivered_on=D(2026, 7, 1))
    _refused("period_end", "longer", **card, period_start=D(2026, 7, 1), period_end=D(2027, 7, 1))
    assert not Benefit.objects.exists()
    first = benefit_record(**base, delivered_on=D(2016, 1, 1))
    in_quarter = benefit_record(**quarterly, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31))
    a_year = benefit_record(**card, period_start=D(2026, 7, 1), period_end=D(2027, 6, 30))  # a card's year
    house = benefit_record(  # a once-only policy has no period to exceed
        actor=official, household=home, policy_id="nha-o", delivered_on=ON, period_start=ON, period_end=D(2030, 1, 1)
    )
    assert Benefit.objects.count() == 4 and first.delivered_on == D(2016, 1, 1)
    assert (in_quarter.period_end, a_year.period_end, house.period_end) == (
        D(2026, 3, 31),
        D(2027, 6, 30),
        D(2030, 1, 1),
    )


def test_a_loan_check_in_the_future_is_refused(home, official):
    from giamngheo.core import clock

    loan = benefit_record(**_loan(home, official)).loan
    with clock.fixed(D(2026, 6, 1)):
        with pytest.raises(ServiceError) as caught:
            loan_check_record(actor=official, loan=loan, checked_on=D(2026, 6, 2), observed_use="bò", conforms=True)
        assert caught.value.field == "checked_on" and "future" in caught.value.message_en
        assert loan_check_record(actor=official, loan=loan, checked_on=D(2026, 6, 1), observed_use="bò", conforms=True)
    assert loan.checks.count() == 1


def test_a_submission_sent_twice_writes_one_row(home, official):
    sent = dict(actor=official, household=home, policy_id="tien-dien", delivered_on=ON, amount_vnd=147_000)
    first = benefit_record(**sent, submission_key="tok-1")
    again = benefit_record(**sent, submission_key="tok-1")
    assert again.pk == first.pk and first.import_key == "form:tok-1"
    assert Benefit.objects.count() == 1
    other = benefit_record(**sent, submission_key="tok-2")  # another submission is another row
    plain = [benefit_record(**sent), benefit_record(**sent)]  # no key: each call is a delivery
    assert Benefit.objects.count() == 4 and other.pk != first.pk and plain[0].import_key == ""
    # a key is the actor's own submission: another user's, or another household's, is not answered with it
    stranger = user_with_role("commune_official", A, username="canbo2")
    for who, hh in ((stranger, home), (official, _home("HH-2"))):
        with pytest.raises(ServiceError) as caught:
            benefit_record(**{**sent, "actor": who, "household": hh}, submission_key="tok-1")
        assert caught.value.field == "submission_key"
    with pytest.raises(ServiceError):
        benefit_record(**sent, submission_key="x" * 201)
    # a reversed submission sent again is still the same submission: no new row
    benefit_reverse(actor=official, benefit=first, reason="ghi nhầm")
    assert benefit_record(**sent, submission_key="tok-1").pk == first.pk
    assert Benefit.objects.count() == 5


def test_the_database_holds_one_row_per_import_key(home, official):
    from django.db import IntegrityError, transaction

    benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=ON, import_key="list|1")
    with pytest.raises(IntegrityError), transaction.atomic():
        benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=ON, import_key="list|1")
    benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=ON)  # empty keys repeat
    benefit_record(actor=official, household=home, policy_id="tien-dien", delivered_on=ON)
    assert Benefit.objects.count() == 3


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_key_write_one_row(units_again):
    hh = _home()
    official = user_with_role("commune_official", A)
    start = threading.Barrier(4)
    rows: list[int] = []
    errors: list[Exception] = []

    def send():
        try:
            start.wait()
            rows.append(
                benefit_record(
                    actor=official,
                    household=hh,
                    policy_id="tien-dien",
                    delivered_on=ON,
                    amount_vnd=147_000,
                    submission_key="same-form",
                ).pk
            )
        except Exception as exc:  # noqa: BLE001  # any failure is the test's to show
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(rows) == 4 and len(set(rows)) == 1
    assert Benefit.objects.filter(household=hh).count() == 1


def test_the_first_delivery_day_is_the_registers_first_standard_or_a_later_date_of_the_source():
    from dataclasses import replace

    from giamngheo.policies.catalogue import load_policy
    from giamngheo.policies.ledger_checks import first_delivery_day

    policy = load_policy("tien-dien")  # dated 01/01/2022, the catalogue's convention, not the policy's start
    assert first_delivery_day(policy) == D(2016, 1, 1)
    categories = policy.eligibility["categories"]
    sourced = replace(categories, values=((D(2025, 7, 1), ["poor"]),))  # a start date its source gives
    assert first_delivery_day(replace(policy, eligibility={"categories": sourced})) == D(2025, 7, 1)
