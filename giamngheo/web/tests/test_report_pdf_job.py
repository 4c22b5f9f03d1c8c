"""A long report's PDF is made in the background with real progress and a download page; only the
user who asked downloads it; a list too long for any PDF is refused in the page with its numbers
written the Vietnamese way and the Excel alternative."""

from __future__ import annotations

import io
import types

import pytest
from pypdf import PdfReader

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.reports.models import ReportJob
from giamngheo.reports.render import TooLargeForPdfError, check_pdf_size
from giamngheo.reports.tests.conftest import province_official  # noqa: F401 (fixture)
from giamngheo.reports.tests.registry import synthetic_registry

pytestmark = pytest.mark.django_db
LIST = "/bao-cao/danh-sach-ngheo/"
QUERY = {"unit": "14", "period": "2026", "format": "pdf"}


@pytest.fixture
def small_parts(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr("giamngheo.reports.render.PDF_PART_ROWS", 15)
    monkeypatch.setattr("giamngheo.web.report_views.PDF_BACKGROUND_ROWS", 10)


def _job(client, django_capture_on_commit_callbacks) -> ReportJob:
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs the job here
        response = client.get(LIST, QUERY)
    assert response.status_code == 302 and response["Location"].startswith("/bao-cao/tep/")
    return ReportJob.objects.get(token=response["Location"].split("/")[3])


def test_a_long_list_pdf_is_a_job_with_progress_and_a_download(
    client,
    province_official,  # noqa: F811
    small_parts,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    synthetic_registry(80, seed=4)
    client.force_login(province_official)
    seen: list[int] = []
    real = __import__("giamngheo.reports.pdf_jobs", fromlist=["_set"])._set

    def spy(job_id, **fields):
        real(job_id, **fields)
        seen.append(ReportJob.objects.get(pk=job_id).done)

    monkeypatch.setattr("giamngheo.reports.pdf_jobs._set", spy)
    job = _job(client, django_capture_on_commit_callbacks)
    assert job.state == ReportJob.State.DONE and job.total > 30, job.error
    steps = sorted(set(seen))
    assert len(steps) >= 3 and steps[-1] == job.total  # progress moved part by part, up to every row
    page = client.get(f"/bao-cao/tep/{job.token}/")
    html = page.content.decode()
    assert page.status_code == 200 and "100%" in html and f"/bao-cao/tep/{job.token}/tai-ve/" in html
    assert "format=xlsx" in html  # the Excel alternative is offered while it runs
    download = client.get(f"/bao-cao/tep/{job.token}/tai-ve/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "danh-sach-ngheo-14-2026.pdf" in download["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) >= 2
    assert [f"Trang {n}" in text for n, text in enumerate(texts, start=1)] == [True] * len(texts)  # numbered on
    assert "DANH SÁCH" in texts[0].upper() and "Lập bằng giamngheo" in texts[-1]
    # a reload of the page's PDF link while it runs does not queue a second job
    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.RUNNING)
    again = client.get(LIST, QUERY)
    assert again["Location"] == f"/bao-cao/tep/{job.token}/" and ReportJob.objects.count() == 1


def test_only_the_user_who_asked_downloads_the_job(
    client,
    province_official,  # noqa: F811
    small_parts,
    django_capture_on_commit_callbacks,
):
    synthetic_registry(40, seed=5)
    client.force_login(province_official)
    job = _job(client, django_capture_on_commit_callbacks)
    assert job.state == ReportJob.State.DONE, job.error
    others = [
        user_with_role(Role.PROVINCE_OFFICIAL, "01", username="tinh-khac"),  # another province
        user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="xa-khac"),  # a commune inside it
        user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh-2"),  # same province, other person
    ]
    for other in others:
        client.force_login(other)
        assert client.get(f"/bao-cao/tep/{job.token}/").status_code == 404, other.username
        assert client.get(f"/bao-cao/tep/{job.token}/tai-ve/").status_code == 404, other.username
    # the one who asked, once their assignment has ended, cannot download it either
    province_official.assignments.update(valid_to="2020-12-31")
    client.force_login(province_official)
    assert client.get(f"/bao-cao/tep/{job.token}/tai-ve/").status_code == 404


def test_the_refusal_writes_numbers_the_vietnamese_way():
    with pytest.raises(TooLargeForPdfError) as caught:
        check_pdf_size(types.SimpleNamespace(rows=[None] * 13_066))
    vi, _, en = str(caught.value).partition(" / ")
    assert "13.066 dòng, quá 5.000 dòng cho PDF" in vi and "Excel" in vi
    assert "13,066 rows" in en


def test_old_pdfs_are_deleted_by_the_housekeeping(province_official, settings, tmp_path):  # noqa: F811
    import datetime as dt

    from giamngheo.core import clock
    from giamngheo.core.worker import _housekeeping
    from giamngheo.reports.pdf_jobs import purge_old_pdfs

    assert purge_old_pdfs in _housekeeping  # the worker runs it now and then
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    for path in (old, new):
        path.write_bytes(b"%PDF-")
    common = dict(name="danh-sach-ngheo", unit_code="14", period="2026", created_by=province_official, state="done")
    first = ReportJob.objects.create(**common, file=str(old))
    ReportJob.objects.filter(pk=first.pk).update(created_at=clock.now() - dt.timedelta(days=8))
    ReportJob.objects.create(**common, file=str(new))
    assert purge_old_pdfs() == 1
    assert not old.exists() and new.exists()
    assert ReportJob.objects.get(pk=first.pk).file == ""
