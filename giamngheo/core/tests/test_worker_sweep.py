"""Which workers are dead, and what happens to their jobs (in-process; the real worker is tested
as a subprocess in cli/tests/test_worker.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from giamngheo.accounts.tests.factories import system_user
from giamngheo.core import worker
from giamngheo.exchange.models import ImportJob
from giamngheo.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def beats(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "workers").mkdir()
    return tmp_path / "workers"


def _beat(folder, worker_id: str, pid: int, age: float = 0.0, host: str | None = None) -> None:
    path = folder / f"{worker_id}.json"
    path.write_text(json.dumps({"worker_id": worker_id, "pid": pid, "host": host or socket.gethostname()}))
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running_import(worker_id: str) -> tuple[ImportJob, DBTaskResult]:
    job = ImportJob.objects.create(
        commune=unit_by_code("03880"),
        households_path="/nowhere/households.csv",
        created_by=system_user(),
        state=ImportJob.State.RUNNING,
        percent=10,
    )
    task = DBTaskResult.objects.create(
        task_path="giamngheo.exchange.tasks.run_import",
        status="RUNNING",
        args_kwargs={"args": [job.pk], "kwargs": {}},
        worker_ids=[worker_id],
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
    )
    return job, task


def test_a_dead_workers_job_is_failed_with_a_message_and_a_live_ones_is_left(beats):
    _beat(beats, "dead", _dead_pid())
    _beat(beats, "live", os.getpid())
    dead_job, dead_task = _running_import("dead")
    live_job, live_task = _running_import("live")
    assert worker.sweep_abandoned() == 1
    dead_job.refresh_from_db(), dead_task.refresh_from_db(), live_job.refresh_from_db(), live_task.refresh_from_db()
    assert dead_task.status == "FAILED" and dead_task.finished_at is not None
    assert dead_job.state == ImportJob.State.FAILED and "dừng giữa chừng" in dead_job.summary
    assert live_task.status == "RUNNING" and live_job.state == ImportJob.State.RUNNING
    assert not (beats / "dead.json").exists() and (beats / "live.json").exists()


def test_a_worker_that_stopped_beating_is_dead_even_if_its_pid_exists(beats):
    _beat(beats, "frozen", os.getpid(), age=worker.STALE_SECONDS + 5)
    _beat(beats, "far", 1, age=worker.STALE_SECONDS + 5, host="another-host")
    _beat(beats, "far-live", 1, age=1, host="another-host")
    assert not worker.worker_alive("frozen") and not worker.worker_alive("far")
    assert worker.worker_alive("far-live") and not worker.worker_alive("never-seen")


def test_a_worker_without_a_beat_file_gets_a_grace_period(beats):
    job, task = _running_import("plain-db-worker")
    assert worker.sweep_abandoned() == 0
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=worker.STALE_SECONDS + 1)
    )
    assert worker.sweep_abandoned() == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED


def test_retry_locked_waits_out_a_locked_database_and_raises_other_errors(monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(worker.time, "sleep", lambda s: None)
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "ok"

    assert worker.retry_locked(flaky) == "ok" and len(calls) == 3
    with pytest.raises(OperationalError, match="no such table"):
        worker.retry_locked(lambda: (_ for _ in ()).throw(OperationalError("no such table: x")))
