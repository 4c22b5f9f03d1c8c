"""A helper records a visit on the phone form; another household's form is not there for them; the
commune's overdue list names the households not visited for N days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.core import clock
from giamngheo.plans.models import HelperVisit
from giamngheo.plans.tests.helpers import helper_login, village_households

pytestmark = pytest.mark.django_db


def test_a_helper_records_a_visit_on_the_phone_form_and_only_for_their_household():
    village, v1, v2, h1 = village_households()
    helper, person = helper_login(household=v1)
    client = Client()
    client.force_login(helper)
    home = client.get("/").content.decode()
    assert 'href="/giup-do/"' in home and "Bạn chưa được phân công đơn vị nào" not in home
    with clock.fixed(dt.date(2026, 3, 10)):
        page = client.get("/giup-do/").content.decode()
        assert "/ho/V1/tham-ho/" in page and "/ho/V2/" not in page
        assert "Quá hạn thăm" in page  # never visited
        assert client.get("/ho/V1/tham-ho/").status_code == 200
        response = client.post(
            "/ho/V1/tham-ho/",
            {
                "visited_on": "05/03/2026",
                "difficulties": "Thiếu giống ngô",
                "actions": "Hướng dẫn vay vốn",
                "next_step": "",
            },
        )
        assert response.status_code == 302 and response["Location"] == "/giup-do/"
        assert client.get("/ho/V2/tham-ho/").status_code == 404
        assert client.post("/ho/V2/tham-ho/", {"visited_on": "05/03/2026", "actions": "x"}).status_code == 404
        bad = client.post("/ho/V1/tham-ho/", {"visited_on": "2026-13-40", "actions": "x"})
        assert bad.status_code == 200 and "dd/mm/yyyy" in bad.content.decode()
        page = client.get("/giup-do/").content.decode()
        assert "05/03/2026" in page and "Quá hạn thăm" not in page
    visit = HelperVisit.objects.get()
    assert (visit.household, visit.person, visit.visited_on) == (v1, person, dt.date(2026, 3, 5))
    assert visit.history.first().history_user == helper


def test_the_commune_overdue_list_and_who_reads_it():
    village, v1, v2, h1 = village_households()
    helper_login(village=village)
    official = user_with_role("commune_official", "03880")
    client = Client()
    client.force_login(official)
    with clock.fixed(dt.date(2026, 6, 1)):
        client.post("/ho/V1/tham-ho/", {"visited_on": "20/05/2026", "actions": "Thăm hỏi"})
        body = client.get(f"/xa/{v1.unit_id}/chua-tham/").content.decode()
    assert "/ho/V2/" in body and "/ho/V1/" not in body and "/ho/H1/" not in body
    assert "90" in body
    assert f'href="/xa/{v1.unit_id}/chua-tham/"' in client.get("/").content.decode()
    other = Client()
    other.force_login(user_with_role("commune_official", "04045"))
    assert other.get(f"/xa/{v1.unit_id}/chua-tham/").status_code == 404


def test_a_helper_household_page_offers_no_form_or_link_they_cannot_use():
    """The page showed a helper the request form (Mẫu 01/04) and a link to the commune's list, both of
    which answer 404 to them: what a reader cannot do is not offered."""
    village, v1, v2, h1 = village_households()
    helper, _ = helper_login(household=v1)
    client = Client()
    client.force_login(helper)
    page = client.get("/ho/V1/").content.decode()
    assert "/ho/V1/de-nghi/" not in page
    assert f'href="/xa/{v1.unit_id}/ho/"' not in page
    assert "/ho/V1/tham-ho/" in page  # what they can do: record a visit
    official = Client()
    official.force_login(user_with_role("commune_official", "03880"))
    page = official.get("/ho/V1/").content.decode()
    assert "/ho/V1/de-nghi/" in page and f'href="/xa/{v1.unit_id}/ho/"' in page
