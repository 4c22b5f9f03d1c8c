"""Output paths are checked before any work: a folder, a file in the way, an existing file without
--force, or an impossible name give a message and exit 2, never a traceback or a silent overwrite."""

from __future__ import annotations

import pytest

from giamngheo.cli.main import main


def test_an_existing_output_file_is_kept_unless_force(tmp_path, capsys):
    out = tmp_path / "mau.xlsx"
    out.write_bytes(b"the operator's own file")
    assert main(["template", "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "đã có" in err and "already exists" in err
    assert out.read_bytes() == b"the operator's own file"
    assert main(["template", "--output", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"PK")  # an xlsx now


@pytest.mark.parametrize(
    "where, words",
    [
        ("folder", ("is a folder", "thư mục")),
        ("under-a-file", ("is not a folder", "không phải thư mục")),
        ("too-long", ("file error", "File name too long")),
    ],
)
def test_a_bad_output_path_says_why_without_a_traceback(tmp_path, capsys, where, words):
    (tmp_path / "a-file").write_text("x")
    out = {
        "folder": tmp_path,
        "under-a-file": tmp_path / "a-file" / "sub" / "r.csv",
        "too-long": tmp_path / ("x" * 300 + ".csv"),
    }[where]
    code = main(["classify", "--as-of", "2025-09-01", "--households", str(tmp_path / "h.csv"), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    for word in words:
        assert word in err, err
    assert "Traceback" not in err


def test_a_folder_export_refuses_to_overwrite_its_csv_files(tmp_path, capsys):
    (tmp_path / "members.csv").write_text("kept")
    assert main(["export", "--unit", "03880", "--output", str(tmp_path)]) == 2
    assert "members.csv" in capsys.readouterr().err
    assert (tmp_path / "members.csv").read_text() == "kept"


def test_every_command_with_an_output_file_takes_force():
    from giamngheo.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    with_output = [name for name, p in sub.choices.items() if any("--output" in a.option_strings for a in p._actions)]
    assert {"backup", "classify", "export", "report", "template", "survey-form", "whatif"} <= set(with_output)
    for name in with_output:
        assert any("--force" in a.option_strings for a in sub.choices[name]._actions), name
