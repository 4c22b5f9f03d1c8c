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


def certificates_pdf(review_round: ReviewRound, progress: Callable[[int], None] = lambda n: None) -> bytes:
    """One page per household recognised poor or near-poor, numbered in the round's order."""
    certificates = []
    statuses = review_round.statuses.filter(category__in=["poor", "near_poor"]).select_related("household")
    for number, status in enumerate(statuses.order_by("household__household_id"), start=1):
        household = status.household
        members = list(household.members.filter(is_active=True).order_by("member_id"))
        certificates.append(
            {
                "number": number,
                "category": status.category,
                "household": household,
                "head": _head(household),
                "members": members,
                "standard": review_round.listed.get(household=household).classification.standard_id,
            }
        )
        progress(1)
    return _pdf("review/certificate.html", {**_place(review_round), "certificates": certificates})


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
