"""Reads of the audit log; callers pass objects the actor may already see."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def events_for_object(obj, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")[
        :limit
    ]


def events_by_actor(user, limit: int = 300) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor=user).order_by("-at")[:limit]
