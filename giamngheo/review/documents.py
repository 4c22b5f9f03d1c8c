"""The round's papers as PDF (WeasyPrint, Be Vietnam Pro font for the diacritics): certificates,
village meeting minutes (two copies), the public posting list."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from ..core.atomic import write_bytes_atomic
from ..core.pdf import render_pdf
from ..standards.contract import CATEGORY_LABELS
from ..standards.formats import date_vi
from ..standards.procedure import review_law
from .models import Listed, ReviewRound

CATEGORY_VI = {code: vi for code, (vi, _en) in CATEGORY_LABELS.items()}  # the papers are Vietnamese


_pdf = render_pdf


def _place(review_round: ReviewRound) -> dict[str, str]:
    commune = review_round.commune
    province = commune.parent
    while province is not None and province.level != "province":
        province = province.parent
    return {
        "commune_name": commune.name,
        "commune_title": commune.name.upper(),
        "province_name": province.name if province else "",
        "round": review_round,
    }


def _head(household):
    from ..registry.selectors import head_of

    return head_of(household)


def _certificate_facts(review_round: ReviewRound, place: dict) -> list[dict]:
    """Each certificate's category, standard and own text (`f`, and `members` as rows of (key, text)),
    in the round's order, from four queries whatever the number of households."""
    from ..registry.models import Member
    from ..registry.selectors import heads_of

    statuses = list(
        review_round.statuses.filter(category__in=["poor", "near_poor"])
        .select_related("household")
        .order_by("household__household_id")
    )
    ids = [status.household_id for status in statuses]
    standards = dict(
        review_round.listed.filter(household_id__in=ids).values_list("household_id", "classification__standard_id")
    )
    heads = heads_of(ids)
    members: dict[int, list] = {}
    for member in Member.objects.filter(household_id__in=ids, is_active=True).order_by("household_id", "member_id"):
        members.setdefault(member.household_id, []).append(member)
    facts = []
    for number, status in enumerate(statuses, start=1):
        household = status.household
        head = heads.get(household.pk)
        rows = []
        for m in members.get(household.pk, []):
            born = date_vi(m.birth_date) if m.birth_date else str(m.birth_year or "")
            rows.append(
                (("n", m.full_name), ("b", born), ("r", m.get_relation_to_head_display()), ("i", m.national_id or ""))
            )
        facts.append(
            {
                "category": status.category,
                "standard": standards.get(household.pk, ""),
                "f": {
                    "number": f"Số: {number}/GCN-HN.HCN",
                    "head": (head.full_name if head else "") or "—",
                    "ethnicity": (head.get_ethnicity_display() if head else "") or "—",
                    "national_id": (head.national_id if head else "") or "—",
                    "address": f"{household.address or household.village_name}, {place['commune_name']}, "
                    f"{place['province_name']}",
                },
                "members": rows,
            }
        )
    return facts


def _shape(certificate: dict) -> tuple:
    return certificate["category"], certificate["standard"], len(certificate["members"])


def _blank(certificate: dict) -> dict:
    return {
        **certificate,
        "blank": True,
        "f": dict.fromkeys(certificate["f"], "X"),
        "members": [tuple((key, "X") for key, _text in row) for row in certificate["members"]],
    }


def _values(certificate: dict) -> dict[str, str]:
    values = dict(certificate["f"])
    for number, row in enumerate(certificate["members"], start=1):
        values.update({f"m{number}{key}": text for key, text in row})
    return values


