"""Review pages beyond the route matrix: requests, complaints, the register and the province overview."""

import datetime as dt

import pytest

from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import Complaint, Listed, Request
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_request_is_recorded_from_the_household_page(client, people, households):  # noqa: F811
    client.force_login(people["reviewer"])
    client.post("/ho/H0/de-nghi/", {"form": "04", "received_on": "05/03/2025", "channel": "online"})
    request = Request.objects.get(household__household_id="H0")
    assert (request.form, request.received_on, request.channel) == ("04", dt.date(2025, 3, 5), "online")


def test_register_and_progress_after_a_round(client, people, households):  # noqa: F811
    run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])
    client.force_login(people["official"])
    register = client.get(f"/xa/{unit_by_code('03880').pk}/so-theo-doi/").content.decode()
    assert "Nghèo phát sinh" in register and "Cận nghèo phát sinh" in register and "123/QĐ-UBND" in register
    progress = client.get("/tien-do-ra-soat/").content.decode()
    assert "Đã kết thúc" in progress and "3/3" in progress


def test_complaints_during_posting(client, people, households):  # noqa: F811
    review_round = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    review_round.step = "posting"
    review_round.save()
    listed = review_round.listed.first()
    client.force_login(people["reviewer"])
    client.post(
        f"/ra-soat/{review_round.pk}/ho/{listed.pk}/khieu-nai/",
        {"received_on": "23/09/2025", "content": "Hộ có xe máy mới"},
    )
    complaint = Complaint.objects.get()
    assert complaint.received_on == dt.date(2025, 9, 23)
    client.force_login(people["official"])
    client.post(
        f"/ra-soat/{review_round.pk}/khieu-nai/{complaint.pk}/phuc-tra/",
        {"recheck_on": "24/09/2025", "outcome": "Xe mượn", "upheld": "0"},
    )
    complaint.refresh_from_db()
    assert complaint.upheld is False and complaint.outcome == "Xe mượn"


def _round_at_form_b(people, households):  # noqa: F811
    from giamngheo.core import clock
    from giamngheo.review import services as review

    with clock.fixed(dt.date(2025, 9, 10)):
        for h in households:
            review.request_record(
                actor=people["reviewer"], household=h, form="01", received_on=dt.date(2025, 9, 10), channel="post"
            )
        r = review.round_open(
            actor=people["official"],
            commune=unit_by_code("03880"),
            kind="periodic",
            reference_date=dt.date(2025, 9, 10),
        )
        r = review.round_advance(actor=people["official"], review_round=r, from_step="listing")
        for listed in r.listed.all():
            review.form_a_record(actor=people["reviewer"], listed=listed, passes=True)
    return r


def _form_b_page(client, review_round, household_id):
    from giamngheo.testing.html_forms import form_with

    listed = review_round.listed.get(household__household_id=household_id)
    url = f"/ra-soat/{review_round.pk}/ho/{listed.pk}/phieu-b/"
    return listed, url, form_with(client.get(url).content.decode(), button="Lưu và phân loại")


def test_a_stale_form_b_does_not_overwrite_a_newer_edit(client, people, households):  # noqa: F811
    from giamngheo.registry.services import household_update

    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, url, form = _form_b_page(client, review_round, "H0")
    household_update(actor=people["official"], household=listed.household, latrine="none")  # saved meanwhile
    page = client.post(url, {**form.data, "water_source": "surface_water", "surveyed_on": "16/09/2025"})
    assert page.status_code == 200 and "vừa được người khác sửa" in page.content.decode()
    listed.refresh_from_db()
    listed.household.refresh_from_db()
    assert listed.household.latrine == "none" and listed.household.water_source == "piped"
    assert listed.state == Listed.State.TO_SURVEY and listed.classification is None


def test_form_b_refuses_negative_numbers_and_dates_outside_the_round(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, url, form = _form_b_page(client, review_round, "H1")
    for bad, shown in (
        ({"income_per_capita_month": "-5"}, "Không được âm"),
        ({"floor_area_m2": "-1"}, "Không được âm"),
        ({"income_per_capita_month": str(2**63)}, "Không quá"),
        ({"surveyed_on": "31/12/9999"}, "sau ngày hôm nay"),
        ({"surveyed_on": "01/01/0001"}, "trước ngày tham chiếu của đợt (10/09/2025)"),
    ):
        page = client.post(url, {**form.data, **bad})
        assert page.status_code == 200 and shown in page.content.decode(), bad
    listed.refresh_from_db()
    listed.household.refresh_from_db()
    assert listed.state == Listed.State.TO_SURVEY and listed.household.income_per_capita_month == 1_200_000
    assert listed.household.floor_area_m2 == 40


def test_a_double_submitted_next_step_moves_one_step(client, people, households):  # noqa: F811
    from giamngheo.review.models import ReviewRound
    from giamngheo.testing.html_forms import form_with

    review_round = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    ReviewRound.objects.filter(pk=review_round.pk).update(step="meetings", posting_start=None, posting_end=None)
    client.force_login(people["official"])
    page = f"/ra-soat/{review_round.pk}/"
    form = form_with(client.get(page).content.decode(), action="/chuyen-buoc/")
    assert "xac_nhan" in form.names  # the confirmation box, ticked as the official would
    data = {**form.data, "posting_start": "22/09/2025", "xac_nhan": "1"}
    assert client.post(form.action, data).status_code == 302
    second = client.post(form.action, data, follow=True)  # the same click again
    review_round.refresh_from_db()
    assert review_round.step == "posting"
    assert "không còn ở bước Họp dân" in second.content.decode()


def test_the_next_step_and_recognition_need_the_confirmation_ticked(client, people, households):  # noqa: F811
    from giamngheo.review.models import ReviewRound
    from giamngheo.testing.html_forms import form_with

    review_round = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    page = f"/ra-soat/{review_round.pk}/"
    client.force_login(people["chair"])
    form = form_with(client.get(page).content.decode(), action="/cong-nhan/")
    assert "xac_nhan" in form.names and "xac_nhan" not in form.data  # unticked until the chair ticks it
    data = {**form.data, "decision_number": "1/QĐ-UBND", "decision_date": "15/09/2025"}
    refused = client.post(form.action, data, follow=True)
    review_round.refresh_from_db()
    assert review_round.step == "recognition" and "Cần đánh dấu ô xác nhận" in refused.content.decode()
    ReviewRound.objects.filter(pk=review_round.pk).update(step="meetings")
    client.force_login(people["official"])
    form = form_with(client.get(page).content.decode(), action="/chuyen-buoc/")
    client.post(form.action, {**form.data, "posting_start": "10/09/2025"})
    review_round.refresh_from_db()
    assert review_round.step == "meetings"
