"""A report as an Excel file laid out like the official forms (XlsxWriter).

Title block, a two-row header with merged group cells, totals in bold, subtotals shaded, A4
landscape fitted to the page width, the header frozen and repeated on every printed page.
Values are written as numbers, never formulas (formulas read back as 0 without Excel).
"""

from __future__ import annotations

import io

from ..core.spreadsheets import workbook
from .table import Table

LEVEL_STYLE = {
    "total": {"bold": True, "bg_color": "#FCE4D6"},
    "province": {"bold": True, "bg_color": "#DDEBF7"},
    "district": {"bold": True, "bg_color": "#EDF3FA"},
    "unassigned": {"italic": True},
    "group": {"bold": True},
    "item": {"bold": True},
    "member": {},
    "commune": {},
}
NUMBER = {"int": "#,##0", "pct": "0.00", "num": "#,##0.00", "text": "@", "date": "dd/mm/yyyy"}


def table_xlsx(table: Table) -> bytes:
    out = io.BytesIO()
    book = workbook(out, in_memory=True)
    sheet = book.add_worksheet(table.name[:31])
    base = {"font_name": "Times New Roman", "font_size": 11, "border": 1, "valign": "vcenter"}
    title = book.add_format({"font_name": "Times New Roman", "bold": True, "font_size": 14, "align": "center"})
    sub = book.add_format({"font_name": "Times New Roman", "italic": True, "align": "center"})
    head = book.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"})
    note = book.add_format({"font_name": "Times New Roman", "italic": True, "font_size": 10})
    cells = {
        (level, kind): book.add_format(
            {
                **base,
                **style,
                "num_format": NUMBER[kind],
                "indent": 1 if level in ("commune", "member") and kind == "text" else 0,
            }
        )
        for level, style in LEVEL_STYLE.items()
        for kind in NUMBER
    }
    width = len(table.columns)
    sheet.merge_range(0, 0, 0, width - 1, table.title_vi.upper(), title)
    sheet.merge_range(1, 0, 1, width - 1, f"{table.scope_vi} - {table.period_vi}", sub)
    top = 3  # the form's title and scope, in its language only
    header_rows = 2 if table.has_groups else 1
    col = 0
    for group_vi, _group_en, span in table.header_groups():
        if group_vi:
            if span > 1:
                sheet.merge_range(top, col, top, col + span - 1, group_vi, head)
            else:
                sheet.write(top, col, group_vi, head)
            for i in range(span):
                sheet.write(top + 1, col + i, table.columns[col + i].vi, head)
        elif header_rows == 2:
            sheet.merge_range(top, col, top + 1, col, table.columns[col].vi, head)
        else:
            sheet.write(top, col, table.columns[col].vi, head)
        col += span
    numbering = top + header_rows  # the official forms number their columns (1), (2), ...
    for i in range(width):
        sheet.write(numbering, i, f"({i + 1})", head)
    first = numbering + 1
    for r, row in enumerate(table.rows):
        for c, column in enumerate(table.columns):
            value = row.get(column.key)
            fmt = cells[(row["_level"], column.kind)]
            if value is None or value == "":
                sheet.write_blank(first + r, c, None, fmt)
            elif column.kind in ("int", "pct", "num") and isinstance(value, int | float):
                sheet.write_number(first + r, c, value, fmt)
            else:
                sheet.write_string(first + r, c, str(value), fmt)
    end = first + len(table.rows)
    for i, text in enumerate(table.notes):
        sheet.write(end + 1 + i, 0, f"Ghi chú: {text}" if i == 0 else text, note)
    for c, column in enumerate(table.columns):
        sheet.set_column(
            c, c, 34 if column.key == "name" else 8 if column.kind == "pct" else 14 if column.kind == "text" else 11
        )
    sheet.set_row(top, 36)
    if header_rows == 2:
        sheet.set_row(top + 1, 48)
    sheet.freeze_panes(first, 2)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, numbering)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer("&CTrang &P/&N")
    book.close()
    return out.getvalue()
