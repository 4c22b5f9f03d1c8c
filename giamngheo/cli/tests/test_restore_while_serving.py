"""A restore while the server runs: refused unless --force (the server's connections, transactions and
cached report frames belong to the database being replaced); and a process that cached report frames
of several states serves the restored state's numbers after an OLDER backup is restored."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import polars as pl

from giamngheo.testing.serving import free_port, start_serve, stop

from .subprocess_helpers import run
from .test_backup_integrity import _address, _mark_first, _moved, _reader, _registry, _with_decisions


def test_restore_is_refused_while_serve_runs_unless_forced(subprocess_database, tmp_path):
    env = subprocess_database
    _registry(env, tmp_path, households=30)
    backup = tmp_path / "b.bak"
    assert run(env, "backup", "--output", str(backup)).returncode == 0
    _mark_first(env)
    port = free_port()
    server = start_serve(env, "--no-worker", port=port, stderr=subprocess.PIPE)
    markers = tmp_path / "serving"
    try:
        deadline = time.monotonic() + 240
        while not list(markers.glob("*.json")):
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.5)
        about = json.loads(next(markers.glob("*.json")).read_text())
        assert about["pid"] == server.pid and about["port"] == port
        done = run(env, "restore", str(backup))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "đang chạy" in done.stderr and f"serve pid {server.pid}" in done.stderr and "--force" in done.stderr
        assert _address(env) == "kept"  # nothing replaced
        done = run(env, "restore", str(backup), "--force")
        assert done.returncode == 0, done.stderr
        assert _address(env) != "kept"
    finally:
        stop(server)
    assert not list(markers.glob("*.json"))  # serve removes its marker when it stops
    assert run(env, "restore", str(backup)).returncode == 0


def test_a_killed_servers_marker_does_not_block_a_restore(settings, tmp_path):
    from giamngheo.core.worker import running_processes, serving_dir, serving_marker

    settings.DATA_DIR = tmp_path
    assert running_processes() == []
    with serving_marker(port=8000) as marker:
        assert running_processes() == [f"serve pid {os.getpid()} {socket.gethostname()}:8000"]
        dead = subprocess.Popen(["true"])
        dead.wait()
        shutil.copy(marker, serving_dir() / "stale.json")
        stale = json.loads((serving_dir() / "stale.json").read_text())
        (serving_dir() / "stale.json").write_text(json.dumps({**stale, "pid": dead.pid}))
        assert len(running_processes()) == 1  # the dead pid's marker is not counted
    assert not marker.exists()
    assert running_processes() == []


def test_report_cache_after_restoring_an_older_backup(subprocess_database, tmp_path):
    """A server process cached the frames of two later states; the older backup's state must be what
    it shows after the restore, not either cached state (the cache key must not repeat)."""
    env = subprocess_database
    _registry(env, tmp_path)
    households = _with_decisions(env, tmp_path)
    first = households.get_column("household_id")[0]
    original = households.filter(pl.col("household_id") == first).get_column("village")[0]
    older = tmp_path / "older.bak"
    with _reader(env, first) as read:
        before = read()  # the state the older backup holds is cached too
        assert run(env, "backup", "--output", str(older)).returncode == 0
        assert run(env, *_moved(tmp_path, households, first, "Ban A")).returncode == 0
        assert read() == "['Ban A']"
        assert run(env, *_moved(tmp_path, households, first, "Ban B")).returncode == 0
        assert read() == "['Ban B']"
        done = run(env, "restore", str(older))
        assert done.returncode == 0, done.stderr
        assert read() == before == str([original])
