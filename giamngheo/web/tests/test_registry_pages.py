"""The register's pages (#13 item 5): add a household, add a member, a member leaving, split, merge.

Through the test client as the commune official; ids in the test database start past 1,000, so a
grouped number ("1.234") in an address or a form value would show here.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core import clock
from giamngheo.geo.selectors import unit_by_code
from giamngheo.registry.models import Household, HouseholdEvent, Member
from giamngheo.registry.services import village_create

pytestmark = pytest.mark.django_db
COMMUNE = "03880"
TODAY = dt.date(2026, 6, 15)
GROUPED = re.compile(r"\d\.\d{3}\b")  # "1.234": a number grouped the Vietnamese way


@pytest.fixture
def official(client):
    user = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo")
    client.force_login(user)
    return user


@pytest.fixture
def home():
    return household(system_user(), "HA1", COMMUNE, members=2)  # HA1-1 head, HA1-2 child


def _facts(**more):
    base = {
        "walls_durable": "true",
        "columns_durable": "true",
        "roof_durable": "false",
        "floor_area_m2": "32.5",
        "water_source": "piped",
        "latrine": "septic",
        "uses_telecom": "true",
        "has_info_device": "true",
        "hears_loudspeaker": "unknown",
        "uses_internet": "unknown",
        "waste_treated": "unknown",
    }
    return {**base, **more}


def test_an_official_adds_a_household_with_its_village_and_it_is_attributed(client, official):
    unit = unit_by_code(COMMUNE)
    village = village_create(actor=official, commune=unit, name="Bản Mòng")
    assert village.pk > 1000 and unit.pk > 1000
    listing = client.get(reverse("household_list", args=[unit.pk])).content.decode()
    assert f'href="/xa/{unit.pk}/ho/them/"' in listing
    page = client.get(reverse("household_add", args=[unit.pk])).content.decode()
    assert f'<option value="{village.pk}">Bản Mòng</option>' in page
    data = _facts(household_id="03880001234", village=str(village.pk), address="Số 7, bản Mòng")
    data["income_per_capita_month"] = "1500000"
    response = client.post(reverse("household_add", args=[unit.pk]), data)
    assert response.status_code == 302 and response["Location"] == "/ho/03880001234/"
    saved = Household.objects.get(household_id="03880001234")
    assert (saved.unit, saved.village, saved.village_name, saved.address) == (
        unit,
        village,
        "Bản Mòng",
        "Số 7, bản Mòng",
    )
    assert (saved.income_per_capita_month, saved.roof_durable, saved.hears_loudspeaker) == (1_500_000, False, None)
    assert saved.history.get().history_user == official
    detail = client.get(response["Location"]).content.decode()
    assert "03880001234" in detail and "1.500.000 đ" in detail


def test_a_taken_household_id_is_the_services_message_on_the_form(client, official, home):
    unit = unit_by_code(COMMUNE)
    page = client.post(reverse("household_add", args=[unit.pk]), _facts(household_id="HA1"))
    assert page.status_code == 200
    assert "Mã hộ HA1 đã tồn tại" in page.content.decode()
    assert page.context["form"].errors["household_id"] == ["Mã hộ HA1 đã tồn tại"]
    assert Household.objects.filter(household_id="HA1").count() == 1


def test_an_id_with_a_slash_or_a_space_is_refused(client, official):
    page = client.post(reverse("household_add", args=[unit_by_code(COMMUNE).pk]), _facts(household_id="HA 1/2"))
    assert "household_id" in page.context["form"].errors and not Household.objects.exists()


def test_an_official_adds_a_member_dates_read_dd_mm_yyyy(client, official, home):
    url = reverse("member_add", args=["HA1"])
    page = client.get(url)
    assert page.context["form"].initial["member_id"] == "HA1-03"
    data = {
        "member_id": "HA1-03",
        "full_name": "Lò Thị Hoa",
        "sex": "female",
        "birth_date": "05/03/2024",
        "relation_to_head": "grandchild",
        "ethnicity": "04",
        "in_school": "false",
        "has_health_insurance": "true",
        "social_allowance": "unknown",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(member_id="HA1-03")
    assert (member.household, member.birth_date, member.has_health_insurance) == (home, dt.date(2024, 3, 5), True)
    assert member.history.get().history_user == official
    detail = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "Lò Thị Hoa" in detail and "05/03/2024" in detail


def test_a_second_head_and_a_taken_national_id_are_refused_and_numbers_come_back_raw(client, official, home):
    from giamngheo.registry.services import member_update

    member_update(actor=system_user(), member=Member.objects.get(member_id="HA1-2"), national_id="014080001234")
    data = {"member_id": "HA1-07", "birth_year": "1985", "national_id": "014080001234", "relation_to_head": "head"}
    page = client.post(reverse("member_add", args=["HA1"]), data)
    html = page.content.decode()
    errors = page.context["form"].errors
    assert "relation_to_head" in errors and not Member.objects.filter(member_id="HA1-07").exists()
    assert 'value="1985"' in html and not GROUPED.search(html)
    data["relation_to_head"] = "spouse"
    page = client.post(reverse("member_add", args=["HA1"]), data)
    assert "Số định danh 014080001234 đã thuộc thành viên HA1-2" in page.content.decode()
    assert not Member.objects.filter(member_id="HA1-07").exists()


def test_a_member_leaves_a_future_day_is_refused_on_the_form(client, official, home):
    url = reverse("member_leave", args=["HA1", "HA1-2"])
    detail = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert f'href="{url}"' in detail
    with clock.fixed(TODAY):
        page = client.post(url, {"left_on": "16/06/2026", "reason": "moved_away"})
        assert "Ngày rời hộ không được sau hôm nay" in page.content.decode()
        assert Member.objects.get(member_id="HA1-2").is_active
        response = client.post(url, {"left_on": "05/03/2026", "reason": "moved_away", "note": "lên Hà Nội"})
    assert response.status_code == 302
    member = Member.objects.get(member_id="HA1-2")
    assert member.is_active is False and member.history.first().history_user == official
    event = HouseholdEvent.objects.get(kind=HouseholdEvent.Kind.MEMBER_LEFT)
    assert event.data["left_on"] == "2026-03-05"  # 5 March, not 3 May
    detail = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "Thành viên đã rời hộ" in detail and "05/03/2026" in detail and "lên Hà Nội" in detail


def test_the_head_leaving_asks_for_a_new_head(client, official, home):
    url = reverse("member_leave", args=["HA1", "HA1-1"])
    page = client.get(url)
    assert "new_head" in page.context["form"].fields and "chọn chủ hộ mới" in page.content.decode()
    with clock.fixed(TODAY):
        page = client.post(url, {"left_on": "01/06/2026", "reason": "died"})
        assert "new_head" in page.context["form"].errors and Member.objects.get(member_id="HA1-1").is_active
        assert client.post(url, {"left_on": "01/06/2026", "reason": "died", "new_head": "HA1-2"}).status_code == 302
    assert Member.objects.get(member_id="HA1-2").relation_to_head == "head"


def test_split_and_merge_through_the_pages(client, official, home):
    response = client.post(
        reverse("household_split", args=["HA1"]),
        {"new_household_id": "HA2", "member_ids": ["HA1-2"], "head_member_id": "HA1-2"},
    )
    assert response.status_code == 302 and response["Location"] == "/ho/HA2/"
    assert Member.objects.get(member_id="HA1-2").household.household_id == "HA2"
    page = client.post(reverse("household_merge", args=["HA2"]), {"target_household_id": "HA2", "confirm": "on"})
    assert "Không thể nhập hộ vào chính nó" in page.content.decode()
    page = client.post(reverse("household_merge", args=["HA2"]), {"target_household_id": "HB9", "confirm": "on"})
    assert "Không tìm thấy hộ HB9" in page.content.decode()
    response = client.post(reverse("household_merge", args=["HA2"]), {"target_household_id": "HA1", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/ho/HA1/"
    assert Member.objects.get(member_id="HA1-2").household == home
    assert Household.objects.get(household_id="HA2").is_active is False
    assert client.get(reverse("member_add", args=["HA2"])).status_code == 404  # a closed household


def test_a_reviewer_sees_no_register_links_and_gets_404(client, home):
    client.force_login(user_with_role(Role.REVIEWER, COMMUNE))
    detail = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "/thanh-vien/them/" not in detail and "/roi-ho/" not in detail and "/tach/" not in detail
    listing = client.get(reverse("household_list", args=[unit_by_code(COMMUNE).pk])).content.decode()
    assert "/ho/them/" not in listing
    assert client.get(reverse("member_add", args=["HA1"])).status_code == 404


def test_the_pages_in_english(client, official, home):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("member_leave", args=["HA1", "HA1-2"])).content.decode()
    assert "Day of leaving (dd/mm/yyyy)" in page and "Record the leaving" in page
