"""Gaps, wrong targets and overlaps on a hand-built register, each recounted by plain Python from the
decisions and the ledger rows: a reversal, a benefit outside the period, a benefit to a household
not eligible, two loans of one group inside and outside its window; another commune's official is
refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.accounts.access import area_scope
from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.catalogue import load_policy
from giamngheo.policies.findings import exclusivity_groups, gaps, overlaps, period_of, wrong_target
from giamngheo.policies.models import Benefit
from giamngheo.policies.services import LoanTerms, benefit_record, benefit_reverse
from giamngheo.policies.tests.histories import A, B, register_histories

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2026, 5, 15)  # tiền điện is paid by quarter: 01/04/2026–30/06/2026
LOAN = LoanTerms(60, Decimal("6.6"), "nuôi bò")

# household -> its decisions (date, category, number)
HISTORIES = {
    "P1": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],  # paid in the quarter: no gap
    "P2": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],  # paid last quarter only: a gap
    "P3": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],  # paid in the quarter, reversed: a gap
    "N": [(D(2024, 12, 10), "near_poor", "30/QĐ-UBND")],  # paid tiền điện: a wrong target
    "E": [(D(2018, 12, 10), "poor", "5/QĐ-UBND"), (D(2019, 12, 10), "other", "8/QĐ-UBND")],
    "O": [],
}


@pytest.fixture
def ledger():
    admin = system_user()
    homes = register_histories(HISTORIES, opened=D(2018, 9, 1))

    def give(h, policy_id, day, **kw):
        return benefit_record(actor=admin, household=homes[h], policy_id=policy_id, delivered_on=day, **kw)

    give("P1", "tien-dien", D(2026, 4, 30), amount_vnd=147_000)
    give("P2", "tien-dien", D(2026, 3, 31), amount_vnd=147_000)  # the quarter before
    wrong = give("P3", "tien-dien", D(2026, 5, 2), amount_vnd=147_000)
    benefit_reverse(actor=admin, benefit=wrong, reason="ghi nhầm")
    give("N", "tien-dien", D(2026, 4, 10), amount_vnd=147_000, evidence="PC-7")  # not poor
    undone = give("O", "tien-dien", D(2026, 4, 10), amount_vnd=147_000)  # not eligible, but reversed
    benefit_reverse(actor=admin, benefit=undone, reason="ghi nhầm")
    # kept eligible by the ledger (a delivery list read it so) though the register says near-poor
    give("N", "tien-dien", D(2026, 6, 1), at_delivery=("poor", True, "hộ nghèo theo danh sách"))
    # loans of one group: P1 inside the 120-month window, E outside the 60-month one, P2's reversed
    give("P1", "vay-ho-can-ngheo", D(2025, 6, 1), amount_vnd=50_000_000, loan=LOAN)
    give("P1", "vay-ho-ngheo", D(2026, 1, 5), amount_vnd=100_000_000, loan=LOAN)
    give("E", "vay-ho-moi-thoat-ngheo", D(2020, 1, 10), amount_vnd=50_000_000, loan=LOAN)
    give("E", "vay-ho-ngheo", D(2026, 1, 5), amount_vnd=100_000_000, loan=LOAN)
    give("P2", "vay-ho-can-ngheo", D(2025, 6, 1), amount_vnd=50_000_000, loan=LOAN)
    undone = give("P2", "vay-ho-ngheo", D(2026, 1, 5), amount_vnd=100_000_000, loan=LOAN)
    benefit_reverse(actor=admin, benefit=undone, reason="ghi nhầm")
    give("N", "vay-ho-can-ngheo", D(2025, 1, 5), amount_vnd=30_000_000, loan=LOAN)  # one policy twice: no overlap
    give("N", "vay-ho-can-ngheo", D(2026, 1, 5), amount_vnd=30_000_000, loan=LOAN)
    give("B", "vay-ho-can-ngheo", D(2025, 6, 1), amount_vnd=50_000_000, loan=LOAN)  # another commune
    give("B", "vay-ho-ngheo", D(2026, 1, 5), amount_vnd=100_000_000, loan=LOAN)
    return homes


def _scope():
    return area_scope(system_user(), unit_by_code(A), on=ON)


def _standing():
    """Plain Python: the ledger rows of commune A that are neither a reversal nor reversed."""
    rows = list(Benefit.objects.select_related("household__unit"))
    reversed_pks = {b.reverses_id for b in rows if b.reverses_id}
    return [b for b in rows if not b.reverses_id and b.pk not in reversed_pks and b.household.unit.code == A]


def _poor_on(hh_id: str, day: dt.date) -> bool:
    decided = [c for d, c, _ in HISTORIES[hh_id.removeprefix("HH-")] if d <= day]
    return bool(decided) and decided[-1] == "poor"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def test_gaps_are_the_eligible_with_nothing_standing_in_the_period(ledger):
    start, end = D(2026, 4, 1), D(2026, 6, 30)
    paid = {
        b.household.household_id for b in _standing() if b.policy_id == "tien-dien" and start <= b.delivered_on <= end
    }
    eligible = {f"HH-{h}" for h in HISTORIES if _poor_on(f"HH-{h}", ON)}
    found = gaps(_scope(), load_policy("tien-dien"), ON)
    assert sorted(found.frame["household_id"]) == sorted(eligible - paid) == ["HH-P2", "HH-P3"]
    row = found.frame.filter(household_id="HH-P2").row(0, named=True)
    assert row["category"] == "poor" and row["member_id"] is None
    assert row["reason"] == (
        "hộ nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025; chưa nhận Hỗ trợ tiền điện cho hộ nghèo và hộ chính sách "
        "xã hội trong kỳ 01/04/2026–30/06/2026"
    )
    assert row["reason"].endswith("trong kỳ 01/04/2026–30/06/2026")
    assert "01/04/2026–30/06/2026" in found.note and "2026-04-01" in found.note.en


def test_a_member_policy_gap_is_per_member(ledger):
    admin = system_user()
    first, second = ledger["P1"].members.order_by("member_id")[:2]
    benefit_record(actor=admin, household=ledger["P1"], member=first, policy_id="bhyt", delivered_on=D(2026, 2, 1))
    found = gaps(_scope(), load_policy("bhyt"), ON).frame.filter(household_id="HH-P1")
    assert found["member_id"].to_list() == [second.member_id]


def test_the_period_is_said_and_a_missing_one_is_the_calendar_year():
    start, end, note = period_of(load_policy("bhyt"), ON)
    assert (start, end) == (D(2026, 1, 1), D(2026, 12, 31))
    assert period_of(load_policy("hoc-phi"), ON)[:2] == (D(2026, 5, 1), D(2026, 5, 31))
    assert period_of(load_policy("nha-o"), ON)[:2] == (None, ON)
    start, end, note = period_of(load_policy("ho-tro-san-xuat"), ON)  # periodicity "project"
    assert (start, end) == (D(2026, 1, 1), D(2026, 12, 31)) and "năm dương lịch" in note
    assert "calendar year" in note.en


def test_wrong_targets_by_the_ledger_and_by_the_recheck(ledger):
    start, end = D(2026, 1, 1), D(2026, 12, 31)
    expected = {
        (
            b.household.household_id,
            b.delivered_on,
            b.eligible_at_delivery,
            _poor_on(b.household.household_id, b.delivered_on),
        )
        for b in _standing()
        if b.policy_id == "tien-dien"
        and start <= b.delivered_on <= end
        and not (b.eligible_at_delivery and _poor_on(b.household.household_id, b.delivered_on))
    }
    found = wrong_target(_scope(), load_policy("tien-dien"), start, end).frame
    got = {
        (r["household_id"], r["delivered_on"], r["eligible_recorded"], r["eligible_rechecked"])
        for r in found.iter_rows(named=True)
    }
    assert got == expected == {("HH-N", D(2026, 4, 10), False, False), ("HH-N", D(2026, 6, 1), True, False)}
    words = dict(zip(found["delivered_on"], found["reason"], strict=True))
    assert words[D(2026, 4, 10)] == (
        "lúc nhận: hộ cận nghèo; không đủ điều kiện ngày 10/04/2026 theo sổ khi ghi và khi kiểm tra lại"
    )
    assert "sổ ghi đủ điều kiện (hộ nghèo theo danh sách)" in words[D(2026, 6, 1)]
    # a period that ends before them finds none; the benefit of 31/03 to P2 was rightly targeted
    assert wrong_target(_scope(), load_policy("tien-dien"), D(2026, 1, 1), D(2026, 4, 9)).frame.is_empty()


def test_overlaps_of_one_group_within_the_window(ledger):
    groups = exclusivity_groups(ON)
    windows = {pid: m for members in groups.values() for pid, m in members.items()}
    group_of = {pid: g for g, members in groups.items() for pid in members}
    rows = [b for b in _standing() if b.policy_id in windows and windows[b.policy_id] and b.delivered_on <= ON]
    expected = {
        (a.household.household_id, a.policy_id, b.policy_id)
        for a in rows
        for b in rows
        if a.household_id == b.household_id
        and group_of[a.policy_id] == group_of[b.policy_id]
        and a.policy_id != b.policy_id
        and (a.delivered_on, a.pk) < (b.delivered_on, b.pk)
        and b.delivered_on < _add_months(a.delivered_on, windows[a.policy_id])
    }
    found = overlaps(_scope(), ON)
    got = {(r["household_id"], r["first_policy"], r["second_policy"]) for r in found.frame.iter_rows(named=True)}
    assert got == expected == {("HH-P1", "vay-ho-can-ngheo", "vay-ho-ngheo")}
    row = found.frame.row(0, named=True)
    assert row["reason"] == (
        "nhận vay-ho-can-ngheo ngày 01/06/2025 và vay-ho-ngheo ngày 05/01/2026, cùng nhóm vbsp-household-loan trong 120 tháng"
    )
    assert "nha-o" in found.note  # its window is not read: not checked, and said
    assert overlaps(_scope(), D(2025, 12, 31)).frame.is_empty()  # the second loan came later


def _gaps_cli(who, out, *extra):
    from giamngheo.cli.main import main

    return main(["--as", who, "gaps", "--unit", A, "--on", ON.isoformat(), "--output", str(out), *extra])


def test_the_command_masks_ids_for_a_province_viewer_and_is_audited(ledger, tmp_path):
    import polars as pl

    from giamngheo.core.models import AuditEvent
    from giamngheo.registry.services import member_add

    member_add(actor=system_user(), household=ledger["P2"], member_id="HH-P2-9", national_id="001212000123")
    user_with_role("province_official", unit_by_code(A).province_code, "tinh")
    user_with_role("commune_official", A, "xa")
    for who, shown in (("tinh", "••••••••0123"), ("xa", "001212000123")):
        out = tmp_path / f"{who}.csv"
        assert _gaps_cli(who, out, "--policy", "bhyt") == 0
        rows = pl.read_csv(out, infer_schema=False).filter(pl.col("member_id") == "HH-P2-9").to_dicts()
        assert [r["national_id"] for r in rows] == [shown]
        assert rows[0]["note"] == "Kỳ của chính sách (năm): 01/01/2026–31/12/2026"
    events = AuditEvent.objects.filter(verb="policies.gaps_export")
    assert events.count() == 2 and {e.data["policy"] for e in events} == {"bhyt"}
    out = tmp_path / "wrong.csv"
    assert _gaps_cli("xa", out, "--policy", "tien-dien", "--wrong-target") == 0
    rows = pl.read_csv(out, infer_schema=False)
    assert rows["delivered_on"].to_list() == ["10/04/2026", "01/06/2026"]  # the quarter around ON
    out = tmp_path / "overlaps.xlsx"
    assert _gaps_cli("xa", out, "--overlaps") == 0
    assert pl.read_excel(out)["household_id"].to_list() == ["HH-P1"]
    assert AuditEvent.objects.filter(verb="policies.overlaps_export").count() == 1


def test_another_communes_official_is_refused(ledger, tmp_path):
    from giamngheo.core.models import AuditEvent
    from giamngheo.policies.listing import finding_list

    other = user_with_role("commune_official", B, "khac")
    for kind in ("gaps", "wrong_target", "overlaps"):
        with pytest.raises(AccessDenied):
            finding_list(other, kind=kind, policy_id="tien-dien", unit=unit_by_code(A), on=ON)
    out = tmp_path / "x.csv"
    assert _gaps_cli("khac", out, "--policy", "tien-dien") == 2
    assert _gaps_cli("khac", out, "--overlaps") == 2
    assert not out.exists() and not AuditEvent.objects.filter(verb__endswith="_export").exists()
    assert _gaps_cli("khac", out) == 2  # gaps need a policy
