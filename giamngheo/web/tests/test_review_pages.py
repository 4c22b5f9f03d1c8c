"""Review pages beyond the route matrix: requests, complaints, the register and the province overview."""

import datetime as dt

import pytest

from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import Complaint, Request
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
    client.post(f"/ra-soat/{review_round.pk}/ho/{listed.pk}/khieu-nai/",
                {"received_on": "23/09/2025", "content": "Hộ có xe máy mới"})
    complaint = Complaint.objects.get()
    assert complaint.received_on == dt.date(2025, 9, 23)
    client.force_login(people["official"])
    client.post(f"/ra-soat/{review_round.pk}/khieu-nai/{complaint.pk}/phuc-tra/",
                {"recheck_on": "24/09/2025", "outcome": "Xe mượn", "upheld": "0"})
    complaint.refresh_from_db()
    assert complaint.upheld is False and complaint.outcome == "Xe mượn"
