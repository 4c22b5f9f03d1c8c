"""The round's papers as PDF (WeasyPrint, Be Vietnam Pro font for the diacritics): certificates,
village meeting minutes (two copies), the public posting list."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from ..core.atomic import write_bytes_atomic
from ..core.pdf import render_pdf
from ..standards.contract import CATEGORY_LABELS
from ..standards.formats import date_vi
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
    return [
        certificate_text(
            number,
            status.category,
            standards.get(status.household_id, ""),
            status.household,
            heads.get(status.household_id),
            members.get(status.household_id, []),
            place,
        )
        for number, status in enumerate(statuses, start=1)
    ]


def certificate_text(number: int, category: str, standard: str, household, head, members: list, place: dict) -> dict:
    """One certificate's words as the paper prints them (numbers and years raw, dates dd/mm/yyyy)."""
    rows = []
    for m in members:
        born = date_vi(m.birth_date) if m.birth_date else str(m.birth_year or "")
        rows.append(
            (("n", m.full_name), ("b", born), ("r", m.get_relation_to_head_display()), ("i", m.national_id or ""))
        )
    return {
        "category": category,
        "standard": standard,
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
    every household's text drawn on a copy (`core.pdf_fill`, ADR 0011); a household whose text does
    not fit its slots on one line is laid out by WeasyPrint in full. `progress(1)` per page and once
    the file is written."""
    pdf = _certificates(review_round, progress)
    progress(1)
    return pdf


def _certificates(review_round: ReviewRound, progress: Callable[[int], None]) -> bytes:
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


def _numbered(rows: list[dict]) -> list[dict]:
    return [{**row, "n": n} for n, row in enumerate(rows, start=1)]


FIRST_PAGE_ROWS = {"review/posting.html": 20, "review/minutes.html": 22}  # one-line rows under the heading
PAGE_ROWS = {"review/posting.html": 27, "review/minutes.html": 30}  # one-line rows on each further page


def _chunks(template: str, key, extra: dict, rows: list[dict]) -> list[tuple[tuple, dict, list[dict]]]:
    """One list's rows cut into pages, each with its shape: (kind, list, rows) for the pages that carry
    the list's heading or note, (middle, rows) for the others, which every list shares."""
    first = FIRST_PAGE_ROWS[template]
    if len(rows) <= first:
        return [(("only", key, len(rows)), {**extra, "first": True, "last": True}, rows)]
    per_page = PAGE_ROWS[template]
    cuts = [rows[:first]] + [rows[i : i + per_page] for i in range(first, len(rows), per_page)]
    out: list[tuple[tuple, dict, list[dict]]] = [
        (("first", key, first), {**extra, "first": True, "last": False}, cuts[0])
    ]
    out += [(("middle", per_page), {"first": False, "last": False}, cut) for cut in cuts[1:-1]]
    out.append((("last", key, len(cuts[-1])), {**extra, "first": False, "last": True}, cuts[-1]))
    return out


def _lists_filled(
    template: str,
    context: dict,
    lists: list[tuple[Any, dict, list[dict]]],
    cells: Callable[[dict], list[str]],
    progress: Callable[[int], None],
) -> bytes:
    """Lists of one-line rows (each (key, heading context, rows)) drawn on pages laid out once per
    shape (`core.pdf_fill`); a page with a cell too wide for one line is laid out by WeasyPrint."""
    from ..core import pdf_fill
    from ..core.pdf import render_document

    chunks = [c for key, extra, rows in lists for c in _chunks(template, key, extra, rows)]
    shapes: dict[tuple, dict] = {}
    for shape, page, rows in chunks:
        if shape not in shapes:
            columns = range(len(cells(rows[0]))) if rows else range(0)
            shapes[shape] = {
                **page,
                "mark": f"s{len(shapes)}",
                "shape": len(shapes),
                "blank_rows": range(shape[-1]),
                "cols": columns,
            }
    document = render_document(template, {**context, "pages": list(shapes.values())})
    slots = pdf_fill.slots(document)
    pages_of = _pages_by_mark(slots)
    planned: list[tuple[str, int, list]] = []  # ("fill", shape, values) or ("lay out", chunk, rows)
    laid_out: list[dict] = []
    for shape, page, rows in chunks:
        number = shapes[shape]["shape"]
        values = {f"s{number}r{i}c{c}": text for i, row in enumerate(rows) for c, text in enumerate(cells(row))}
        where = {name: slots[p][name] for p in pages_of[f"s{number}"] for name in slots[p]}
        if all(name in where and pdf_fill.fits(where[name], text) for name, text in values.items() if text):
            planned.append(("fill", number, [values, len(rows)]))
        else:  # a cell too wide for one line: WeasyPrint lays this page out with its real rows
            planned.append(("lay out", len(laid_out), [len(rows)]))
            laid_out.append({**page, "rows": rows, "mark": f"c{len(laid_out)}"})
    whole, whole_pages = b"", {}
    if laid_out:
        real = render_document(template, {**context, "pages": laid_out})
        whole, whole_pages = real.write_pdf(), _pages_by_mark(pdf_fill.slots(real))
    pages: list[pdf_fill.Filled | pdf_fill.Copied] = []
    for how, number, data in planned:
        if how == "fill":
            values, count = data
            pages += [pdf_fill.Filled(p, values, count if i == 0 else 0) for i, p in enumerate(pages_of[f"s{number}"])]
        else:
            pages += [
                pdf_fill.Copied(whole, p, data[0] if i == 0 else 0) for i, p in enumerate(whole_pages[f"c{number}"])
            ]
    pdf = pdf_fill.fill(document.write_pdf(), slots, pages, progress)
    progress(1)
    return pdf


def _pages_by_mark(slots: list[dict]) -> dict[str, list[int]]:
    """Which pages each section marked on its table's first heading cell took (a section may run over)."""
    pages: dict[str, list[int]] = {}
    mark = ""
    for index, page_slots in enumerate(slots):
        mark = next((name for name in page_slots if name[0] in "sc" and name[1:].isdigit()), mark)
        pages.setdefault(mark, []).append(index)
    return pages


def _minutes_rows(meeting) -> list[dict]:
    from ..registry.selectors import heads_of

    votes = list(
        meeting.votes.select_related("listed__household", "listed__classification").order_by(
            "listed__household__household_id"
        )
    )
    heads = heads_of([vote.listed.household_id for vote in votes])
    rows = []
    for vote in votes:
        head = heads.get(vote.listed.household_id)
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
    return rows


def minutes_pdf(review_round: ReviewRound, progress: Callable[[int], None] = lambda n: None) -> bytes:
    """Each village meeting's minutes, in two copies (the law's), with progress by row drawn."""
    place = _place(review_round)
    meetings = [
        (meeting, _numbered(_minutes_rows(meeting))) for meeting in review_round.meetings.order_by("held_on", "pk")
    ]
    lists = [
        ((meeting.pk, copy), {"meeting": meeting, "copy": copy}, rows) for copy in (1, 2) for meeting, rows in meetings
    ]
    if not lists:
        return _pdf("review/minutes.html", {**place, "pages": []})
    return _lists_filled("review/minutes.html", place, lists, _minutes_cells, progress)


def _posting_listed(review_round: ReviewRound, village=None):
    listed = review_round.listed.filter(state__in=[Listed.State.APPROVED, Listed.State.RECOGNISED])
    return listed if village is None else listed.filter(household__village=village)


def posting_pdf(review_round: ReviewRound, progress: Callable[[int], None] = lambda n: None, village=None) -> bytes:
    """The public posting list of the commune (or of one village, for its board), in household order."""
    from ..registry.selectors import heads_of

    listed = list(
        _posting_listed(review_round, village)
        .select_related("household", "classification")
        .order_by("household__household_id")
    )
    heads = heads_of([item.household_id for item in listed])
    rows = []
    for item in listed:
        head = heads.get(item.household_id)
        rows.append(
            {
                "household_id": item.household.household_id,
                "head": head.full_name if head else "",
                "village": item.household.village_name,
                "count": item.classification.deprivation_count,
                "category": CATEGORY_VI.get(item.classification.category, ""),
            }
        )
    context = _place(review_round)  # the paper carries the dates; the app's "unverified" marks stay on screens
    rows = _numbered(rows)
    return _lists_filled("review/posting.html", context, [(None, {}, rows)], _posting_cells, progress)


def _posting_cells(row: dict) -> list[str]:
    return [str(row["n"]), row["household_id"], row["head"], row["village"], row["category"], str(row["count"])]


def _minutes_cells(row: dict) -> list[str]:
    conclusion = "Nhất trí" if row["approved"] else "Rà soát lại"
    return [
        str(row["n"]),
        row["household_id"],
        row["head"],
        row["category"],
        str(row["agree"]),
        f"{row['percent']}%",
        conclusion,
    ]


def papers_units(review_round: ReviewRound) -> int:
    """How many steps `round_documents_zip` reports: one per household row laid out in each paper
    (each copy of the minutes), one per certificate, one per file written."""
    from .models import MeetingVote

    votes = MeetingVote.objects.filter(meeting__review_round=review_round).count()
    posting = _posting_listed(review_round).count()
    units = 2 * votes + posting + 2
    if review_round.decision_number:
        units += review_round.statuses.filter(category__in=["poor", "near_poor"]).count() + 1
    return units


def round_documents_zip(
    review_round: ReviewRound, progress: Callable[[int], None] = lambda n: None, name: str = ""
) -> Path:
    """All of a round's papers in one zip under the data folder (one file per job: `name` is the
    job's token, so two jobs never write the same file); returns its path."""
    folder = Path(settings.DATA_DIR) / "documents"
    path = folder / (f"ra-soat-{review_round.pk}-{name}.zip" if name else f"ra-soat-{review_round.pk}.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bien-ban-hop-dan.pdf", minutes_pdf(review_round, progress))
        archive.writestr("danh-sach-niem-yet.pdf", posting_pdf(review_round, progress))
        if review_round.decision_number:
            archive.writestr("giay-chung-nhan.pdf", certificates_pdf(review_round, progress))
    return write_bytes_atomic(path, buffer.getvalue())
