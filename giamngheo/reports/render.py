"""A report table out as a file: xlsx, pdf or csv (one entry point for the CLI, the web and the API)."""

from __future__ import annotations

import base64

from giamngheo.core import clock

from .table import Table, formatted_rows, header_rows

PDF_CHUNK = 200
PDF_MAX_ROWS = 5_000  # WeasyPrint lays out ~60 rows a second; larger lists go to Excel or CSV


class TooLargeForPdfError(ValueError):
    """A list too long for a PDF in reasonable time; the message says what to do instead."""


FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def table_context(table: Table, lang: str = "vi") -> dict:
    return {"table": table, "headers": header_rows(table, lang), "rows": formatted_rows(table), "lang": lang}


def table_pdf(table: Table) -> bytes:
    if len(table.rows) > PDF_MAX_ROWS:
        raise TooLargeForPdfError(
            f"Báo cáo có {len(table.rows):,} dòng, quá {PDF_MAX_ROWS:,} dòng cho PDF: "
            "chọn một xã hoặc dùng Excel/CSV. / "
            f"The report has {len(table.rows):,} rows, over {PDF_MAX_ROWS:,} for a PDF: choose one commune or "
            "use Excel/CSV."
        )
    from ..core.pdf import render_pdf
    from .charts import chart_png

    png = chart_png(table.chart) if table.chart else None
    context = table_context(table)
    rows = context["rows"]
    # WeasyPrint lays one long table out in time that grows faster than its rows; short tables stay linear
    chunks = [rows[i : i + PDF_CHUNK] for i in range(0, len(rows), PDF_CHUNK)] or [[]]
    return render_pdf(
        "reports/report_pdf.html",
        {
            **context,
            "chunks": chunks,
            "chart_png": base64.b64encode(png).decode() if png else "",
            "made_on": clock.today().strftime("%d/%m/%Y"),
        },
    )


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
