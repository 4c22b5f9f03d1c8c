"""Uploaded files hold national ids: they live only as long as their import needs them.

The raw upload is deleted when the job ends (done, refused or failed); a refused import keeps the
marked workbook for the user to download, for MARKED_KEEP_DAYS, then that goes too."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.conf import settings

from giamngheo.core import clock

MARKED_KEEP_DAYS = 7


def uploads_root() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def _folder_of(path: str) -> Path | None:
    """The job's own folder under uploads/, never anything outside it."""
    if not path:
        return None
    folder = Path(path).resolve().parent
    return folder if folder.parent == uploads_root().resolve() else None


def discard_upload(households_path: str, keep: str = "") -> None:
    """Delete the upload's folder, or everything in it but `keep` (the marked workbook)."""
    folder = _folder_of(households_path)
    if folder is None or not folder.is_dir():
        return
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in folder.iterdir():
        if path.resolve() != Path(keep).resolve():
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def purge_marked_workbooks(now: dt.datetime | None = None) -> int:
    """Delete marked workbooks older than MARKED_KEEP_DAYS; returns how many."""
    from .models import ImportJob

    cutoff = (now or clock.now()) - dt.timedelta(days=MARKED_KEEP_DAYS)
    purged = 0
    for job in ImportJob.objects.exclude(marked_file="").filter(created_at__lt=cutoff):
        discard_upload(job.households_path)
        ImportJob.objects.filter(pk=job.pk).update(marked_file="")
        purged += 1
    return purged
