"""Certificates drawn on a laid-out page: text that does not fit its slot, or that the font lacks, is laid
out by WeasyPrint in full instead; names typed with combining marks print as the composed letters."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from giamngheo.core import pdf_fill
from giamngheo.registry.models import Member
from giamngheo.review.documents import certificates_pdf, posting_pdf
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from .test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

LONG = "Nguyễn Thị Hoàng Phương Thảo Ngọc Ánh Dương Quỳnh Trâm Lệ Xuân"  # wider than the name's slot


def test_long_and_decomposed_names_print_whole_and_composed(people, households, monkeypatch):  # noqa: F811
    Member.objects.filter(member_id="H0-1").update(full_name=LONG)
    Member.objects.filter(member_id="H1-1").update(full_name=unicodedata.normalize("NFD", "Lường Thị Ửng"))
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    drawn: list[int] = []
    fill = pdf_fill.fill

    def counting_fill(template_pdf, slots, pages, progress=lambda n: None):
        pages = list(pages)
        drawn.append(sum(isinstance(page, pdf_fill.Filled) for page in pages))
        return fill(template_pdf, slots, pages, progress)

    monkeypatch.setattr(pdf_fill, "fill", counting_fill)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(certificates_pdf(r))).pages]
    assert len(pages) == 2 and drawn == [1]  # the long name laid out by WeasyPrint, the other drawn
    assert " ".join(pages[0].split()).count(LONG) == 2  # whole (head line and members table), wrapped or not
    assert "Lường Thị Ửng" in pages[1]  # composed, as the font draws it
    assert "Số: 1/GCN-HN.HCN" in pages[0] and "Số: 2/GCN-HN.HCN" in pages[1]
    posting = unicodedata.normalize("NFC", PdfReader(io.BytesIO(posting_pdf(r))).pages[0].extract_text())
    assert all(word in posting.split() for word in LONG.split())  # its page laid out, the name wrapped in its cell
    assert "Lường Thị Ửng" in posting


def test_fits_refuses_text_wider_than_its_slot_or_missing_from_the_font():
    slot = pdf_fill.Slot(x=0, baseline=10, right=100, size=15, bold=False, color=(0, 0, 0))
    assert pdf_fill.fits(slot, "Lò Văn Tư")
    assert not pdf_fill.fits(slot, "Lò Văn Tư " * 5)
    assert not pdf_fill.fits(slot, "Lò 𠀧")  # a Nôm character the font does not carry


def test_the_papers_carry_what_the_official_forms_carry_and_a_place_to_sign(people, households):  # noqa: F811
    """The certificate printed the standard's internal id, "(chuẩn vn-2022-2025)", and a title with no
    place to sign; the posting list printed the app's "not checked against the legal text" marker."""
    from giamngheo.review.documents import minutes_pdf

    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    certificate = " ".join(PdfReader(io.BytesIO(certificates_pdf(r))).pages[0].extract_text().split())
    assert "chuẩn vn-" not in certificate and "vn-20" not in certificate
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Ký, ghi rõ họ tên và đóng dấu)" in certificate
    posting = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(posting_pdf(r))).pages).split())
    assert "chưa đối chiếu" not in posting and "kiểm chứng" not in posting
    minutes = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(r))).pages).split())
    assert minutes.count("(Ký, ghi rõ họ tên)") == 2 * 2 * r.meetings.count()  # two signers, two copies
