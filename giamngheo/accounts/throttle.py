"""Login throttling for every login path (our form, /admin/login/), by django-axes.

Failures are counted per (username, client address) pair, so a stranger who fails five times with
the commune chair's name does not lock the chair out, and one shared proxy address does not lock
out every user. The address is the real client's: `serve` lets waitress take it from the trusted
proxy's X-Forwarded-For (GIAMNGHEO_TRUSTED_PROXY), never from a header a client could forge.

After the limit the pair waits (a cool-off), it is not locked for good, and the wait grows with each
lockout of the same pair: 1, 5, 15, then 60 minutes for the 1st, 2nd, 3rd and every later lockout
within 24 hours (a successful login of the pair starts the ladder again). A failure counts for
FAILURE_WINDOW after the pair's last failure (AXES_COOLOFF_TIME); after a wait the pair has its
five tries again. Trying during a wait does not lengthen it, so the page can say how long it is.

Why a handler and not only a callable AXES_COOLOFF_TIME: on every failure axes deletes *every*
pair's attempts older than the calling request's cool-off, so with a per-pair cool-off one pair's
failures ended another pair's longer wait early (tried: a 15-minute wait ended after 4 minutes when
another username failed from the same address). Here each attempt carries its own expiry
(AXES_USE_ATTEMPT_EXPIRATION), an attempt counts until it expires, and a lockout moves the pair's
expiry to the end of its wait.
"""

from __future__ import annotations

import datetime as dt
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.conf import settings
from django.db.models import Max, Q
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


WAITS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=15), dt.timedelta(minutes=60))
LOCKOUT_MEMORY = dt.timedelta(hours=24)  # lockouts older than this no longer lengthen the next wait


def failure_window() -> dt.timedelta:
    """How long a failed login counts towards the limit after the pair's last failure."""
    return settings.AXES_COOLOFF_TIME


def wait_for(lockout_number: int) -> dt.timedelta:
    """The wait of a pair's n-th lockout (n from 1) within LOCKOUT_MEMORY."""
    return WAITS[min(max(lockout_number, 1), len(WAITS)) - 1]


def lockouts_of(username: str, ip: str, now: dt.datetime) -> int:
    """The pair's lockouts within LOCKOUT_MEMORY and since its last successful login (audit events)."""
    from ..core.models import AuditEvent

    since = now - LOCKOUT_MEMORY
    last_login = AuditEvent.objects.filter(verb="login", actor__username=username, data__ip=ip, at__gt=since).aggregate(
        last=Max("at")
    )["last"]
    return AuditEvent.objects.filter(
        verb="login.locked", data__username=username, data__ip=ip, at__gt=last_login or since
    ).count()


class BackoffHandler(AxesDatabaseHandler):
    """axes' database handler, with a wait that grows with each lockout of a (username, address) pair."""

    def get_user_attempts(self, request, credentials=None):
        """The pair's attempts that have not expired (each carries its own expiry)."""
        now = _now(request)
        unexpired = Q(expiration__expires_at__gt=now) | Q(
            expiration__isnull=True, attempt_time__gt=now - failure_window()
        )  # a row recorded before expiries were kept
        return [attempts.filter(unexpired) for attempts in self.filter_user_attempts(request, credentials)]

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        count = super().clean_expired_user_attempts(request, credentials)
        old, _ = AccessAttempt.objects.filter(
            expiration__isnull=True, attempt_time__lte=_now(request) - failure_window()
        ).delete()
        return count + old

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        waiting = getattr(request, "axes_locked_out", False)  # refused during a wait: not a new lockout
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not waiting and getattr(request, "axes_locked_out", False):
            self.lock_out(request, credentials)

    def lock_out(self, request, credentials) -> None:
        """A new lockout: the pair's attempts now expire at the end of its wait; audited."""
        from ..core.audit import audit

        now = _now(request)
        username = get_client_username(request, credentials) or ""
        ip = request.axes_ip_address or ""
        number = lockouts_of(username, ip, now) + 1
        wait = wait_for(number)
        for attempts in self.filter_user_attempts(request, credentials):
            AccessAttemptExpiration.objects.filter(access_attempt__in=attempts).update(expires_at=now + wait)
        audit(None, "login.locked", None, username=username[:150], ip=ip, lockout=number, minutes=_minutes(wait))


def _now(request) -> dt.datetime:
    return getattr(request, "axes_attempt_time", None) or timezone.now()


def _minutes(wait: dt.timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds() / 60))


def remaining_wait(request, credentials=None) -> dt.timedelta:
    """How long the request's pair still waits (at least a moment: it is refused now)."""
    handler = BackoffHandler()
    now = _now(request)
    until = max(
        (
            attempts.aggregate(until=Max("expiration__expires_at"))["until"] or now
            for attempts in handler.get_user_attempts(request, credentials)
        ),
        default=now,
    )
    return max(until - now, dt.timedelta(seconds=1))


def refused_message(wait: dt.timedelta) -> str:
    minutes = _minutes(wait)
    return (
        f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút. / "
        f"Too many failed logins. Try again in {minutes} minutes."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again with the reason and the wait, answered 429 (axes calls this on every login path)."""
    return render(
        request,
        "registration/login.html",
        {"throttled": refused_message(remaining_wait(request, credentials)), "next": request.POST.get("next", "")},
        status=429,
    )
