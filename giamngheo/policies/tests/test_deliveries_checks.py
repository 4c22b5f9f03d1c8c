"""A delivery list refuses what the service refuses (`ledger_checks`), names unknown, doubled and missing
columns once, lets a reversed row be imported again, and two imports at once record each row once."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import connection

from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.deliveries import deliveries_import
from giamngheo.policies.models import Benefit
from giamngheo.policies.services import benefit_reverse
from giamngheo.review.models import ReviewRound, Status
from giamngheo.standards.problems import InputError

pytestmark = pytest.mark.django_db
A = "03880"
D = dt.date


def _homes():
    admin = system_user()
    poor, other = household(admin, "HH-1", A), household(admin, "HH-2", A)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=poor, category="poor", valid_from=D(2025, 12, 12), review_round=rnd, decision_number="45/QĐ-UBND"
    )
    return poor, other


@pytest.fixture
def official():
    _homes()
    return user_with_role("commune_official", A)


def _csv(tmp_path, text, name="list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(official, tmp_path, text, policy="tien-dien") -> list[tuple]:
    with pytest.raises(InputError) as caught:
        deliveries_import(actor=official, policy_id=policy, path=_csv(tmp_path, text))
    assert not Benefit.objects.exists()
    return [(p.row, p.column, p.message_en) for p in caught.value.problems]


def test_rows_the_service_would_refuse_are_named_not_crashed_on(official, tmp_path):
    found = _problems(
        official,
        tmp_path,
        "household_id,date,quantity,amount_vnd,evidence\n"
        "HH-1,01/01/1800,1,147000,E1\n"
        "HH-1,05/01/2026,1e15,147000,E2\n"
        "HH-1,05/01/2026,NaN,147000,E3\n"
        "HH-1,05/01/2026,inf,147000,E4\n"
        "HH-1,05/01/2026,1000000000000,147000,E5\n"
        "HH-1,05/01/2026,1.5,147000,E6\n"
        "HH-1,05/01/2026,1,1000000000000000,E7\n"
        "HH-1,05/01/2026,1,147000,E8\n",
    )
    by_row = {row: (column, words) for row, column, words in found}
    assert by_row[2][0] == "date" and "2016-01-01" in by_row[2][1]
    for row in (3, 6):
        assert by_row[row] == ("quantity", "The quantity is too large: at most 9,999,999,999.99"), row
    for row in (4, 5):
        assert by_row[row] == ("quantity", "The quantity must be a finite number"), row
    assert by_row[7] == ("quantity", "A number of payments is a whole number")
    assert by_row[8][0] == "amount_vnd" and "too large" in by_row[8][1]
    assert 9 not in by_row and len(found) == 7


def test_loan_rows_with_impossible_terms_are_named(official, tmp_path):
    head = "household_id,date,amount_vnd,term_months,interest_percent_year,declared_purpose,evidence\n"
    found = _problems(
        official,
        tmp_path,
        head + "HH-1,05/01/2026,10000000,60,1000,bò,L1\n"
        "HH-1,05/01/2026,10000000,60,-5,bò,L2\n"
        "HH-1,05/01/2026,10000000,60,1234.5,bò,L3\n"
        "HH-1,05/01/2026,10000000,99999,6.6,bò,L4\n"
        "HH-1,05/01/2026,0,60,6.6,bò,L5\n"
        "HH-1,05/01/2026,10000000,60,6.6,bò,L6\n",
        policy="vay-ho-ngheo",
    )
    assert [(row, column) for row, column, _ in found] == [
        (2, "interest_percent_year"),
        (3, "interest_percent_year"),
        (4, "interest_percent_year"),
        (5, "term_months"),
        (6, "amount_vnd"),
    ]


def test_columns_unknown_doubled_or_missing_are_said_once_by_name(official, tmp_path):
    unknown = _problems(official, tmp_path, "household_id,date,Số tiền (VNĐ) cũ\nHH-1,05/01/2026,147000\n")
    assert unknown == [(None, "Số tiền (VNĐ) cũ", unknown[0][2])] and "unknown column" in unknown[0][2]
    twice = _problems(official, tmp_path, "household_id,date,Số tiền,amount_vnd\nHH-1,05/01/2026,1,1\n")
    assert [(r, c) for r, c, _ in twice] == [(None, "amount_vnd")] and "two headers" in twice[0][2]
    label_twice = _problems(official, tmp_path, "Mã hộ,household_id,date\nHH-1,HH-1,05/01/2026\n")
    assert len(label_twice) == 1 and "repeats column 'Mã hộ'" in label_twice[0][2]  # the reader's own check
    no_date = _problems(official, tmp_path, "household_id,amount_vnd\n" + "HH-1,1\n" * 5)
    assert no_date == [(None, "date", "a required column is missing")]
    # the amount's usual headers are read, English names in any case: none is recorded as 0 đ
    for header in ("Số tiền (VNĐ)", "amount", "Amount_VND", "AMOUNT_VND"):
        path = _csv(tmp_path, f"Household_ID,Date,{header},Evidence\nHH-1,05/01/2026,147000,{header}\n")
        assert deliveries_import(actor=official, policy_id="tien-dien", path=path).created == 1
        assert Benefit.objects.get(evidence=header).amount_vnd == 147_000


def test_a_reversed_row_can_be_imported_again(official, tmp_path):
    path = _csv(tmp_path, "household_id,date,amount_vnd,evidence\nHH-1,31/03/2026,147000,PC-1\n")
    deliveries_import(actor=official, policy_id="tien-dien", path=path)
    first = Benefit.objects.get()
    benefit_reverse(actor=official, benefit=first, reason="số tiền sai")
    fixed = _csv(tmp_path, "household_id,date,amount_vnd,evidence\nHH-1,31/03/2026,150000,PC-1\n", "fixed.csv")
    result = deliveries_import(actor=official, policy_id="tien-dien", path=fixed)
    assert (result.created, result.skipped) == (1, 0)
    again = deliveries_import(actor=official, policy_id="tien-dien", path=fixed)  # a no-op, as before
    assert (again.created, again.skipped) == (0, 1)
    standing = Benefit.objects.filter(reverses__isnull=True, reversed_by__isnull=True).get()
    assert (standing.amount_vnd, standing.import_key) == (150_000, first.import_key + "#2")
    # the same amount as the reversed one is a delivery too, after a second reversal
    benefit_reverse(actor=official, benefit=standing, reason="lại sai")
    assert deliveries_import(actor=official, policy_id="tien-dien", path=path).created == 1
    assert Benefit.objects.filter(reversed_by__isnull=True, reverses__isnull=True).get().import_key.endswith("#3")
    assert sum(Benefit.objects.values_list("amount_vnd", flat=True)) == 147_000


def test_the_import_event_names_its_unit(official, tmp_path):
    path = _csv(tmp_path, "household_id,date,amount_vnd\nHH-1,31/03/2026,147000\n")
    deliveries_import(actor=official, policy_id="tien-dien", path=path, unit=unit_by_code(A))
    assert AuditEvent.objects.get(verb="policies.deliveries_import").data["unit"] == A


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_list_at_once_record_each_row_once(units_again, tmp_path):
    _homes()
    official = user_with_role("commune_official", A)
    path = _csv(
        tmp_path,
        "household_id,date,amount_vnd,evidence\n"
        + "".join(f"HH-{i % 2 + 1},31/03/2026,147000,PC-{i}\n" for i in range(40)),
    )
    start = threading.Barrier(2)
    results: list[tuple[int, int]] = []
    errors: list[Exception] = []

    def run():
        try:
            start.wait()
            r = deliveries_import(actor=official, policy_id="tien-dien", path=path)
            results.append((r.created, r.skipped))
        except Exception as exc:  # noqa: BLE001  # any failure is the test's to show
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(results) == [(0, 40), (40, 0)]
    assert Benefit.objects.count() == 40
