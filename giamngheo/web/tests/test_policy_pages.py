"""The support pages (#16 items 5 and 7, web): a unit's eligible list, gaps, wrong targets, overlaps and
ledger, paged with a constant number of queries and downloadable; the household's missing policies and
flags by the same functions as the lists; recording, reversing and checking a loan from the household
page, post/redirect/get, errors at the top in the reader's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.accounts.access import area_scope
from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.core import clock
from giamngheo.core.models import AuditEvent
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies import findings
from giamngheo.policies.catalogue import catalogue, load_policy
from giamngheo.policies.eligibility import Register, eligibility_of
from giamngheo.policies.models import Benefit, LoanCheck
from giamngheo.policies.selectors import household_findings
from giamngheo.policies.services import LoanTerms, benefit_record
from giamngheo.policies.tests.histories import A, register_histories
from giamngheo.policies.tests.test_findings import HISTORIES, ON
from giamngheo.policies.tests.test_findings import ledger as ledger  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
D = dt.date
POOR = [(D(2025, 12, 12), "poor", "45/QĐ-UBND")]


@pytest.fixture
def today():
    with clock.fixed(ON):
        yield ON


def _official(client):
    official = user_with_role("commune_official", A)
    client.force_login(official)
    return official


def _unit():
    return unit_by_code(A).pk


def _body(response) -> str:
    return response.content.decode()


def _more_poor(n: int) -> list:
    """n more poor households of commune A by the same decision (register_histories makes HH-B once)."""
    from giamngheo.accounts.tests.factories import household
    from giamngheo.review.models import ReviewRound, Status

    admin = system_user()
    decided = ReviewRound.objects.filter(commune=unit_by_code(A)).first()
    homes = [household(admin, f"HH-Q{i:02}", A, members=1) for i in range(n)]
    Status.objects.bulk_create(
        Status(
            household=h,
            category="poor",
            valid_from=D(2025, 12, 12),
            review_round=decided,
            decision_number="45/QĐ-UBND",
            transition="",
        )
        for h in homes
    )
    return homes


def test_the_eligible_list_pages_with_constant_queries_and_downloads_what_the_page_lists(client, today):
    homes = register_histories({f"P{i:02}": POOR for i in range(3)}, opened=D(2025, 9, 1))
    _official(client)
    path = f"/don-vi/{_unit()}/ho-tro/doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026"
    page = _body(client.get(path))
    assert "3 dòng" in page and "HH-P00" in page and "hộ nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025" in page
    assert "HH-B" not in page  # another commune
    with CaptureQueriesContext(connection) as three:
        client.get(path)
    more = _more_poor(60)
    with CaptureQueriesContext(connection) as sixty_three:
        response = client.get(path)
    page = _body(response)
    assert "63 dòng" in page and "Trang 1/2" in page and len(response.content) < 300_000
    assert len(sixty_three.captured_queries) == len(three.captured_queries)
    second = _body(client.get(path + "&trang=2"))
    assert "HH-Q59" in second and "HH-P00" not in second
    download = client.get(f"/don-vi/{_unit()}/ho-tro/doi-tuong/tai-ve.csv?chinh_sach=tien-dien&ngay=15/05/2026")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert {r["household_id"] for r in rows} == {h.household_id for h in [*homes.values(), *more]} - {"HH-B"}
    assert AuditEvent.objects.filter(verb="policies.eligible_export").count() == 1


def test_a_date_after_today_is_an_error_at_the_top_in_one_language(client, today):
    _official(client)
    page = _body(client.get(f"/don-vi/{_unit()}/ho-tro/doi-tuong/?chinh_sach=bhyt&ngay=31/12/2026"))
    assert 'id="errors"' in page and "ở tương lai" in page and "in the future" not in page
    page = _body(client.get(f"/don-vi/{_unit()}/ho-tro/doi-tuong/?chinh_sach=bhyt&ngay=31/02/2026"))
    assert 'id="errors"' in page and "dd/mm/yyyy" in page


def test_the_finding_pages_list_what_the_findings_find(client, ledger, today):  # noqa: F811
    _official(client)
    unit = _unit()
    gaps = _body(client.get(f"/don-vi/{unit}/ho-tro/chua-nhan/?chinh_sach=tien-dien&ngay=15/05/2026"))
    scope = area_scope(system_user(), unit_by_code(A), on=ON)
    expected = set(findings.gaps(scope, load_policy("tien-dien"), ON).frame.get_column("household_id"))
    assert expected == {"HH-P2", "HH-P3"}
    assert all(h in gaps for h in expected) and "HH-P1<" not in gaps and "Kỳ của chính sách (quý)" in gaps
    wrong = _body(client.get(f"/don-vi/{unit}/ho-tro/sai-doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026"))
    assert "HH-N" in wrong and "PC-7" in wrong and "HH-O" not in wrong  # O's was reversed
    overlaps = _body(client.get(f"/don-vi/{unit}/ho-tro/trung-lap/?ngay=15/05/2026"))
    assert "HH-P1" in overlaps and "HH-E" not in overlaps and "HH-B" not in overlaps
    download = client.get(f"/don-vi/{unit}/ho-tro/trung-lap/tai-ve.xlsx?ngay=15/05/2026")
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')


def test_the_ledger_filters_by_policy_and_period_with_constant_queries(client, ledger, today):  # noqa: F811
    _official(client)
    path = f"/don-vi/{_unit()}/ho-tro/so/"
    page = _body(client.get(path))
    total = Benefit.objects.filter(household__unit__code=A).count()
    assert f"{total} bút toán" in page and "điều chỉnh giảm" in page and "HH-B" not in page
    page = _body(client.get(path + "?chinh_sach=tien-dien&tu_ngay=01/04/2026&den_ngay=30/06/2026"))
    in_quarter = Benefit.objects.filter(
        household__unit__code=A, policy_id="tien-dien", delivered_on__range=(D(2026, 4, 1), D(2026, 6, 30))
    ).count()
    assert f"{in_quarter} bút toán" in page and "Vay vốn" not in page
    with CaptureQueriesContext(connection) as before:
        client.get(path)
    admin = system_user()
    for day in range(1, 29):
        benefit_record(
            actor=admin, household=ledger["P1"], policy_id="tien-dien", delivered_on=D(2026, 2, day), amount_vnd=1
        )
    with CaptureQueriesContext(connection) as after:
        client.get(path)
    assert len(after.captured_queries) == len(before.captured_queries)
    page = _body(client.get(path + "?tu_ngay=30/06/2026&den_ngay=01/01/2026"))
    assert 'id="errors"' in page


def test_the_household_findings_are_the_lists_findings_for_that_household(ledger):  # noqa: F811
    """Recounted against the unit's lists, policy by policy: nothing computed another way."""
    scope = area_scope(system_user(), unit_by_code(A), on=ON)
    keys = ["household_id", "member_id", "reason"]
    for key in HISTORIES:
        home = ledger[key]
        found = household_findings(home, ON)
        for pid, policy in catalogue().items():
            unit_gaps = findings.gaps(scope, policy, ON).frame.filter(pl.col("household_id") == home.household_id)
            mine = found.missing.filter(pl.col("policy_id") == pid)
            assert sorted(mine.select(keys).rows()) == sorted(unit_gaps.select(keys).rows()), (key, pid)
            unit_wrong = findings.wrong_target(scope, policy, None, ON).frame
            unit_wrong = unit_wrong.filter(pl.col("household_id") == home.household_id)
            mine_wrong = found.wrong_target.filter(pl.col("policy_id") == pid) if found.wrong_target.height else None
            assert (mine_wrong.height if mine_wrong is not None else 0) == unit_wrong.height, (key, pid)
        unit_pairs = findings.overlaps(scope, ON).frame.filter(pl.col("household_id") == home.household_id)
        assert sorted(found.overlaps.select("first_policy", "second_policy").rows()) == sorted(
            unit_pairs.select("first_policy", "second_policy").rows()
        ), key


