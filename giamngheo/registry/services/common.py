"""Helpers shared by registry services: attributed saves and field validation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from ...core.errors import ServiceError


def save_attributed(obj: models.Model, actor, reason: str = "") -> None:
    """Save with history attributed to `actor` (simple-history reads these attributes)."""
    obj._history_user = actor if getattr(actor, "pk", None) else None
    obj._change_reason = reason or None
    obj.save()


def apply_fields(obj: models.Model, fields: dict[str, Any], allowed: set[str]) -> dict[str, tuple[Any, Any]]:
    """Set fields, validate them, and return {field: (before, after)} for the audit trail."""
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(
            f"Trường không hợp lệ: {', '.join(sorted(unknown))}", f"unknown field(s): {', '.join(sorted(unknown))}"
        )
    changes = {}
    for name, value in fields.items():
        before = getattr(obj, name)
        if before != value:
            setattr(obj, name, value)
            changes[name] = (before, value)
    try:
        obj.full_clean(
            exclude=[f.name for f in obj._meta.fields if f.name not in fields] or None,
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        with translation.override("vi"):
            field, messages = next(iter(exc.message_dict.items()))
        with translation.override("en"):
            english = exc.message_dict[field]
        raise ServiceError(f"{field}: {messages[0]}", f"{field}: {english[0]}", field=field) from exc
    return changes


def jsonable(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[str]]:
    return {k: [str(a), str(b)] for k, (a, b) in changes.items()}
