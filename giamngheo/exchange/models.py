"""Imports started from the web app run in the background; their progress and outcome live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..core.words import pick_lazy


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", pick_lazy("Đang chờ", "Waiting")
        RUNNING = "running", pick_lazy("Đang nhập", "Importing")
        DONE = "done", pick_lazy("Xong", "Done")
        REJECTED = "rejected", pick_lazy("Có lỗi, không nhập", "Errors, nothing imported")
        FAILED = "failed", pick_lazy("Lỗi hệ thống", "System error")

    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    households_path = models.CharField(max_length=255)
    members_path = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    marked_file = models.CharField(max_length=255, blank=True)  # the upload with bad cells highlighted
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt nhập dữ liệu")

    def __str__(self) -> str:
        return f"Nhập dữ liệu #{self.pk} ({self.get_state_display()})"
