"""A long report's PDF as a background job (django-tasks, like the round's papers): requested by one
user, laid out in parts with real progress, downloaded only by that user, as long as they may still
read the unit. A commune's detailed list took 47 s inside a request thread before."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django_tasks import task

from ..core import clock
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from ..core.worker import on_abandoned, on_housekeeping, retry_locked
from .models import ReportJob

STOPPED = "Việc tạo PDF bị dừng giữa chừng / making the PDF was stopped"
KEEP_DAYS = 7  # a PDF with named households is kept for its download, not for ever
UNFINISHED = (ReportJob.State.QUEUED, ReportJob.State.RUNNING)


def _set(job_id: int, **fields) -> None:
    retry_locked(ReportJob.objects.filter(pk=job_id).update, **fields)


def report_pdf_request(
    *, actor, name: str, code: str, period: str, k: str | None = None, weighting: str = "equal", rows: int = 0
) -> ReportJob:
    """Queue the PDF of a report the actor has just been shown (so scope and parameters are checked);
    the same unfinished request of the same user is the same job (a reload does not queue another)."""
    same = dict(name=name, unit_code=code, period=period, k=k or "", weighting=weighting, created_by=actor)
    with transaction.atomic():
        job = ReportJob.objects.filter(**same, state__in=UNFINISHED).order_by("-pk").first()
        if job is not None:
            return job
        job = ReportJob.objects.create(**same, total=rows)
        audit(actor, "report.pdf_request", None, name=name, unit=code, period=period, job=job.pk, rows=rows)
        transaction.on_commit(lambda: make_report_pdf.enqueue(job.pk))
    return job


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "report-pdfs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@task()
def make_report_pdf(job_id: int) -> str:
    from .render import table_pdf_in_parts
    from .selectors import report_table

    job = ReportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        with translation.override("vi"):  # the report's files are Vietnamese, like the official forms
            table = report_table(  # as the user who asked, with what they may see
                job.created_by, job.name, job.unit_code, job.period, k=job.k or None, weighting=job.weighting
            )
            _set(job_id, state=ReportJob.State.RUNNING, total=len(table.rows), done=0)
            data = table_pdf_in_parts(table, lambda n: _set(job_id, done=F("done") + n))
        path = _folder() / f"{job.token}.pdf"
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except BaseException as exc:  # also SystemExit when the worker is told to stop mid-job
        message = str(exc)[:2000] if isinstance(exc, Exception) else STOPPED
        _set(job_id, state=ReportJob.State.FAILED, error=message)
        if isinstance(exc, ServiceError | ValueError):
            return ""  # a refusal (too long, no longer allowed) is the job's answer, not a worker error
        raise
    _set(job_id, state=ReportJob.State.DONE, file=str(path))
    _drop_older_files(job)
    return str(path)


def _drop_older_files(job: ReportJob) -> None:
    """The user's newest PDF of the same report replaces the older ones: personal data is not kept twice."""
    older = ReportJob.objects.filter(
        created_by_id=job.created_by_id, name=job.name, unit_code=job.unit_code, period=job.period, pk__lt=job.pk
    ).exclude(file="")
    for old in older:
        Path(old.file).unlink(missing_ok=True)
    older.update(file="")


@on_abandoned(make_report_pdf)
def _abandoned(args: list, message: str) -> None:
    ReportJob.objects.filter(pk=args[0], state__in=UNFINISHED).update(state=ReportJob.State.FAILED, error=message)


def purge_old_pdfs() -> int:
    """Delete the files of report PDFs made more than KEEP_DAYS ago (the worker's housekeeping)."""
    import datetime as dt

    old = ReportJob.objects.filter(created_at__lt=clock.now() - dt.timedelta(days=KEEP_DAYS)).exclude(file="")
    count = 0
    for job in old:
        Path(job.file).unlink(missing_ok=True)
        count += 1
    old.update(file="")
    return count


on_housekeeping(purge_old_pdfs)


def report_job_get(actor, token: str) -> ReportJob:
    """The actor's own job by its token; anyone else's answers like a job that does not exist."""
    job = ReportJob.objects.filter(token=token, created_by_id=getattr(actor, "pk", None)).first()
    if job is None:
        raise AccessDenied()
    return job


def report_job_download(actor, token: str) -> ReportJob:
    """The finished PDF, if the actor may still read its unit (an assignment may have ended); audited."""
    from .selectors import report_scope

    job = report_job_get(actor, token)
    report_scope(actor, job.unit_code, job.period)  # AccessDenied when the unit is no longer theirs
    if job.state != ReportJob.State.DONE or not job.file or not Path(job.file).is_file():
        raise ServiceError("Tệp PDF chưa sẵn sàng hoặc đã bị thay", "the PDF is not ready or has been replaced")
    audit(actor, "report.export", None, name=job.name, unit=job.unit_code, period=job.period, format="pdf", job=job.pk)
    return job
