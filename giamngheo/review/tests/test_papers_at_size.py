"""The papers of a round of a few hundred households: the job's progress moves while the pages are laid
out (it sat at 0 % then 100 %), and every certificate and posting row holds its own household."""

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.registry.models import Member
from giamngheo.review import services as review
from giamngheo.review import tasks
from giamngheo.review.models import DocumentJob
from giamngheo.review.tests.test_round import COMMUNE, NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from .test_round import people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 200
SURNAMES = ["Lò", "Cầm", "Giàng", "Đinh", "Hà", "Tòng", "Quàng", "Lường"]
GIVEN = ["Thị Ửng", "Văn Đức", "Thị Mỷ", "Văn Quý", "Thị Hường", "Văn Ước", "Thị Ngọc Ánh", "Văn Tuấn"]


def head_name(i: int) -> str:
    return f"{SURNAMES[i % 8]} {GIVEN[(i // 8) % 8]} {i:03d}"


@pytest.fixture
def big_round(people):  # noqa: F811
    admin = system_user()
    homes = [household(admin, f"HH{i:03d}", COMMUNE, members=1 + i % 3) for i in range(HOUSEHOLDS)]
    for i, home in enumerate(homes):  # names with every kind of Vietnamese mark, one per household
        Member.objects.filter(household=home, relation_to_head="head").update(full_name=head_name(i))
    facts = [[POOR_FACTS, NEAR_FACTS, RICH_FACTS][i % 3] for i in range(HOUSEHOLDS)]
    return run_round(people, homes, facts)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_papers_job_reports_progress_in_steps_while_laying_out(
    people,  # noqa: F811
    big_round,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from weasyprint import HTML

    saved: list[int] = []  # the percent the page reads after each save of the job row
    at_layout: list[int] = []  # the percent it reads while WeasyPrint lays a part out
    job_ids: list[int] = []
    set_job = tasks._set

    def recording_set(job_id: int, **fields) -> None:
        set_job(job_id, **fields)
        job_ids.append(job_id)
        saved.append(DocumentJob.objects.get(pk=job_id).percent)

    def percent_now() -> int:
        return DocumentJob.objects.get(pk=job_ids[-1]).percent if job_ids else 0

    layout = HTML.render  # every WeasyPrint layout goes through it

    def recording_layout(self, *args, **kwargs):
        at_layout.append(percent_now())
        return layout(self, *args, **kwargs)

    monkeypatch.setattr(tasks, "_set", recording_set)
    monkeypatch.setattr(HTML, "render", recording_layout)
    with django_capture_on_commit_callbacks(execute=True):
        job = review.documents_request(actor=people["official"], review_round=big_round)
    job.refresh_from_db()
    assert job.state == DocumentJob.State.DONE and saved[-1] == 100
    assert saved == sorted(saved)  # never backwards
    steps = sorted(set(saved) - {0, 100})
    assert len(steps) >= 5, saved  # several steps on the way, not 0 then 100
    # the work behind the bar: layouts start at many different points, not all at 0 % or all at the end
    assert len(set(at_layout)) >= 3 and max(at_layout) < 100, at_layout

    with zipfile.ZipFile(job.file) as archive:
        certificates = pages_text(archive.read("giay-chung-nhan.pdf"))
        posting = "\n".join(pages_text(archive.read("danh-sach-niem-yet.pdf")))
    recognised = [i for i in range(HOUSEHOLDS) if i % 3 != 2]  # poor and near poor, in household id order
    assert len(certificates) == len(recognised)
    for number, (i, text) in enumerate(zip(recognised, certificates, strict=True), start=1):
        assert f"Số: {number}/GCN-HN.HCN" in text
        assert head_name(i) in text, (number, head_name(i), text)  # this household's head on its page
        assert head_name(i + 1) not in text and head_name(i - 1) not in text
        assert ("HỘ NGHÈO" if i % 3 == 0 else "HỘ CẬN NGHÈO") in text
    rows = re.findall(r"^(\d+) (HH\d{3}) (.+?) ", posting, flags=re.M)
    assert [household_id for _n, household_id, _head in rows] == [f"HH{i:03d}" for i in range(HOUSEHOLDS)]
    for i in range(HOUSEHOLDS):
        assert f"HH{i:03d} {head_name(i)}" in posting
