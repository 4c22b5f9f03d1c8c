"""Template filters for Vietnamese formats: {{ x|vnd }} → 1.500.000 đ, {{ d|ngay }} → 05/03/2024."""

from django import template

from ...core.masking import mask_national_id
from ...core.words import in_language, one_language
from ...standards.formats import date_vi, number_vi, vnd

register = template.Library()
register.filter("vnd", vnd)
register.filter("so", number_vi)
register.filter("ngay", date_vi)
register.filter("in_language", in_language)  # a report's note, period or row label in the reader's language
register.filter("one_language", one_language)  # a job's stored "vi / en" summary or error: the reader's half


@register.filter
def mask_id(value: str | None) -> str:
    """Show only the last 4 digits of a national id (full ids are for roles that need them)."""
    return mask_national_id(value) or "—"
