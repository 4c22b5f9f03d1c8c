"""`giamngheo check` reports a review YAML that does not load (an edit of the law gone wrong)."""

from __future__ import annotations

from giamngheo.classification.checks import review_law_load
from giamngheo.standards import procedure


def test_the_system_check_reports_a_broken_review_yaml(tmp_path, monkeypatch):
    assert review_law_load(None) == []
    broken = tmp_path / "procedure.yaml"
    text = procedure.PROCEDURE_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("    confidence: B\n  meeting", "    confidence: X\n  meeting", 1), "utf-8")
    monkeypatch.setattr(procedure, "PROCEDURE_FILE", broken)
    (error,) = review_law_load(None)
    assert error.id == "giamngheo.E010" and "posting_working_days" in error.msg
