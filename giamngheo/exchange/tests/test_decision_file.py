"""A decision's list from its file: UTF-8 CSV (BOM or not), Excel with ids as text; the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.cli.main import main
from giamngheo.core.spreadsheets import workbook
from giamngheo.exchange.decisions import decision_file_import, read_decision_rows
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import Status
from giamngheo.standards.problems import InputError

pytestmark = pytest.mark.django_db
A = "03880"
DAY = dt.date(2025, 12, 15)


@pytest.fixture
def commune():
    for hid in ("001001", "001002"):
        household(system_user(), hid, A, members=0)
    return unit_by_code(A)


def test_a_utf8_csv_with_a_bom_and_vietnamese_headers_is_read(tmp_path):
    path = tmp_path / "qd.csv"
    path.write_bytes("\ufeffMã hộ,Phân loại\n001001,Hộ nghèo\n001002,hộ cận nghèo\n".encode())
    assert read_decision_rows(path) == [
        {"household_id": "001001", "category": "Hộ nghèo", "_row": 2},
        {"household_id": "001002", "category": "hộ cận nghèo", "_row": 3},
    ]


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_a_csv_in_another_encoding_is_refused_with_what_to_do(tmp_path, encoding):
    path = tmp_path / "qd.csv"
    # cp1258 writes "hộ" as "hô" and a combining dot below, the way Vietnamese Windows files do
    cp1258 = "Ma\u0303 h\u00f4\u0323,Ph\u00e2n loa\u0323i\n001001,H\u00f4\u0323 nghe\u0300o\n"
    text = "household_id,category\n001001,khác\n" if encoding == "latin-1" else cp1258
    path.write_bytes(text.encode(encoding))
    with pytest.raises(InputError) as caught:
        read_decision_rows(path, "qd.csv")
    assert "CSV UTF-8" in caught.value.report("en") and caught.value.problems[0].file == "qd.csv"


def test_excel_ids_typed_as_text_keep_their_leading_zeros(tmp_path, commune):
    path = tmp_path / "qd.xlsx"
    book = workbook(path)
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["Mã hộ", "Phân loại", "Ghi chú"])
    sheet.write_string(1, 0, "001001")
    sheet.write_string(1, 1, "Hộ nghèo")
    sheet.write_string(2, 0, "001002")
    sheet.write_string(2, 1, "Hộ không nghèo")
    book.close()
    result = decision_file_import(actor=system_user(), unit=commune, path=path, number="15/QĐ", date=DAY)
    assert result.counts == {"poor": 1, "other": 1}
    assert set(Status.objects.values_list("household__household_id", flat=True)) == {"001001", "001002"}


def test_excel_ids_typed_as_numbers_are_refused(tmp_path, commune):
    path = tmp_path / "qd.xlsx"
    book = workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["household_id", "category"])
    sheet.write_number(1, 0, 1001)
    sheet.write_string(1, 1, "poor")
    book.close()
    with pytest.raises(InputError) as caught:
        decision_file_import(actor=system_user(), unit=commune, path=path, number="15/QĐ", date=DAY)
    assert (caught.value.problems[0].row, caught.value.problems[0].column) == (2, "household_id")
    assert not Status.objects.exists()


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "qd.csv"
    path.write_text("Mã hộ\n001001\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_decision_rows(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "category")]


def test_two_headers_meaning_one_column_are_refused_by_name(tmp_path):
    """The attack of 06/12/2026: "category" beside "Phân loại" ended in a DuplicateError traceback."""
    path = tmp_path / "qd.csv"
    path.write_text("household_id,category,Phân loại\n001001,poor,near_poor\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_decision_rows(path, "qd.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "category")]
    assert "'category', 'Phân loại'" in caught.value.report("en") and "keep one" in caught.value.report("en")


def test_the_command_records_then_finds_it_recorded(tmp_path, commune, capsys):
    path = tmp_path / "qd.csv"
    path.write_text("household_id,category\n001001,poor\n001002,near_poor\n", encoding="utf-8")
    args = ["decision", "import", str(path), "--unit", A, "--number", "15/QĐ", "--date", "15/12/2025"]
    assert main(args) == 0
    assert "2" in capsys.readouterr().out and Status.objects.count() == 2
    assert main(args) == 0
    assert "already recorded" in capsys.readouterr().out and Status.objects.count() == 2


def test_the_command_checks_without_writing(tmp_path, commune, capsys):
    path = tmp_path / "qd.csv"
    path.write_text("household_id,category\n001001,poor\n001002,hộ nghèo\n", encoding="utf-8")
    args = ["decision", "import", str(path), "--unit", A, "--number", "15/QĐ", "--date", "15/12/2025", "--check"]
    assert main(args) == 0
    assert "checked, nothing written: 2 hộ (Hộ nghèo: 2)" in capsys.readouterr().out
    assert not Status.objects.exists()


def test_the_command_names_every_bad_row_and_writes_nothing(tmp_path, commune, capsys):
    path = tmp_path / "qd.csv"
    path.write_text("household_id,category\n001001,poor\n009999,giàu\n", encoding="utf-8")
    args = ["decision", "import", str(path), "--unit", A, "--number", "15/QĐ", "--date", "15/12/2025"]
    assert main([*args, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}, row 3, column household_id" in err and f"{path}, row 3, column category" in err
    assert not Status.objects.exists()


def test_the_command_acts_as_the_named_user_and_refuses_a_reviewer(tmp_path, commune, capsys):
    user_with_role(Role.REVIEWER, A, username="rasoat1001")
    path = tmp_path / "qd.csv"
    path.write_text("household_id,category\n001001,poor\n", encoding="utf-8")
    args = ["--as", "rasoat1001", "decision", "import", str(path), "--unit", A, "--number", "1", "--date", "15/12/2025"]
    assert main(args) == 2
    assert "may record an existing recognition decision" in capsys.readouterr().err
    assert not Status.objects.exists()


def test_previews_never_confirmed_are_removed_a_day_later_and_an_import_jobs_folder_is_left(
    tmp_path, settings, commune
):
    """Their files (household ids and categories) stayed in uploads/ for ever; and a .txt was told
    it needs '.xlsx, .csv or .parquet', which this page does not take."""
    import os
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile

    from giamngheo.core.errors import ServiceError
    from giamngheo.exchange.decisions import decision_upload_path, decision_upload_save

    settings.DATA_DIR = tmp_path
    official = user_with_role(Role.COMMUNE_OFFICIAL, A)

    def upload(name="qd.csv"):
        return decision_upload_save(
            actor=official, unit=commune, upload=SimpleUploadedFile(name, b"household_id,category\n001001,poor\n")
        )

    old, fresh = upload(), upload()
    job = tmp_path / "uploads" / ("f" * 32)  # an import job's folder: its own job removes it
    job.mkdir()
    (job / "households.csv").write_text("household_id\n")
    day_ago = time.time() - 25 * 3600
    for path in (decision_upload_path(old), job / "households.csv"):
        os.utime(path, (day_ago, day_ago))
    upload()
    assert not (tmp_path / "uploads" / old).exists()
    assert decision_upload_path(fresh).exists() and (job / "households.csv").exists()
    with pytest.raises(ServiceError) as refused:
        upload("qd.txt")
    assert "parquet" not in str(refused.value)
