"""How long a first import holds SQLite's write lock, and what happens to a web edit made meanwhile.

    python benchmarks/import_lock.py [--households 3000]

A fresh SQLite database gets a small commune (the household a web user edits), then `giamngheo
import` of a new commune of N households (CSV, written untimed) runs in a child process. Meanwhile
two threads of this process watch:

- a lock probe: every 0.1 s, `BEGIN IMMEDIATE` with no busy timeout on its own connection; the
  windows in which it is refused are the times the import holds the write lock;
- a web edit: every 0.5 s, `household_update` of the small commune's household through the app's
  own connection settings (WAL, `busy_timeout` = GIAMNGHEO_SQLITE_BUSY_MS, 10 s by default),
  timed; a "database is locked" is counted as a failure (a web user would see an error page).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=3_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="giamngheo-lock-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GIAMNGHEO_DATA_DIR"] = str(tmp)
    env["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
    env.setdefault("GIAMNGHEO_IMPORT_MAX_FILE_MB", "500")  # a province-sized CSV is past the web upload limit
    cli = [sys.executable, "-m", "giamngheo.cli.main"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*cli, "synth", "--province", "14", "--households", "20", "--seed", "1", "--out", str(tmp / "small")],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([*cli, "load", str(tmp / "small")], env=env, check=True, capture_output=True)
    from giamngheo.synth.population import synthesize

    hh, members = synthesize("40", args.households, seed=8)
    hh.write_csv(tmp / "households.csv")
    members.write_csv(tmp / "members.csv")
    print(f"{hh.height:,} households, {members.height:,} members (province 40), first import into a fresh database")

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import OperationalError, connection

    from giamngheo.accounts.services import system_user
    from giamngheo.registry.models import Household
    from giamngheo.registry.services import household_update

    stop = threading.Event()
    windows: list[float] = []
    edits: list[tuple[float, str]] = []

    def probe() -> None:
        con = sqlite3.connect(tmp / "db.sqlite3", timeout=0, isolation_level=None)
        held_since = None
        while not stop.is_set():
            try:
                con.execute("BEGIN IMMEDIATE")
                con.execute("ROLLBACK")
                if held_since is not None:
                    windows.append(time.perf_counter() - held_since)
                    held_since = None
            except sqlite3.OperationalError:
                held_since = held_since or time.perf_counter()
            time.sleep(0.1)
        if held_since is not None:
            windows.append(time.perf_counter() - held_since)
        con.close()

    def edit() -> None:
        actor = system_user()
        target = Household.objects.order_by("pk").first()
        n = 0
        while not stop.is_set():
            n += 1
            t = time.perf_counter()
            try:
                household_update(actor=actor, household=target, address=f"sửa {n}")
                edits.append((time.perf_counter() - t, "ok"))
            except OperationalError as exc:
                edits.append((time.perf_counter() - t, str(exc)))
            time.sleep(0.5)
        connection.close()

    threads = [threading.Thread(target=probe), threading.Thread(target=edit)]
    started = time.perf_counter()
    importer = subprocess.Popen(
        [*cli, "import", "--households", str(tmp / "households.csv"), "--members", str(tmp / "members.csv")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for thread in threads:
        thread.start()
    out, err = importer.communicate()
    seconds = time.perf_counter() - started
    time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join()
    status = "ok" if importer.returncode == 0 else f"FAILED: {err[-300:]}"
    print(f"  import: {seconds:.1f} s end to end, {status}")
    print(
        f"  write lock held: longest {max(windows, default=0):.1f} s, in all {sum(windows):.1f} s "
        f"({len(windows)} windows of 0.1 s probes)"
    )
    ok = [s for s, what in edits if what == "ok"]
    failed = [(s, what) for s, what in edits if what != "ok"]
    print(
        f"  web edits during the import: {len(ok)} saved (longest wait {max(ok, default=0):.1f} s), "
        f"{len(failed)} failed" + (f" ({failed[0][1]!r} after {failed[0][0]:.1f} s)" if failed else "")
    )


if __name__ == "__main__":
    main()
