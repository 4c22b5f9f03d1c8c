"""A review round end to end through the services, every refused step, and transitions over two rounds."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review import services as review
from giamngheo.review.models import Listed, Request, RoundStep, Status
from giamngheo.review.selectors import meeting_households, villages_to_meet

pytestmark = pytest.mark.django_db
COMMUNE = "03880"
SEPT = dt.date(2025, 9, 10)
# With the facts the 2027-2030 standard asks for too (internet, waste): a periodic round of autumn
# 2026 classifies under it (the list it prepares is 2027's), so the same households stay classifiable.
POOR_FACTS = {
    "income_per_capita_month": 900_000,
    "water_source": "surface_water",
    "latrine": "none",
    "uses_telecom": False,
    "uses_internet": False,
    "waste_treated": True,
}
NEAR_FACTS = {
    "income_per_capita_month": 900_000,
    "water_source": "piped",
    "latrine": "septic",
    "uses_telecom": True,
    "uses_internet": True,
    "waste_treated": True,
}
RICH_FACTS = {**NEAR_FACTS, "income_per_capita_month": 5_000_000}


@pytest.fixture
def people():
    return {
        "official": user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo"),
        "reviewer": user_with_role(Role.REVIEWER, COMMUNE, username="rasoat"),
        "chair": user_with_role(Role.COMMUNE_CHAIR, COMMUNE, username="chutich"),
        "other_chair": user_with_role(Role.COMMUNE_CHAIR, "04045", username="chutich2"),
    }


@pytest.fixture
def households():
    admin = system_user()
    return [household(admin, f"H{i}", COMMUNE, members=2) for i in range(3)]


def run_round(people, households, facts, on=SEPT, attendance=20, agree=None, recognise=True):
    """Open, survey with Form B, meet in each village, post, recognise; returns the round. The clock
    stands on the day of each step (a step's date may not lie in the future)."""
    commune = unit_by_code(COMMUNE)
    with clock.fixed(on):
        for h in households:
            if not Listed.objects.filter(household=h, review_round__step__in=["listing"]).exists():
                review.request_record(
                    actor=people["reviewer"],
                    household=h,
                    form=Request.Form.REVIEW,
                    received_on=on,
                    channel=Request.Channel.IN_PERSON,
                )
        r = review.round_open(actor=people["official"], commune=commune, kind="periodic", reference_date=on, on=on)
        r = review.round_advance(actor=people["official"], review_round=r, from_step="listing", today=on)
        for listed, f in zip(r.listed.order_by("household__household_id"), facts, strict=True):
            if listed.reason == Listed.Reason.REQUEST_REVIEW:
                review.form_a_record(actor=people["reviewer"], listed=listed, passes=True)
            review.form_b_record(
                actor=people["reviewer"],
                listed=listed,
                household_facts=f,
                member_facts={},
                causes=["thiếu vốn sản xuất"],
                needs=["tín dụng"],
            )
        r = review.round_advance(actor=people["official"], review_round=r, from_step="surveying", today=on)
        votes = agree or {h.household_id: attendance for h in households}
        for place in villages_to_meet(r):
            waiting = meeting_households(r, place["village"]).values_list("household__household_id", flat=True)
            review.meeting_record(
                actor=people["official"],
                review_round=r,
                village=place["village"],
                village_name="Bản Tạ Khoa",
                held_on=on,
                chair="Lò Văn Tư",
                front_supervisor="Cầm Thị Hoa",
                attendance=attendance,
                agree={h: votes[h] for h in waiting},
            )
        r = review.round_advance(
            actor=people["official"], review_round=r, from_step="meetings", posting_start=on, today=on
        )
    after = r.posting_end + dt.timedelta(days=1)
    r = review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=after)
    if recognise:
        with clock.fixed(r.posting_end + dt.timedelta(days=2)):
            r = review.round_recognise(
                actor=people["chair"],
                review_round=r,
                decision_number="123/QĐ-UBND",
                decision_date=r.posting_end + dt.timedelta(days=2),
            )
    return r


