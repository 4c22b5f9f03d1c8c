"""Bounded query parameters: every value a page or the API reads from the query string (`q`, `unit`,
`period`, `standard`, `k`, ...) is refused above a length, in one place, before any view, session or
database work. A 100,000-character value used to be carried through lookups, error messages and the
page's own links; now it is a 400 in a second, with the reason in Vietnamese and English."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from ..standards.formats import number_vi

MAX_VALUE = 200  # characters: far above any code, period, name or search text
LONGER = {"more": 2_000, "next": 2_000}  # what-if override lines; the path a login returns to
MAX_QUERY_STRING = 8_000  # the whole query string, however many parameters


def too_long(request) -> tuple[str, int] | None:
    """The first parameter over its bound and that bound, or None ("" names the whole query string)."""
    for name, values in request.GET.lists():
        bound = LONGER.get(name, MAX_VALUE)
        if len(name) > MAX_VALUE:
            return name[:40], MAX_VALUE
        if any(len(value) > bound for value in values):
            return name, bound
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return "", MAX_QUERY_STRING
    return None


class BoundedQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = too_long(request)
        if found is None:
            return self.get_response(request)
        name, bound = found
        if name:
            vi = f"Tham số “{name}” dài quá {number_vi(bound)} ký tự"
            en = f"the parameter “{name}” is longer than {bound:,} characters"
        else:
            vi = f"Địa chỉ có phần truy vấn dài quá {number_vi(bound)} ký tự"
            en = f"the query string is longer than {bound:,} characters"
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": f"{vi} / {en}"}, status=400)
        html = render_to_string("web/bad_request.html", {"message_vi": vi, "message_en": en})
        return HttpResponse(html, status=400, content_type="text/html; charset=utf-8")
