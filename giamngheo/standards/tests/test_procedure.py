"""The review procedure as dated data: every value referenced and marked, the value in force on a
date, and a file that would let an unmarked value through is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamngheo.standards import procedure
from giamngheo.standards.params import UnknownStandardError
from giamngheo.standards.procedure import load_review_law, review_law

SEPT_2025 = dt.date(2025, 9, 10)


def test_every_value_has_a_reference_and_a_confidence_mark() -> None:
    law = review_law()
    assert set(law.parameters) >= {
        "periodic_window",
        "regular_review_day",
        "posting_working_days",
        "meeting_majority_percent.periodic",
        "meeting_majority_percent.regular",
        "form_a_reasons",
        "form_a_criteria",
        "causes",
        "needs",
    }
    for parameter in law.parameters.values():
        assert parameter.reference.strip(), parameter.name
        assert parameter.confidence in ("V", "S", "C", "B"), parameter.name


def test_the_values_of_decision_24_with_what_is_not_read_marked() -> None:
    law = review_law()
    assert law.periodic_window(SEPT_2025) == (dt.date(2025, 9, 1), dt.date(2025, 12, 14))
    assert law.regular_review_day(SEPT_2025) == 15
    assert law.posting_working_days(SEPT_2025) == 3
    assert law.meeting_majority_percent(SEPT_2025, "regular") == 50
    assert law.form_a_reasons(SEPT_2025) == ["request_01"]
    assert law.value("form_a_criteria", SEPT_2025) == []  # Appendix II of Circular 07/2021 not read
    # V only where the domain reference read the text; the rest is shown as unverified
    verified = {name for name, p in law.parameters.items() if p.verified}
    assert verified == {"periodic_window", "regular_review_day", "meeting_majority_percent.regular", "form_a_reasons"}


def test_the_majority_counts_whole_people_at_least_half() -> None:
    law = review_law()
    assert law.meeting_approves(10, 20, SEPT_2025, "regular")
    assert not law.meeting_approves(9, 20, SEPT_2025, "regular")
    assert law.meeting_approves(11, 21, SEPT_2025, "periodic") and not law.meeting_approves(
        10, 21, SEPT_2025, "periodic"
    )


def test_causes_and_needs_in_both_languages_with_the_same_codes() -> None:
    law = review_law()
    for name in ("causes", "needs"):
        vi, en = law.codes(name, SEPT_2025, "vi"), law.codes(name, SEPT_2025, "en")
        assert list(vi) == list(en) and all(vi.values()) and all(en.values())
        assert "other" in vi
    assert law.causes(SEPT_2025)["no_capital"] == "Thiếu vốn sản xuất"
    assert law.needs(SEPT_2025)["credit"] == "Tín dụng"


def test_a_later_dated_value_applies_from_its_date(tmp_path: Path) -> None:
    text = procedure.PROCEDURE_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "procedure.yaml"
    changed.write_text(text.replace("values: {2021-09-01: 3}", "values: {2021-09-01: 3, 2026-01-01: 5}"), "utf-8")
    law = load_review_law(changed)
    assert law.posting_working_days(dt.date(2025, 12, 31)) == 3
    assert law.posting_working_days(dt.date(2026, 1, 1)) == 5


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            "    confidence: B\n  meeting_majority_percent:",
            "    confidence: E\n  meeting_majority_percent:",
            "confidence",
        ),
        (
            "    reference: Quyết định 24/2021/QĐ-TTg, Điều 3\n    confidence: V\n  regular",
            "    reference: ' '\n    confidence: V\n  regular",
            "reference",
        ),
    ],
)
def test_a_value_without_a_mark_or_a_reference_is_refused(tmp_path: Path, old: str, new: str, match: str) -> None:
    text = procedure.PROCEDURE_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "procedure.yaml"
    broken.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(UnknownStandardError, match=match):
        load_review_law(broken)


def test_an_unknown_name_is_an_error_not_a_silent_default() -> None:
    with pytest.raises(UnknownStandardError, match="posting_days"):
        review_law().value("posting_days", SEPT_2025)
    with pytest.raises(UnknownStandardError):
        review_law().meeting_majority_percent(SEPT_2025)  # given per kind of round: the kind is needed
