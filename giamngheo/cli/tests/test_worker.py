"""The real database worker, as a subprocess against a real database: jobs that fail, a worker
killed mid-job, a locked database, and serve/demo supervising and stopping their worker.

Every wait polls with a generous deadline (a loaded 2-core machine); no fixed sleep is an assertion."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from giamngheo.testing.serving import free_port

from .subprocess_helpers import run
from .worker_helpers import in_django, pid_alive, wait_for, worker_children

COMMAND = [sys.executable, "-m", "giamngheo.cli.main"]


def _start(env: dict, *argv: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([*COMMAND, *argv], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


def _job(env: dict, job_id: int) -> dict:
    return json.loads(in_django(env, f"import_job({job_id})"))


@pytest.fixture
def population(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    pop = tmp_path / "pop"
    assert (
        run(env, "synth", "--province", "14", "--households", "300", "--seed", "5", "--out", str(pop)).returncode == 0
    )
    return env, pop


def test_a_worker_killed_mid_import_has_its_job_ended_with_a_message(population, tmp_path):
    env, pop = population
    job_id = int(in_django(env, f"queue_import({str(pop / 'households.csv')!r}, {str(pop / 'members.csv')!r})"))
    marker = tmp_path / "paused"
    worker = _start(
        {**env, "GIAMNGHEO_FAULT_PAUSE": "households_written", "GIAMNGHEO_FAULT_MARKER": str(marker)},
        "worker",
        log=tmp_path / "worker1.log",
    )
    try:
        wait_for(lambda: marker.exists() or worker.poll() is not None, "the import to reach its fault point")
        assert worker.poll() is None, (tmp_path / "worker1.log").read_text()
        assert _job(env, job_id)["state"] == "running"
        os.kill(worker.pid, signal.SIGKILL)  # mid-job: households written, not committed
        worker.wait(timeout=30)
    finally:
        _stop(worker)
    assert _job(env, job_id)["state"] == "running"  # what the issue saw: "running" forever
    again = _start(env, "worker", log=tmp_path / "worker2.log")
    try:
        job = wait_for(lambda: (j := _job(env, job_id))["state"] != "running" and j, "the dead worker's job to end")
    finally:
        _stop(again)
    assert job["state"] == "failed" and "dừng giữa chừng" in job["summary"] and "nothing was changed" in job["summary"]
    assert job["tasks"] == ["FAILED"]
    assert not Path(job["households_path"]).exists()  # the upload (national ids) is gone


def test_a_failing_job_fails_with_its_error_and_the_worker_runs_the_next(population, tmp_path):
    env, pop = population
    import polars as pl

    bad = tmp_path / "bad.csv"  # one unreadable income: the import is refused, with a marked workbook
    hh = pl.read_csv(pop / "households.csv", infer_schema=False)
    hh.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("abc"))
        .otherwise(pl.col("income_per_capita_month"))
        .alias("income_per_capita_month")
    ).write_csv(bad)
    refused = int(in_django(env, f"queue_import({str(bad)!r}, {str(pop / 'members.csv')!r})"))
    broken = int(in_django(env, f"queue_import({str(pop / 'households.csv')!r}, {str(pop / 'members.csv')!r})"))
    Path(_job(env, broken)["households_path"]).unlink()  # the upload vanished: the job itself fails
    good = int(in_django(env, f"queue_import({str(pop / 'households.csv')!r}, {str(pop / 'members.csv')!r})"))
    worker = _start(env, "worker", log=tmp_path / "worker.log")
    try:
        wait_for(
            lambda: _job(env, good)["state"] in ("done", "failed", "rejected") or worker.poll() is not None,
            "the third job to end",
        )
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()  # the failures did not stop it
    finally:
        _stop(worker)
    assert _job(env, refused)["state"] == "rejected" and _job(env, refused)["tasks"] == ["SUCCESSFUL"]
    failed = _job(env, broken)
    assert failed["state"] == "failed" and failed["summary"] and failed["tasks"] == ["FAILED"]
    assert _job(env, good)["state"] == "done" and _job(env, good)["tasks"] == ["SUCCESSFUL"]


def test_the_worker_waits_out_a_locked_database_instead_of_exiting(population, tmp_path):
    env, pop = population
    if env["DATABASE_URL"].startswith("postgres"):
        pytest.skip("SQLite's whole-database write lock")
    import sqlite3

    env = {**env, "GIAMNGHEO_SQLITE_BUSY_MS": "200"}
    worker = _start(env, "worker", log=tmp_path / "worker.log")
    try:
        first = int(in_django(env, f"queue_import({str(pop / 'households.csv')!r}, {str(pop / 'members.csv')!r})"))
        wait_for(lambda: _job(env, first)["state"] == "done" or worker.poll() is not None, "the first import")
        holder = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30)
        holder.execute("BEGIN EXCLUSIVE")  # another writer holds the lock for many of the worker's polls
        try:
            wait_for(lambda: worker.poll() is not None, "the worker to exit", timeout=6, every=0.2)
        except AssertionError:
            pass  # it did not exit: what we want
        finally:
            holder.rollback()
            holder.close()
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        second = int(in_django(env, f"queue_import({str(pop / 'households.csv')!r}, {str(pop / 'members.csv')!r})"))
        wait_for(lambda: _job(env, second)["state"] == "done" or worker.poll() is not None, "the second import")
        assert _job(env, second)["state"] == "done", (tmp_path / "worker.log").read_text()
    finally:
        _stop(worker)


def _supervised(parent: subprocess.Popen, log: Path, timeout: float = 240.0) -> int:
    def one():
        assert parent.poll() is None, log.read_text()
        pids = worker_children(parent.pid)
        return pids[0] if len(pids) == 1 else None

    return wait_for(one, "serve's worker", timeout=timeout)


def test_serve_restarts_a_dead_worker_and_sigterm_stops_both(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    log = tmp_path / "serve.log"
    serve = _start(env, "serve", "--port", str(free_port()), log=log)
    try:
        first = _supervised(serve, log)
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: (p := _supervised(serve, log)) != first and p, "a new worker")
        serve.send_signal(signal.SIGTERM)  # what a service manager sends
        serve.wait(timeout=90)
        assert serve.returncode == 0, log.read_text()
        wait_for(lambda: not pid_alive(second), "the worker to stop with serve", timeout=30)
        assert not pid_alive(first)
    finally:
        _stop(serve)


def test_demo_stopped_with_sigterm_stops_its_worker(subprocess_database, tmp_path):
    env = subprocess_database
    log = tmp_path / "demo.log"
    demo = _start(env, "demo", "--households", "30", "--port", str(free_port()), log=log)
    try:
        worker = _supervised(demo, log, timeout=400)
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=90)
        wait_for(lambda: not pid_alive(worker), "the demo's worker to stop", timeout=30)
    finally:
        _stop(demo)