def certificates_pdf(review_round: ReviewRound, progress: Callable[[int], None] = lambda n: None) -> bytes:
    """One page per household recognised poor or near-poor, numbered in the round's order.

    Each shape of page (category, standard, number of members) is laid out once by WeasyPrint and
    every household's text drawn on a copy (`core.pdf_fill`, ADR 0012); a household whose text does
    not fit its slots on one line is laid out by WeasyPrint in full. `progress(1)` per page."""
    from ..core import pdf_fill
    from ..core.pdf import render_document

    place = _place(review_round)
    facts = _certificate_facts(review_round, place)
    if not facts:
        return _pdf("review/certificate.html", {**place, "certificates": []})
    shapes: dict[tuple, int] = {}
    for certificate in facts:
        shapes.setdefault(_shape(certificate), len(shapes))
    blanks: dict[int, dict] = {}
    for certificate in facts:
        blanks.setdefault(shapes[_shape(certificate)], _blank(certificate))
    template = render_document(
        "review/certificate.html", {**place, "certificates": [blanks[i] for i in range(len(shapes))]}
    )
    if len(template.pages) != len(shapes):  # a household too large for one page: every page laid out
        return _certificates_laid_out(place, facts, progress)
    slots = pdf_fill.slots(template)
    fill: list[pdf_fill.Filled | None] = []
    laid_out = []
    for certificate in facts:
        index = shapes[_shape(certificate)]
        values = _values(certificate)
        if all(pdf_fill.fits(slots[index][key], text) for key, text in values.items() if text):
            fill.append(pdf_fill.Filled(index, values))
        else:
            fill.append(None)
            laid_out.append(certificate)
    whole = b""
    if laid_out:
        document = render_document("review/certificate.html", {**place, "certificates": laid_out})
        if len(document.pages) != len(laid_out):
            return _certificates_laid_out(place, facts, progress)
        whole = document.write_pdf()
    pages: list[pdf_fill.Filled | pdf_fill.Copied] = []
    copied = 0
    for item in fill:
        if item is None:
            pages.append(pdf_fill.Copied(whole, copied))
            copied += 1
        else:
            pages.append(item)
    return pdf_fill.fill(template.write_pdf(), slots, pages, progress)


def _certificates_laid_out(place: dict, facts: list[dict], progress: Callable[[int], None]) -> bytes:
    pdf = _pdf("review/certificate.html", {**place, "certificates": facts})
    progress(len(facts))
    return pdf


def minutes_pdf(review_round: ReviewRound) -> bytes:
    meetings = []
    for meeting in review_round.meetings.order_by("held_on", "pk"):
        rows = []
        for vote in meeting.votes.select_related("listed__household", "listed__classification"):
            head = _head(vote.listed.household)
            rows.append(
                {
                    "household_id": vote.listed.household.household_id,
                    "head": head.full_name if head else "",
                    "category": CATEGORY_VI.get(vote.listed.classification.category, ""),
                    "agree": vote.agree,
                    "percent": round(100 * vote.agree / meeting.attendance),
                    "approved": vote.approved,
                }
            )
        meetings.append({**meeting.__dict__, "rows": rows})
    return _pdf("review/minutes.html", {**_place(review_round), "meetings": meetings, "copies": (1, 2)})


def posting_pdf(review_round: ReviewRound) -> bytes:
    rows = []
    for listed in review_round.listed.filter(state__in=[Listed.State.APPROVED, Listed.State.RECOGNISED]).select_related(
        "household", "classification"
    ):
        head = _head(listed.household)
        rows.append(
            {
                "household_id": listed.household.household_id,
                "head": head.full_name if head else "",
                "village": listed.household.village_name,
                "count": listed.classification.deprivation_count,
                "category": CATEGORY_VI.get(listed.classification.category, ""),
            }
        )
    law = review_law()
    return _pdf(
        "review/posting.html",
        {
            **_place(review_round),
            "rows": rows,
            "posting_days": law.posting_working_days(review_round.reference_date),
            "posting_verified": law.verified("posting_working_days"),
        },
    )


def round_documents_zip(
    review_round: ReviewRound, progress: Callable[[int], None] = lambda n: None, name: str = ""
) -> Path:
    """All of a round's papers in one zip under the data folder (one file per job: `name` is the
    job's token, so two jobs never write the same file); returns its path."""
    folder = Path(settings.DATA_DIR) / "documents"
    path = folder / (f"ra-soat-{review_round.pk}-{name}.zip" if name else f"ra-soat-{review_round.pk}.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bien-ban-hop-dan.pdf", minutes_pdf(review_round))
        archive.writestr("danh-sach-niem-yet.pdf", posting_pdf(review_round))
        if review_round.decision_number:
            archive.writestr("giay-chung-nhan.pdf", certificates_pdf(review_round, progress))
    return write_bytes_atomic(path, buffer.getvalue())
