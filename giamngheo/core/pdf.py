"""PDF from a Django template with WeasyPrint and the Be Vietnam Pro font (full Vietnamese diacritics)."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string


def font_dir() -> Path:
    """Be Vietnam Pro's TTF files (PDFs here, chart images in reports.charts)."""
    import fontpkg_be_vietnam_pro

    return Path(fontpkg_be_vietnam_pro.ROOT) / "files"


def fonts() -> dict[str, str]:
    files = font_dir()
    return {
        "font_regular": (files / "BeVietnamPro-Regular.ttf").as_uri(),
        "font_bold": (files / "BeVietnamPro-Bold.ttf").as_uri(),
    }


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, {**fonts(), **context})).write_pdf()


def render_document(template: str, context: dict):
    """The laid-out WeasyPrint document (layout is the slow part), for `write_documents`."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, {**fonts(), **context})).render()


def write_documents(documents: list) -> bytes:
    """One PDF of the pages of several laid-out documents, in order."""
    first = documents[0]
    return first.copy([page for document in documents for page in document.pages]).write_pdf()
