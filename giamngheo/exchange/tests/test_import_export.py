"""Import and export through the commands: every error reported, nothing half-written, exact round trips."""

from __future__ import annotations

import polars as pl
import pytest
import xlsxwriter

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.cli.main import main
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import Household, Member
from giamngheo.synth.population import synthesize

pytestmark = pytest.mark.django_db

HH_HEADER = [
    "household_id",
    "admin_code",
    "village",
    "area",
    "income_per_capita_month",
    "walls_durable",
    "columns_durable",
    "roof_durable",
    "floor_area_m2",
    "water_source",
    "latrine",
    "uses_telecom",
    "has_info_device",
    "hears_loudspeaker",
]
M_HEADER = [
    "household_id",
    "member_id",
    "national_id",
    "full_name",
    "sex",
    "birth_date",
    "relation_to_head",
    "ethnicity",
    "highest_education",
    "in_school",
    "has_health_insurance",
    "employment",
]
GOOD_HH = [
    "H001",
    "03880",
    "Bản Tạ Khoa",
    "",
    "1.200.000",
    "có",
    "có",
    "không",
    "45,5",
    "piped",
    "septic",
    "1",
    "1",
    "1",
]
GOOD_M = [
    "H001",
    "H001-1",
    "014085000123",
    "Giàng A Páo",
    "male",
    "05/03/1985",
    "head",
    "H'Mông",
    "lower_secondary",
    "không",
    "có",
    "self_employed",
]


def workbook(path, households, members):
    with xlsxwriter.Workbook(str(path)) as book:
        for name, header, rows in (("households", HH_HEADER, households), ("members", M_HEADER, members)):
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, header)
            for i, row in enumerate(rows, start=1):
                sheet.write_row(i, 0, row)
    return path


def test_a_good_workbook_imports_with_vietnamese_formats_and_reimport_changes_nothing(tmp_path, capsys):
    path = workbook(tmp_path / "xa.xlsx", [GOOD_HH], [GOOD_M])
    assert main(["import", str(path)]) == 0
    household = Household.objects.get(household_id="H001")
    assert household.income_per_capita_month == 1_200_000 and float(household.floor_area_m2) == 45.5
    member = Member.objects.get(member_id="H001-1")
    assert member.birth_date.isoformat() == "1985-03-05" and member.ethnicity == "08"  # 5 March, Mông
    history = Household.history.count() + Member.history.count()
    assert main(["import", str(path)]) == 0
    assert Household.history.count() + Member.history.count() == history
    assert "=1" in capsys.readouterr().out


