"""What every background job that makes a file shares: a token for its URLs, a state, progress counted
in units of work done, the file and the error. The jobs add what they are about (a round, a report)."""

from __future__ import annotations

import secrets

from django.db import models

from .words import pick_lazy


def new_job_token() -> str:
    """What a job's URLs carry instead of its sequential id (ids are guessable, tokens are not)."""
    return secrets.token_urlsafe(24)


class FileJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", pick_lazy("Đang chờ", "Waiting")
        RUNNING = "running", pick_lazy("Đang tạo", "Being made")
        DONE = "done", pick_lazy("Xong", "Done")
        FAILED = "failed", pick_lazy("Lỗi", "Failed")

    token = models.CharField(max_length=40, unique=True, default=new_job_token, editable=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        """Done over total, 100 only once the file is written (the last unit is not the end)."""
        return 100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0
