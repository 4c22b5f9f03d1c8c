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
