"""Login throttling: after too many failed attempts for a username or from an address, wait.

Counted from the audit log, so it needs no cache server and survives restarts.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ..core.models import AuditEvent

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


def login_blocked(username: str, ip: str) -> bool:
    since = timezone.now() - WINDOW
    who = Q(data__username=username) if username else Q(pk__in=[])
    if ip:
        who |= Q(data__ip=ip)
    return AuditEvent.objects.filter(verb="login.failed", at__gte=since).filter(who).count() >= MAX_FAILURES
