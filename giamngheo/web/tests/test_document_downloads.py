"""The round's papers list every member's full national id: scoped, refused to masked roles,
audited, behind unguessable URLs, one unfinished job per round and a file per job."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.core.errors import ServiceError
from giamngheo.core.models import AuditEvent
from giamngheo.review import services as review
from giamngheo.review.models import DocumentJob
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(people, households, settings, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811
    settings.DATA_DIR = tmp_path
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    with django_capture_on_commit_callbacks(execute=True):
        job = review.documents_request(actor=people["official"], review_round=r)
    job.refresh_from_db()
    assert job.state == DocumentJob.State.DONE
    return job


def test_job_urls_carry_a_random_token_not_the_sequential_id(client, people, papers):  # noqa: F811
    client.force_login(people["official"])
    assert len(papers.token) >= 32 and papers.token != str(papers.pk)
    assert client.get(f"/tai-lieu/{papers.pk}/tai-ve/").status_code == 404
    assert client.get(f"/tai-lieu/{papers.pk}/").status_code == 404
    response = client.get(reverse("job_download", args=[papers.token]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize(("role", "unit"), [(Role.PROVINCE_OFFICIAL, "14"), (Role.NATIONAL_VIEWER, None)])
def test_masked_roles_may_follow_progress_but_not_download_the_papers(client, papers, role, unit):
    client.force_login(user_with_role(role, unit))
    progress = client.get(reverse("job_progress", args=[papers.token]))
    assert progress.status_code == 200 and 'id="download"' not in progress.content.decode()
    assert client.get(reverse("job_download", args=[papers.token])).status_code == 404
    assert not AuditEvent.objects.filter(verb="review.documents.download").exists()


def test_a_download_is_audited_with_who_and_which_job(client, people, papers):  # noqa: F811
    client.force_login(people["official"])
    assert client.get(reverse("job_download", args=[papers.token])).status_code == 200
    event = AuditEvent.objects.get(verb="review.documents.download")
    assert event.actor == people["official"] and event.data["job"] == papers.pk
    assert event.object_id == str(papers.review_round_id)


def test_another_communes_staff_cannot_download(client, papers):
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "04045"))
    assert client.get(reverse("job_download", args=[papers.token])).status_code == 404
    assert client.get(reverse("job_progress", args=[papers.token])).status_code == 404


def test_only_one_unfinished_job_per_round_and_kind(people, papers):  # noqa: F811
    r = papers.review_round
    queued = review.documents_request(actor=people["official"], review_round=r)  # on_commit not run: stays queued
    with pytest.raises(ServiceError, match="đang được tạo"):
        review.documents_request(actor=people["official"], review_round=r)
    assert r.document_jobs.filter(state__in=["queued", "running"]).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # two requests at the same instant
        DocumentJob.objects.create(review_round=r, created_by=people["official"], state="running")
    queued.state = DocumentJob.State.FAILED
    queued.save()
    review.documents_request(actor=people["official"], review_round=r)  # once it ended, a new one may start


def test_each_job_writes_its_own_file_and_the_newer_replaces_the_older(
    people,  # noqa: F811
    papers,
    django_capture_on_commit_callbacks,
):
    first = Path(papers.file)
    assert first.is_file() and stat.S_IMODE(first.stat().st_mode) == 0o600
    with django_capture_on_commit_callbacks(execute=True):
        second = review.documents_request(actor=people["official"], review_round=papers.review_round)
    second.refresh_from_db()
    papers.refresh_from_db()
    assert second.state == DocumentJob.State.DONE and Path(second.file) != first
    assert zipfile.ZipFile(second.file).namelist()
    assert not first.exists() and papers.file == ""
