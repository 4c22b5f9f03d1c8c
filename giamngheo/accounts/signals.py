"""Logins and failed logins go into the audit log (who, when, from where)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from ..core.audit import audit


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(user, "login", user, ip=client_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit(None, "login.failed", None, username=str(credentials.get("username", ""))[:150], ip=client_ip(request))