def test_many_planted_errors_are_all_reported_and_nothing_changes(tmp_path, capsys):
    bad_hh = [
        GOOD_HH,
        ["H002", "99999", "", "", "abc", "maybe", "có", "có", "40", "river", "septic", "1", "1", "1"],
        ["H001", "03880", "", "", "900000", "có", "có", "có", "40", "piped", "septic", "1", "1", "1"],
        ["", "03880", "", "", "900000", "có", "có", "có", "", "piped", "septic", "1", "1", "1"],
    ]
    bad_m = [
        GOOD_M,
        [
            "H001",
            "H001-2",
            "12345",
            "X",
            "nam?",
            "31/02/1990",
            "child",
            "Klingon",
            "primary",
            "có",
            "có",
            "self_employed",
        ],
        [
            "H009",
            "H009-1",
            "014085000123",
            "Y",
            "male",
            "1990-01-01",
            "head",
            "Kinh",
            "primary",
            "có",
            "có",
            "self_employed",
        ],
    ]
    path = workbook(tmp_path / "loi.xlsx", bad_hh, bad_m)
    assert main(["import", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    sheet_hh, sheet_m = f"{path}[households]", f"{path}[members]"
    planted = [
        (sheet_hh, 3, "admin_code"),
        (sheet_hh, 3, "income_per_capita_month"),
        (sheet_hh, 3, "walls_durable"),
        (sheet_hh, 3, "water_source"),
        (sheet_hh, 4, "household_id"),
        (sheet_hh, 5, "household_id"),
        (sheet_hh, 5, "floor_area_m2"),
        (sheet_m, 3, "national_id"),
        (sheet_m, 3, "sex"),
        (sheet_m, 3, "birth_date"),
        (sheet_m, 3, "ethnicity"),
        (sheet_m, 4, "household_id"),
        (sheet_m, 4, "national_id"),
    ]
    for file, row, column in planted:
        assert f"{file}, row {row}, column {column}" in err, (row, column)
    assert "nothing was changed" in err
    assert Household.objects.count() == 0 and Member.objects.count() == 0


def test_rows_outside_the_users_commune_are_refused(tmp_path, capsys):
    user_with_role(Role.COMMUNE_OFFICIAL, "04045", username="lsap")
    path = workbook(tmp_path / "xa.xlsx", [GOOD_HH], [GOOD_M])
    assert main(["--as", "lsap", "import", str(path)]) == 2
    assert "outside the units you may change" in capsys.readouterr().err
    assert not Household.objects.exists()
    user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="tkhoa")
    assert main(["--as", "tkhoa", "import", str(path)]) == 0


def test_vietnamese_template_headers_are_read(tmp_path):
    from giamngheo.standards.contract import HOUSEHOLD_BY_NAME, MEMBER_BY_NAME

    hh = tmp_path / "ho.csv"
    mem = tmp_path / "tv.csv"
    hh.write_text(
        ",".join(f'"{HOUSEHOLD_BY_NAME[c].label_vi}"' for c in HH_HEADER)
        + "\n"
        + ",".join(f'"{v}"' for v in GOOD_HH)
        + "\n",
        encoding="utf-8",
    )
    mem.write_text(
        ",".join(f'"{MEMBER_BY_NAME[c].label_vi}"' for c in M_HEADER)
        + "\n"
        + ",".join(f'"{v}"' for v in GOOD_M)
        + "\n",
        encoding="utf-8",
    )
    assert main(["import", "--households", str(hh), "--members", str(mem)]) == 0
    assert Member.objects.get(member_id="H001-1").full_name == "Giàng A Páo"


@pytest.mark.parametrize("target", ["export.xlsx", "folder"])
def test_export_then_import_round_trips_exactly(tmp_path, target):
    hh, members = synthesize("14", 120, seed=9)
    hh = hh.with_columns(pl.lit("ghi chú").alias("ghi_chu"))  # an extra column survives the round trip
    hh.write_parquet(tmp_path / "households.parquet")
    members.write_parquet(tmp_path / "members.parquet")
    assert main(["load", str(tmp_path)]) == 0
    code = hh.item(0, "admin_code")
    out = tmp_path / target
    assert main(["export", "--unit", code, "--output", str(out), "--reason", "kiểm tra"]) == 0
    if target.endswith(".xlsx"):
        back_hh = pl.read_excel(out, sheet_name="households")
        argv = ["import", str(out)]
    else:
        back_hh = pl.read_csv(out / "households.csv", infer_schema=False)
        argv = ["import", "--households", str(out / "households.csv"), "--members", str(out / "members.csv")]
    assert back_hh.height == hh.filter(pl.col("admin_code") == code).height
    assert "ghi_chu" in back_hh.columns
    history = Household.history.count() + Member.history.count()
    assert main(argv) == 0
    assert Household.history.count() + Member.history.count() == history  # nothing changed
    event = AuditEvent.objects.get(verb="registry.export")
    assert event.data["reason"] == "kiểm tra" and event.actor.username == "system"


def test_export_of_another_commune_is_denied(tmp_path, capsys):
    user_with_role(Role.COMMUNE_OFFICIAL, "04045", username="lsap")
    assert main(["--as", "lsap", "export", "--unit", "03880", "--output", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_the_template_imports_once_its_example_row_is_replaced(tmp_path, capsys):
    """#12.13: the example row's id can never exist; importing the template unchanged is refused."""
    import fastexcel
    import polars as pl

    from giamngheo.standards.contract import EXAMPLE_HOUSEHOLD_ID
    from giamngheo.standards.reading import read_table

    path = tmp_path / "mau.xlsx"
    assert main(["template", "--output", str(path)]) == 0
    households = read_table(path, "households")
    assert {"household_id", "admin_code", "water_source", "has_info_device"} <= set(households.columns)
    assert households.item(0, "household_id") == EXAMPLE_HOUSEHOLD_ID
    assert main(["import", str(path), "--lang", "en"]) == 2
    assert f"{path}[households], row 2, column household_id" in capsys.readouterr().err
    assert not Household.objects.exists()
    # filled in: the same row with a real id imports as it is (Vietnamese headers, dates, có/không)
    book = fastexcel.read_excel(str(path))
    sheets = {
        name: pl.DataFrame(book.load_sheet(name, dtypes="string").to_arrow()) for name in ("households", "members")
    }
    filled = tmp_path / "filled.xlsx"
    with xlsxwriter.Workbook(str(filled)) as out:
        for name, frame in sheets.items():
            sheet = out.add_worksheet(name)
            sheet.write_row(0, 0, frame.columns)
            row = [
                (
                    "03880999001"
                    if v == EXAMPLE_HOUSEHOLD_ID
                    else "03880999001-01"
                    if v and v.startswith(EXAMPLE_HOUSEHOLD_ID)
                    else v or ""
                )
                for v in frame.row(0)
            ]
            for j, value in enumerate(row):
                sheet.write_string(1, j, value)
    assert main(["import", str(filled)]) == 0
    member = Member.objects.get(member_id="03880999001-01")
    assert member.full_name == "Giàng A Páo" and member.birth_date.isoformat() == "1985-03-05"
    assert Household.objects.get(household_id="03880999001").water_source == "protected_spring"


def test_partner_exports_hold_only_what_partners_need(tmp_path):
    from giamngheo.accounts.tests.factories import household
    from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

    official = user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="canbo")
    people = {
        "official": official,
        "reviewer": user_with_role(Role.REVIEWER, "03880", username="rasoat"),
        "chair": user_with_role(Role.COMMUNE_CHAIR, "03880", username="chutich"),
    }
    households = [household(official, f"H{i}", "03880", members=2) for i in range(3)]
    for i, h in enumerate(households):
        for m in h.members.all():
            from giamngheo.registry.services import member_update

            member_update(actor=official, member=m, national_id=f"01408{i}{m.member_id[-1]}000000"[:12].ljust(12, "0"))
    run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    out = tmp_path / "payment.csv"
    assert (
        main(
            [
                "--as",
                "canbo",
                "export",
                "--unit",
                "03880",
                "--kind",
                "payment",
                "--output",
                str(out),
                "--reason",
                "chi trả hỗ trợ tiền điện",
            ]
        )
        == 0
    )
    payment = pl.read_csv(out, infer_schema=False)
    assert sorted(payment.get_column("household_id")) == ["H0", "H1"]  # poor and near-poor only, heads only
    assert set(payment.columns) == {
        "national_id",
        "full_name",
        "household_id",
        "admin_code",
        "category",
        "since",
        "village",
    }
    out = tmp_path / "population.csv"
    assert (
        main(
            [
                "--as",
                "canbo",
                "export",
                "--unit",
                "03880",
                "--kind",
                "population",
                "--output",
                str(out),
                "--reason",
                "đối chiếu CSDL dân cư",
            ]
        )
        == 0
    )
    population = pl.read_csv(out, infer_schema=False)
    assert population.height == 6 and population.get_column("national_id").str.len_chars().eq(12).all()
    assert AuditEvent.objects.filter(verb="registry.export.payment", data__reason="chi trả hỗ trợ tiền điện").exists()
