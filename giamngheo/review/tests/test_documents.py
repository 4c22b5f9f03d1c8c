"""The round's papers: certificates with the head's name in correct Vietnamese, minutes, posting list."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from giamngheo.review import services as review
from giamngheo.review.models import DocumentJob
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from .test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_documents_job_makes_certificates_minutes_and_posting_list(
    people,  # noqa: F811
    households,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from giamngheo.registry.models import Member
    from giamngheo.registry.services import member_update

    head = Member.objects.get(member_id="H0-1")
    member_update(actor=people["official"], member=head, full_name="Giàng Thị Mỷ", ethnicity="08")
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    with django_capture_on_commit_callbacks(execute=True):
        job = review.documents_request(actor=people["official"], review_round=r)
    job.refresh_from_db()
    # units: 3 households voted on (two copies of the minutes: 6), the same 3 on the posting list,
    # 2 certificates, one per file written (3)
    assert job.state == DocumentJob.State.DONE and job.percent == 100
    assert (job.done, job.total) == (14, 14)
    with zipfile.ZipFile(job.file) as archive:
        certificates = text_of(archive.read("giay-chung-nhan.pdf"))
        minutes = text_of(archive.read("bien-ban-hop-dan.pdf"))
        posting = text_of(archive.read("danh-sach-niem-yet.pdf"))
    assert "Giàng Thị Mỷ" in certificates and "GIẤY CHỨNG NHẬN HỘ NGHÈO" in certificates
    assert "HỘ CẬN NGHÈO" in certificates and "123/QĐ-UBND" in certificates
    assert minutes.count("BIÊN BẢN HỌP DÂN") == 2  # two copies
    assert "Nhất trí" in minutes
    # the unverified mark is for the screens, not for the paper posted in the village (#13)
    assert "H0" in posting and "chưa đối chiếu" not in posting
