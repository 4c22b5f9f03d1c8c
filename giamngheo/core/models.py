"""Audit events: who did what to which record, when, append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEvent(models.Model):
    """One attributed action (login, export, a view of a national id, a service write)."""

    at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Người thực hiện"),
    )
    verb = models.CharField(_("Hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("Mã đối tượng"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sự kiện kiểm toán")
        verbose_name_plural = pgettext_lazy("số nhiều", "sự kiện kiểm toán")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_id} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events cannot be edited")
        super().save(*args, **kwargs)
