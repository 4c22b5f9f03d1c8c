"""The API's 422: django-ninja's validation errors in the request's language, each naming its field.

Ninja answers pydantic's English ("Input should be a valid integer") whatever the language; this one
handler (registered in `api.py`) writes each error as "page: phải là số nguyên" (Vietnamese unless the
request asked for English, ADR 0008) and keeps the machine-readable parts beside it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as noop

from ..core.words import language
from ..standards.formats import number_vi

# pydantic's error type -> words with the limit its context names (`ctx`), or none
WORDS: dict[str, tuple[str, str | None]] = {
    "missing": (noop("thiếu giá trị bắt buộc"), None),
    "int_parsing": (noop("phải là số nguyên"), None),
    "int_type": (noop("phải là số nguyên"), None),
    "int_from_float": (noop("phải là số nguyên"), None),
    "float_parsing": (noop("phải là số"), None),
    "float_type": (noop("phải là số"), None),
    "bool_parsing": (noop("phải là true hoặc false"), None),
    "bool_type": (noop("phải là true hoặc false"), None),
    "date_parsing": (noop("phải là ngày dạng yyyy-mm-dd"), None),
    "date_from_datetime_parsing": (noop("phải là ngày dạng yyyy-mm-dd"), None),
    "date_type": (noop("phải là ngày dạng yyyy-mm-dd"), None),
    "greater_than_equal": (noop("phải lớn hơn hoặc bằng %(limit)s"), "ge"),
    "greater_than": (noop("phải lớn hơn %(limit)s"), "gt"),
    "less_than_equal": (noop("phải nhỏ hơn hoặc bằng %(limit)s"), "le"),
    "less_than": (noop("phải nhỏ hơn %(limit)s"), "lt"),
    "string_too_long": (noop("dài quá %(limit)s ký tự"), "max_length"),
    "string_too_short": (noop("cần ít nhất %(limit)s ký tự"), "min_length"),
    "string_pattern_mismatch": (noop("không đúng dạng %(limit)s"), "pattern"),
    "string_type": (noop("phải là chuỗi ký tự"), None),
    "literal_error": (noop("phải là một trong: %(limit)s"), "expected"),
    "enum": (noop("phải là một trong: %(limit)s"), "expected"),
}
OTHER = noop("không hợp lệ")  # a type not listed: never pydantic's English


def _limit(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return number_vi(value) if language() == "vi" else f"{value:,}"
    return str(value)


def field_of(loc: list | tuple) -> str:
    """The parameter's name: the last named part of pydantic's location (["query", "page"] -> "page")."""
    names = [str(part) for part in loc[1:] if not isinstance(part, int)] or [str(p) for p in loc]
    return ".".join(names) if names else ""


def error_words(error: dict) -> tuple[str, str]:
    """(field, message in the active language) for one of ninja's validation errors."""
    words, key = WORDS.get(str(error.get("type", "")), (OTHER, None))
    context = error.get("ctx") or {}
    message = _(words) % {"limit": _limit(context.get(key, ""))} if key else _(words)
    return field_of(error.get("loc", ())), message


def validation_response(errors: list[dict]) -> dict:
    """{"detail": "page: phải lớn hơn hoặc bằng 1; …", "errors": [{"field", "in", "message", "type"}]}."""
    described = []
    for error in errors:
        field, message = error_words(error)
        loc = error.get("loc") or ("",)
        described.append({"field": field, "in": str(loc[0]), "message": message, "type": str(error.get("type", ""))})
    detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in described)
    return {"detail": detail, "errors": described}
