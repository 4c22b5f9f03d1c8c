"""Start an import from uploaded files: saved under the data folder, then run in the background."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..accounts.access import require_unit_write
from ..core.audit import audit
from ..core.errors import ServiceError
from .models import ImportJob

ALLOWED = (".xlsx", ".csv", ".parquet")


def _save(upload, folder: Path, name: str) -> Path:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED:
        raise ServiceError(f"Tệp {upload.name}: cần .xlsx, .csv hoặc .parquet",
                           f"file {upload.name}: use .xlsx, .csv or .parquet", field=name)
    path = folder / f"{name}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@transaction.atomic
def import_request(*, actor, commune, households_upload, members_upload=None) -> ImportJob:
    require_unit_write(actor, commune)
    folder = Path(settings.DATA_DIR) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    try:
        households = _save(households_upload, folder, "households")
        members = _save(members_upload, folder, "members") if members_upload else None
        job = ImportJob.objects.create(commune=commune, households_path=str(households),
                                       members_path=str(members or ""), created_by=actor)
    except BaseException:  # a refused upload leaves no folder behind
        shutil.rmtree(folder, ignore_errors=True)
        raise
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    audit(actor, "registry.import.request", commune, job=job.pk)
    return job


def import_job_get(actor, job_id: int) -> ImportJob:
    """An import is seen by whoever started it, and by administrators (it shows the uploaded rows)."""
    from ..core.errors import AccessDenied

    qs = ImportJob.objects.filter(pk=job_id)
    if not getattr(actor, "is_superuser", False):
        qs = qs.filter(created_by=actor)
    job = qs.first()
    if job is None:
        raise AccessDenied()
    return job
