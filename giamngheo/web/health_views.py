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


@never_cache
@require_GET
def metrics_page(request):
    """The operator's Prometheus scrape (core.metrics): off (404) until GIAMNGHEO_METRICS_TOKEN is set,
    then only with that token, whoever is signed in: figures about the server, not about households."""
    from django.http import Http404, HttpResponse

    from ..core.metrics import CONTENT_TYPE, exposition, token_accepted, token_configured

    if not token_configured():
        raise Http404
    if not token_accepted(request.headers.get("Authorization", "")):
        response = HttpResponse("401 Unauthorized\n", status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="giamngheo metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)
