"""The review's law is the YAML's (standards/data/review/procedure.yaml): changing a value there
changes what a round does, with no change of Python, and the pages say what is unverified."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.core.errors import ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review import services as review
from giamngheo.review.models import Listed, RoundStep
from giamngheo.standards import procedure

from .test_round import COMMUNE, NEAR_FACTS, POOR_FACTS, RICH_FACTS, SEPT, households, people, run_round  # noqa: F401

pytestmark = pytest.mark.django_db
FACTS = [POOR_FACTS, NEAR_FACTS, RICH_FACTS]


@pytest.fixture
def law_yaml(tmp_path, monkeypatch):
    """Edit a copy of the review YAML as text (old -> new) and make it the law of the app."""
    text = procedure.PROCEDURE_FILE.read_text(encoding="utf-8")
    path = tmp_path / "procedure.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(procedure, "PROCEDURE_FILE", path)

    def edit(old: str, new: str) -> None:
        current = path.read_text(encoding="utf-8")
        assert current.count(old) == 1, old
        path.write_text(current.replace(old, new), encoding="utf-8")
        procedure.load_review_law.cache_clear()

    yield edit
    procedure.load_review_law.cache_clear()


def test_changing_the_posting_days_in_the_yaml_changes_the_posting_end(people, households, law_yaml, client):  # noqa: F811
    # SEPT is a Wednesday: 3 working days end on Friday; from 2025 the edited YAML says 5 (until Tuesday)
    law_yaml("values: {2021-09-01: 3}", "values: {2021-09-01: 3, 2025-01-01: 5}")
    r = run_round(people, households, FACTS, recognise=False)
    assert r.posting_start == SEPT and r.posting_end == dt.date(2025, 9, 16)
    client.force_login(people["official"])
    assert "5 ngày làm việc: chưa kiểm chứng" in client.get(f"/ra-soat/{r.pk}/").content.decode()


def test_the_posting_days_of_the_round_s_reference_date_apply(people, households, law_yaml):  # noqa: F811
    law_yaml("values: {2021-09-01: 3}", "values: {2021-09-01: 3, 2026-01-01: 5}")  # not yet in force on SEPT
    r = run_round(people, households, FACTS, recognise=False)
    assert r.posting_end == dt.date(2025, 9, 12)


def test_a_posting_period_marked_v_in_the_yaml_is_shown_without_the_unverified_tag(
    people,  # noqa: F811
    households,  # noqa: F811
    law_yaml,
    client,
):
    law_yaml("    confidence: B\n  meeting_majority_percent:", "    confidence: V\n  meeting_majority_percent:")
    r = run_round(people, households, FACTS, recognise=False)
    client.force_login(people["official"])
    page = client.get(f"/ra-soat/{r.pk}/").content.decode()
    assert "Niêm yết" in page and "ngày làm việc: chưa kiểm chứng" not in page


def test_the_meeting_majority_comes_from_the_yaml(people, households, law_yaml):  # noqa: F811
    # 11 of 20 agree: approved at 50 %, sent back to survey when the periodic review's rule says 60 %
    law_yaml(
        "    periodic:\n      values: {2021-09-01: 50}", "    periodic:\n      values: {2021-09-01: 50, 2025-01-01: 60}"
    )
    with pytest.raises(ServiceError):  # the household never gets the meeting's approval, so posting cannot start
        run_round(people, households, FACTS, agree={h.household_id: 11 for h in households}, recognise=False)
    assert set(Listed.objects.values_list("state", flat=True)) == {Listed.State.TO_SURVEY}


def test_the_periodic_window_and_the_regular_day_come_from_the_yaml(people, law_yaml):  # noqa: F811
    commune = unit_by_code(COMMUNE)
    law_yaml("values: {2021-09-01: 15}", "values: {2021-09-01: 15, 2025-01-01: 20}")
    with pytest.raises(ServiceError, match="ngày 20"):
        review.round_open(
            actor=people["official"], commune=commune, kind="regular", reference_date=SEPT, on=dt.date(2025, 10, 18)
        )
    law_yaml('{from: "09-01", to: "12-14"}', '{from: "09-01", to: "12-14"}, 2025-06-01: {from: "09-01", to: "12-20"}')
    with clock.fixed(dt.date(2025, 12, 18)):
        r = review.round_open(
            actor=people["official"], commune=commune, kind="periodic", reference_date=SEPT, on=dt.date(2025, 12, 18)
        )
    assert r.step == RoundStep.LISTING
