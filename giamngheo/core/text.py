"""Text helpers shared by searches: Vietnamese without its marks, for matching what people type."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-cased, without diacritics, spaces collapsed: "Tòng Văn  Toàn" -> "tong van toan".

    "đ" is a letter of its own, not a marked "d", so Unicode does not decompose it: it is mapped by hand."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").split())
