"""An edit committed while an import runs is not lost (finding 11.22).

The import is paused between reading the existing rows and writing them (a fault point); an
editor then changes a field the file does not change. Before the fix the edit committed at once
and the import's UPDATE wrote the file's whole row over it. Now the import holds the file's
households from before its read: the edit waits, and lands after the import.
"""

import json
import subprocess
import sys
import time

import polars as pl
import pytest

from giamngheo.cli.tests.subprocess_helpers import django_exec, run
from giamngheo.synth.population import synthesize

EDIT = {
    # fault point: what the editor runs while the import waits there
    "households_read": "from giamngheo.registry.services import household_update; "
    "household_update(actor=system_user(), household=Household.objects.get(household_id=HID), "
    "latrine='none')",
    "members_read": "from giamngheo.registry.services import member_update; "
    "member_update(actor=system_user(), member=Member.objects.get(member_id=MID), in_school=True)",
}


def _python(env, code: str) -> subprocess.Popen:
    prelude = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); import django; "
        "django.setup(); from giamngheo.accounts.services import system_user; "
        "from giamngheo.registry.models import Household, Member; "
    )
    return subprocess.Popen(
        [sys.executable, "-c", prelude + code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("fault", list(EDIT))
def test_an_edit_committed_during_an_import_is_not_overwritten(subprocess_database, tmp_path, fault):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    hh, mem = synthesize("14", 30, seed=5)
    hh = hh.with_columns(pl.lit("septic").cast(hh.schema["latrine"]).alias("latrine"))
    mem = mem.with_columns(pl.lit(False).alias("in_school"))
    hh.write_parquet(tmp_path / "households.parquet")
    mem.write_parquet(tmp_path / "members.parquet")
    files = ["--households", str(tmp_path / "households.parquet"), "--members", str(tmp_path / "members.parquet")]
    first = run(env, "import", *files)
    assert first.returncode == 0, first.stderr
    hid, mid = (
        hh.item(0, "household_id"),
        mem.filter(pl.col("household_id") == hh.item(0, "household_id")).item(0, "member_id"),
    )
    # the second file changes the household's income and the member's name, not latrine or in_school
    hh.with_columns(
        pl.when(pl.col("household_id") == hid)
        .then(111_111)
        .otherwise(pl.col("income_per_capita_month"))
        .alias("income_per_capita_month")
    ).write_parquet(tmp_path / "households.parquet")
    mem.with_columns(
        pl.when(pl.col("member_id") == mid).then(pl.lit("Lò Thị Mới")).otherwise(pl.col("full_name")).alias("full_name")
    ).write_parquet(tmp_path / "members.parquet")

    marker, resume = tmp_path / "paused", tmp_path / "resume"
    paused = {
        **env,
        "GIAMNGHEO_FAULT_PAUSE": fault,
        "GIAMNGHEO_FAULT_MARKER": str(marker),
        "GIAMNGHEO_FAULT_RESUME": str(resume),
    }
    loader = subprocess.Popen(
        [sys.executable, "-m", "giamngheo.cli.main", "import", *files],
        env=paused,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert loader.poll() is None, loader.stderr.read()
        assert time.monotonic() < deadline, "the import never reached the fault point"
        time.sleep(0.05)
    editor = _python(env, f"HID, MID = {hid!r}, {mid!r}; print('ready', flush=True); " + EDIT[fault])
    assert editor.stdout.readline().strip() == "ready", editor.stderr.read()  # Django is up: the edit starts
    try:
        editor.wait(timeout=3)
        edit_waited = False
    except subprocess.TimeoutExpired:
        edit_waited = True
    resume.write_text("go")
    assert loader.wait(timeout=120) == 0, loader.stderr.read()
    assert editor.wait(timeout=60) == 0, editor.stderr.read()

    state = json.loads(
        django_exec(
            env,
            (
                "import json; from giamngheo.registry.models import Household, Member; "
                f"h = Household.objects.get(household_id={hid!r}); m = Member.objects.get(member_id={mid!r}); "
                "print(json.dumps([h.latrine, h.income_per_capita_month, h.version, m.in_school, m.full_name, "
                "[x.history_type for x in h.history.order_by('history_date')], "
                "[x.in_school for x in m.history.order_by('history_date')]]))"
            ),
        )
    )
    latrine, income, version, in_school, name, hh_history, mem_history = state
    assert (income, name) == (111_111, "Lò Thị Mới")  # the import's changes
    if fault == "households_read":
        assert latrine == "none" and version == 3 and hh_history == ["+", "~", "~"]
    else:
        assert in_school is True and mem_history == [False, False, True]
    assert edit_waited  # it waited for the import instead of slipping in between its read and write
