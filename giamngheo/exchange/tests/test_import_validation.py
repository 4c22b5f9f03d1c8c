"""The import as a careless user and an attacker use it (#11.9, #11.10, #11.12): every bad file or value is
refused with its file, row and column, on SQLite and PostgreSQL alike, and nothing is half-written."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import xlsxwriter

from giamngheo.cli.main import main
from giamngheo.exchange.tests.test_import_export import GOOD_HH, GOOD_M, HH_HEADER, M_HEADER, workbook
from giamngheo.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def csv_text(rows, separator=","):
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\n").writerows(rows)
    return out.getvalue()


def csv_pair(tmp_path, hh_rows, m_rows, encoding="utf-8", hh_header=HH_HEADER, separator=","):
    hh, mem = tmp_path / "ho.csv", tmp_path / "tv.csv"
    hh.write_bytes(csv_text([hh_header, *hh_rows], separator).encode(encoding))
    mem.write_bytes(csv_text([M_HEADER, *m_rows], separator).encode(encoding))
    return ["import", "--households", str(hh), "--members", str(mem), "--lang", "en"]


def nothing_imported():
    return not Household.objects.exists() and not Member.objects.exists()


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_a_windows_encoded_csv_is_refused_naming_the_file(tmp_path, capsys, encoding):
    hh = [*GOOD_HH[:2], "Bản Tạ Khoa".encode(encoding, "replace").decode(encoding), *GOOD_HH[3:]]
    m = [*GOOD_M[:3], "Thảo Vân Long".encode(encoding, "replace").decode(encoding), *GOOD_M[4:]]
    argv = csv_pair(tmp_path, [hh], [m], encoding=encoding)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "ho.csv" in err and "not UTF-8" in err and "CSV UTF-8" in err
    assert nothing_imported()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_bom_csvs_import_like_utf8(tmp_path, encoding):
    assert main(csv_pair(tmp_path, [GOOD_HH], [GOOD_M], encoding=encoding)) == 0
    assert Member.objects.get(member_id="H001-1").full_name == "Giàng A Páo"
    assert Household.objects.get(household_id="H001").village_name == "Bản Tạ Khoa"


def test_a_semicolon_separated_csv_reads_like_a_comma_one(tmp_path):
    assert main(csv_pair(tmp_path, [GOOD_HH], [GOOD_M], separator=";")) == 0
    assert float(Household.objects.get(household_id="H001").floor_area_m2) == 45.5


@pytest.mark.parametrize("second", ["income_per_capita_month", "Thu nhập bình quân đầu người/tháng (đồng)"])
def test_a_duplicated_header_is_refused(tmp_path, capsys, second):
    header = [*HH_HEADER, second]
    argv = csv_pair(tmp_path, [[*GOOD_HH, "5000000"]], [GOOD_M], hh_header=header)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "row 1, column income_per_capita_month" in err and "repeats column" in err
    assert nothing_imported()
    path = tmp_path / "x.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        for name, head, row in (("households", header, [*GOOD_HH, "5000000"]), ("members", M_HEADER, GOOD_M)):
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, head)
            sheet.write_row(1, 0, row)
    assert main(["import", str(path), "--lang", "en"]) == 2
    assert f"{path}[households], row 1, column income_per_capita_month" in capsys.readouterr().err


def test_numeric_ids_and_formulas_in_excel_are_refused_by_cell(tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("households")
        sheet.write_row(0, 0, HH_HEADER)
        sheet.write_row(1, 0, GOOD_HH)
        sheet.write_number(1, 0, 3880000001)  # was 03880000001 before Excel made it a number
        sheet.write_formula(1, 4, "=600000*2", None, 1200000)
        sheet = book.add_worksheet("members")
        sheet.write_row(0, 0, M_HEADER)
        sheet.write_row(1, 0, [GOOD_M[0], *GOOD_M[1:]])
        sheet.write_string(1, 0, "3880000001")
    assert main(["import", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}[households], row 2, column household_id" in err and "leading zeros" in err
    assert f"{path}[households], row 2, column income_per_capita_month" in err and "formula" in err
    assert nothing_imported()


IMPLAUSIBLE = [
    ("households", 4, "income_per_capita_month", "-5.000.000"),
    ("households", 8, "floor_area_m2", "-4"),
    ("households", 8, "floor_area_m2", "1e308"),
    ("members", 5, "birth_date", "01/01/2099"),
    ("members", 5, "birth_date", "1800-06-01"),
    ("members", 3, "full_name", "x" * 100_000),
    ("members", 1, "member_id", "H001-" + "9" * 295),
    ("households", 2, "village", "v" * 121),
]


@pytest.mark.parametrize(("sheet", "index", "column", "value"), IMPLAUSIBLE)
def test_implausible_or_too_long_values_are_refused_on_both_databases(tmp_path, capsys, sheet, index, column, value):
    hh, m = list(GOOD_HH), list(GOOD_M)
    (hh if sheet == "households" else m)[index] = value
    path = workbook(tmp_path / "x.xlsx", [hh], [m])
    assert main(["import", str(path), "--lang", "en"]) == 2  # never a DataError traceback from PostgreSQL
    err = capsys.readouterr().err
    assert f"{path}[{sheet}], row 2, column {column}" in err
    assert "implausible value" in err or "characters long" in err
    assert len(err) < 2000  # a 100,000-character value is not echoed back
    assert nothing_imported()


def test_a_household_without_members_is_refused(tmp_path, capsys):
    lonely = ["H002", *GOOD_HH[1:]]
    path = workbook(tmp_path / "x.xlsx", [GOOD_HH, lonely], [GOOD_M])
    assert main(["import", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}[households], row 3, column household_id, household H002: household 'H002' has no member" in err
    assert nothing_imported()


@pytest.mark.parametrize("content", [b"not a workbook at all", b"PK\x03\x04" + b"\x00" * 200, b""])
def test_a_damaged_xlsx_is_a_message_not_a_traceback(tmp_path, capsys, content):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(content)
    assert main(["import", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "hong.xlsx" in err and "Traceback" not in err and ("not a valid Excel" in err or "empty" in err)


def test_an_xlsx_expanding_beyond_the_limit_is_refused_before_parsing(tmp_path, capsys, settings):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    path = workbook(tmp_path / "bom.xlsx", [GOOD_HH], [GOOD_M])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/padding.bin", b"\x00" * (3 * 1024 * 1024))  # 3 MB declared, a few KB stored
    assert path.stat().st_size < 100_000
    assert main(["import", str(path), "--lang", "en"]) == 2
    assert "bom.xlsx: the Excel file expands to 3 MB, at most 1 MB" in capsys.readouterr().err
    settings.IMPORT_MAX_FILE_MB = 0
    assert main(["import", str(path), "--lang", "en"]) == 2
    assert "file too large" in capsys.readouterr().err


def test_the_template_download_leaves_no_temporary_folder(client, tmp_path, monkeypatch):
    import tempfile

    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="xa"))
    for _ in range(3):
        response = client.get("/mau-nhap-lieu/")
        assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert list(tmp_path.iterdir()) == []


def test_upload_limits_and_an_unwritable_upload_folder_are_messages(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.exchange.models import ImportJob
    from giamngheo.geo.selectors import unit_by_code

    settings.DATA_DIR = tmp_path
    settings.IMPORT_MAX_FILE_MB = 1
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="xa"))
    url = f"/xa/{unit_by_code('03880').pk}/nhap-du-lieu/"
    big = SimpleUploadedFile("ho.csv", b"household_id\n" + b"H1\n" * 600_000)  # 1.8 MB
    response = client.post(url, {"households": big})
    page = response.content.decode()
    assert response.status_code == 200 and "quá lớn" in page and "too large" not in page  # one language
    assert "quá lớn (1,7 MB, tối đa 1 MB)" in page  # a decimal comma in Vietnamese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    big.seek(0)
    page = client.post(url, {"households": big}).content.decode()
    assert "too large" in page and "quá lớn" not in page
    assert not ImportJob.objects.exists() and not (tmp_path / "uploads").exists()  # refused before saving
    (tmp_path / "uploads").write_text("not a folder", encoding="utf-8")  # the folder cannot be made
    response = client.post(url, {"households": SimpleUploadedFile("ho.csv", b"household_id\nH1\n")})
    assert response.status_code == 200 and "not writable" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_damaged_upload_is_rejected_with_a_message_and_no_server_path(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.exchange.models import ImportJob
    from giamngheo.geo.selectors import unit_by_code

    settings.DATA_DIR = tmp_path
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="xa"))
    url = f"/xa/{unit_by_code('03880').pk}/nhap-du-lieu/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"households": SimpleUploadedFile("ho.xlsx", b"PK\x03\x04garbage" * 50)})
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.REJECTED and not job.marked_file
    page = client.get(response["Location"]).content.decode()
    assert "not a valid Excel" in page or "không phải tệp Excel" in page
    assert str(tmp_path) not in page
    assert (
        page.count('<td data-label="Tệp">') == page.count('<td data-label="Lỗi">') >= 1
    )  # labelled for the phone layout that stacks the cells


def test_the_upload_limits_do_not_hold_back_a_provinces_own_load(tmp_path, settings):
    from giamngheo.synth.population import synthesize

    settings.IMPORT_MAX_FILE_MB = 0  # every upload refused; `load` of local files is not an upload
    hh, members = synthesize("14", 30, seed=4)
    hh.write_parquet(tmp_path / "households.parquet")
    members.write_parquet(tmp_path / "members.parquet")
    assert main(["load", str(tmp_path)]) == 0
    assert Household.objects.count() == 30


def test_a_household_with_two_heads_is_refused_at_the_second_heads_row(tmp_path, capsys):
    """Two heads left every reader to guess: the payment file listed the household twice."""
    second = [*GOOD_M[:1], "H001-2", "014085000124", "Giàng Thị Mai", "female", *GOOD_M[5:]]
    assert second[6] == "head"
    assert main(csv_pair(tmp_path, [GOOD_HH], [GOOD_M, second])) == 2
    err = capsys.readouterr().err
    assert "tv.csv, row 3, column relation_to_head" in err and "has one head" in err  # the header is row 1
    assert nothing_imported()


@pytest.mark.parametrize("household_id", ["-3880900003", '=HYPERLINK("x")', "H 001", "H\u200b001"])
def test_an_id_no_export_can_give_back_is_refused(tmp_path, capsys, household_id):
    """The attack of 06/12/2026: '-3880900003' was imported, exported as "'-3880900003" (so no
    spreadsheet reads a formula) and no longer matched when the file came back."""
    hh = [household_id, *GOOD_HH[1:]]
    m = [household_id, *GOOD_M[1:]]
    assert main(csv_pair(tmp_path, [hh], [m])) == 2
    err = capsys.readouterr().err
    assert "ho.csv, row 2, column household_id" in err and "cannot be used" in err
    assert "tv.csv, row 2, column household_id" in err
    assert nothing_imported()
