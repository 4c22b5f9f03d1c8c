"""What a complaint upheld at re-check does to the round, and requests recorded while a round is open."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.core.errors import ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review import services as review
from giamngheo.review.models import Listed, Request, ReviewRound, RoundStep, Status
from giamngheo.review.tests.test_round import COMMUNE, NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from .test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _at_posting(people, households):  # noqa: F811
    """A round of three households (poor, near poor, other) approved by their meeting and posted from
    10/09/2025 to 12/09/2025."""
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    ReviewRound.objects.filter(pk=r.pk).update(step=RoundStep.POSTING)
    r.refresh_from_db()
    return r


def test_an_upheld_complaint_sends_the_household_back_to_survey_and_never_to_recognition_unchanged(
    people,  # noqa: F811
    households,  # noqa: F811
):
    r = _at_posting(people, households)
    poor = r.listed.get(household__household_id="H0")
    assert poor.state == Listed.State.APPROVED and poor.classification.category == "poor"
    with clock.fixed(dt.date(2025, 9, 11)):
        complaint = review.complaint_record(
            actor=people["reviewer"], listed=poor, received_on=dt.date(2025, 9, 11), content="Hộ mới mua ô tô"
        )
        review.complaint_recheck(
            actor=people["official"],
            complaint=complaint,
            recheck_on=dt.date(2025, 9, 11),
            outcome="Đúng, hộ có ô tô và thu nhập cao",
            upheld=True,
        )
    poor.refresh_from_db()
    assert poor.state == Listed.State.TO_SURVEY  # its approval is withdrawn
    with pytest.raises(ServiceError, match="khiếu nại có cơ sở chưa được rà soát lại"):
        review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=dt.date(2025, 9, 15))
    r.refresh_from_db()
    assert r.step == RoundStep.POSTING
    # the re-check's survey during posting gives the result that is recognised
    with clock.fixed(dt.date(2025, 9, 12)):
        review.form_b_record(
            actor=people["reviewer"], listed=poor, household_facts=RICH_FACTS, member_facts={}, causes=[], needs=[]
        )
    poor.refresh_from_db()
    assert poor.state == Listed.State.APPROVED and poor.classification.category == "other"
    r = review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=dt.date(2025, 9, 15))
    with clock.fixed(dt.date(2025, 9, 15)):
        review.round_recognise(
            actor=people["chair"], review_round=r, decision_number="9/QĐ-UBND", decision_date=dt.date(2025, 9, 15)
        )
    statuses = {s.household.household_id: s.category for s in Status.objects.filter(review_round=r)}
    assert statuses == {"H0": "other", "H1": "near_poor", "H2": "other"}


def test_a_complaint_not_upheld_keeps_the_result_and_is_rechecked_once(people, households):  # noqa: F811
    r = _at_posting(people, households)
    near = r.listed.get(household__household_id="H1")
    with clock.fixed(dt.date(2025, 9, 11)):
        complaint = review.complaint_record(
            actor=people["reviewer"], listed=near, received_on=dt.date(2025, 9, 11), content="Hộ có xe máy mới"
        )
        review.complaint_recheck(
            actor=people["official"],
            complaint=complaint,
            recheck_on=dt.date(2025, 9, 11),
            outcome="Xe mượn",
            upheld=False,
        )
        with pytest.raises(ServiceError, match="đã được phúc tra"):  # a second answer would overwrite the first
            review.complaint_recheck(
                actor=people["official"], complaint=complaint, recheck_on=dt.date(2025, 9, 11), outcome="x", upheld=True
            )
        with pytest.raises(ServiceError, match="chỉ làm ở bước"):  # Form B is for the households sent back only
            review.form_b_record(
                actor=people["reviewer"], listed=near, household_facts=RICH_FACTS, member_facts={}, causes=[], needs=[]
            )
    near.refresh_from_db()
    assert near.state == Listed.State.APPROVED and near.classification.category == "near_poor"
    review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=dt.date(2025, 9, 15))


def test_requests_recorded_while_a_round_is_open_join_it(people, households):  # noqa: F811
    commune = unit_by_code(COMMUNE)
    h0, h1, h2 = households
    with clock.fixed(dt.date(2025, 9, 10)):
        review.request_record(
            actor=people["reviewer"], household=h0, form="01", received_on=dt.date(2025, 9, 10), channel="post"
        )
        r = review.round_open(
            actor=people["official"], commune=commune, kind="periodic", reference_date=dt.date(2025, 9, 10)
        )
        assert list(r.listed.values_list("household__household_id", flat=True)) == ["H0"]
        r = review.round_advance(actor=people["official"], review_round=r, from_step="listing")
        # a Mẫu 01 while the households are surveyed: on the list at once, waiting for Form A
        late = review.request_record(
            actor=people["reviewer"], household=h1, form="01", received_on=dt.date(2025, 9, 10), channel="online"
        )
        assert late.review_round_id == r.pk
        joined = r.listed.get(household=h1)
        assert (joined.reason, joined.state, joined.form_a_passed) == ("request_01", "to_survey", None)
        # a request of a household already listed joins the round without listing it twice
        again = review.request_record(
            actor=people["reviewer"], household=h0, form="04", received_on=dt.date(2025, 9, 10), channel="post"
        )
        assert again.review_round_id == r.pk and r.listed.filter(household=h0).count() == 1
    # too late for this round (posting): it waits for the next one, which takes it
    ReviewRound.objects.filter(pk=r.pk).update(step=RoundStep.POSTING)
    with clock.fixed(dt.date(2025, 9, 20)):
        waiting = review.request_record(
            actor=people["reviewer"], household=h2, form="01", received_on=dt.date(2025, 9, 20), channel="post"
        )
    assert waiting.review_round_id is None and not r.listed.filter(household=h2).exists()
    ReviewRound.objects.filter(pk=r.pk).update(step=RoundStep.CLOSED)
    with clock.fixed(dt.date(2025, 10, 1)):
        following = review.round_open(
            actor=people["official"], commune=commune, kind="periodic", reference_date=dt.date(2025, 10, 1)
        )
    waiting.refresh_from_db()
    assert waiting.review_round_id == following.pk and following.listed.filter(household=h2).exists()
    assert Request.objects.filter(review_round__isnull=True).count() == 0
