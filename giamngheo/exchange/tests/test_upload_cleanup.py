"""Uploaded registry files (national ids) are deleted when their import ends; a refused import's
marked workbook is kept for the user for MARKED_KEEP_DAYS, then deleted; refused uploads leave nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from giamngheo.accounts.tests.factories import system_user
from giamngheo.core.errors import ServiceError
from giamngheo.exchange.models import ImportJob
from giamngheo.exchange.services import import_request
from giamngheo.exchange.uploads import MARKED_KEEP_DAYS, purge_marked_workbooks
from giamngheo.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db
HEADER = (
    "household_id,admin_code,income_per_capita_month,walls_durable,columns_durable,roof_durable,"
    "floor_area_m2,water_source,latrine,uses_telecom,has_info_device\n"
)
MEMBERS = (
    "household_id,member_id,birth_date,highest_education,in_school,has_health_insurance,employment\n"
    "W1,W1-1,01/02/1980,primary,0,1,self_employed\n"
)


def _import(households: str, members: str = MEMBERS, members_name: str = "tv.csv", capture=None) -> ImportJob:
    with capture(execute=True):
        job = import_request(
            actor=system_user(),
            commune=unit_by_code("03880"),
            households_upload=SimpleUploadedFile("ho.csv", households.encode()),
            members_upload=SimpleUploadedFile(members_name, members.encode()),
        )
    job.refresh_from_db()
    return job


@pytest.fixture
def uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "uploads"


def test_a_finished_import_leaves_no_uploaded_file(uploads, django_capture_on_commit_callbacks):
    job = _import(HEADER + "W1,03880,1200000,1,1,1,40,piped,septic,1,1\n", capture=django_capture_on_commit_callbacks)
    assert job.state == ImportJob.State.DONE
    assert list(uploads.iterdir()) == []


def test_a_refused_import_keeps_only_the_marked_workbook_and_only_for_a_while(
    uploads, django_capture_on_commit_callbacks
):
    job = _import(HEADER + "W1,03880,abc,1,1,1,40,river,septic,1,1\n", capture=django_capture_on_commit_callbacks)
    assert job.state == ImportJob.State.REJECTED and job.marked_file
    (folder,) = uploads.iterdir()
    assert [p.name for p in folder.iterdir()] == ["loi-danh-dau.xlsx"]  # the uploaded rows are gone
    assert purge_marked_workbooks(job.created_at + dt.timedelta(days=MARKED_KEEP_DAYS - 1)) == 0
    assert purge_marked_workbooks(job.created_at + dt.timedelta(days=MARKED_KEEP_DAYS, hours=1)) == 1
    job.refresh_from_db()
    assert job.marked_file == "" and list(uploads.iterdir()) == []


def test_an_upload_refused_at_once_leaves_no_folder(uploads, django_capture_on_commit_callbacks):
    with pytest.raises(ServiceError):
        _import(HEADER, members_name="tv.pdf", capture=django_capture_on_commit_callbacks)
    assert not ImportJob.objects.exists()
    assert not uploads.exists() or list(uploads.iterdir()) == []
