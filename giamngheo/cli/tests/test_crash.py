"""An import killed with SIGKILL in the middle of writing leaves the database as it was, and can be re-run."""

import os
import signal
import subprocess
import sys
import time

from .subprocess_helpers import count, run


def test_sigkill_mid_import_changes_nothing_and_the_import_can_be_rerun(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    assert (
        run(
            env, "synth", "--province", "14", "--households", "2000", "--seed", "4", "--out", str(tmp_path / "pop")
        ).returncode
        == 0
    )
    marker = tmp_path / "paused"
    faulty = {**env, "GIAMNGHEO_FAULT_PAUSE": "households_written", "GIAMNGHEO_FAULT_MARKER": str(marker)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "giamngheo.cli.main",
            "import",
            "--households",
            str(tmp_path / "pop" / "households.parquet"),
            "--members",
            str(tmp_path / "pop" / "members.parquet"),
        ],
        env=faulty,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the import never reached the fault point"
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)  # 2,000 households are written, not yet committed
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    for table in ("registry_household", "registry_member", "registry_historicalhousehold", "core_auditevent"):
        assert count(env, table) == 0, table
    done = run(
        env,
        "import",
        "--households",
        str(tmp_path / "pop" / "households.parquet"),
        "--members",
        str(tmp_path / "pop" / "members.parquet"),
    )
    assert done.returncode == 0, done.stderr
    assert count(env, "registry_household") == 2000
