"""Run inside a subprocess against the test's database: queue real jobs, read their rows back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def in_django(env: dict, call: str) -> str:
    """Call one function of this module with Django set up against `env`'s database; its printout."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); import django; "
        f"django.setup(); from giamngheo.cli.tests import worker_helpers as h; h.{call}"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def queue_import(households: str, members: str) -> None:
    """An import as the web app queues it (the administrator, the first row's commune); prints its id."""
    from django.core.files import File

    from giamngheo.accounts.services import system_user
    from giamngheo.exchange.services import import_request
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.standards.reading import read_table

    code = read_table(Path(households), "households").item(0, "admin_code")
    with open(households, "rb") as hh, open(members, "rb") as mem:
        job = import_request(
            actor=system_user(),
            commune=unit_by_code(code),
            households_upload=File(hh, name=Path(households).name),
            members_upload=File(mem, name=Path(members).name),
        )
    print(job.pk)


def import_job(job_id: int) -> None:
    from django_tasks_db.models import DBTaskResult

    from giamngheo.exchange.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    tasks = [
        t.status
        for t in DBTaskResult.objects.all()
        if t.args_kwargs.get("args") == [job_id] and t.task_path.endswith("run_import")
    ]
    print(
        json.dumps(
            {
                "state": job.state,
                "summary": job.summary,
                "percent": job.percent,
                "tasks": tasks,
                "households_path": job.households_path,
            }
        )
    )


def wait_for(predicate, what: str, timeout: float = 180.0, every: float = 0.5):
    """Poll until `predicate()` is truthy (a loaded 2-core machine gets generous timeouts)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def worker_pids(data_dir: Path) -> list[int]:
    pids = []
    for path in (data_dir / "workers").glob("*.json"):
        try:
            pids.append(int(json.loads(path.read_text(encoding="utf-8"))["pid"]))
        except (OSError, ValueError, KeyError):
            continue
    return [p for p in pids if pid_alive(p)]


def worker_children(parent: int) -> list[int]:
    """The live `giamngheo worker` processes whose parent is `parent` (read from /proc)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat_file.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z" and b"worker" in cmdline and b"giamngheo.cli.main" in cmdline:
            found.append(int(stat_file.parent.name))
    return found
