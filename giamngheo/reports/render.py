"""A report table out as a file: xlsx, pdf or csv (one entry point for the CLI, the web and the API)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from giamngheo.core import clock

from ..standards.formats import number_vi
from .table import Table, formatted_rows, header_rows

PDF_CHUNK = 200
PDF_MAX_ROWS = 5_000  # WeasyPrint lays out ~60 rows a second; larger lists go to Excel or CSV
PDF_BACKGROUND_ROWS = 500  # above this the web makes the PDF as a background job (seconds, not a request)
PDF_PART_ROWS = 250  # a background PDF is laid out in parts of this many rows: its progress is real


class TooLargeForPdfError(ValueError):
    """A list too long for a PDF in reasonable time; the message says what to do instead."""


FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def table_context(table: Table, lang: str = "vi") -> dict:
    return {"table": table, "headers": header_rows(table, lang), "rows": formatted_rows(table, lang), "lang": lang}


def check_pdf_size(table: Table) -> None:
    if len(table.rows) > PDF_MAX_ROWS:
        rows, limit = number_vi(len(table.rows)), number_vi(PDF_MAX_ROWS)
        raise TooLargeForPdfError(
            f"Báo cáo có {rows} dòng, quá {limit} dòng cho PDF: chọn một xã hoặc dùng Excel/CSV. / "
            f"The report has {len(table.rows):,} rows, over {PDF_MAX_ROWS:,} for a PDF: choose one commune or "
            "use Excel/CSV."
        )


def _pdf_context(table: Table) -> dict:
    from .charts import chart_png

    png = chart_png(table.chart) if table.chart else None
    return {
        **table_context(table),
        "chart_png": base64.b64encode(png).decode() if png else "",
        "made_on": clock.today().strftime("%d/%m/%Y"),
    }


def _chunks(rows: list) -> list[list]:
    # WeasyPrint lays one long table out in time that grows faster than its rows; short tables stay linear
    return [rows[i : i + PDF_CHUNK] for i in range(0, len(rows), PDF_CHUNK)] or [[]]


def table_pdf(table: Table) -> bytes:
    check_pdf_size(table)
    from ..core.pdf import render_pdf

    context = _pdf_context(table)
    return render_pdf("reports/report_pdf.html", {**context, "chunks": _chunks(context["rows"])})


def table_pdf_in_parts(table: Table, progress: Callable[[int], None]) -> bytes:
    """The same PDF laid out in parts of PDF_PART_ROWS rows, calling `progress(rows)` after each, so
    a background job shows how far it is; the pages are then joined into one file (numbered on)."""
    check_pdf_size(table)
    from ..core.pdf import render_document, write_documents

    context = _pdf_context(table)
    rows = context["rows"]
    parts = [rows[i : i + PDF_PART_ROWS] for i in range(0, len(rows), PDF_PART_ROWS)] or [[]]
    documents: list = []
    pages = 0
    for number, part in enumerate(parts):
        document = render_document(
            "reports/report_pdf.html",
            {
                **context,
                "chunks": _chunks(part),
                "part": {"first": number == 0, "last": number == len(parts) - 1, "first_page": pages + 1},
            },
        )
        documents.append(document)
        pages += len(document.pages)
        progress(len(part))
    return write_documents(documents)


def render(table: Table, fmt: str) -> bytes:
    """The file's bytes; `fmt` is one of FORMATS (checked by the callers' argument parsing)."""
    if fmt == "xlsx":
        from .excel import table_xlsx

        return table_xlsx(table)
    if fmt == "pdf":
        return table_pdf(table)
    if fmt == "csv":
        return table.to_csv()
    raise ValueError(f"định dạng không hỗ trợ / unsupported format: {fmt} ({', '.join(FORMATS)})")
