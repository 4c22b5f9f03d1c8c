"""Record audit events from services; called inside the same transaction as the change."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent


def audit(actor, verb: str, obj: Any = None, **data: Any) -> AuditEvent:
    object_type = obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else ""
    object_id = str(getattr(obj, "pk", "") or "") if obj is not None else ""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        data=data,
    )
