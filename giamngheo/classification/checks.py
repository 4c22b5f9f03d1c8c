"""Our system checks for the law as data, run by `giamngheo check` beside Django's (the engine itself
imports no Django, so its check lives here)."""

from __future__ import annotations

from django.core.checks import Error, register


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
                problems.append(
                    Error(f"{standard_id}: indicator {ind.id} names unknown formula {ind.formula}", id="giamngheo.E002")
                )
    return problems


@register("giamngheo")
def review_law_load(app_configs, **kwargs):
    """The review procedure's YAML parses, every value referenced and marked V, S, C or B (an
    operator's edit of the law is checked before a round uses it)."""
    from ..standards.procedure import PROCEDURE_FILE, load_review_law

    try:
        load_review_law(PROCEDURE_FILE)
    except Exception as exc:  # noqa: BLE001 - any failure to load is the finding
        return [Error(f"the review procedure {PROCEDURE_FILE.name} does not load: {exc}", id="giamngheo.E010")]
    return []
