"""The health checks an operator's monitor reads: each failing check fails the page (503), and says why."""

import datetime as dt
import json

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from giamngheo.cli.admin_commands import cmd_health
from giamngheo.core import health as health_module
from giamngheo.core.worker import Heartbeat

pytestmark = pytest.mark.django_db


def _page() -> tuple[int, dict]:
    response = Client().get("/suc-khoe/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def _check(report: dict, name: str) -> dict:
    return next(c for c in report["checks"] if c["name"] == name)


def _job(ran_for: dt.timedelta) -> DBTaskResult:
    job = DBTaskResult.objects.create(
        task_path="giamngheo.x",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now() - ran_for,
    )
    return job


def test_a_healthy_server_answers_200_without_signing_in():
    status, report = _page()
    assert status == 200 and report["status"] == "ok"
    assert [c["name"] for c in report["checks"]] == ["database", "disk", "workers", "jobs"]
    assert _check(report, "jobs")["detail"].startswith("0 waiting")


def test_a_job_nobody_picks_up_fails_the_check():
    _job(dt.timedelta(seconds=30))  # recent: a worker may be about to take it
    assert _page()[0] == 200
    _job(dt.timedelta(minutes=20))
    status, report = _page()
    assert status == 503 and report["status"] == "fail"
    jobs = _check(report, "jobs")
    assert not jobs["ok"] and jobs["detail"].startswith("2 waiting") and jobs["value"] >= 1200


def test_a_job_enqueued_for_later_is_not_waiting():
    _job(-dt.timedelta(hours=2))
    assert _check(_page()[1], "jobs")["detail"].startswith("0 waiting")


def test_a_full_disk_fails_the_check(monkeypatch):
    monkeypatch.setenv("GIAMNGHEO_MIN_FREE_MB", str(10**12))
    status, report = _page()
    assert status == 503 and not _check(report, "disk")["ok"]


def test_a_database_that_does_not_answer_fails_and_the_rest_is_not_read(monkeypatch):
    def refuse():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health_module.connection, "cursor", refuse)
    checks = health_module.health()
    assert [c.name for c in checks] == ["database", "disk", "workers"]
    assert not checks[0].ok and "could not connect" in checks[0].detail


def test_a_living_worker_is_counted(settings):
    Heartbeat("test-worker").beat()
    assert _check(_page()[1], "workers")["detail"] == "1 alive"


def test_the_command_exits_1_when_a_check_fails(monkeypatch, capsys):
    assert cmd_health(None) == 0
    _job(dt.timedelta(hours=1))
    assert cmd_health(None) == 1
    assert "FAIL jobs" in capsys.readouterr().out
