"""Our own system checks, run by `giamngheo check` beside Django's."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def deployment(app_configs, **kwargs):
    problems = []
    if not settings.HTTPS:
        problems.append(
            Warning(
                "GIAMNGHEO_HTTPS is not set: cookies are not marked secure and HSTS is off",
                hint="Serve over HTTPS and set GIAMNGHEO_HTTPS=1 (docs/deploy.md).",
                id="giamngheo.W001",
            )
        )
    if settings.HTTPS and not settings.TRUSTED_PROXY:
        problems.append(
            Warning(
                "GIAMNGHEO_HTTPS is set but GIAMNGHEO_TRUSTED_PROXY is not: every request "
                "looks like plain HTTP and is redirected to itself",
                hint="Set GIAMNGHEO_TRUSTED_PROXY to the TLS proxy's address, e.g. 127.0.0.1.",
                id="giamngheo.W003",
            )
        )
    if any(host == "*" or host.startswith("*") or host == "." for host in settings.ALLOWED_HOSTS):
        problems.append(
            Error(
                f"GIAMNGHEO_ALLOWED_HOSTS accepts any host: {settings.ALLOWED_HOSTS}",
                hint="Name the public host, e.g. giamngheo.sonla.gov.vn.",
                id="giamngheo.E003",
            )
        )
    loose = [o for o in settings.CSRF_TRUSTED_ORIGINS if "*" in o or (settings.HTTPS and o.startswith("http://"))]
    if loose:
        problems.append(
            Error(
                f"GIAMNGHEO_TRUSTED_ORIGINS is too wide or not HTTPS: {loose}",
                hint="List exact https:// origins, e.g. https://giamngheo.sonla.gov.vn.",
                id="giamngheo.E004",
            )
        )
    if getattr(settings, "DEMO", False):
        problems.append(
            Error(
                "GIAMNGHEO_DEMO is set: the demo's accounts sign in without the second step",
                hint="Unset GIAMNGHEO_DEMO on a server with real data (docs/adr/0010).",
                id="giamngheo.E005",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning(
                "SQLite is for one commune laptop; a province uses PostgreSQL",
                hint="Set DATABASE_URL=postgres://…",
                id="giamngheo.W002",
            )
        )
    return problems
