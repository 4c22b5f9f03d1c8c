"""A search by full national id is an id view: refused for masked roles, audited, rate-limited (#11.11, #12.2)."""

from __future__ import annotations

import pytest
from django.test import Client

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import Member

pytestmark = pytest.mark.django_db
A = "03880"
NID = "014085000123"


@pytest.fixture
def ha1():
    admin = system_user()
    hh = household(admin, "HA1", A)
    Member.objects.filter(member_id="HA1-1").update(national_id=NID)
    return hh


def _web(user, unit_id, q):
    client = Client()
    client.force_login(user)
    return client.get(f"/xa/{unit_id}/ho/", {"q": q})


def _api(user, q):
    token = token_create(actor=system_user(), user=user)
    return Client().get("/api/households", {"q": q}, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("role, unit", [(Role.PROVINCE_OFFICIAL, "14"), (Role.NATIONAL_VIEWER, None)])
def test_a_masked_role_cannot_search_by_national_id_and_the_attempt_is_audited(ha1, role, unit):
    viewer = user_with_role(role, unit)
    page = _web(viewer, ha1.unit_id, NID)
    assert page.status_code == 400 and "số định danh" in page.content.decode()
    api = _api(viewer, NID)
    assert api.status_code == 403 and "HA1" not in api.content.decode()
    refused = AuditEvent.objects.filter(verb="national_id.search.refused", actor=viewer)
    assert refused.count() == 2 and refused.first().data == {"last4": "0123"}


def test_the_refused_web_search_lists_no_household_by_that_id(ha1):
    """The page answers the same list as without a query: whether the id exists cannot be told."""
    viewer = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    with_id = _web(viewer, ha1.unit_id, NID).context["page"].paginator.count
    other_id = _web(viewer, ha1.unit_id, "014085009999").context["page"].paginator.count
    assert with_id == other_id


def test_commune_staff_search_by_national_id_is_audited(ha1):
    official = user_with_role(Role.COMMUNE_OFFICIAL, A)
    page = _web(official, ha1.unit_id, NID)
    assert page.status_code == 200 and [h.household_id for h in page.context["page"].object_list] == ["HA1"]
    api = _api(official, NID)
    assert api.status_code == 200 and [r["household_id"] for r in api.json()["items"]] == ["HA1"]
    events = AuditEvent.objects.filter(verb="national_id.search", actor=official)
    assert events.count() == 2 and all(NID not in str(e.data) for e in events)


def test_national_id_searches_are_rate_limited(ha1):
    from giamngheo.accounts.throttle import ID_SEARCHES

    official = user_with_role(Role.COMMUNE_OFFICIAL, A)
    token = token_create(actor=system_user(), user=official)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    codes = [client.get("/api/households", {"q": f"014085{n:06d}"}).status_code for n in range(ID_SEARCHES + 1)]
    assert codes[:ID_SEARCHES] == [200] * ID_SEARCHES and codes[-1] == 429
    assert _web(official, ha1.unit_id, NID).status_code == 429
    assert _web(official, ha1.unit_id, "Nguyễn").status_code == 200  # name searches go on


def test_an_overlong_search_is_refused_not_a_server_error(ha1):
    official = user_with_role(Role.COMMUNE_OFFICIAL, A)
    assert _web(official, ha1.unit_id, "a" * 100_000).status_code == 400
    assert _api(official, "a" * 100_000).status_code == 400


def test_the_audit_page_masks_incomes_and_ids_for_province_viewers(ha1):
    from giamngheo.registry.services import household_update

    household_update(actor=system_user(), household=ha1, income_per_capita_month=1_734_000)
    AuditEvent.objects.create(
        verb="member.update",
        object_type="registry.household",
        object_id=str(ha1.pk),
        data={"changes": {"national_id": ["", NID]}},
    )
    province = Client()
    province.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    html = province.get("/ho/HA1/nhat-ky/").content.decode()
    assert "1734000" not in html and NID not in html and "household.update" in html
    official = Client()
    official.force_login(user_with_role(Role.COMMUNE_OFFICIAL, A))
    html = official.get("/ho/HA1/nhat-ky/").content.decode()
    assert "1734000" in html and NID in html
