"""Ctrl-C in the middle of writing an export leaves no partial file, and nothing is audited."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from giamngheo.cli.main import main
from giamngheo.core.models import AuditEvent
from giamngheo.synth.population import synthesize

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    hh, members = synthesize("14", 60, seed=3)
    hh.write_parquet(tmp_path / "households.parquet")
    members.write_parquet(tmp_path / "members.parquet")
    assert main(["load", str(tmp_path)]) == 0
    return hh.item(0, "admin_code")


def _interrupt_on_sheet(monkeypatch, sheet: str):
    """Ctrl-C arrives while `sheet` is being written (after the sheets before it)."""
    original = pl.DataFrame.write_excel

    def write_excel(self, workbook=None, worksheet=None, **kwargs):
        if worksheet == sheet:
            if isinstance(workbook, str | Path):  # written straight to a file: half of it is there
                Path(workbook).write_bytes(b"PK\x03\x04 half a workbook")
            raise KeyboardInterrupt
        return original(self, workbook, worksheet, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_excel", write_excel)


@pytest.mark.parametrize(("kind", "sheet"), [("registry", "members"), ("population", "population")])
def test_ctrl_c_during_an_xlsx_export_leaves_no_file_and_no_audit(tmp_path, monkeypatch, loaded, kind, sheet):
    out = tmp_path / "out" / "x.xlsx"
    _interrupt_on_sheet(monkeypatch, sheet)
    with pytest.raises(KeyboardInterrupt):
        main(["export", "--unit", loaded, "--kind", kind, "--output", str(out), "--reason", "kiểm tra"])
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no temporary file left either
    assert not AuditEvent.objects.filter(verb__startswith="registry.export").exists()


def test_an_existing_export_is_kept_whole_when_the_new_one_is_interrupted(tmp_path, monkeypatch, loaded):
    out = tmp_path / "x.xlsx"
    assert main(["export", "--unit", loaded, "--output", str(out), "--reason", "lần 1"]) == 0
    before = out.read_bytes()
    _interrupt_on_sheet(monkeypatch, "members")
    with pytest.raises(KeyboardInterrupt):
        main(["export", "--unit", loaded, "--output", str(out), "--reason", "lần 2", "--force"])
    assert out.read_bytes() == before
    assert pl.read_excel(out, sheet_name="members").height > 0


def test_csv_folder_export_interrupted_writes_neither_file(tmp_path, monkeypatch, loaded):
    out = tmp_path / "folder"
    original = pl.DataFrame.write_csv
    calls = []

    def write_csv(self, file=None, **kwargs):
        calls.append(file)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, file, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_csv", write_csv)
    with pytest.raises(KeyboardInterrupt):
        main(["export", "--unit", loaded, "--output", str(out), "--reason", "kiểm tra"])
    assert sorted(p.name for p in out.iterdir()) == []
