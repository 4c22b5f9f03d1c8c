"""The 54 ethnic groups of Vietnam with their statistical codes (Decision 121-TCTK/PPCĐ, 1979).

Confidence B: the list and codes are from background knowledge of the GSO code list and
should be checked against the current official list before reports rely on the codes.
"""

from __future__ import annotations

import unicodedata

ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Mông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra Glai"),
    ("22", "Xtiêng"),
    ("23", "Bru Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Gié Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
)
KINH = "01"  # the majority group: every other code is an ethnic minority (DTTS)
ALIASES = {
    "hmong": "08",
    "h'mong": "08",
    "h'mông": "08",
    "hmông": "08",
    "meo": "08",
    "khome": "05",
    "khơ me": "05",
    "ede": "12",
    "jrai": "10",
    "bahnar": "13",
    "van kieu": "23",
    "ta oi": "31",
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text.strip().lower())
    return " ".join(text.replace("-", " ").split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _key(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


_BY_NAME = {_key(name): code for code, name in ETHNICITIES}
_BY_FOLDED = {_fold(name): code for code, name in ETHNICITIES}
NAMES = dict(ETHNICITIES)


def ethnicity_code(value: str | None) -> str | None:
    """Code for a name or code as written in a sheet ('Kinh', 'H'Mông', '08'); None if unknown."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if text.isdigit():
        code = text.zfill(2)
        return code if code in NAMES else None
    key = _key(text)
    return _BY_NAME.get(key) or ALIASES.get(key) or _BY_FOLDED.get(_fold(text)) or ALIASES.get(_fold(text))
