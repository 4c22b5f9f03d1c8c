"""Rules of the review's steps found broken: meetings per village, steps that name where they come
from, one open round per commune (also under concurrent openings), dates within the round."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.core import clock
from giamngheo.core.errors import ServiceError
from giamngheo.geo.models import Village
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review import services as review
from giamngheo.review.models import Listed, MeetingVote, ReviewRound, RoundStep, VillageMeeting

from .test_round import COMMUNE, POOR_FACTS, SEPT, people  # noqa: F401 (fixture)

MEETING = dict(held_on=SEPT, chair="Lò Văn Tư", front_supervisor="Cầm Thị Hoa", attendance=20)


@pytest.fixture
def two_villages(db):
    """Two households in Bản Nà Sản and one in Bản Pá Khôm, at the meeting step."""
    admin = system_user()
    commune = unit_by_code(COMMUNE)
    na_san = Village.objects.create(commune=commune, name="Bản Nà Sản")
    pa_khom = Village.objects.create(commune=commune, name="Bản Pá Khôm")
    homes = [
        household(admin, f"V{i}", COMMUNE, members=1, village=v, village_name=v.name)
        for i, v in enumerate([na_san, na_san, pa_khom])
    ]
    return homes, na_san, pa_khom


def _at_meetings(people, homes):  # noqa: F811
    with clock.fixed(SEPT):
        for h in homes:
            review.request_record(actor=people["reviewer"], household=h, form="01", received_on=SEPT, channel="post")
        r = review.round_open(
            actor=people["official"], commune=unit_by_code(COMMUNE), kind="periodic", reference_date=SEPT, on=SEPT
        )
        r = review.round_advance(actor=people["official"], review_round=r, from_step="listing")
        for listed in r.listed.all():
            review.form_a_record(actor=people["reviewer"], listed=listed, passes=True)
            review.form_b_record(actor=people["reviewer"], listed=listed, household_facts=POOR_FACTS, member_facts={})
        return review.round_advance(actor=people["official"], review_round=r, from_step="surveying")


@pytest.mark.django_db
def test_a_meeting_refuses_households_of_another_village(people, two_villages):  # noqa: F811
    homes, na_san, pa_khom = two_villages
    r = _at_meetings(people, homes)
    with pytest.raises(ServiceError, match="V2"):
        review.meeting_record(
            actor=people["official"], review_round=r, village=na_san, agree={"V0": 20, "V1": 20, "V2": 20}, **MEETING
        )
    assert not VillageMeeting.objects.exists() and not MeetingVote.objects.exists()
    assert set(r.listed.values_list("state", flat=True)) == {Listed.State.SURVEYED}
    meeting = review.meeting_record(
        actor=people["official"], review_round=r, village=na_san, agree={"V0": 20, "V1": 3}, **MEETING
    )
    assert meeting.village_name == "Bản Nà Sản"
    states = dict(r.listed.values_list("household__household_id", "state"))
    assert states == {"V0": "approved", "V1": "to_survey", "V2": "surveyed"}


@pytest.mark.django_db
def test_a_meeting_refuses_a_village_of_another_commune_and_bad_details(people, two_villages):  # noqa: F811
    homes, na_san, _ = two_villages
    r = _at_meetings(people, homes)
    elsewhere = Village.objects.create(commune=unit_by_code("04045"), name="Bản Khác")
    with pytest.raises(ServiceError, match="không thuộc xã"):
        review.meeting_record(actor=people["official"], review_round=r, village=elsewhere, agree={"V0": 20}, **MEETING)
    for bad, match in (
        ({"attendance": 2**31}, "attendance"),
        ({"attendance": 0}, "attendance"),
        ({"held_on": dt.date(1, 1, 1)}, "10/09/2025"),
        ({"held_on": dt.date(9999, 12, 31)}, "today"),
        ({"chair": ""}, "chair"),
        ({"front_supervisor": "  "}, "Front"),
    ):
        with pytest.raises(ServiceError, match=match):
            review.meeting_record(
                actor=people["official"], review_round=r, village=na_san, agree={"V0": 20}, **{**MEETING, **bad}
            )
    with pytest.raises(ServiceError, match="120"):  # a household without a village: its place is named
        review.meeting_record(
            actor=people["official"], review_round=r, village=None, village_name="B" * 121, agree={}, **MEETING
        )
    with pytest.raises(ServiceError, match="between 0 and 20"):
        review.meeting_record(actor=people["official"], review_round=r, village=na_san, agree={"V0": 21}, **MEETING)
    assert not VillageMeeting.objects.exists()


@pytest.mark.django_db
def test_a_repeated_next_step_is_refused_not_applied_twice(people, two_villages):  # noqa: F811
    homes, na_san, pa_khom = two_villages
    r = _at_meetings(people, homes)
    review.meeting_record(
        actor=people["official"], review_round=r, village=na_san, agree={"V0": 20, "V1": 20}, **MEETING
    )
    review.meeting_record(actor=people["official"], review_round=r, village=pa_khom, agree={"V2": 20}, **MEETING)
    review.round_advance(actor=people["official"], review_round=r, from_step="meetings", posting_start=SEPT)
    with pytest.raises(ServiceError, match="no longer at meetings"):  # the same click again, 9 ms later
        review.round_advance(actor=people["official"], review_round=r, from_step="meetings", posting_start=SEPT)
    r.refresh_from_db()
    assert r.step == RoundStep.POSTING


@pytest.mark.django_db
def test_dates_of_the_steps_lie_between_the_reference_date_and_today(people, two_villages):  # noqa: F811
    homes, na_san, pa_khom = two_villages
    r = _at_meetings(people, homes)
    listed = r.listed.get(household__household_id="V0")
    with pytest.raises(ServiceError, match=r"31/12/9999.*\(\d\d/\d\d/\d{4}\)"):
        review.form_b_record(
            actor=people["reviewer"],
            listed=listed,
            household_facts={},
            member_facts={},
            surveyed_on=dt.date(9999, 12, 31),
        )
    with pytest.raises(ServiceError, match="reference date.*10/09/2025"):
        review.form_b_record(
            actor=people["reviewer"],
            listed=listed,
            household_facts={},
            member_facts={},
            surveyed_on=dt.date(2025, 3, 1),
        )
    review.meeting_record(
        actor=people["official"],
        review_round=r,
        village=na_san,
        agree={"V0": 20, "V1": 20},
        **{**MEETING, "held_on": dt.date(2025, 9, 20)},
    )
    review.meeting_record(
        actor=people["official"],
        review_round=r,
        village=pa_khom,
        agree={"V2": 20},
        **{**MEETING, "held_on": dt.date(2025, 9, 20)},
    )
    with pytest.raises(ServiceError, match="last village meeting.*20/09/2025"):
        review.round_advance(
            actor=people["official"], review_round=r, from_step="meetings", posting_start=dt.date(2025, 9, 19)
        )
    r = review.round_advance(
        actor=people["official"], review_round=r, from_step="meetings", posting_start=dt.date(2025, 9, 22)
    )
    with pytest.raises(ServiceError, match="start of posting"):
        review.complaint_record(actor=people["reviewer"], listed=listed, received_on=dt.date(2025, 9, 21), content="x")
    r = review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=dt.date(2025, 9, 25))
    for day, match in (
        (dt.date(2025, 3, 10), "after posting ended.*25/09/2025"),  # six months before the round
        (dt.date(2025, 9, 24), "after posting ended"),
        (clock.today() + dt.timedelta(days=1), "today"),
    ):
        with pytest.raises(ServiceError, match=match):
            review.round_recognise(actor=people["chair"], review_round=r, decision_number="1/QĐ", decision_date=day)
    r = review.round_recognise(
        actor=people["chair"], review_round=r, decision_number="1/QĐ", decision_date=dt.date(2025, 9, 25)
    )
    assert r.step == RoundStep.CLOSED


@pytest.mark.django_db
def test_the_database_holds_one_open_round_per_commune(people):  # noqa: F811
    commune = unit_by_code(COMMUNE)
    ReviewRound.objects.create(commune=commune, kind="regular", reference_date=SEPT, opened_by=people["official"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(commune=commune, kind="regular", reference_date=SEPT, opened_by=people["official"])
    ReviewRound.objects.filter(commune=commune).update(step=RoundStep.CLOSED)
    ReviewRound.objects.create(commune=commune, kind="regular", reference_date=SEPT, opened_by=people["official"])
    assert ReviewRound.objects.filter(commune=commune).count() == 2


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_make_one_round(units_again):
    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role

    official = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo")
    admin = system_user()
    for i in range(30):
        household(admin, f"C{i}", COMMUNE, members=1)
    commune = unit_by_code(COMMUNE)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def open_one():
        try:
            start.wait()
            review.round_open(
                actor=official, commune=commune, kind="regular", reference_date=SEPT, on=dt.date(2025, 9, 15)
            )
            outcomes.append("opened")
        except ServiceError as exc:
            outcomes.append(exc.message_en)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["The commune already has an open round"] * 3 + ["opened"]
    assert ReviewRound.objects.filter(commune=commune).exclude(step="closed").count() == 1


@pytest.mark.django_db
def test_a_request_dated_in_the_future_is_refused(people, two_villages):  # noqa: F811
    from giamngheo.review.models import Request

    homes, _, _ = two_villages
    with clock.fixed(SEPT), pytest.raises(ServiceError, match=r"after today \(10/09/2025\)"):
        review.request_record(
            actor=people["reviewer"], household=homes[0], form="01", received_on=dt.date(9999, 12, 31), channel="post"
        )
    assert not Request.objects.exists()