def test_a_round_from_list_to_register(people, households):
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    assert r.step == RoundStep.CLOSED and r.decision_number == "123/QĐ-UBND"
    statuses = {s.household.household_id: (s.category, s.transition) for s in Status.objects.all()}
    assert statuses == {
        "H0": ("poor", "newly_poor"),
        "H1": ("near_poor", "newly_near_poor"),
        "H2": ("other", "not_poor"),
    }
    listed = r.listed.get(household__household_id="H0")
    assert listed.classification.standard_id == "vn-2022-2025" and listed.classification.facts["members"]
    assert "Hộ nghèo" in listed.classification.explanation


def test_transitions_across_two_rounds(people, households):
    run_round(people, households, [POOR_FACTS, NEAR_FACTS, POOR_FACTS])
    second = SEPT.replace(year=2026)
    run_round(people, households, [NEAR_FACTS, RICH_FACTS, RICH_FACTS], on=second)
    latest = {s.household.household_id: s.transition for s in Status.objects.filter(valid_from__year=2026)}
    assert latest == {"H0": "escaped_to_near_poor", "H1": "escaped_near_poverty", "H2": "escaped_poverty"}
    exit_date = Status.objects.get(household__household_id="H2", valid_from__year=2026).valid_from
    assert exit_date.year == 2026  # the date of exit is kept (benefits depend on it)
    third = dt.date(2026, 12, 1)  # a periodic round of December 2026: under vn-2027-2030 (the 2027 list)
    run_round(people, households, [POOR_FACTS, NEAR_FACTS, POOR_FACTS], on=third)
    latest = {s.household.household_id: s.transition for s in Status.objects.filter(valid_from__gt=third)}
    assert latest["H2"] == "relapsed_poor" and latest["H1"] == "relapsed_near_poor"


def test_a_meeting_below_half_sends_the_household_back_to_survey(people, households):
    commune = unit_by_code(COMMUNE)
    for h in households[:1]:
        review.request_record(actor=people["reviewer"], household=h, form="01", received_on=SEPT, channel="post")
    r = review.round_open(actor=people["official"], commune=commune, kind="periodic", reference_date=SEPT, on=SEPT)
    r = review.round_advance(actor=people["official"], review_round=r, from_step="listing", today=SEPT)
    listed = r.listed.get()
    review.form_a_record(actor=people["reviewer"], listed=listed, passes=True)
    review.form_b_record(
        actor=people["reviewer"], listed=listed, household_facts=POOR_FACTS, member_facts={}, surveyed_on=SEPT
    )
    r = review.round_advance(actor=people["official"], review_round=r, from_step="surveying", today=SEPT)
    review.meeting_record(
        actor=people["official"],
        review_round=r,
        village=None,
        village_name="Bản",
        held_on=SEPT,
        chair="A",
        front_supervisor="B",
        attendance=21,
        agree={"H0": 10},
    )  # 10 of 21 < 50 %
    listed.refresh_from_db()
    assert listed.state == Listed.State.TO_SURVEY
    with pytest.raises(ServiceError):
        review.round_advance(
            actor=people["official"], review_round=r, from_step="meetings", posting_start=SEPT, today=SEPT
        )
    review.form_b_record(
        actor=people["reviewer"], listed=listed, household_facts=POOR_FACTS, member_facts={}, surveyed_on=SEPT
    )
    review.meeting_record(
        actor=people["official"],
        review_round=r,
        village=None,
        village_name="Bản",
        held_on=SEPT,
        chair="A",
        front_supervisor="B",
        attendance=20,
        agree={"H0": 10},
    )  # exactly half: approved
    listed.refresh_from_db()
    assert listed.state == Listed.State.APPROVED


def test_no_recognition_during_posting(people, households):
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    r.step = RoundStep.POSTING
    r.save()
    with pytest.raises(ServiceError):  # chair tries while posting runs
        review.round_recognise(actor=people["chair"], review_round=r, decision_number="1", decision_date=SEPT)
    with pytest.raises(ServiceError):  # and the round cannot leave posting before its end
        review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=r.posting_end)
    assert not Status.objects.exists()


def test_posting_lasts_three_working_days_shown_as_unverified(client, people, households):
    import io

    from pypdf import PdfReader

    from giamngheo.review.documents import posting_pdf

    friday = dt.date(2025, 9, 12)
    assert review.add_working_days(friday, 3) == dt.date(2025, 9, 16)  # Fri, Mon, Tue
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    r.step = RoundStep.POSTING
    r.save()
    client.force_login(people["official"])
    page = client.get(f"/ra-soat/{r.pk}/").content.decode()
    assert "3 ngày làm việc: chưa kiểm chứng" in page  # the period is not read in the decree (B)
    assert "03 ngày" not in page  # printed once with a leading zero
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(posting_pdf(r))).pages)
    assert "chưa đối chiếu" not in " ".join(text.split())  # the paper posted in the village carries no app marks (#13)


