"""The background worker (django-tasks-db) made to survive: it retries when SQLite says `database
is locked` instead of exiting, it leaves a heartbeat file while it lives, and it ends the jobs of
workers that died (kill -9, power cut) with a message instead of leaving them "running 45 %".

Heartbeats are files in the data folder, not rows: a beat must never wait for the database lock a
long import holds. The web app and the worker share the data folder already (uploads, documents).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("giamngheo.worker")

BEAT_SECONDS = 5.0
STALE_SECONDS = 60.0  # a worker whose beat is older than this is dead (another host, a frozen process)
SWEEP_EVERY = 3  # beats
ABANDONED_VI = "Tiến trình nền đã dừng giữa chừng (máy chủ tắt hoặc bị dừng); hãy chạy lại"
ABANDONED_EN = "the background worker stopped during this job (server stopped or killed); run it again"
ABANDONED = f"{ABANDONED_VI} / {ABANDONED_EN}"

# task path -> what to do with the job row of a task whose worker died: handler(args, message)
_abandon_handlers: dict[str, Callable[[list, str], None]] = {}


def on_abandoned(task) -> Callable:
    """Register how a task's own progress row is ended when its worker dies mid-job."""

    def register(handler: Callable[[list, str], None]) -> Callable[[list, str], None]:
        _abandon_handlers[task.module_path] = handler
        return handler

    return register


_housekeeping: list[Callable[[], object]] = []
HOUSEKEEPING_SECONDS = 3600.0


def on_housekeeping(fn: Callable[[], object]) -> Callable[[], object]:
    """Register work the worker does now and then (deleting files past their retention)."""
    _housekeeping.append(fn)
    return fn


def housekeeping() -> None:
    for fn in _housekeeping:
        try:
            retry_locked(fn)
        except Exception:  # noqa: BLE001 - one failing chore must not stop the others
            logger.warning("housekeeping %s failed", fn, exc_info=True)


def retry_locked(fn: Callable, *args, attempts: int = 60, **kwargs):
    """Run `fn`, waiting and retrying while the database is locked (SQLite under a long write)."""
    for attempt in range(attempts):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if not is_locked_database_exception(exc) or attempt == attempts - 1:
                raise
            logger.warning("database is locked; retrying (%s)", getattr(fn, "__name__", fn))
            close_old_connections()
            time.sleep(min(0.5 * (attempt + 1), 5.0))
    return None  # unreachable


def beats_dir() -> Path:
    return Path(settings.DATA_DIR) / "workers"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) is dead
        return " Z " not in Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1][:4]
    except (OSError, IndexError):
        return True


def serving_dir() -> Path:
    return Path(settings.DATA_DIR) / "serving"


@contextlib.contextmanager
def serving_marker(**about) -> Iterator[Path]:
    """A file in the data folder while `serve` runs (its pid, host and port): a restore refuses to
    replace the database under a running server. Removed when serve stops; a kill -9 leaves it, and
    then its dead pid tells it apart from a running server."""
    folder = serving_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{socket.gethostname()}-{os.getpid()}.json"
    path.write_text(
        json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time(), **about}),
        encoding="utf-8",
    )
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def running_processes() -> list[str]:
    """What is using the database from this data folder now: running `serve`s (a marker whose process
    lives, or that another host wrote) and workers with a fresh beat, each described in a few words."""
    found = []
    for path in sorted(serving_dir().glob("*.json")) if serving_dir().is_dir() else []:
        try:
            about = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        pid = int(about.get("pid", 0))
        if about.get("host") == socket.gethostname() and not _pid_alive(pid):
            continue  # killed without its cleanup: not running
        found.append(f"serve pid {pid} {about.get('host', '?')}:{about.get('port', '?')}")
    for path in sorted(beats_dir().glob("*.json")) if beats_dir().is_dir() else []:
        if worker_alive(path.stem):
            try:
                worker_pid = str(json.loads(path.read_text(encoding="utf-8")).get("pid", "?"))
            except (OSError, ValueError):
                worker_pid = "?"
            found.append(f"worker pid {worker_pid}")
    return found


