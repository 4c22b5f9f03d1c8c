"""Background import from the web app: validate everything, write all or nothing, report back."""

from __future__ import annotations

import logging
from pathlib import Path

from django_tasks import task

from ..core.words import halves
from ..core.worker import on_abandoned, on_housekeeping, retry_locked
from ..standards.problems import InputError
from ..standards.reading import read_table
from .importing import import_files
from .limits import import_limits
from .marking import marked_workbook
from .models import ImportJob
from .uploads import discard_upload, purge_marked_workbooks

STOPPED = "Việc nhập bị dừng giữa chừng, không có gì thay đổi / the import was stopped, nothing was changed"

logger = logging.getLogger(__name__)


def _marked(households: Path, members: Path | None, problems) -> Path | None:
    """The uploaded workbook with the bad cells marked, when the files could be read at all."""
    same = members is None
    limits = import_limits()
    try:
        frames = {
            "households": (
                read_table(households, "households", limits),
                f"{households}[households]" if same else str(households),
            ),
            "members": (
                read_table(members or households, "members", limits),
                f"{households}[members]" if same else str(members),
            ),
        }
    except InputError:  # the file itself was refused (encoding, size, damaged): nothing to mark
        return None
    return marked_workbook(households.with_name("loi-danh-dau.xlsx"), frames, problems)


def _set(job_id: int, **fields) -> None:
    retry_locked(ImportJob.objects.filter(pk=job_id).update, **fields)


@task()
def run_import(job_id: int) -> str:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    _set(job_id, state=ImportJob.State.RUNNING, percent=10)
    households = Path(job.households_path)
    members = Path(job.members_path) if job.members_path else None
    try:
        try:
            result = import_files(actor=job.created_by, households=households, members=members)
        except InputError as exc:
            marked = _marked(households, members, exc.problems)
            _set(
                job_id,
                state=ImportJob.State.REJECTED,
                percent=100,
                marked_file=str(marked or ""),
                problems=[
                    {
                        "file": Path(p.file).name,
                        "row": p.row,
                        "column": p.column,
                        "vi": p.message_vi,
                        "en": p.message_en,
                    }
                    for p in exc.problems
                ],
            )
            discard_upload(job.households_path, keep=str(marked or ""))  # the marked copy stays, for a while
            return "rejected"
    except BaseException as exc:  # also SystemExit when the worker is told to stop mid-job
        if isinstance(exc, Exception):
            logger.exception("import job %s failed", job_id)  # the details (paths, traceback) go to the log only
            message = (
                "Lỗi hệ thống khi nhập, không có gì thay đổi; hãy báo quản trị hệ thống / "
                "system error during the import, nothing was changed; tell the administrator"
            )
        else:
            message = STOPPED
        _set(job_id, state=ImportJob.State.FAILED, percent=100, summary=message)
        discard_upload(job.households_path)
        raise
    summary = f"{result.summary_in('vi')} / {result.summary_in('en')}"  # each page shows its half (core.words)
    _set(job_id, state=ImportJob.State.DONE, percent=100, summary=summary)
    discard_upload(job.households_path)
    return "done"


@on_abandoned(run_import)
def _import_abandoned(args: list, message: str) -> None:
    """Its worker died: the import's transaction was never committed, so nothing changed."""
    job = ImportJob.objects.filter(pk=args[0], state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]).first()
    if job is not None:
        summary = " / ".join(f"{a}. {b}" for a, b in zip(halves(message), halves(STOPPED), strict=True))
        _set(job.pk, state=ImportJob.State.FAILED, percent=100, summary=summary)
        discard_upload(job.households_path)


on_housekeeping(purge_marked_workbooks)
