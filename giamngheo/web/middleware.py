"""Bounded query parameters: every value a page or the API reads from the query string (`q`, `unit`,
`period`, `standard`, `k`, ...) is refused above a length, in one place, before any view, session or
database work. A 100,000-character value used to be carried through lookups, error messages and the
page's own links; now it is a 400 in a second, with the reason in the chosen language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

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


def chosen_language(request) -> str:
    """Vietnamese unless the user picked English with the switch (the language cookie): the one rule
    for pages and for the refusals answered before the language middleware runs. On the API a
    `lang=en|vi` parameter comes first (a client has no switch to press)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if request.path.startswith("/api/"):
        chosen = request.GET.get("lang") or chosen
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def plain_error(request, status: int, title: tuple[str, str], message: tuple[str, str]) -> HttpResponse:
    """A refusal answered before sessions, the user or the database, in the chosen language only: JSON
    `{"detail": message}` on the API, else a page of its own (the sentence begun with a capital)."""
    language = chosen_language(request)
    pick = 1 if language == "en" else 0
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message[pick]}, status=status)
    sentence = message[pick][:1].upper() + message[pick][1:]
    with translation.override(language):
        html = render_to_string(
            "web/plain_error.html", {"language": language, "title": title[pick], "message": sentence}
        )
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


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
        return plain_error(request, 400, ("Yêu cầu không hợp lệ", "Bad request"), (vi, en))


BUSY_VI = (
    "Cơ sở dữ liệu đang bận (có thể đang nhập một tệp lớn). Thao tác của bạn chưa được lưu: hãy thử lại sau một phút"
)
BUSY_EN = "the database is busy (a large import may be running). Nothing was saved: try again in a minute"


class DatabaseBusyMiddleware:
    """SQLite refuses a write after its busy timeout while an import holds the write lock longer:
    the user is told that nothing was saved and to try again in a minute (503 with Retry-After),
    instead of a server error page. Any other database error is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError

        if not isinstance(exception, OperationalError) or "database is locked" not in str(exception):
            return None
        response = plain_error(request, 503, ("Hệ thống đang bận", "The system is busy"), (BUSY_VI, BUSY_EN))
        response["Retry-After"] = "60"
        return response


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked English with the switch (the language cookie set by
    /i18n/setlang/); the browser's Accept-Language is not read: officials' browsers are often English
    ones (docs/adr/0008-default-language.md). In place of Django's LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):  # the thread's language is back as it was after the page
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class TwoFactorMiddleware:
    """Until the second sign-in step is passed, a user who needs it (`accounts.access.needs_two_factor`)
    reaches only the sign-in, code, enrolment and sign-out pages: every other page, the admin
    included, sends them to the code page and back afterwards. On the API such a session signs no
    one in (401), while a bearer token, issued by administrators only, works as before.
    After django_otp's OTPMiddleware, which says whether the session is verified."""

    OPEN = ("login", "logout", "two_factor", "two_factor_enrol", "set_language", "health", "metrics")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            from django.urls import reverse

            self._open_paths = frozenset(reverse(name) for name in self.OPEN)
        return self._open_paths

    def __call__(self, request):
        from ..accounts.access import needs_two_factor

        user = request.user
        if not user.is_authenticated or not needs_two_factor(user) or user.is_verified():
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()  # the session is not signed in yet; a token still is
            return self.get_response(request)
        if request.path in self.open_paths():
            return self.get_response(request)
        from urllib.parse import urlencode

        from django.http import HttpResponseRedirect
        from django.urls import reverse

        return HttpResponseRedirect(f"{reverse('two_factor')}?{urlencode({'next': request.get_full_path()})}")
