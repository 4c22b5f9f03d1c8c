"""The web Form B asks what the data contract says Form B asks (#14.4 "each list once"), with the
contract's labels and bounds: a fact added to the contract appears on the page, and a value the import
refuses is refused on the page too."""

import pytest

from giamngheo.registry.models import Member
from giamngheo.review.models import Listed
from giamngheo.standards.asked import AGE_BOUND_QUESTIONS
from giamngheo.standards.contract import FORM_B_HOUSEHOLD_FACTS, FORM_B_MEMBER_FACTS, HOUSEHOLD_BY_NAME
from giamngheo.web.tests.test_review_pages import _form_b_page, _round_at_form_b

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _with_a_child(household_id: str = "H0") -> None:
    """A 10-year-old in the household: every age-bound question (stunting, schooling) is asked of a child."""
    import datetime as dt

    from giamngheo.accounts.tests.factories import system_user
    from giamngheo.registry.models import Household
    from giamngheo.registry.services import member_add

    member_add(
        actor=system_user(),
        household=Household.objects.get(household_id=household_id),
        member_id=f"{household_id}-9",
        full_name="Nguyễn Văn Út",
        birth_date=dt.date(2015, 3, 1),
        relation_to_head="child",
    )


def test_the_page_asks_exactly_the_contracts_form_b_facts(client, people, households):  # noqa: F811
    _with_a_child()
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, _, form = _form_b_page(client, review_round, "H0")
    members = list(listed.household.members.values_list("member_id", flat=True))
    assert len(members) == 3
    for member_id in members:
        asked = {n.split("__", 1)[1] for n in form.names if n.startswith(f"{member_id}__")}
        # the adults (45 and 35) are not asked a child's stunting or schooling (#13, standards.asked)
        expected = {c.name for c in FORM_B_MEMBER_FACTS} - (set() if member_id == "H0-9" else set(AGE_BOUND_QUESTIONS))
        assert asked == expected, member_id
    assert "meritorious_service" in {c.name for c in FORM_B_MEMBER_FACTS}  # once missing from the page
    assert set(form.names) & set(HOUSEHOLD_BY_NAME) == {c.name for c in FORM_B_HOUSEHOLD_FACTS}


def test_the_page_labels_each_fact_as_the_contract_does(client, people, households):  # noqa: F811
    _with_a_child()
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    page = client.get(_form_b_page(client, review_round, "H0")[1]).content.decode()
    for col in (*FORM_B_HOUSEHOLD_FACTS, *FORM_B_MEMBER_FACTS):
        assert col.label_vi in page, col.name


def test_meritorious_service_and_untreated_illness_are_recorded_from_the_page(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, url, form = _form_b_page(client, review_round, "H0")
    data = {**form.data, "H0-1__meritorious_service": "true", "H0-2__untreated_illness": "true"}
    page = client.post(url, {**data, "surveyed_on": "16/09/2025"})
    assert page.status_code == 200 and "Đã lưu Phiếu B" in page.content.decode()
    assert Member.objects.get(member_id="H0-1").meritorious_service is True
    assert Member.objects.get(member_id="H0-2").untreated_illness is True
    assert Member.objects.get(member_id="H0-2").meritorious_service is None  # unknown stays unknown


@pytest.mark.parametrize(
    ("name", "value"),
    [("income_per_capita_month", 2 * 10**9), ("income_score", 20_000), ("floor_area_m2", 20_000)],
)
def test_a_value_above_the_contracts_bound_is_refused_as_the_import_refuses_it(client, people, households, name, value):  # noqa: F811
    col = HOUSEHOLD_BY_NAME[name]
    assert value > col.maximum  # the import refuses it (standards.validation reads the same bound)
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed, url, form = _form_b_page(client, review_round, "H1")
    page = client.post(url, {**form.data, name: str(value), "surveyed_on": "16/09/2025"})
    shown = f"{col.maximum:,}".replace(",", ".")
    assert page.status_code == 200 and f"Không quá {shown}" in page.content.decode()
    listed.refresh_from_db()
    assert listed.state == Listed.State.TO_SURVEY
    assert getattr(listed.household, name) != value


def test_the_household_page_keeps_the_same_bounds(client, people, households):  # noqa: F811
    """The registry's edit page uses the same form: 2.000.000.000 đ a month is refused there too."""
    from giamngheo.testing.html_forms import form_with

    client.force_login(people["official"])
    url = "/ho/H0/sua/"
    form = form_with(client.get(url).content.decode(), button="Lưu")
    page = client.post(url, {**form.data, "income_per_capita_month": str(2 * 10**9)})
    assert page.status_code == 200 and "Không quá 1.000.000.000" in page.content.decode()
