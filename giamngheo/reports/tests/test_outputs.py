"""Report files (Excel laid out like the forms, PDF with chart, CSV), pre-2025 units, what-if, the CLI and pages."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import fastexcel
import polars as pl
import pytest
from pypdf import PdfReader

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.cli.demo import record_demo_history
from giamngheo.cli.main import main as cli
from giamngheo.geo.models import AdminUnit, UnitSuccession
from giamngheo.registry.frames import commune_frames, contract_frames
from giamngheo.registry.models import Household
from giamngheo.reports import selectors
from giamngheo.reports.alkire_foster import alkire_foster, decompose
from giamngheo.reports.render import render
from giamngheo.reports.tests.registry import synthetic_registry
from giamngheo.review.recorded import decision_record
from giamngheo.standards import classify
from giamngheo.standards.params import load_standard, with_overrides

pytestmark = pytest.mark.django_db
PERIOD = "2026"


@pytest.fixture
def registry():
    return synthetic_registry(300, seed=12)[0]


@pytest.fixture
def official(province_official):
    return province_official


def test_excel_is_laid_out_like_the_forms_and_holds_the_numbers(registry, official):
    table = selectors.report_table(official, "ket-qua", "14", PERIOD)
    data = render(table, "xlsx")
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert 'orientation="landscape"' in sheet and 'paperSize="9"' in sheet
    assert re.search(r'<pane [^>]*state="frozen"', sheet)
    assert sheet.count("<mergeCell ") >= 2 + 4  # title lines + the four category groups over their columns
    assert "<f>" not in sheet  # numbers, never formulas
    read = fastexcel.read_excel(data).load_sheet(0, header_row=None).to_polars()
    cells = read.rows()
    title = cells[0][0]
    assert title == table.title_vi.upper()
    assert not any(table.title_en in str(cell) for row in cells for cell in row)  # one language: the form's
    total_row = next(r for r in cells if r[1] == "Tổng cộng")
    households_col = [c.key for c in table.columns].index("households")
    assert int(total_row[households_col]) == table.total_row()["households"] == 300


def test_pdf_has_the_title_in_vietnamese_the_chart_and_the_totals(registry, official):
    table = selectors.report_table(official, "thieu-hut-ngheo", "14", PERIOD)
    reader = PdfReader(io.BytesIO(render(table, "pdf")))
    text = " ".join(reader.pages[0].extract_text().split())  # header cells wrap
    assert "PHÂN TÍCH CHỈ SỐ THIẾU HỤT DỊCH VỤ XÃ HỘI CƠ BẢN HỘ NGHÈO" in text
    assert table.title_en not in text  # the form is Vietnamese; it carried an English subtitle
    assert "Nhà tiêu hợp vệ sinh" in text
    total = table.total_row()
    assert f"{total['latrine_rate']:.2f}".replace(".", ",") in text  # 61,44 with the Vietnamese comma
    assert any(
        "/Image" in str(page.get("/Resources", {}).get("/XObject", {})) or page.images for page in reader.pages[:1]
    )


def test_csv_opens_in_excel_with_diacritics(registry, official):
    data = render(selectors.report_table(official, "dien-bien-ngheo", "14", PERIOD, with_chart=False), "csv")
    assert data.startswith("\ufeff".encode())
    header = data.decode("utf-8-sig").splitlines()[0]
    assert "Biến động trong kỳ - Thoát nghèo" in header


def test_a_period_before_july_2025_reports_by_province_district_commune():
    admin = system_user()
    day = dt.date(2024, 12, 1)
    old = AdminUnit.objects.filter(level="commune", valid_to__isnull=False, province_code="14").order_by("code")
    single = next(
        u
        for u in old
        if UnitSuccession.objects.filter(new=UnitSuccession.objects.filter(old=u, is_default=True).first().new).count()
        == 1
    )
    merged = next(
        u
        for u in old
        if UnitSuccession.objects.filter(new=UnitSuccession.objects.filter(old=u, is_default=True).first().new).count()
        > 1
    )
    successor = UnitSuccession.objects.get(old=single, is_default=True).new
    h_old = household(
        admin,
        "OLD-1",
        successor.code,
        members=2,
        income_per_capita_month=900_000,
        water_source="surface_water",
        latrine="none",
        uses_telecom=False,
    )
    h_old.unit = single  # registered before the reform and never moved to the new commune
    h_old.save()
    new_of_merged = UnitSuccession.objects.get(old=merged, is_default=True).new
    household(admin, "NEW-1", new_of_merged.code, members=2)  # registered after: not assignable
    results = classify(*contract_frames(Household.objects.filter(pk=h_old.pk)), "auto", day, explain=False)
    results = results.with_columns(pl.col("category", "admin_code").cast(pl.String))
    assert results.item(0, "category") == "poor"
    decision_record(
        actor=admin,
        results=results,
        standard=load_standard("vn-2022-2025"),
        as_of=day,
        kind="periodic",
        decision_number="9/QĐ",
        decision_date=dt.date(2024, 12, 10),
        fact_columns=[],
    )
    national = user_with_role(Role.NATIONAL_VIEWER, username="tw")
    table = selectors.report_table(national, "ket-qua", "14", "2024", with_chart=False)
    levels = [r["_level"] for r in table.rows]
    assert levels[:3] == ["total", "province", "district"] and "commune" in levels
    district = single.parent
    rows = {(r["_level"], r["code"]): r for r in table.rows}
    assert rows[("commune", single.code)]["poor"] == 1 and rows[("district", district.code)]["poor"] >= 1
    assert rows[("commune", single.code)]["households"] == 1
    assert table.rows[-1]["_level"] == "unassigned" and table.rows[-1]["households"] == 1  # h_new, nowhere else
    assert table.total_row()["households"] == 2
    after = selectors.report_table(national, "ket-qua", "14", PERIOD, with_chart=False)
    assert "district" not in {r["_level"] for r in after.rows}
    assert {(r["code"], r["poor"]) for r in after.rows if r["_level"] == "commune" and r["poor"]} == {
        (successor.code, 1)
    }  # counted in the new commune its old one became


def test_what_if_counts_agree_with_the_engine_on_each_household(registry, official):
    """Recounted household by household through the engine's one-household path (registry.classify),
    not through the bulk frames and the comparison the what-if uses."""
    from giamngheo.core import clock
    from giamngheo.registry.classify import engine_run

    edited = with_overrides(load_standard("vn-2022-2025"), {"income_line.rural": 2_000_000})
    when = dt.date(2026, 6, 30)
    with clock.fixed(when):
        table, moves = selectors.whatif(
            official, "14", standard="vn-2022-2025", overrides={"income_line.rural": 2_000_000}
        )
    changed = poor_after = 0
    for h in Household.objects.filter(is_active=True):
        now, then = engine_run(h, when, "auto").row["category"], engine_run(h, when, edited).row["category"]
        changed += str(now) != str(then)
        poor_after += str(then) == "poor"
    assert table.total_row()["changed"] == changed > 0
    assert table.total_row()["poor_after"] == poor_after
    hh, members = contract_frames(Household.objects.all())
    before = classify(hh, members, "auto", when, explain=False).select("household_id", "category")
    assert table.total_row()["poor_after"] >= table.total_row()["poor_before"]
    assert int(moves.get_column("households").sum()) == 300
    assert any("income_line.rural = 2000000" in n for n in table.notes)  # the edit is said, not hidden
    fast_hh, fast_members = commune_frames(list(Household.objects.values_list("unit_id", flat=True).distinct()))
    assert (
        classify(fast_hh.drop("household_pk", "unit_id"), fast_members, "auto", when, explain=False)
        .select("household_id", "category")
        .sort("household_id")
        .equals(before.sort("household_id"))
    )
    with pytest.raises(Exception, match="income_line.rurall"):
        selectors.whatif(official, "14", overrides={"income_line.rurall": 1})


def test_alkire_foster_decomposes_exactly_by_group(registry, official):
    table = selectors.report_table(official, "mpi", "14", PERIOD, with_chart=False)
    total = table.total_row()
    communes = [r for r in table.rows if r["_level"] == "commune"]
    assert sum(r["n"] for r in communes) == total["n"] == 300
    assert sum(r["contribution"] for r in communes) == pytest.approx(100, abs=0.05)
    frame = pl.DataFrame(
        {"a": [1, 1, 0, 0, 1, 0], "b": [1, 0, 0, 1, 1, 0], "c": [0, 1, 0, 1, 1, 0], "g": ["x", "x", "x", "y", "y", "y"]}
    )
    overall = alkire_foster(frame, ["a", "b", "c"], "0.6")
    parts = decompose(frame, ["a", "b", "c"], "0.6", "g")
    assert sum(p["share"] * p["result"].M0 for p in parts) == pytest.approx(overall.M0)
    assert sum(p["contribution"] for p in parts) == pytest.approx(1.0)
    assert [p["result"].poor for p in parts] == [2, 2]


def test_report_command_writes_each_format_and_refuses_clearly(registry, tmp_path, capsys):
    user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
    for fmt in ("xlsx", "csv", "pdf"):
        out = tmp_path / f"r.{fmt}"
        assert (
            cli(
                [
                    "--as",
                    "tinh",
                    "report",
                    "ket-qua",
                    "--unit",
                    "14",
                    "--period",
                    PERIOD,
                    "--format",
                    fmt,
                    "--output",
                    str(out),
                ]
            )
            == 0
        )
        assert out.stat().st_size > 500
    user_with_role(Role.COMMUNE_OFFICIAL, Household.objects.first().unit.code, username="xa")
    assert (
        cli(
            [
                "--as",
                "xa",
                "report",
                "ket-qua",
                "--unit",
                "14",
                "--period",
                PERIOD,
                "--format",
                "csv",
                "--output",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert "Không có quyền" in capsys.readouterr().err
    assert (
        cli(
            [
                "report",
                "khong-co",
                "--unit",
                "14",
                "--period",
                PERIOD,
                "--format",
                "csv",
                "--output",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert "no report 'khong-co'" in capsys.readouterr().err


def test_pages_downloads_and_denials(registry, official, client):
    client.force_login(official)
    page = client.get("/bao-cao/ket-qua/", {"unit": "14", "period": PERIOD})
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<script id="vegalite-report" type="application/json">' in html
        and "vega-bundle.js" in html
        and "cdn" not in html.lower()
    )
    assert "300" in html
    xlsx = client.get("/bao-cao/ket-qua/", {"unit": "14", "period": PERIOD, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/bang-dieu-khien/", {"unit": "14", "period": PERIOD}).status_code == 200
    from giamngheo.core.models import AuditEvent

    assert client.get("/bao-cao/danh-sach-ngheo/", {"unit": "14", "period": PERIOD}).status_code == 200
    assert AuditEvent.objects.filter(verb="report.view", actor=official).exists()
    assert AuditEvent.objects.filter(verb="report.export", actor=official, data__format="xlsx").exists()
    run = client.get(
        "/bao-cao/chay-thu/", {"unit": "14", "run": "1", "standard": "vn-2027-2030"}, HTTP_HX_REQUEST="true"
    )
    assert run.status_code == 200 and "Chạy thử" in run.content.decode()
    assert client.get("/bao-cao/chay-thu/", {"unit": "14", "run": "1", "income_line.rural": "abc"}).status_code == 400
    more = client.get("/bao-cao/chay-thu/", {"unit": "14", "run": "1", "more": "housing_area.min_m2_per_person=12"})
    assert more.status_code == 200 and "housing_area.min_m2_per_person = 12" in more.content.decode()
    other = user_with_role(Role.PROVINCE_OFFICIAL, "01", username="hanoi")
    client.force_login(other)
    for url in ("/bao-cao/ket-qua/", "/bang-dieu-khien/", "/bao-cao/chay-thu/"):
        denied = client.get(url, {"unit": "14", "period": PERIOD, "run": "1"})
        assert denied.status_code == 404 and b"Tr\xe1\xba\xa7n" not in denied.content


@pytest.mark.django_db(transaction=True)
def test_shared_frames_are_refreshed_by_a_new_decision(units_again):
    hh, members = synthetic_registry(60, seed=13, decisions=False)
    national = user_with_role(Role.NATIONAL_VIEWER, username="tw")
    assert selectors.report_table(national, "ket-qua", "14", PERIOD, with_chart=False).total_row()["poor"] == 0
    record_demo_history(hh, members, system_user(), seed=13)
    again = selectors.report_table(national, "ket-qua", "14", PERIOD, with_chart=False).total_row()["poor"]
    assert again > 0


def test_threshold_edits_read_vietnamese_and_english_numbers():
    assert selectors.parse_overrides(["income_line.rural=1.500.000", "dependants.share_above=0,5", "", "x=2"]) == {
        "income_line.rural": 1_500_000,
        "dependants.share_above": 0.5,
        "x": 2,
    }
    with pytest.raises(ValueError, match="NAME=NUMBER"):
        selectors.parse_overrides(["income_line.rural=nhiều"])
