"""The policy reports (results, coverage, loans) recounted by plain Python from the ledger's rows and the
decisions of a hand-built register: a reversal, a wrong target, a gap, an overlap, a loan out of term,
loan checks; another commune's benefits stay out of the commune's report and count in the province's;
an empty period is an honest empty report; the files and the CLI answer the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied
from giamngheo.policies.catalogue import load_policy
from giamngheo.policies.models import Benefit, LoanCheck
from giamngheo.policies.report_tables import COVERAGE, LOANS, RESULTS
from giamngheo.policies.services import LoanTerms, benefit_record, benefit_reverse, loan_check_record
from giamngheo.policies.tests.histories import A, B, register_histories
from giamngheo.registry.models import Member
from giamngheo.registry.summary import summary_refresh
from giamngheo.reports.render import render
from giamngheo.reports.selectors import report_names, report_table
from giamngheo.review.models import Status

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 6)
START = D(2026, 1, 1)
HISTORIES = {
    "P1": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],
    "P2": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],
    "N": [(D(2024, 12, 10), "near_poor", "30/QĐ-UBND")],
    "E": [(D(2018, 12, 10), "poor", "5/QĐ-UBND"), (D(2019, 12, 10), "other", "8/QĐ-UBND")],
    "O": [],
}
LOAN = LoanTerms(60, Decimal("6.6"), "nuôi bò")
SHORT = LoanTerms(12, Decimal("6.6"), "mua giống")


@pytest.fixture
def ledger():
    admin = system_user()
    with clock.fixed(TODAY):
        homes = register_histories(HISTORIES, opened=D(2018, 9, 1))
        Member.objects.filter(household=homes["P2"], relation_to_head="head").update(ethnicity="03")  # Thái
        summary_refresh([homes["P2"].pk])

        def give(h, policy_id, day, **kw):
            return benefit_record(actor=admin, household=homes[h], policy_id=policy_id, delivered_on=day, **kw)

        def head(h):
            return Member.objects.get(household=homes[h], relation_to_head="head")

        give("P1", "tien-dien", D(2026, 11, 15), amount_vnd=147_000)  # this quarter: reached
        give("P2", "tien-dien", D(2026, 3, 31), amount_vnd=147_000)  # an earlier quarter: a gap now
        undone = give("P2", "tien-dien", D(2026, 10, 10), amount_vnd=147_000)
        benefit_reverse(actor=admin, benefit=undone, reason="ghi nhầm")  # never counts, nor its reversal
        give("N", "tien-dien", D(2026, 4, 10), amount_vnd=147_000)  # near-poor: a wrong target
        give("P1", "bhyt", D(2026, 2, 1), member=head("P1"), quantity=1)
        give("P2", "bhyt", D(2026, 2, 1), member=head("P2"), quantity=1)
        give("N", "bhyt", D(2025, 2, 1), member=head("N"), quantity=1)  # last year: not in the period
        give("P1", "dat-o", D(2026, 5, 5), quantity="12.5", amount_vnd=0)
        loan_p1 = give("P1", "vay-ho-ngheo", D(2026, 1, 5), amount_vnd=100_000_000, loan=LOAN).loan
        loan_n = give("N", "vay-ho-can-ngheo", D(2020, 1, 5), amount_vnd=30_000_000, loan=SHORT).loan  # out of term
        give("N", "vay-ho-can-ngheo", D(2026, 1, 6), amount_vnd=30_000_000, loan=LOAN)
        give("P1", "vay-ho-can-ngheo", D(2026, 6, 1), amount_vnd=50_000_000, loan=LOAN)  # an overlap with P1's
        gone = give("P2", "vay-ho-ngheo", D(2026, 2, 5), amount_vnd=100_000_000, loan=LOAN)
        benefit_reverse(actor=admin, benefit=gone, reason="ghi nhầm")
        loan_check_record(actor=admin, loan=loan_p1, checked_on=D(2026, 6, 1), observed_use="bò", conforms=True)
        loan_check_record(actor=admin, loan=loan_p1, checked_on=D(2026, 9, 1), observed_use="xe máy", conforms=False)
        loan_check_record(actor=admin, loan=loan_n, checked_on=D(2026, 3, 1), observed_use="giống", conforms=True)
        loan_check_record(actor=admin, loan=loan_n, checked_on=D(2025, 3, 1), observed_use="—", conforms=False)
        give("B", "bhyt", D(2026, 2, 1), member=head("B"), quantity=1)  # commune B
        give("B", "vay-ho-ngheo", D(2026, 3, 1), amount_vnd=80_000_000, loan=LOAN)
    return homes


def _standing(unit_codes, start=START, end=TODAY):
    """Plain Python: the ledger's rows in the communes, delivered in the period, neither reversal nor reversed."""
    rows = list(Benefit.objects.select_related("household__unit", "member"))
    reversed_pks = {b.reverses_id for b in rows if b.reverses_id}
    return [
        b
        for b in rows
        if not b.reverses_id
        and b.pk not in reversed_pks
        and b.household.unit.code in unit_codes
        and start <= b.delivered_on <= end
    ]


