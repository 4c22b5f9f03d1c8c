"""Our own system checks, run by `giamngheo check` beside Django's."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register("giamngheo")
def standards_load(app_configs, **kwargs):
    """Every standard's YAML parses and names formulas the engine has."""
    from ..standards import available_standards, load_standard
    from ..standards.indicators import FORMULAS

    problems = []
    for standard_id in available_standards():
        try:
            standard = load_standard(standard_id)
        except Exception as exc:  # noqa: BLE001 - any failure to load is the finding
            problems.append(Error(f"standard {standard_id} does not load: {exc}", id="giamngheo.E001"))
            continue
        for ind in standard.indicators:
            if ind.formula not in FORMULAS:
                problems.append(Error(f"{standard_id}: indicator {ind.id} names unknown formula {ind.formula}",
                                      id="giamngheo.E002"))
    return problems


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
