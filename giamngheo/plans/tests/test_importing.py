"""`giamngheo plans import FILE`: all-or-nothing, every problem by row and column in both languages, scoped."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from giamngheo.cli.main import main
from giamngheo.core.spreadsheets import write_frame
from giamngheo.geo.selectors import unit_by_code
from giamngheo.plans.importing import plans_import
from giamngheo.plans.models import HouseholdPlan
from giamngheo.plans.services import organisation_add, person_add
from giamngheo.review.models import Listed, ReviewRound, Status
from giamngheo.standards.problems import InputError

from .helpers import A, B, household, system_user, user_with_role

pytestmark = pytest.mark.django_db
HEADER = "household_id,year,target_exit_year,group,organisation,helper,commitment\n"


@pytest.fixture
def commune():
    admin = system_user()
    a1, a2, b1 = household(admin, "A1", A), household(admin, "A2", A), household(admin, "B1", B)
    a3 = household(admin, "A3", A)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=dt.date(2025, 9, 1), opened_by=admin
    )
    Listed.objects.create(review_round=rnd, household=a1, reason="on_list", causes=["no_capital"], needs=["credit"])
    Status.objects.create(household=a1, category="poor", valid_from=dt.date(2025, 12, 12), review_round=rnd)
    women = organisation_add(actor=admin, unit=unit_by_code(A), kind="womens_union", name="Hội Phụ nữ xã")
    farmers = organisation_add(actor=admin, unit=unit_by_code(A), kind="farmers_union", name="Hội Nông dân xã")
    person_add(actor=admin, organisation=women, full_name="Lò Thị Giúp")
    person_add(actor=admin, organisation=women, full_name="Quàng Văn Hai")
    person_add(actor=admin, organisation=farmers, full_name="Quàng Văn Hai")
    return {"A1": a1, "A2": a2, "A3": a3, "B1": b1, "women": women, "farmers": farmers}


@pytest.fixture
def official():
    return user_with_role("commune_official", A, "cb")


def _csv(tmp_path, body: str, name: str = "plans.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_file_makes_the_plans_with_vietnamese_group_words(commune, official, tmp_path):
    path = _csv(
        tmp_path,
        "A1,2026,2027,Có khả năng thoát nghèo nếu được hỗ trợ,Hội Phụ nữ xã,Lò Thị Giúp,Nuôi 2 con bò\n"
        'A2,2026,,"Chỉ hưởng bảo trợ xã hội, không dự kiến thoát nghèo",,,\n'
        "A3,2026,,chi huong bao tro xa hoi khong du kien thoat ngheo,,,\n",  # typed without diacritics
    )
    result = plans_import(actor=official, path=path)
    assert (result.created, result.changed) == (3, 0)
    a1 = HouseholdPlan.objects.get(household=commune["A1"])
    assert (a1.group, a1.target_exit_year, a1.helper.full_name, a1.organisation, a1.commitment) == (
        "can_escape",
        2027,
        "Lò Thị Giúp",
        commune["women"],
        "Nuôi 2 con bò",
    )
    assert (a1.causes, a1.needs, a1.category, a1.source) == (["no_capital"], ["credit"], "poor", "imported")
    assert HouseholdPlan.objects.get(household=commune["A2"]).group == "protection_only"
    assert HouseholdPlan.objects.get(household=commune["A3"]).group == "protection_only"
    assert a1.history.first().history_user == official
    # the same file again changes nothing; a new commitment changes that field only
    assert plans_import(actor=official, path=path).changed == 0
    again = _csv(tmp_path, "A1,2026,,,,,Nuôi 3 con bò\n", "again.csv")
    assert (plans_import(actor=official, path=again).changed) == 1
    a1.refresh_from_db()
    assert (a1.commitment, a1.target_exit_year, a1.group) == ("Nuôi 3 con bò", 2027, "can_escape")


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(commune, official, tmp_path):
    path = _csv(
        tmp_path,
        "A1,2026,2027,can_escape,,,ok\n"  # row 2: good, but the file is refused as a whole
        "B1,2026,,,,,\n"  # row 3: another commune: not found for this official
        "NOPE,2026,,,,,\n"  # row 4
        "A2,2026,2050,lazy,Hội Cựu chiến binh,,\n"  # row 5: target too far, group, organisation
        "A2,2026,,,,Quàng Văn Hai,\n"  # row 6: repeats row 5; ambiguous helper
        "A1,năm,,,,,\n"  # row 7: year not a number
        ",2026,,,,,\n",  # row 8: no household
    )
    with pytest.raises(InputError) as caught:
        plans_import(actor=official, path=path)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert {
        (3, "household_id"),
        (4, "household_id"),
        (5, "target_exit_year"),
        (5, "group"),
        (5, "organisation"),
        (6, "year"),
        (7, "year"),
        (8, "household_id"),
    } <= where
    assert not {r for r, _ in where} & {2}
    assert all(p.message_vi and p.message_en and p.message_vi != p.message_en for p in caught.value.problems)
    assert not HouseholdPlan.objects.exists()
    text = caught.value.report("vi")
    assert "dòng 3, cột household_id: không tìm thấy hộ B1 / no household B1" in text


def test_an_ambiguous_helper_is_named_with_the_organisation(commune, official, tmp_path):
    bad = _csv(tmp_path, "A2,2026,,,,Quàng Văn Hai,\n")
    with pytest.raises(InputError) as caught:
        plans_import(actor=official, path=bad)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "helper")]
    good = _csv(tmp_path, "A2,2026,,,Hội Nông dân xã,Quàng Văn Hai,\n", "good.csv")
    plans_import(actor=official, path=good)
    assert HouseholdPlan.objects.get().helper.organisation == commune["farmers"]


def test_an_excel_file_reads_like_a_csv(commune, official, tmp_path):
    path = tmp_path / "plans.xlsx"
    frame = pl.DataFrame({"Mã hộ": ["A1"], "Năm kế hoạch": ["2026"], "Nhóm hộ": ["Cần xem xét thêm"]})
    write_frame(frame, path, "ke-hoach")
    assert plans_import(actor=official, path=path).created == 1
    assert HouseholdPlan.objects.get().group == "to_review"


def test_the_command_refuses_those_who_do_not_keep_plans(commune, official, tmp_path):
    path = _csv(tmp_path, "A1,2026,2027,can_escape,,,\n")
    user_with_role("reviewer", A, "rv")
    user_with_role("helper", A, "gd")
    user_with_role("province_official", "14", "tinh")
    for who in ("rv", "gd", "tinh"):
        assert main(["--as", who, "plans", "import", str(path)]) == 2, who
    assert not HouseholdPlan.objects.exists()
    assert main(["--as", "cb", "plans", "import", str(path)]) == 0
    assert HouseholdPlan.objects.get().target_exit_year == 2027


def test_the_draft_command(commune, official):
    with pytest.raises(SystemExit):
        main(["--as", "nobody", "plans", "draft", "--unit", A, "--year", "2026"])
    user_with_role("reviewer", A, "rv")
    assert main(["--as", "rv", "plans", "draft", "--unit", A, "--year", "2026"]) == 2
    assert main(["--as", "cb", "plans", "draft", "--unit", A, "--year", "2026"]) == 0
    assert list(HouseholdPlan.objects.values_list("household__household_id", "source")) == [("A1", "drafted")]