def _table(name, unit, period="2026", actor=None):
    with clock.fixed(TODAY):
        return report_table(actor or system_user(), name, unit, period, with_chart=False)


def _items(table, level_code=None):
    """The policy rows under the unit row whose code is `level_code` (the total when None)."""
    out, inside = {}, level_code is None
    for row in table.rows:
        if row["_level"] != "item":
            inside = (row["_level"] == "total") if level_code is None else row["code"] == level_code
            continue
        if inside:
            out[row["code"]] = row
    return out


def test_the_reports_join_the_report_set():
    names = [n for n, _, _ in report_names()]
    assert {RESULTS, COVERAGE, LOANS} <= set(names)


def test_results_recounted_from_the_ledger(ledger):
    table = _table(RESULTS, A)
    items = _items(table)
    rows = _standing({A})
    for policy_id in {b.policy_id for b in rows} | {"tien-dien", "nha-o"}:
        mine = [b for b in rows if b.policy_id == policy_id]
        got = items[policy_id]
        assert got["households"] == len({b.household_id for b in mine}), policy_id
        assert got["persons"] == len({b.member_id for b in mine if b.member_id}), policy_id
        assert got["times"] == len(mine)
        assert got["amount"] == sum(b.amount_vnd for b in mine)
        assert got["quantity"] == pytest.approx(float(sum((b.quantity for b in mine), Decimal(0))))
        assert got["poor"] == len({b.household_id for b in mine if b.status_at_delivery == "poor"})
        assert got["near"] == len({b.household_id for b in mine if b.status_at_delivery == "near_poor"})
        minority = [b for b in mine if b.household.household_id == "HH-P2"]
        assert got["minority"] == len({b.household_id for b in minority})
        assert got["minority_amount"] == sum(b.amount_vnd for b in minority)
    assert items["tien-dien"]["households"] == 3 and items["tien-dien"]["times"] == 3  # the reversed pair is out
    assert items["nha-o"]["households"] == 0  # every policy at the total, zeros too
    total = table.rows[0]
    assert total["_level"] == "total"
    assert total["households"] == len({b.household_id for b in rows})
    assert total["amount"] == sum(b.amount_vnd for b in rows)
    assert total["minority"] == 1
    assert not any(r["code"] == "HH-B" for r in table.rows)


def test_the_province_counts_both_communes_and_each_commune_its_own(ledger):
    table = _table(RESULTS, "14")
    assert _items(table)["bhyt"]["persons"] == len({b.member_id for b in _standing({A, B}) if b.policy_id == "bhyt"})
    assert _items(table, A)["bhyt"]["persons"] == 2
    assert _items(table, B)["bhyt"]["persons"] == 1
    assert "vay-ho-can-ngheo" not in _items(table, B)  # a unit lists only policies with something there
    levels = [r["_level"] for r in table.rows]
    assert levels[0] == "total" and "province" in levels and "commune" in levels


def _poor_on(home, day):
    """Plain Python: the household's latest decided category by `day`."""
    decided = sorted(Status.objects.filter(household=home, valid_from__lte=day), key=lambda s: (s.valid_from, s.pk))
    return decided[-1].category if decided else None


def test_coverage_recounted_from_the_decisions_and_the_ledger(ledger):
    table = _table(COVERAGE, A)
    items = _items(table)
    rows = _standing({A}, start=D(2000, 1, 1))
    in_a = {k: h for k, h in ledger.items() if k != "B"}
    # tiền điện: the poor on the day; reached by a standing payment of this quarter (01/10–31/12/2026)
    poor = {h.pk for h in in_a.values() if _poor_on(h, TODAY) == "poor"}
    paid = {b.household_id for b in rows if b.policy_id == "tien-dien" and D(2026, 10, 1) <= b.delivered_on}
    got = items["tien-dien"]
    assert got["eligible"] == len(poor) == 2
    assert got["reached"] == len(poor & paid) == 1
    assert got["gap"] == len(poor - paid) == 1
    assert got["gap_rate"] == 50.0 and got["reached_rate"] == 50.0
    wrong = [
        b
        for b in rows
        if b.policy_id == "tien-dien" and b.delivered_on >= START and _poor_on(b.household, b.delivered_on) != "poor"
    ]
    assert got["wrong"] == len(wrong) == 1
    # loans of one group: P1 got vay-ho-ngheo then vay-ho-can-ngheo within 120 months, the later in 2026
    assert items["vay-ho-ngheo"]["overlap"] == 1 and items["vay-ho-can-ngheo"]["overlap"] == 1
    # vay-ho-can-ngheo serves the near-poor: P1 (poor) is a wrong target, N is reached
    assert items["vay-ho-can-ngheo"]["wrong"] == 1
    assert items["vay-ho-can-ngheo"]["eligible"] == 1 and items["vay-ho-can-ngheo"]["reached"] == 1
    # P2's loan was reversed: not reached, not a wrong target
    assert items["vay-ho-ngheo"]["reached"] == 1 and items["vay-ho-ngheo"]["gap"] == 1
    for row in items.values():
        assert row["reached"] + row["gap"] == row["eligible"]


