"""Files with personal data under the data folder are the service user's only (0600 in 0700 folders)."""

from __future__ import annotations

import os
import stat

import polars as pl
import pytest

from giamngheo.cli.tests.subprocess_helpers import run
from giamngheo.core.atomic import atomic_output


def _open_to_others(folder) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            mode = os.lstat(os.path.join(root, name)).st_mode
            if not stat.S_ISLNK(mode) and mode & 0o077:
                found.append(f"{os.path.relpath(os.path.join(root, name), folder)} {oct(mode & 0o777)}")
    return found


def test_the_commands_create_only_private_files_and_init_closes_up_an_old_folder(subprocess_database, tmp_path):
    env = subprocess_database  # GIAMNGHEO_DATA_DIR is tmp_path
    old = tmp_path / "old-export" / "households.csv"
    old.parent.mkdir()
    old.write_text("household_id\n", encoding="utf-8")
    old.chmod(0o644)
    old.parent.chmod(0o755)
    tmp_path.chmod(0o755)
    assert run(env, "init").returncode == 0
    pop = tmp_path / "pop"
    assert run(env, "synth", "--province", "14", "--households", "40", "--seed", "2", "--out", str(pop)).returncode == 0
    assert run(env, "load", str(pop)).returncode == 0
    code = pl.read_parquet(pop / "households.parquet").item(0, "admin_code")
    exported = run(env, "export", "--unit", code, "--output", str(tmp_path / "exports" / "x.xlsx"), "--reason", "r")
    assert exported.returncode == 0, exported.stderr
    assert (
        run(env, "export", "--unit", code, "--output", str(tmp_path / "exports" / "csv"), "--reason", "r").returncode
        == 0
    )
    assert (tmp_path / "exports" / "x.xlsx").is_file() and (tmp_path / "exports" / "csv" / "members.csv").is_file()
    if not env["DATABASE_URL"].startswith("postgres"):
        assert (tmp_path / "db.sqlite3").is_file()
    assert _open_to_others(tmp_path) == []
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700


def test_uploaded_photos_are_private(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("review/photos/H1-1.jpg", ContentFile(b"\xff\xd8 a photo"))
    assert stat.S_IMODE((tmp_path / "media" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "media" / "review" / "photos").stat().st_mode) == 0o700


def test_an_atomic_output_is_private_and_leaves_nothing_when_it_fails(tmp_path):
    with atomic_output(tmp_path / "a.csv") as tmp:
        tmp.write_text("x", encoding="utf-8")
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == 0o600
    with pytest.raises(RuntimeError), atomic_output(tmp_path / "b.csv") as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