def worker_alive(worker_id: str, now: float | None = None) -> bool:
    """Alive: its beat is fresh and, on this host, its process exists (a reused pid alone is not
    enough, and a frozen process stops beating)."""
    path = beats_dir() / f"{worker_id}.json"
    try:
        beat = json.loads(path.read_text(encoding="utf-8"))
        age = (now or time.time()) - path.stat().st_mtime
    except (OSError, ValueError):
        return False
    if beat.get("host") == socket.gethostname() and not _pid_alive(int(beat.get("pid", 0))):
        return False
    return age < STALE_SECONDS


def sweep_abandoned(message: str = ABANDONED) -> int:
    """End the tasks (and their job rows) of workers that are gone; returns how many."""
    ended = 0
    grace = timezone.now() - dt.timedelta(seconds=STALE_SECONDS)
    for result in DBTaskResult.objects.filter(status="RUNNING").order_by("enqueued_at"):
        worker_id = (result.worker_ids or [""])[-1]
        if worker_alive(worker_id):
            continue
        if not (beats_dir() / f"{worker_id}.json").exists() and result.started_at and result.started_at > grace:
            continue  # a worker without a beat file (plain db_worker) gets the grace period
        updated = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="giamngheo.core.worker.WorkerDied",
            traceback=message,
            return_value=None,
        )
        if not updated:
            continue
        handler = _abandon_handler(result.task_path)
        if handler is not None:
            handler(result.args_kwargs.get("args", []), message)
        logger.warning("ended task %s of dead worker %s", result.pk, worker_id)
        ended += 1
    running_on = {
        (r or [""])[-1] for r in DBTaskResult.objects.filter(status="RUNNING").values_list("worker_ids", flat=True)
    }
    for path in beats_dir().glob("*.json"):  # the beat files of dead workers
        if path.stem not in running_on and not worker_alive(path.stem):
            path.unlink(missing_ok=True)
    return ended


def _abandon_handler(task_path: str):
    if task_path not in _abandon_handlers:
        try:
            import_string(task_path)  # importing the tasks module registers its handler
        except ImportError:
            return None
    return _abandon_handlers.get(task_path)


class Heartbeat(threading.Thread):
    """Touches the worker's beat file every few seconds and, every few beats, sweeps."""

    def __init__(self, worker_id: str):
        super().__init__(name="giamngheo-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.path = beats_dir() / f"{worker_id}.json"
        self.stopped = threading.Event()

    def beat(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {"worker_id": self.worker_id, "pid": os.getpid(), "host": socket.gethostname(), "beat": time.time()}
            ),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)

    def run(self) -> None:
        n, chores = 0, time.monotonic() + HOUSEKEEPING_SECONDS
        while not self.stopped.wait(BEAT_SECONDS):
            self.beat()
            n += 1
            if n % SWEEP_EVERY == 0:
                try:
                    sweep_abandoned()
                except Exception:  # noqa: BLE001 - a locked database now is fine: next time
                    logger.warning("sweep of abandoned jobs failed; will retry", exc_info=True)
                finally:
                    connection.close()
            if time.monotonic() > chores:
                housekeeping()
                connection.close()
                chores = time.monotonic() + HOUSEKEEPING_SECONDS

    def stop(self) -> None:
        self.stopped.set()
        self.path.unlink(missing_ok=True)


class ResilientWorker(Worker):
    """django-tasks-db's worker, retrying on a locked database instead of exiting, and writing a
    task's outcome even when the database is busy (else it would stay "running")."""

    def run(self) -> None:
        while self.running:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                logger.warning("database is locked; the worker waits and goes on")
                close_old_connections()
                time.sleep(self.interval or 0.5)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        set_successful, set_failed = db_task_result.set_successful, db_task_result.set_failed
        db_task_result.set_successful = lambda value: retry_locked(set_successful, value)
        db_task_result.set_failed = lambda exc: retry_locked(set_failed, exc)
        super().run_task(db_task_result)


def run_worker(*, interval: float = 0.5, max_tasks: int | None = None) -> None:
    """Run until SIGTERM/SIGINT: first the jobs of dead workers are ended, then queued jobs run."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")  # every app's tasks, with their abandon handlers and chores
    worker_id = get_random_string(32)
    heartbeat = Heartbeat(worker_id)
    heartbeat.beat()
    retry_locked(sweep_abandoned)
    housekeeping()
    connection.close()
    worker = ResilientWorker(
        queue_names=["default"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    heartbeat.start()
    try:
        worker.run()
    finally:
        heartbeat.stop()