def test_a_register_cut_at_an_earlier_day_is_the_register_read_on_that_day(ledger):  # noqa: F811
    home = ledger["E"]  # poor in 2018, off the lists in 2019: newly escaped for a while, then not
    register = Register(ON, household_pks=[home.pk])
    for policy in catalogue().values():
        register.eligible(policy)
    for day in (D(2018, 11, 1), D(2019, 1, 1), D(2020, 1, 10), D(2022, 6, 1), ON):
        for policy in catalogue().values():
            assert register.as_of(day).eligible(policy).equals(eligibility_of([home.pk], policy, day)), (day, policy.id)
    with pytest.raises(ValueError):
        register.as_of(D(2026, 12, 31))


def test_the_household_page_shows_what_is_missing_and_its_flags_in_a_constant_number_of_queries(
    client,
    ledger,  # noqa: F811
    today,
):
    _official(client)
    page = _body(client.get("/ho/HH-P2/"))
    missing = page.split('id="missing"')[1].split("<h2")[0]
    assert "Hỗ trợ tiền điện" in missing  # paid last quarter, not this one
    flags = page.split('id="flags"')[1].split("<h2")[0]  # its near-poor loan came before its decision
    assert "flag-wrong-target" in flags and "01/06/2025" in flags and "Hỗ trợ tiền điện" not in flags
    page = _body(client.get("/ho/HH-N/"))
    assert 'id="flags"' in page and "flag-wrong-target" in page
    page = _body(client.get("/ho/HH-P1/"))
    assert "flag-overlap" in page and "Hỗ trợ tiền điện" not in page.split('id="missing"')[1].split("<h2")[0]
    with CaptureQueriesContext(connection) as before:
        client.get("/ho/HH-P1/")
    admin = system_user()
    for day in range(1, 20):
        benefit_record(
            actor=admin, household=ledger["P1"], policy_id="tien-dien", delivered_on=D(2026, 2, day), amount_vnd=1
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/ho/HH-P1/")
    assert len(after.captured_queries) == len(before.captured_queries)


def _post(client, path, data):
    return client.post(path, data)


def test_recording_a_benefit_posts_then_redirects_to_the_page_saying_whether_it_was_eligible(client, today):
    homes = register_histories({"P": POOR, "O": []}, opened=D(2025, 9, 1))
    _official(client)
    data = {
        "policy_id": "tien-dien",
        "delivered_on": "30/04/2026",
        "quantity": "1",
        "amount_vnd": "147.000",
        "evidence": "PC-9",
    }
    response = _post(client, "/ho/HH-P/ho-tro/ghi/", {**data, "step": "check"})
    assert response.status_code == 200 and "Đủ điều kiện ngày 30/04/2026: hộ nghèo theo QĐ 45/QĐ-UBND" in _body(
        response
    )
    assert not Benefit.objects.exists()  # the check writes nothing
    response = _post(client, "/ho/HH-P/ho-tro/ghi/", {**data, "step": "record"})
    assert response.status_code == 302 and response["Location"].startswith("/ho/HH-P/")
    benefit = Benefit.objects.get()
    assert benefit.amount_vnd == 147_000 and benefit.eligible_at_delivery and benefit.evidence == "PC-9"
    page = _body(client.get(response["Location"]))
    assert "Đã ghi Hỗ trợ tiền điện" in page and "Đủ điều kiện ngày 30/04/2026" in page and "PC-9" in page
    response = _post(client, "/ho/HH-O/ho-tro/ghi/", {**data, "step": "record"})
    page = _body(client.get(response["Location"]))
    assert "Không đủ điều kiện ngày 30/04/2026" in page and homes["O"].benefits.get().eligible_at_delivery is False


def test_a_refused_benefit_shows_its_errors_at_the_top_and_writes_nothing(client, today):
    register_histories({"P": POOR}, opened=D(2025, 9, 1))
    _official(client)
    base = {"delivered_on": "30/04/2026", "quantity": "1", "amount_vnd": "0", "step": "record"}
    future = _body(
        _post(client, "/ho/HH-P/ho-tro/ghi/", {**base, "policy_id": "tien-dien", "delivered_on": "01/01/2027"})
    )
    assert 'id="errors"' in future and "Ngày nhận ở tương lai" in future and "in the future" not in future
    members = _body(_post(client, "/ho/HH-P/ho-tro/ghi/", {**base, "policy_id": "bhyt"}))
    assert "cần chọn thành viên" in members
    loan = _body(_post(client, "/ho/HH-P/ho-tro/ghi/", {**base, "policy_id": "vay-ho-ngheo", "amount_vnd": "1.000"}))
    assert "Khoản vay cần thời hạn" in loan
    bad = _body(_post(client, "/ho/HH-P/ho-tro/ghi/", {**base, "policy_id": "tien-dien", "amount_vnd": "abc"}))
    assert 'id="errors"' in bad and "1.500.000" in bad
    assert not Benefit.objects.exists()


def test_a_loan_is_recorded_with_its_terms_reversed_after_confirmation_and_its_use_checked(client, today):
    homes = register_histories({"P": POOR}, opened=D(2025, 9, 1))
    _official(client)
    response = _post(
        client,
        "/ho/HH-P/ho-tro/ghi/",
        {
            "policy_id": "vay-ho-ngheo",
            "delivered_on": "05/01/2026",
            "quantity": "1",
            "amount_vnd": "100.000.000",
            "term_months": "60",
            "interest_percent_year": "6,6",
            "declared_purpose": "nuôi bò",
            "step": "record",
        },
    )
    assert response.status_code == 302
    lent = homes["P"].benefits.get()
    assert lent.loan.term_months == 60 and lent.loan.interest_percent_year == Decimal("6.6")
    page = _body(client.get("/ho/HH-P/"))
    assert f"/ho/HH-P/ho-tro/{lent.pk}/kiem-tra-vay/" in page and f"/ho/HH-P/ho-tro/{lent.pk}/dao/" in page
    check = f"/ho/HH-P/ho-tro/{lent.pk}/kiem-tra-vay/"
    early = _body(_post(client, check, {"checked_on": "01/01/2026", "observed_use": "mua bò", "conforms": "yes"}))
    assert "Ngày kiểm tra trước ngày vay" in early and not LoanCheck.objects.exists()
    response = _post(client, check, {"checked_on": "01/05/2026", "observed_use": "mua xe máy", "conforms": "no"})
    assert response.status_code == 302 and LoanCheck.objects.get().conforms is False
    assert "không đúng mục đích" in _body(client.get(check))
    reverse = f"/ho/HH-P/ho-tro/{lent.pk}/dao/"
    unconfirmed = _body(_post(client, reverse, {"reason": "ghi nhầm"}))
    assert 'id="errors"' in unconfirmed and homes["P"].benefits.count() == 1
    response = _post(client, reverse, {"reason": "ghi nhầm", "xac_nhan": "on"})
    assert response.status_code == 302 and homes["P"].benefits.filter(amount_vnd=-100_000_000).exists()
    again = _body(_post(client, reverse, {"reason": "lần nữa", "xac_nhan": "on"}))
    assert "đã được đảo" in again and homes["P"].benefits.count() == 2
    page = _body(client.get("/ho/HH-P/"))
    assert f"/ho/HH-P/ho-tro/{lent.pk}/dao/" not in page  # a reversed entry offers no second reversal


def test_the_chair_sees_the_ledger_but_no_recording_links(client, today):
    homes = register_histories({"P": POOR}, opened=D(2025, 9, 1))
    benefit_record(actor=system_user(), household=homes["P"], policy_id="tien-dien", delivered_on=D(2026, 4, 1))
    client.force_login(user_with_role("commune_chair", A))
    page = _body(client.get("/ho/HH-P/"))
    assert "Hỗ trợ tiền điện" in page and "/ho-tro/ghi/" not in page and "/dao/" not in page


def test_a_member_policy_records_for_the_member_chosen(client, today):
    from giamngheo.registry.models import Member

    homes = register_histories({"P": POOR}, opened=D(2025, 9, 1))
    member = Member.objects.filter(household=homes["P"]).first()
    assert member is not None
    _official(client)
    policy = next(p for p in catalogue().values() if p.member_level and p.fact("unit") != "loan")
    response = _post(
        client,
        "/ho/HH-P/ho-tro/ghi/",
        {
            "policy_id": policy.id,
            "member": member.member_id,
            "delivered_on": "01/03/2026",
            "quantity": "1",
            "amount_vnd": "0",
            "step": "record",
        },
    )
    assert response.status_code == 302
    assert Benefit.objects.get().member_id == member.pk


def test_a_reversal_is_not_offered_for_another_households_entry(client, today):
    homes = register_histories({"P": POOR, "Q": POOR}, opened=D(2025, 9, 1))
    other = benefit_record(actor=system_user(), household=homes["Q"], policy_id="tien-dien", delivered_on=D(2026, 4, 1))
    _official(client)
    assert client.get(f"/ho/HH-P/ho-tro/{other.pk}/dao/").status_code == 404
    assert client.post(f"/ho/HH-P/ho-tro/{other.pk}/dao/", {"reason": "x", "xac_nhan": "on"}).status_code == 404
    assert Benefit.objects.count() == 1


def test_a_wrong_target_names_the_other_category_in_words(client, today):
    """The reason said "lúc nhận: other" (the code) for a household recognised as neither poor nor
    near-poor; the page is in Vietnamese."""
    homes = register_histories({"K": [(D(2025, 12, 12), "other", "46/QĐ-UBND")]}, opened=D(2025, 9, 1))
    benefit_record(actor=system_user(), household=homes["K"], policy_id="tien-dien", delivered_on=D(2026, 4, 10))
    _official(client)
    page = _body(client.get(f"/don-vi/{_unit()}/ho-tro/sai-doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026"))
    assert "HH-K" in page and "lúc nhận: hộ khác;" in page and "lúc nhận: other" not in page


def test_in_english_the_pages_leave_the_vietnamese_reasons_out_and_say_so(client, ledger, today):  # noqa: F811
    """The reasons are written in Vietnamese; an English page showed them among English labels."""
    from .test_one_language import _in, other_language, visible

    _official(client)
    _in(client, "en")
    unit = _unit()
    for path in (
        f"/don-vi/{unit}/ho-tro/doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026",
        f"/don-vi/{unit}/ho-tro/chua-nhan/?chinh_sach=tien-dien&ngay=15/05/2026",
        f"/don-vi/{unit}/ho-tro/sai-doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026",
        f"/don-vi/{unit}/ho-tro/trung-lap/?ngay=15/05/2026",
        f"/don-vi/{unit}/ho-tro/so/",
        "/ho/HH-N/",
        "/ho/HH-P2/ho-tro/ghi/",
    ):
        page = _body(client.get(path))
        text = visible(page[page.index("<main") :])
        assert "theo QĐ" not in text and "lúc nhận" not in text and "chưa nhận" not in text, path
        assert other_language(text, "en") == [], (path, other_language(text, "en"))
    assert "written in Vietnamese" in _body(
        client.get(f"/don-vi/{unit}/ho-tro/doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026")
    )


def test_the_gap_and_overlap_pages_read_in_a_constant_number_of_queries(client, today):
    register_histories({f"P{i:02}": POOR for i in range(3)}, opened=D(2025, 9, 1))
    _official(client)
    paths = [
        f"/don-vi/{_unit()}/ho-tro/chua-nhan/?chinh_sach=tien-dien&ngay=15/05/2026",
        f"/don-vi/{_unit()}/ho-tro/trung-lap/?ngay=15/05/2026",
    ]
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as few:
            client.get(path)
        counts.append(len(few.captured_queries))
    more = _more_poor(60)
    admin = system_user()
    for home in more[:20]:  # loans of one group, within the window: 20 overlaps
        benefit_record(
            actor=admin,
            household=home,
            policy_id="vay-ho-can-ngheo",
            delivered_on=D(2025, 12, 1),
            amount_vnd=1,
            loan=LoanTerms(60, Decimal("6.6"), "nuôi bò"),
        )
        benefit_record(
            actor=admin,
            household=home,
            policy_id="vay-ho-ngheo",
            delivered_on=D(2026, 1, 5),
            amount_vnd=1,
            loan=LoanTerms(60, Decimal("6.6"), "nuôi bò"),
        )
    for path, before in zip(paths, counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            response = client.get(path)
        assert len(many.captured_queries) == before, path
        assert len(response.content) < 300_000
    assert "20 dòng" in _body(client.get(paths[1]))


def test_the_wrong_target_page_reads_the_same_whatever_the_number_of_delivery_days(client, today):
    """Each delivery day was rechecked by its own three reads (30 days: 90 queries more)."""
    homes = register_histories(
        {"P": POOR, "O": [], "K": [(D(2025, 12, 12), "other", "46/QĐ-UBND")]}, opened=D(2025, 9, 1)
    )
    admin = system_user()
    benefit_record(actor=admin, household=homes["O"], policy_id="tien-dien", delivered_on=D(2026, 4, 1))
    _official(client)
    path = f"/don-vi/{_unit()}/ho-tro/sai-doi-tuong/?chinh_sach=tien-dien&ngay=15/05/2026"
    client.get(path)  # the units' cache filled
    with CaptureQueriesContext(connection) as one_day:
        client.get(path)
    for day in range(2, 31):
        benefit_record(
            actor=admin, household=homes["K" if day % 2 else "P"], policy_id="tien-dien", delivered_on=D(2026, 4, day)
        )
    with CaptureQueriesContext(connection) as thirty_days:
        page = _body(client.get(path))
    assert len(thirty_days.captured_queries) == len(one_day.captured_queries)
    assert "15 dòng" in page  # O's one and K's fourteen; P is eligible every day


def test_checking_a_member_policy_without_a_member_asks_for_one(client, today):
    """The check said "not eligible" for a member policy when no member was chosen."""
    register_histories({"P": POOR}, opened=D(2025, 9, 1))
    _official(client)
    data = {"policy_id": "bhyt", "delivered_on": "30/04/2026", "quantity": "1", "amount_vnd": "0", "step": "check"}
    page = _body(_post(client, "/ho/HH-P/ho-tro/ghi/", data))
    assert 'id="errors"' in page and "cần chọn thành viên" in page and 'id="eligibility"' not in page
    page = _body(_post(client, "/ho/HH-P/ho-tro/ghi/", {**data, "member": "HH-P-1"}))
    assert "Đủ điều kiện ngày 30/04/2026: hộ nghèo theo QĐ 45/QĐ-UBND" in page


def test_the_same_form_sent_twice_records_one_delivery(client, today):
    """The tester of 06/12/2026: a double tap (or a resubmit from a second tab) recorded two rows. The
    form carries one key from when it was drawn; a new form draws a new one."""
    register_histories({"P": POOR}, opened=D(2025, 9, 1))
    _official(client)
    form = _body(client.get("/ho/HH-P/ho-tro/ghi/"))
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', form).group(1)
    assert key not in _body(client.get("/ho/HH-P/ho-tro/ghi/"))  # each form drawn has its own
    data = {"policy_id": "tien-dien", "delivered_on": "30/04/2026", "quantity": "1", "amount_vnd": "147.000"}
    for _ in range(2):
        response = _post(client, "/ho/HH-P/ho-tro/ghi/", {**data, "step": "record", "submission_key": key})
        assert response.status_code == 302
    assert Benefit.objects.count() == 1
    _post(client, "/ho/HH-P/ho-tro/ghi/", {**data, "step": "record", "submission_key": "b" * 32})
    assert Benefit.objects.count() == 2  # another form: another delivery, as the official meant
