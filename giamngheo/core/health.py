"""Is this server fit to answer, and do background jobs move? For an operator's monitor or a load
balancer (`/suc-khoe/`, `giamngheo health`): no personal data, only states, counts and ages.

A job waiting longer than JOB_WAIT_SECONDS means no worker is picking jobs up (none started, or all
on a machine that died): the papers and imports users asked for would wait for ever.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .worker import beats_dir, worker_alive

JOB_WAIT_SECONDS = 300


def min_free_mb() -> int:
    """Free space the data folder needs (uploads, documents, backups); an operator's setting."""
    return int(os.environ.get("GIAMNGHEO_MIN_FREE_MB", "500"))


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    value: float | int | None = None


def _database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"{type(exc).__name__}: {exc}"[:200])
    ms = round((time.perf_counter() - started) * 1000, 1)
    return Check("database", True, f"{connection.vendor}, {ms} ms", ms)


def _disk() -> Check:
    folder = Path(settings.DATA_DIR)
    free_mb = shutil.disk_usage(folder if folder.exists() else folder.parent).free // 2**20
    return Check("disk", free_mb >= min_free_mb(), f"{free_mb} MB free (needs {min_free_mb()} MB)", free_mb)


def _workers() -> Check:
    alive = sum(worker_alive(p.stem) for p in beats_dir().glob("*.json")) if beats_dir().is_dir() else 0
    return Check("workers", True, f"{alive} alive", alive)  # a web-only machine may have none: see jobs


def _jobs() -> Check:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    try:  # due jobs only: a job may be enqueued to run later
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
        oldest = waiting.order_by("run_after").values_list("run_after", flat=True).first()
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
        n_waiting = waiting.count()
    except DatabaseError as exc:
        return Check("jobs", False, f"{type(exc).__name__}: {exc}"[:200])
    age = 0 if oldest is None else int((now - oldest).total_seconds())
    detail = f"{n_waiting} waiting (oldest {age} s), {running} running"
    return Check("jobs", age <= JOB_WAIT_SECONDS, detail, age)


def health() -> list[Check]:
    """Every check, the database first (the others are read through it)."""
    database = _database()
    checks = [database, _disk(), _workers()]
    return [*checks, _jobs()] if database.ok else checks


def as_json(checks: list[Check]) -> dict:
    return {"status": "ok" if all(c.ok for c in checks) else "fail", "checks": [asdict(c) for c in checks]}
