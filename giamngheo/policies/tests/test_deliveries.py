"""An agency's delivery list into the ledger: matched by id, all-or-nothing, every bad row named, re-import a no-op."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.cli.main import main
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.deliveries import deliveries_import
from giamngheo.policies.models import Benefit
from giamngheo.registry.services import member_add
from giamngheo.review.models import ReviewRound, Status
from giamngheo.standards.problems import InputError

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
D = dt.date


@pytest.fixture
def homes():
    admin = system_user()
    poor, other, far = household(admin, "HH-1", A), household(admin, "HH-2", A), household(admin, "HH-9", B)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=poor,
        category="poor",
        valid_from=D(2025, 12, 12),
        review_round=rnd,
        decision_number="45/QĐ-UBND",
        transition="",
    )
    member_add(actor=admin, household=poor, member_id="HH-1-9", national_id="001212000123", birth_date=D(2012, 3, 1))
    member_add(actor=admin, household=far, member_id="HH-9-9", national_id="001212000999", birth_date=D(2012, 3, 1))
    return {"poor": poor, "other": other, "far": far}


def _csv(tmp_path, text, name="list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_card_list_with_vietnamese_headers_and_a_no_op_reimport(homes, tmp_path, monkeypatch):
    from giamngheo.policies import deliveries

    monkeypatch.setattr(deliveries, "CHUNK", 1)  # ids are looked up in chunks (SQLite's parameter limit)
    official = user_with_role("commune_official", A)
    path = _csv(
        tmp_path,
        "Mã thành viên,Số định danh cá nhân (CCCD),Ngày,Số lượng,Số tiền (đồng),Số chứng từ\n"
        'HH-1-9,,05/01/2026,1,"1.105.000",BHXH-1\n'
        ",001212000123,05/02/2026,1,0,BHXH-2\n"
        "HH-2-1,,05/01/2026,1,0,BHXH-1\n",
    )
    result = deliveries_import(actor=official, policy_id="bhyt", path=path)
    assert (result.created, result.skipped) == (3, 0)
    first = Benefit.objects.get(evidence="BHXH-1", member__member_id="HH-1-9")
    assert (first.amount_vnd, first.source, first.eligible_at_delivery, first.status_at_delivery) == (
        1_105_000,
        "import",
        True,
        "poor",
    )
    assert not Benefit.objects.get(member__member_id="HH-2-1").eligible_at_delivery  # a wrong target, recorded as such
    assert first.history.get().history_user == official  # in the history, attributed
    kept = first.history.get()  # the history row is the row as written (written in bulk, not by save())
    for field in ("quantity", "amount_vnd", "recorded_at", "policy_id", "import_key", "member_id", "provider"):
        assert getattr(kept, field) == getattr(first, field), field
    assert first.quantity == Decimal("1") and first.recorded_by == official and first.recorded_at is not None
    assert Benefit.history.count() == 3
    from giamngheo.core.models import AuditEvent

    event = AuditEvent.objects.get(verb="policies.deliveries_import")
    assert (event.actor, event.data["created"]) == (official, 3)
    again = deliveries_import(actor=official, policy_id="bhyt", path=path)
    assert (again.created, again.skipped) == (0, 3) and Benefit.objects.count() == 3


def test_every_bad_row_is_named_and_nothing_is_written(homes, tmp_path):
    official = user_with_role("commune_official", A)
    path = _csv(
        tmp_path,
        "household_id,member_id,national_id,date,quantity,amount_vnd,evidence\n"
        "HH-1,HH-1-9,,05/01/2026,1,0,A\n"  # fine
        ",,001212000999,05/01/2026,1,0,B\n"  # a person of another commune: not seen
        ",NO-SUCH,,05/01/2026,1,0,C\n"  # unknown member
        ",HH-9-9,,05/01/2026,1,0,D\n"  # another commune: not visible
        "HH-2,HH-1-9,,05/01/2026,1,0,E\n"  # member of another household
        ",HH-1-9,,31/02/2026,1,0,F\n"  # not a date
        ",HH-1-9,,05/01/2026,1,-5,G\n"  # negative amount
        ",,,05/01/2026,1,0,H\n"  # nobody named
        "HH-1,HH-1-9,,05/01/2026,1,0,A\n"  # repeats row 2
        ",HH-1-9,,01/01/2030,1,0,J\n",  # delivered in the future: was stored, eligible by today's statuses
    )
    with pytest.raises(InputError) as caught:
        deliveries_import(actor=official, policy_id="bhyt", path=path)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {
        (3, "national_id"),
        (4, "member_id"),
        (5, "member_id"),
        (6, "member_id"),
        (7, "date"),
        (8, "amount_vnd"),
        (9, "household_id"),
        (10, None),
        (11, "date"),
    }, caught.value.report()
    assert all(p.message_vi and p.message_en for p in caught.value.problems)
    assert not Benefit.objects.exists()


def test_rows_that_name_two_people_and_household_policy_rules(homes, tmp_path):
    admin = system_user()  # sees both communes
    path = _csv(tmp_path, "member_id,national_id,date\nHH-1-9,001212000999,05/01/2026\n")
    with pytest.raises(InputError) as caught:  # the member id and the national id are two different people
        deliveries_import(actor=admin, policy_id="bhyt", path=path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "national_id")]
    path = _csv(tmp_path, "household_id,member_id,date,amount_vnd\nHH-1,HH-1-9,31/03/2026,147000\n", "power.csv")
    with pytest.raises(InputError):  # a household policy: household_id only
        deliveries_import(actor=admin, policy_id="tien-dien", path=path)
    loans = _csv(
        tmp_path,
        'household_id,date,amount_vnd,Thời hạn vay (tháng),Lãi suất (%/năm),Mục đích vay\nHH-1,05/01/2026,50000000,60,"6,6",mua bò\n',
        "loans.csv",
    )
    assert deliveries_import(actor=admin, policy_id="vay-ho-ngheo", path=loans).created == 1
    loan = Benefit.objects.get(policy_id="vay-ho-ngheo").loan
    assert (loan.declared_purpose, loan.term_months, loan.interest_percent_year) == ("mua bò", 60, Decimal("6.6"))
    assert loan.history.get().history_user == admin and loan.history.get().declared_purpose == "mua bò"


def test_the_command_and_its_denials(homes, tmp_path):
    path = _csv(tmp_path, "household_id,date,amount_vnd,evidence\nHH-1,31/03/2026,147000,PC-1\n")
    user_with_role("reviewer", A, "rv")
    user_with_role("commune_official", A, "cb")
    assert main(["--as", "rv", "benefits", "import", "--policy", "tien-dien", str(path)]) == 2  # a reviewer may not
    assert not Benefit.objects.exists()
    assert main(["--as", "cb", "benefits", "import", "--policy", "tien-dien", str(path)]) == 0
    assert main(["--as", "cb", "benefits", "import", "--policy", "tien-dien", str(path)]) == 0
    assert Benefit.objects.get().amount_vnd == 147_000


def test_an_excel_list_reads_like_a_csv(homes, tmp_path):
    import polars as pl

    from giamngheo.core.spreadsheets import write_frame

    path = tmp_path / "list.xlsx"
    frame = pl.DataFrame(
        {"Mã hộ": ["HH-1"], "Ngày": ["31/03/2026"], "Số tiền (đồng)": ["147.000"], "Số chứng từ": ["PC-1"]}
    )
    write_frame(frame, path, "danh-sach")
    result = deliveries_import(actor=user_with_role("commune_official", A), policy_id="tien-dien", path=path)
    assert result.created == 1
    assert Benefit.objects.get().amount_vnd == 147_000
