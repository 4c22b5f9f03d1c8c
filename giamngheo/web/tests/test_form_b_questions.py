"""Form B on the page (#13): a child's stunting and schooling asked only for the ages the round's
standard reads them, and the floor area written and read the Vietnamese way (46,6)."""

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.accounts.services import system_user
from giamngheo.registry.models import Household, Member
from giamngheo.registry.services import household_update, member_add
from giamngheo.review.models import Listed
from giamngheo.web.tests.test_review_pages import _form_b_page, _round_at_form_b

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _member(household_id: str, suffix: str, born: dt.date) -> None:
    member_add(
        actor=system_user(),
        household=Household.objects.get(household_id=household_id),
        member_id=f"{household_id}-{suffix}",
        full_name=f"Lò Văn {suffix}",
        birth_date=born,
        relation_to_head="other",
        highest_education="none",
        in_school=False,  # the register asks it of everyone (the contract's required column)
        has_health_insurance=True,
        employment="not_in_labour_force",
    )


def test_stunting_and_schooling_are_not_asked_of_a_61_year_old(client, people, households):  # noqa: F811
    _member("H0", "ong", dt.date(1964, 5, 1))  # 61 on the round's reference date (10/09/2025)
    _member("H0", "be", dt.date(2022, 5, 1))  # 3: stunting and schooling both asked
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, url, form = _form_b_page(client, review_round, "H0")
    for question in ("stunted", "underweight", "in_school"):
        assert f"H0-ong__{question}" not in form.names, question
        assert f"H0-be__{question}" in form.names, question
    assert "H0-ong__has_health_insurance" in form.names  # the other questions are still asked
    dependants = {n: "false" for n in form.names if n.endswith("__social_allowance")}  # the share rule reads it
    page = client.post(url, {**form.data, **dependants, "H0-be__stunted": "true", "surveyed_on": "16/09/2025"})
    assert page.status_code == 200 and "Đã lưu Phiếu B" in page.content.decode()
    listed.refresh_from_db()
    assert listed.state == Listed.State.SURVEYED and listed.classification is not None
    assert Member.objects.get(member_id="H0-be").stunted is True
    old = Member.objects.get(member_id="H0-ong")
    assert old.stunted is None and old.in_school is False  # not asked, not written


def test_the_floor_area_is_read_with_a_comma_or_a_dot(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    for typed in ("46,6", "46.6", "46,60", " 46.6 "):  # one round for all four: the page is opened afresh each time
        listed, url, form = _form_b_page(client, review_round, "H1")
        page = client.post(url, {**form.data, "floor_area_m2": typed, "surveyed_on": "16/09/2025"})
        assert page.status_code == 200 and "Đã lưu Phiếu B" in page.content.decode(), typed
        listed.household.refresh_from_db()
        assert listed.household.floor_area_m2 == Decimal("46.6"), typed  # never 466 (a localized field's reading)
        household_update(actor=system_user(), household=listed.household, floor_area_m2=40)  # back, to see a change


def test_the_floor_area_is_shown_as_46_6(client, people, households):  # noqa: F811
    household_update(actor=system_user(), household=households[1], floor_area_m2=Decimal("46.60"))
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    _, _, form = _form_b_page(client, review_round, "H1")
    assert form.data["floor_area_m2"] == "46,6"
    client.force_login(people["official"])
    page = client.get("/ho/H1/sua/").content.decode()  # the registry's edit page uses the same form
    assert 'value="46,6"' in page and "46.60" not in page


def test_a_floor_area_with_three_decimals_or_two_commas_is_refused(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, url, form = _form_b_page(client, review_round, "H1")
    for typed in ("46,666", "4,6,6", "bốn mươi"):
        page = client.post(url, {**form.data, "floor_area_m2": typed, "surveyed_on": "16/09/2025"})
        assert page.status_code == 200 and "Phiếu chưa lưu" in page.content.decode(), typed
    listed.household.refresh_from_db()
    assert listed.household.floor_area_m2 == 40
