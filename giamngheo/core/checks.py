"""Our own system checks, run by `giamngheo check` beside Django's."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def deployment(app_configs, **kwargs):
    problems = []
    if not settings.HTTPS:
        problems.append(Warning("GIAMNGHEO_HTTPS is not set: cookies are not marked secure and HSTS is off",
                                hint="Serve over HTTPS and set GIAMNGHEO_HTTPS=1 (docs/deploy.md).",
                                id="giamngheo.W001"))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(Warning("SQLite is for one commune laptop; a province uses PostgreSQL",
                                hint="Set DATABASE_URL=postgres://…", id="giamngheo.W002"))
    return problems