def test_loans_recounted_with_outstanding_said_plainly(ledger):
    table = _table(LOANS, A)
    items = _items(table)
    rows = [b for b in _standing({A}, start=D(2000, 1, 1)) if b.policy_id.startswith("vay-")]
    for policy_id in ("vay-ho-ngheo", "vay-ho-can-ngheo"):
        mine = [b for b in rows if b.policy_id == policy_id]
        new = [b for b in mine if b.delivered_on >= START]
        got = items[policy_id]
        assert got["loans"] == len(new)
        assert got["amount"] == sum(b.amount_vnd for b in new)
        in_term = [b for b in mine if _months_later(b.delivered_on, b.loan.term_months) > TODAY]
        assert got["in_term"] == len(in_term)
        assert got["in_term_amount"] == sum(b.amount_vnd for b in in_term)
        checks = [c for c in LoanCheck.objects.filter(loan__benefit__in=mine) if START <= c.checked_on <= TODAY]
        assert got["checks"] == len(checks)
        latest = {}
        for c in sorted(checks, key=lambda c: (c.checked_on, c.pk)):
            latest[c.loan_id] = c
        assert got["loans_checked"] == len(latest)
        assert got["not_conforming"] == sum(1 for c in latest.values() if not c.conforms)
    assert items["vay-ho-ngheo"]["not_conforming_rate"] == 100.0  # P1's latest check: not as declared
    assert items["vay-ho-can-ngheo"]["in_term"] == 2  # N's 2020 loan of 12 months is over
    assert any("không ghi việc trả nợ" in str(n) for n in table.notes)  # outstanding: said, not invented


def _months_later(day, months):
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


@pytest.mark.parametrize("name", [RESULTS, COVERAGE, LOANS])
def test_an_empty_period_is_an_honest_empty_report(ledger, name):
    table = _table(name, A, period="2017")  # before the register and the ledger
    assert table.rows[0]["_level"] == "total"
    numbers = [v for r in table.rows for k, v in r.items() if k not in ("_level", "name", "code")]
    assert all(v in (0, None) for v in numbers)
    for fmt in ("csv", "xlsx"):
        assert render(table, fmt)


@pytest.mark.parametrize("name", [RESULTS, COVERAGE, LOANS])
def test_every_file_and_an_old_district(ledger, name):
    table = _table(name, "14")
    csv = render(table, "csv").decode("utf-8-sig")
    assert "tien-dien" in csv or "vay-ho-ngheo" in csv
    assert render(table, "xlsx")[:2] == b"PK"
    assert render(table, "pdf")[:4] == b"%PDF"
    old = _table(name, "14", period="2024")  # province → district → commune before 01/07/2025
    assert old.rows[0]["_level"] == "total"


def test_another_communes_official_is_refused(ledger):
    for name in (RESULTS, COVERAGE, LOANS):
        with pytest.raises(AccessDenied):
            _table(name, A, actor=user_with_role("commune_official", B))
        with pytest.raises(AccessDenied):
            _table(name, "14", actor=user_with_role("commune_official", A))


def _dashboard_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with clock.fixed(TODAY), CaptureQueriesContext(connection) as queries:
        response = client.get("/bang-dieu-khien/?unit=14&period=2026")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_dashboard_shows_coverage_tiles_in_a_constant_number_of_queries(ledger, client):
    from giamngheo.accounts.tests.factories import household

    client.force_login(user_with_role("national_viewer"))
    before, page = _dashboard_queries(client)
    assert "Độ bao phủ chính sách hỗ trợ" in page
    coverage = _items(_table(COVERAGE, "14"))
    assert f"{coverage['tien-dien']['reached']} / {coverage['tien-dien']['eligible']}" in page
    admin = system_user()
    with clock.fixed(TODAY):
        for i in range(3):  # more households and benefits, in both communes
            home = household(admin, f"HH-X{i}", A if i % 2 else B)
            benefit_record(actor=admin, household=home, policy_id="tien-dien", delivered_on=D(2026, 11, 1))
    after, _ = _dashboard_queries(client)
    assert after == before


def test_the_coverage_page_draws_the_share_reached_by_policy(ledger):
    from giamngheo.reports.charts import table_chart

    with clock.fixed(TODAY):
        chart = table_chart(_table(COVERAGE, A))
    values = {v["name"]: v["rate"] for v in chart["data"]["values"]}
    assert values[load_policy("tien-dien").name_vi] == 50.0  # 1 of the 2 poor paid this quarter
    assert load_policy("vay-ho-moi-thoat-ngheo").name_vi not in values  # E escaped in 2019: nobody eligible, no bar
