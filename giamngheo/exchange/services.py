"""Start an import from uploaded files: saved under the data folder, then run in the background."""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..accounts.access import is_self_or_admin, require_unit_write
from ..core.audit import audit
from ..core.errors import ServiceError
from .limits import upload_check
from .models import ImportJob

logger = logging.getLogger(__name__)


def _save(upload, folder: Path, name: str) -> Path:
    path = folder / f"{name}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@transaction.atomic
def import_request(*, actor, commune, households_upload, members_upload=None) -> ImportJob:
    require_unit_write(actor, commune)
    for upload, name in ((households_upload, "households"), (members_upload, "members")):
        if upload is not None:
            upload_check(upload, name)
    folder = Path(settings.DATA_DIR) / "uploads" / uuid.uuid4().hex
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        logger.error("upload folder %s not writable: %s", folder, exc)
        raise ServiceError(
            "Không lưu được tệp tải lên (thư mục dữ liệu không ghi được); hãy báo quản trị hệ thống",
            "The upload could not be saved (the data folder is not writable); tell the administrator",
        ) from None
    try:
        households = _save(households_upload, folder, "households")
        members = _save(members_upload, folder, "members") if members_upload else None
        job = ImportJob.objects.create(
            commune=commune, households_path=str(households), members_path=str(members or ""), created_by=actor
        )
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        logger.error("upload not saved in %s: %s", folder, exc)
        raise ServiceError(
            "Không lưu được tệp tải lên (thư mục dữ liệu không ghi được); hãy báo quản trị hệ thống",
            "The upload could not be saved (the data folder is not writable); tell the administrator",
        ) from None
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

    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or not is_self_or_admin(actor, job.created_by):
        raise AccessDenied()
    return job