def test_a_reviewer_cannot_recognise_and_another_communes_chair_neither(people, households):
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    for who in ("reviewer", "official", "other_chair"):
        with pytest.raises(AccessDenied):
            review.round_recognise(actor=people[who], review_round=r, decision_number="1", decision_date=SEPT)
    assert not Status.objects.exists()


def test_a_closed_round_is_read_only(people, households):
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    listed = r.listed.first()
    with pytest.raises(ServiceError, match="closed"):
        review.form_b_record(actor=people["reviewer"], listed=listed, household_facts=POOR_FACTS, member_facts={})
    with pytest.raises(ServiceError, match="closed"):
        review.meeting_record(
            actor=people["official"],
            review_round=r,
            village=None,
            village_name="x",
            held_on=SEPT,
            chair="a",
            front_supervisor="b",
            attendance=5,
            agree={},
        )
    with pytest.raises(ServiceError, match="closed"):
        review.round_advance(actor=people["official"], review_round=r, from_step="closed")


def test_unresolved_complaints_block_the_end_of_posting(people, households):
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    r.step = RoundStep.POSTING
    r.save()
    complaint = review.complaint_record(
        actor=people["reviewer"], listed=r.listed.first(), received_on=SEPT, content="Hộ này có xe máy mới"
    )
    after = r.posting_end + dt.timedelta(days=1)
    with pytest.raises(ServiceError):
        review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=after)
    review.complaint_recheck(
        actor=people["official"],
        complaint=complaint,
        recheck_on=after,
        outcome="Đã phúc tra: xe mượn của người thân",
        upheld=False,
    )
    with clock.fixed(after):
        moved = review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=after)
    assert moved.step == RoundStep.RECOGNITION


def test_periodic_and_regular_windows(people, households):
    commune = unit_by_code(COMMUNE)
    with pytest.raises(ServiceError):
        review.round_open(
            actor=people["official"], commune=commune, kind="periodic", reference_date=SEPT, on=dt.date(2025, 12, 15)
        )
    with pytest.raises(ServiceError):
        review.round_open(
            actor=people["official"], commune=commune, kind="regular", reference_date=SEPT, on=dt.date(2025, 3, 14)
        )
    review.round_open(
        actor=people["official"], commune=commune, kind="regular", reference_date=SEPT, on=dt.date(2025, 3, 15)
    )
    with pytest.raises(ServiceError):  # one open round at a time
        review.round_open(
            actor=people["official"], commune=commune, kind="regular", reference_date=SEPT, on=dt.date(2025, 4, 15)
        )
    with pytest.raises(AccessDenied):
        review.round_open(
            actor=people["reviewer"], commune=commune, kind="regular", reference_date=SEPT, on=dt.date(2025, 4, 15)
        )


def test_retention_purges_old_survey_data_and_only_an_admin_sets_it(people, households):
    from django.core.files.base import ContentFile

    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    listed = r.listed.first()
    listed.gps = "21.3,103.9"
    listed.photo.save("nha.jpg", ContentFile(b"jpeg"), save=True)
    with pytest.raises(AccessDenied):
        review.retention_set(actor=people["official"], days=30)
    admin = user_with_role(Role.ADMIN)
    review.retention_set(actor=admin, days=30)
    assert review.survey_data_purge(actor=admin, today=r.decision_date + dt.timedelta(days=29)) == 0
    assert review.survey_data_purge(actor=admin, today=r.decision_date + dt.timedelta(days=31)) == 1
    listed.refresh_from_db()
    assert listed.gps == "" and not listed.photo
    assert listed.classification.category  # the result itself stays


def test_audit_events_are_read_only_in_the_admin(client, people, households):
    from giamngheo.core.models import AuditEvent

    client.force_login(user_with_role(Role.ADMIN))
    event = AuditEvent.objects.first()
    page = client.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and event.verb in page.content.decode()  # the admin sees the event...
    assert 'name="_save"' not in page.content.decode()  # ...and has nothing to save it with
    response = client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and AuditEvent.objects.filter(pk=event.pk).exists()
