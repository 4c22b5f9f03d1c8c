"""Background jobs (django-tasks, kept in the same database): a round's documents, with progress."""

from __future__ import annotations

from pathlib import Path

from django.db.models import F
from django.utils import translation
from django_tasks import task

from ..core.worker import on_abandoned, retry_locked
from .documents import papers_units, round_documents_zip
from .models import DocumentJob


def _set(job_id: int, **fields) -> None:
    retry_locked(DocumentJob.objects.filter(pk=job_id).update, **fields)


@task()
def generate_round_documents(job_id: int) -> str:
    job = DocumentJob.objects.select_related("review_round").get(pk=job_id)
    # progress by household laid out in each paper and by file written, so the bar moves as the work does
    _set(job_id, state=DocumentJob.State.RUNNING, total=papers_units(job.review_round))

    def progress(n: int) -> None:
        _set(job_id, done=F("done") + n)

    try:
        with translation.override("vi"):  # the papers are Vietnamese, whoever asked and in whichever language
            path = round_documents_zip(job.review_round, progress, name=job.token)
    except BaseException as exc:  # also SystemExit when the worker is told to stop mid-job
        error = str(exc)[:2000] if isinstance(exc, Exception) else DocumentJob.STOPPED
        _set(job_id, state=DocumentJob.State.FAILED, error=error)
        raise
    _set(job_id, state=DocumentJob.State.DONE, file=str(path))
    _drop_older_files(job)
    return str(path)


def _drop_older_files(job: DocumentJob) -> None:
    """The newest papers of a round replace the older ones: personal data is not kept twice."""
    older = DocumentJob.objects.filter(review_round_id=job.review_round_id, kind=job.kind, pk__lt=job.pk).exclude(
        file=""
    )
    for old in older:
        Path(old.file).unlink(missing_ok=True)
    older.update(file="")


@on_abandoned(generate_round_documents)
def _documents_abandoned(args: list, message: str) -> None:
    """The worker died mid-job: stored as a code, said in the reader's language (not `message`'s two)."""
    DocumentJob.objects.filter(pk=args[0], state__in=[DocumentJob.State.QUEUED, DocumentJob.State.RUNNING]).update(
        state=DocumentJob.State.FAILED, error=DocumentJob.ABANDONED
    )
