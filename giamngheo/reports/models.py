"""A report's PDF made in the background (a long detailed list), with progress for its page."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from ..core.words import pick_lazy


def new_report_token() -> str:
    """What the job's URLs carry instead of its sequential id (ids are guessable, tokens are not)."""
    return secrets.token_urlsafe(24)


class ReportJob(models.Model):
    """One user's request for one report's PDF. Only that user follows and downloads it: the file is
    laid out with what they may see (national ids in full or masked), so it is nobody else's."""

    class State(models.TextChoices):
        QUEUED = "queued", pick_lazy("Đang chờ", "Waiting")
        RUNNING = "running", pick_lazy("Đang tạo", "Being made")
        DONE = "done", pick_lazy("Xong", "Done")
        FAILED = "failed", pick_lazy("Lỗi", "Failed")

    token = models.CharField(max_length=40, unique=True, default=new_report_token, editable=False)
    name = models.CharField(max_length=40)
    unit_code = models.CharField(max_length=12)
    period = models.CharField(max_length=10)
    k = models.CharField(max_length=20, blank=True)
    weighting = models.CharField(max_length=8, default="equal")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp PDF báo cáo"
        verbose_name_plural = "tệp PDF báo cáo"

    def __str__(self) -> str:
        return f"PDF {self.name} {self.unit_code} {self.period} #{self.pk} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.unit_code}-{self.period}.pdf"
