"""The Excel template a commune fills: Vietnamese headers, dropdowns for codes, one example row.

Built from the same column definitions the importer reads, so a filled template imports as is.
The example row's ids are ones the importer refuses (contract.EXAMPLE_HOUSEHOLD_ID): importing the
template unchanged can never overwrite a real household.
"""

from __future__ import annotations

from pathlib import Path

from ..core.atomic import atomic_output
from ..core.spreadsheets import workbook
from ..standards.contract import (
    BOOL,
    CODE,
    DATE,
    EXAMPLE_HOUSEHOLD_ID,
    EXAMPLE_MEMBER_ID,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    Column,
    label_vi,
)

EXAMPLE_HOUSEHOLD = {
    "household_id": EXAMPLE_HOUSEHOLD_ID,
    "admin_code": "03880",
    "village": "Bản Tạ Khoa",
    "area": "",
    "income_per_capita_month": 1200000,
    "walls_durable": "có",
    "columns_durable": "có",
    "roof_durable": "không",
    "floor_area_m2": 36,
    "water_source": "protected_spring",
    "latrine": "pour_flush",
    "uses_telecom": "có",
    "has_info_device": "có",
    "hears_loudspeaker": "có",
    "uses_internet": "có",
    "waste_treated": "không",
}
EXAMPLE_MEMBER = {
    "household_id": EXAMPLE_HOUSEHOLD_ID,
    "member_id": EXAMPLE_MEMBER_ID,
    "national_id": "014085000123",
    "full_name": "Giàng A Páo",
    "sex": "male",
    "birth_date": "05/03/1985",
    "relation_to_head": "head",
    "ethnicity": "Mông",
    "highest_education": "lower_secondary",
    "in_school": "không",
    "has_health_insurance": "có",
    "employment": "self_employed",
    "disability": "none",
    "social_allowance": "không",
    "meritorious_service": "không",
    "untreated_illness": "không",
}


def _sheet(book, name: str, columns: tuple[Column, ...], example: dict, formats: dict) -> None:
    sheet = book.add_worksheet(name)
    sheet.freeze_panes(1, 0)
    for j, col in enumerate(columns):
        sheet.write(0, j, col.label_vi, formats["required" if col.required else "header"])
        sheet.write_comment(0, j, f"{col.name}{' (bắt buộc)' if col.required else ''}")
        sheet.set_column(j, j, max(14, min(40, len(col.label_vi) + 2)), formats["text"])
        value = example.get(col.name, "")
        sheet.write_string(1, j, str(value)) if col.kind in ("text", CODE, DATE, BOOL) else sheet.write(1, j, value)
        if col.kind == CODE:
            sheet.data_validation(
                1,
                j,
                5000,
                j,
                {
                    "validate": "list",
                    "source": list(col.codes),
                    "error_title": "Mã không hợp lệ",
                    "error_message": "Chọn một mã trong danh sách",
                },
            )
        elif col.kind == BOOL:
            sheet.data_validation(1, j, 5000, j, {"validate": "list", "source": ["có", "không"]})


def write_template(path: Path) -> Path:
    with atomic_output(path) as tmp, workbook(tmp) as book:
        formats = {
            "header": book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True}),
            "required": book.add_format({"bold": True, "bg_color": "#F8D7D3", "border": 1, "text_wrap": True}),
            "text": book.add_format({"num_format": "@"}),
        }
        _sheet(book, "households", HOUSEHOLD_COLUMNS, EXAMPLE_HOUSEHOLD, formats)
        _sheet(book, "members", MEMBER_COLUMNS, EXAMPLE_MEMBER, formats)
        guide = book.add_worksheet("huong_dan")
        guide.set_column(0, 0, 28)
        guide.set_column(1, 3, 40)
        for j, title in enumerate(("Cột / column", "Tên trong hệ thống", "Bắt buộc", "Mã hợp lệ")):
            guide.write(0, j, title, formats["header"])
        row = 1
        for col in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS):
            codes = "; ".join(f"{c} = {label_vi(c, col.name)}" for c in col.codes)
            guide.write_row(row, 0, [col.label_vi, col.name, "có" if col.required else "", codes])
            row += 1
        guide.write(
            row + 1, 0, f"Dòng 2 của mỗi trang là ví dụ (mã hộ {EXAMPLE_HOUSEHOLD_ID}): hãy xoá trước khi nhập."
        )
        guide.write(
            row + 2,
            0,
            "Ngày viết dd/mm/yyyy (05/03/1985 là ngày 5 tháng 3). Có/không cho các ô đúng/sai. "
            "Thu nhập là số đồng, có thể viết 1.200.000.",
        )
    return path
