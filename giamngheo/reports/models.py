"""A report's PDF made in the background (a long detailed list), with progress for its page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..core.jobs import FileJob, new_job_token

new_report_token = new_job_token  # migration 0001 names it


class ReportJob(FileJob):
    """One user's request for one report's PDF. Only that user follows and downloads it: the file is
    laid out with what they may see (national ids in full or masked), so it is nobody else's."""

    name = models.CharField(max_length=40)
    unit_code = models.CharField(max_length=12)
    period = models.CharField(max_length=10)
    k = models.CharField(max_length=20, blank=True)
    weighting = models.CharField(max_length=8, default="equal")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tệp PDF báo cáo")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp PDF báo cáo")

    def __str__(self) -> str:
        return f"PDF {self.name} {self.unit_code} {self.period} #{self.pk} ({self.get_state_display()})"

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.unit_code}-{self.period}.pdf"
