"""Eligibility on a date from hand-built registers and status histories, recounted by plain Python:
a household that escaped and one that relapsed, member conditions, the reason in words."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.access import area_scope
from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.catalogue import load_policy
from giamngheo.policies.eligibility import eligibility
from giamngheo.policies.tests.histories import A, B, register_histories

pytestmark = pytest.mark.django_db
D = dt.date

# household -> its decisions (date, category, number), oldest first
HISTORIES = {
    "P": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],
    "N": [(D(2024, 12, 10), "near_poor", "30/QĐ-UBND")],
    "E": [(D(2023, 12, 10), "poor", "20/QĐ-UBND"), (D(2024, 12, 10), "other", "30/QĐ-UBND")],  # escaped
    "R": [  # escaped, then fell back into poverty
        (D(2022, 12, 10), "poor", "10/QĐ-UBND"),
        (D(2023, 12, 10), "other", "20/QĐ-UBND"),
        (D(2025, 12, 12), "poor", "45/QĐ-UBND"),
    ],
    "X": [(D(2024, 12, 10), "near_poor", "30/QĐ-UBND"), (D(2025, 12, 12), "average", "45/QĐ-UBND")],
    "O": [],  # never recognised
}
DATES = [
    D(2023, 1, 1),
    D(2024, 6, 1),
    D(2025, 12, 11),
    D(2025, 12, 12),
    D(2026, 6, 1),
    D(2027, 12, 10),
    D(2027, 12, 11),
]


@pytest.fixture
def register():
    return register_histories(HISTORIES, opened=D(2022, 9, 1))  # HH-B: poor, but in another commune


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def expected(policy_id: str, on: dt.date) -> dict[str, str]:
    """Plain Python: household -> category it is eligible under on `on`."""
    policy = load_policy(policy_id)
    served = policy.condition("categories", on)
    months = policy.condition("newly_escaped_months", on)
    out = {}
    for h, decisions in HISTORIES.items():
        known = [d for d in decisions if d[0] <= on]
        if not known:
            continue
        latest = known[-1][1]
        if latest in served:
            out[f"HH-{h}"] = latest
        elif "newly_escaped" in served and latest not in ("poor", "near_poor"):
            listed = [i for i, d in enumerate(known) if d[1] in ("poor", "near_poor")]
            if listed and _add_months(known[listed[-1] + 1][0], months) >= on:
                out[f"HH-{h}"] = "newly_escaped"
    return out


def _run(policy_id: str, on: dt.date):
    scope = area_scope(system_user(), unit_by_code(A), on=D(2026, 6, 1))
    return eligibility(scope, load_policy(policy_id), on)


@pytest.mark.parametrize(
    "policy_id", ["vay-ho-ngheo", "vay-ho-can-ngheo", "vay-ho-moi-thoat-ngheo", "nha-o", "tien-dien"]
)
def test_household_policies_agree_with_plain_python_on_every_date(register, policy_id):
    for on in DATES:
        frame = _run(policy_id, on)
        got = dict(frame.select("household_id", "category").iter_rows())
        assert got == expected(policy_id, on), (policy_id, on)
        assert frame.get_column("member_id").null_count() == frame.height  # household-level: no member


def test_the_escaped_and_the_relapsed_household(register):
    newly = "vay-ho-moi-thoat-ngheo"
    assert "HH-E" in dict(_run(newly, D(2026, 6, 1)).select("household_id", "category").iter_rows())
    assert "HH-E" in dict(_run(newly, D(2027, 12, 10)).select("household_id", "category").iter_rows())  # 36 months
    assert "HH-E" not in dict(_run(newly, D(2027, 12, 11)).select("household_id", "category").iter_rows())
    # R escaped in 12/2023 (newly escaped in 2024), then relapsed in 12/2025: poor again, not newly escaped
    assert "HH-R" in set(_run(newly, D(2024, 6, 1)).get_column("household_id"))
    assert "HH-R" not in set(_run(newly, D(2026, 6, 1)).get_column("household_id"))
    assert "HH-R" in set(_run("vay-ho-ngheo", D(2026, 6, 1)).get_column("household_id"))
    assert "HH-R" not in set(_run("vay-ho-ngheo", D(2025, 12, 11)).get_column("household_id"))


def test_the_reason_in_words(register):
    reasons = dict(_run("vay-ho-ngheo", D(2026, 6, 1)).select("household_id", "reason").iter_rows())
    assert reasons["HH-P"] == "hộ nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025"
    newly = dict(_run("vay-ho-moi-thoat-ngheo", D(2026, 2, 9)).select("household_id", "reason").iter_rows())
    assert newly["HH-E"] == "mới thoát nghèo theo QĐ 30/QĐ-UBND ngày 10/12/2024 (13/36 tháng)"
    assert newly["HH-X"] == "mới thoát cận nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025 (1/36 tháng)"


def test_a_member_policy_lists_the_members_who_meet_its_conditions(register):
    from giamngheo.registry.services import member_add

    admin = system_user()
    pupil = member_add(
        actor=admin,
        household=register["P"],
        member_id="HH-P-9",
        full_name="Nguyễn Thị Học",
        birth_date=D(2012, 3, 1),
        relation_to_head="child",
        in_school=True,
        national_id="001212000123",
    )
    frame = _run("hoc-phi", D(2026, 6, 1))
    # plain Python: members in school of households poor or near-poor on the date
    households = expected("hoc-phi", D(2026, 6, 1))
    want = {
        m.member_id for h in register.values() for m in h.members.all() if m.in_school and h.household_id in households
    }
    assert set(frame.get_column("member_id")) == want == {"HH-P-9"}
    row = frame.row(0, named=True)
    assert row["national_id"] == pupil.national_id
    assert row["reason"] == "hộ nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025; đang đi học"
    # working age: the factory's members are born 1980 and 1990; the pupil is 14
    workers = _run("dao-tao-nghe", D(2026, 6, 1))
    assert "HH-P-9" not in set(workers.get_column("member_id"))
    assert {"HH-P-1", "HH-P-2"} <= set(workers.get_column("member_id"))


def test_the_command_writes_the_list_with_ids_masked_for_a_province_viewer(register, tmp_path):
    import polars as pl

    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.cli.main import main
    from giamngheo.registry.services import member_add

    member_add(
        actor=system_user(),
        household=register["P"],
        member_id="HH-P-9",
        birth_date=D(2012, 3, 1),
        in_school=True,
        national_id="001212000123",
    )
    province = unit_by_code(A).province_code
    user_with_role("province_official", province, "tinh")
    user_with_role("commune_official", A, "xa")
    for who, shown in (("tinh", "••••••••0123"), ("xa", "001212000123")):
        out = tmp_path / f"{who}.csv"
        assert (
            main(
                [
                    "--as",
                    who,
                    "eligible",
                    "--policy",
                    "hoc-phi",
                    "--unit",
                    A,
                    "--on",
                    "2026-06-01",
                    "--output",
                    str(out),
                ]
            )
            == 0
        )
        rows = pl.read_csv(out, infer_schema=False).to_dicts()
        assert rows == [
            {
                "household_id": "HH-P",
                "member_id": "HH-P-9",
                "national_id": shown,
                "category": "poor",
                "reason": "hộ nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2025; đang đi học",
            }
        ]
    book = tmp_path / "list.xlsx"
    assert (
        main(
            [
                "--as",
                "tinh",
                "eligible",
                "--policy",
                "hoc-phi",
                "--unit",
                A,
                "--on",
                "2026-06-01",
                "--output",
                str(book),
            ]
        )
        == 0
    )
    assert pl.read_excel(book).get_column("national_id").to_list() == ["••••••••0123"]
    out = tmp_path / "hh.csv"
    assert (
        main(
            [
                "--as",
                "xa",
                "eligible",
                "--policy",
                "vay-ho-ngheo",
                "--unit",
                A,
                "--on",
                "2026-06-01",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    assert pl.read_csv(out, infer_schema=False).get_column("member_id").null_count() == 2  # P and R: no member
    # a commune official of another commune may not list this one
    user_with_role("commune_official", B, "khac")
    assert (
        main(
            [
                "--as",
                "khac",
                "eligible",
                "--policy",
                "bhyt",
                "--unit",
                A,
                "--on",
                "2026-06-01",
                "--output",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert (
        main(
            ["eligible", "--policy", "no-such", "--unit", A, "--on", "2026-06-01", "--output", str(tmp_path / "y.csv")]
        )
        == 2
    )


def test_the_command_refuses_a_future_date_and_an_unknown_suffix_and_reads_dd_mm_yyyy(register, tmp_path):
    """A future --on wrote today's statuses as if decided for it; e.txt got a CSV; dd/mm/yyyy, as every
    other command and file writes dates, was refused."""
    from giamngheo.cli.main import main
    from giamngheo.core import clock

    def run(on: str, name: str) -> int:
        argv = ["eligible", "--policy", "bhyt", "--unit", A, "--on", on, "--output", str(tmp_path / name)]
        return main(argv)

    with clock.fixed(D(2026, 12, 5)):
        assert run("2026-12-31", "future.csv") == 2 and not (tmp_path / "future.csv").exists()
        assert run("2026-06-01", "e.txt") == 2 and not (tmp_path / "e.txt").exists()
        assert run("01/06/2026", "vi.csv") == 0 and (tmp_path / "vi.csv").exists()


def test_every_policy_at_once_reads_the_register_once_and_agrees(register):
    from giamngheo.policies.catalogue import catalogue
    from giamngheo.policies.eligibility import eligibility_all

    scope = area_scope(system_user(), unit_by_code(A), on=D(2026, 6, 1))
    together = eligibility_all(scope, list(catalogue().values()), D(2026, 6, 1))
    for policy_id, frame in together.items():
        assert frame.equals(_run(policy_id, D(2026, 6, 1))), policy_id


def test_a_register_brought_in_from_paper_decisions_gives_the_same_words():
    """Statuses recorded by the decision import (issue #16 item 1) are read like recognised ones."""
    from giamngheo.review.decisions import decision_import

    admin = system_user()
    unit = unit_by_code(A)
    household(admin, "HH-Q", A)
    household(admin, "HH-Z", A)
    first = [{"household_id": "HH-Q", "category": "hộ nghèo"}, {"household_id": "HH-Z", "category": "hộ cận nghèo"}]
    from giamngheo.geo.models import UnitSuccession

    before = UnitSuccession.objects.filter(new=unit).first().old  # 2024's decision is the old commune's
    decision_import(actor=admin, unit=before, number="45/QĐ-UBND", date=D(2024, 12, 12), kind="periodic", rows=first)
    second = [{"household_id": "HH-Q", "category": "hộ không nghèo"}]
    decision_import(actor=admin, unit=unit, number="50/QĐ-UBND", date=D(2025, 12, 10), kind="periodic", rows=second)
    reasons = dict(_run("vay-ho-moi-thoat-ngheo", D(2026, 6, 1)).select("household_id", "reason").iter_rows())
    assert reasons == {"HH-Q": "mới thoát nghèo theo QĐ 50/QĐ-UBND ngày 10/12/2025 (5/36 tháng)"}
    near = dict(_run("vay-ho-can-ngheo", D(2026, 6, 1)).select("household_id", "reason").iter_rows())
    assert near == {"HH-Z": "hộ cận nghèo theo QĐ 45/QĐ-UBND ngày 12/12/2024"}
