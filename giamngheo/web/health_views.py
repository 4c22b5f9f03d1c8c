"""`/suc-khoe/`: the server's health for a monitor or load balancer (core.health); open, no personal data."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..core.health import as_json, health


@never_cache
@require_GET
def health_page(request):
    """200 when every check passes, 503 when one fails, so a balancer stops sending users here."""
    report = as_json(health())
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
