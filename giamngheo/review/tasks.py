"""Background jobs (django-tasks, kept in the same database): a round's documents, with progress."""

from __future__ import annotations

from django.db.models import F
from django_tasks import task

from .documents import round_documents_zip
from .models import DocumentJob


@task()
def generate_round_documents(job_id: int) -> str:
    job = DocumentJob.objects.select_related("review_round").get(pk=job_id)
    job.state, job.total = DocumentJob.State.RUNNING, job.review_round.statuses.filter(
        category__in=["poor", "near_poor"]).count()
    job.save(update_fields=["state", "total"])

    def progress(n: int) -> None:
        DocumentJob.objects.filter(pk=job_id).update(done=F("done") + n)

    try:
        path = round_documents_zip(job.review_round, progress)
    except Exception as exc:
        DocumentJob.objects.filter(pk=job_id).update(state=DocumentJob.State.FAILED, error=str(exc)[:2000])
        raise
    DocumentJob.objects.filter(pk=job_id).update(state=DocumentJob.State.DONE, file=str(path))
    return str(path)
