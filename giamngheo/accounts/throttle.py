"""Login throttling for every login path (our form, /admin/login/), by django-axes.

Failures are counted per (username, client address) pair, so a stranger who fails five times with
the commune chair's name does not lock the chair out, and one shared proxy address does not lock
out every user. The address is the real client's: `serve` lets waitress take it from the trusted
proxy's X-Forwarded-For (GIAMNGHEO_TRUSTED_PROXY), never from a header a client could forge.
After the limit the pair waits (a cool-off), it is not locked for good.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from ..core.errors import ServiceError

ID_SEARCHES = 30  # national-id searches per user per window: a day's work, not a sweep of candidates
ID_SEARCH_WINDOW = dt.timedelta(minutes=10)


class RateLimited(ServiceError):
    """Too many requests of one kind by one user; try again later."""


def require_id_search_allowed(user) -> None:
    """Counted from the audit log (each search is an audited id view), so it needs no cache server."""
    from ..core.models import AuditEvent

    since = timezone.now() - ID_SEARCH_WINDOW
    if AuditEvent.objects.filter(verb="national_id.search", actor=user, at__gte=since).count() >= ID_SEARCHES:
        minutes = int(ID_SEARCH_WINDOW.total_seconds() // 60)
        raise RateLimited(
            f"Tìm theo số định danh quá nhiều lần. Hãy thử lại sau {minutes} phút.",
            f"Too many national id searches. Try again in {minutes} minutes.",
            field="q",
        )


def refused_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút. / "
        f"Too many failed logins. Try again in {minutes} minutes."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again with the reason, answered 429 (axes calls this on every login path)."""
    return render(
        request,
        "registration/login.html",
        {"throttled": refused_message(), "next": request.POST.get("next", "")},
        status=429,
    )
