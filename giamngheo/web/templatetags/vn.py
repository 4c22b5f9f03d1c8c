"""Template filters for Vietnamese formats: {{ x|vnd }} → 1.500.000 đ, {{ d|ngay }} → 05/03/2024."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ...core.masking import mask_national_id
from ...core.words import in_language, language, one_language
from ...standards.explain import WORDS as EXPLAIN_WORDS
from ...standards.formats import date_vi, decimal_vi, number_vi, vnd
from ...standards.params import source_in

register = template.Library()
register.filter("vnd", vnd)
register.filter("so", number_vi)
register.filter("so_le", decimal_vi)  # a quantity: 1,5 cards stays 1,5 (so rounds it to 2)
register.filter("ngay", date_vi)
register.filter("in_language", in_language)  # a report's note, period or row label in the reader's language
register.filter("one_language", one_language)  # a job's stored "vi / en" summary or error: the reader's half


@register.filter
def nguon(vietnamese: str | None, english: str | None = "") -> str:
    """A legal source in the reader's language: {{ s.legal_basis|nguon:s.legal_basis_en }} shows the English
    where the YAML has it, else the Vietnamese marked "(Vietnamese source)" on an English page."""
    return source_in(vietnamese or "", english or "", language())


@register.filter
def mask_id(value: str | None) -> str:
    """Show only the last 4 digits of a national id (full ids are for roles that need them)."""
    return mask_national_id(value) or "—"


CONCLUSIONS = tuple(words["result"].split("{", 1)[0] for words in EXPLAIN_WORDS.values())  # "Kết luận: "


@register.filter
def conclusion_apart(text: str | None) -> SafeString:
    """An explanation with its conclusion line ("Kết luận: Hộ nghèo.", from standards.explain) in bold,
    the rest as written; everything escaped, so a name among the facts stays text."""
    lines = [
        f'<strong class="conclusion">{escape(line)}</strong>' if line.startswith(CONCLUSIONS) else escape(line)
        for line in (text or "").split("\n")
    ]
    return mark_safe("\n".join(lines))  # noqa: S308 (each line escaped above)
