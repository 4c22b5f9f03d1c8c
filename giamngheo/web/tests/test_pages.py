"""The web pages through the test client: login, lists, search, detail, and the denials."""

import pytest
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db
COMMUNE_A, COMMUNE_B = "03880", "04045"


@pytest.fixture
def data():
    admin = system_user()
    a = household(admin, "HA1", COMMUNE_A, members=3, income_per_capita_month=1_500_000)
    b = household(admin, "HB1", COMMUNE_B)
    from giamngheo.registry.services import member_update

    member_update(
        actor=admin,
        member=a.members.get(member_id="HA1-1"),
        national_id="014080001234",
        full_name="Giàng Thị Mỷ",
        ethnicity="08",
    )
    return a, b


def login(client, role, unit=None):
    user = user_with_role(role, unit)
    client.force_login(user)
    return user


def test_pages_need_a_login(client, data):
    for url in (
        reverse("home"),
        reverse("household_list", args=[unit_by_code(COMMUNE_A).pk]),
        reverse("household_detail", args=["HA1"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_login_page_is_vietnamese_and_logs_in(client, data):
    from giamngheo.accounts.models import User

    User.objects.create_user("chi", password="mat-khau-dai")
    page = client.get(reverse("login"))
    assert "Đăng nhập" in page.content.decode() and "Tên đăng nhập" in page.content.decode()
    response = client.post(reverse("login"), {"username": "chi", "password": "mat-khau-dai"})
    assert response.status_code == 302


def test_commune_list_with_formats_and_search(client, data):
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    url = reverse("household_list", args=[unit_by_code(COMMUNE_A).pk])
    html = client.get(url).content.decode()
    assert "HA1" in html and "1.500.000 đ" in html and "Giàng Thị Mỷ" in html
    assert "HB1" not in html
    assert "HA1" in client.get(url, {"q": "Mỷ"}).content.decode()
    assert "HA1" in client.get(url, {"q": "014080001234"}).content.decode()
    assert "HA1" not in client.get(url, {"q": "không có ai"}).content.decode()


def test_the_list_uses_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    url = reverse("household_list", args=[unit_by_code(COMMUNE_A).pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    admin = system_user()
    for i in range(30):
        household(admin, f"HA-{i:02d}", COMMUNE_A, members=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 12  # no query per row


def test_detail_shows_members_history_dates_and_masks_the_national_id(client, data):
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    html = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "Giàng Thị Mỷ" in html and "01/01/1980" in html and "Mông" in html and "Chủ hộ" in html
    assert "014080001234" not in html and "1234" in html
    assert "Lịch sử thay đổi" in html and "system" in html


def test_another_communes_pages_are_not_found(client, data):
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    assert client.get(reverse("household_detail", args=["HB1"])).status_code == 404
    assert client.get(reverse("household_list", args=[unit_by_code(COMMUNE_B).pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert "Lóng Sập" not in home


def test_a_province_official_sees_both_communes(client, data):
    login(client, Role.PROVINCE_OFFICIAL, "14")
    assert client.get(reverse("household_detail", args=["HB1"])).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert "Tạ Khoa" in home and "Lóng Sập" in home


def test_english_switch(client, data):
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in html and "Tiếng Việt" in html and "Your units" in html


def test_django_admin_is_for_administrators_only(client, data):
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    assert client.get("/admin/").status_code == 302
    client.force_login(user_with_role(Role.ADMIN))
    assert client.get("/admin/").status_code == 200


def test_every_interface_string_has_an_english_translation():
    import re
    from pathlib import Path

    from scripts.compile_messages import parse_po

    root = Path(__file__).resolve().parents[2]
    used = set()
    for template in (root / "web" / "templates").rglob("*.html"):
        used |= set(re.findall(r"""translate ["']([^"']+)["']""", template.read_text(encoding="utf-8")))
    english = parse_po((root / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    assert sorted(s for s in used if not english.get(s)) == []


def test_a_commune_official_adds_a_village_and_another_commune_cannot(client, data):
    from giamngheo.geo.models import Village

    official = login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    unit_a = unit_by_code(COMMUNE_A)
    client.post(reverse("village_add", args=[unit_a.pk]), {"name": "Bản Hua Nhàn", "kind": "village"})
    village = Village.objects.get(commune=unit_a, name="Bản Hua Nhàn")
    assert village.created_by == official and village.history.get().history_user == official
    assert "Bản Hua Nhàn" in client.get(reverse("household_list", args=[unit_a.pk])).content.decode()
    client.post(reverse("village_add", args=[unit_a.pk]), {"name": "Bản Hua Nhàn", "kind": "village"})
    assert Village.objects.filter(commune=unit_a, name="Bản Hua Nhàn").count() == 1
    unit_b = unit_by_code(COMMUNE_B)
    assert client.post(reverse("village_add", args=[unit_b.pk]), {"name": "X"}).status_code == 404
    login(client, Role.PROVINCE_OFFICIAL, "14")
    client.post(reverse("village_add", args=[unit_a.pk]), {"name": "Bản Mới", "kind": "village"})
    assert not Village.objects.filter(name="Bản Mới").exists()  # provinces read, communes write


def test_the_household_page_explains_its_classification(client, data):
    import datetime as dt

    from giamngheo.core import clock

    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    with clock.fixed(dt.date(2026, 6, 30)):  # the page classifies under the standard in force today
        html = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    # HA1: rural, 1.500.000 đ, durable house, piped water, septic: near-poor under 2022-2025 in 2026
    assert "vn-2022-2025" in html and "Hộ cận nghèo" in html and "1.500.000 đ" in html
    assert "chưa kiểm chứng" in html
    with clock.fixed(dt.date(2027, 1, 5)):  # from 2027 the new standard asks for facts never collected before
        html = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "vn-2027-2030" in html and "Chưa đủ thông tin để phân loại" in html
    assert "waste_treated" in html and "uses_internet" in html


def test_logins_and_failures_are_audited_and_throttled(client, data):
    from giamngheo.accounts.models import User
    from giamngheo.core.models import AuditEvent

    User.objects.create_user("chi", password="mat-khau-dai")
    assert client.post(reverse("login"), {"username": "chi", "password": "mat-khau-dai"}).status_code == 302
    assert AuditEvent.objects.filter(verb="login", actor__username="chi").count() == 1
    client.logout()
    for _ in range(4):
        page = client.post(reverse("login"), {"username": "chi", "password": "sai"})
        assert page.status_code == 200
    assert client.post(reverse("login"), {"username": "chi", "password": "sai"}).status_code == 429  # the 5th
    assert AuditEvent.objects.filter(verb="login.failed", data__username="chi").count() == 5
    blocked = client.post(reverse("login"), {"username": "chi", "password": "mat-khau-dai"})
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    assert AuditEvent.objects.filter(verb="login", actor__username="chi").count() == 1  # the blocked one is not in


def test_audit_events_cannot_be_edited(data):
    from giamngheo.core.models import AuditEvent

    event = AuditEvent.objects.first()
    event.verb = "changed"
    with pytest.raises(PermissionError):
        event.save()


def test_security_headers_and_csrf(client, data):
    from django.test import Client

    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


def _edit_form(client, household_id):
    page = client.get(reverse("household_edit", args=[household_id]))
    form = page.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    for name in (
        "walls_durable",
        "columns_durable",
        "roof_durable",
        "uses_telecom",
        "has_info_device",
        "hears_loudspeaker",
        "uses_internet",
        "waste_treated",
    ):
        data[name] = {True: "true", False: "false"}.get(form.initial.get(name), "unknown")
    return data


def test_two_editors_no_lost_update(client, data):
    from django.test import Client

    from giamngheo.registry.models import Household

    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    other = Client()
    other.force_login(user_with_role(Role.REVIEWER, COMMUNE_A))
    first, second = _edit_form(client, "HA1"), _edit_form(other, "HA1")
    first["latrine"] = "none"
    assert client.post(reverse("household_edit", args=["HA1"]), first).status_code == 302
    second["water_source"] = "vendor"
    page = other.post(reverse("household_edit", args=["HA1"]), second)
    assert page.status_code == 200 and "vừa được người khác sửa" in page.content.decode()
    saved = Household.objects.get(household_id="HA1")
    assert (saved.latrine, saved.water_source, saved.version) == ("none", "piped", 2)
    # the second editor now has the fresh version and can save their change on top
    again = _edit_form(other, "HA1")
    again["water_source"] = "vendor"
    assert other.post(reverse("household_edit", args=["HA1"]), again).status_code == 302
    saved.refresh_from_db()
    assert (saved.latrine, saved.water_source, saved.version) == ("none", "vendor", 3)


def test_only_the_communes_staff_can_edit(client, data):
    login(client, Role.PROVINCE_OFFICIAL, "14")
    assert client.get(reverse("household_edit", args=["HA1"])).status_code == 404
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_B)
    assert client.get(reverse("household_edit", args=["HA1"])).status_code == 404


def test_showing_national_ids_is_logged_and_only_for_commune_staff(client, data):
    from giamngheo.core.models import AuditEvent

    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    html = client.get(reverse("household_detail", args=["HA1"]), {"so-dinh-danh": "1"}).content.decode()
    assert "014080001234" in html
    assert AuditEvent.objects.filter(verb="national_id.view", data__via="web").count() == 1
    audit_page = client.get(reverse("household_audit", args=["HA1"])).content.decode()
    assert "national_id.view" in audit_page and "member.update" not in audit_page
    login(client, Role.PROVINCE_OFFICIAL, "14")
    html = client.get(reverse("household_detail", args=["HA1"]), {"so-dinh-danh": "1"}).content.decode()
    assert "014080001234" not in html
    assert AuditEvent.objects.filter(verb="national_id.view").count() == 1


def test_incomes_are_masked_for_a_province_official(client, data):
    login(client, Role.PROVINCE_OFFICIAL, "14")
    html = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "1.500.000 đ" not in html and "•••" in html


def test_web_import_with_progress_and_marked_errors(
    client, data, settings, tmp_path, django_capture_on_commit_callbacks
):
    import polars as pl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giamngheo.registry.models import Household

    settings.DATA_DIR = tmp_path
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    header = (
        "household_id,admin_code,income_per_capita_month,walls_durable,columns_durable,roof_durable,"
        "floor_area_m2,water_source,latrine,uses_telecom,has_info_device\n"
    )
    good = header + "W1,03880,1200000,1,1,1,40,piped,septic,1,1\n"
    bad = header + "W2,03880,abc,1,1,1,40,river,septic,1,1\n"
    members = (
        "household_id,member_id,birth_date,highest_education,in_school,has_health_insurance,employment\n"
        "W1,W1-1,01/02/1980,primary,0,1,self_employed\nW2,W2-1,01/02/1980,primary,0,1,self_employed\n"
    )
    url = reverse("import_upload", args=[unit_by_code(COMMUNE_A).pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "households": SimpleUploadedFile("ho.csv", bad.encode()),
                "members": SimpleUploadedFile("tv.csv", members.encode()),
            },
        )
    page = client.get(response["Location"]).content.decode()
    assert "Có lỗi, không nhập" in page and "income_per_capita_month" in page and "water_source" in page
    assert not Household.objects.filter(household_id__in=["W1", "W2"]).exists()
    marked = client.get(response["Location"] + "tep-loi/")
    path = tmp_path / "marked.xlsx"
    path.write_bytes(b"".join(marked.streaming_content))
    assert pl.read_excel(path, sheet_name="households").item(0, "water_source") == "river"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "households": SimpleUploadedFile("ho.csv", good.encode()),
                "members": SimpleUploadedFile("tv.csv", members.replace("W2,W2-1", "W1,W1-2").encode()),
            },
        )
    page = client.get(response["Location"]).content.decode()
    assert "Xong" in page and Household.objects.filter(household_id="W1").exists()


def test_the_list_and_the_page_show_the_recognised_status_in_force_today(client, data):
    import datetime as dt

    from giamngheo.core import clock
    from giamngheo.review.models import ReviewRound, Status

    a, _ = data
    admin = system_user()
    review_round = ReviewRound.objects.create(
        commune=a.unit, kind="periodic", reference_date=dt.date(2025, 9, 1), opened_by=admin
    )
    for category, day in (("poor", dt.date(2025, 12, 20)), ("near_poor", dt.date(2026, 6, 30))):
        Status.objects.create(
            household=a, category=category, valid_from=day, review_round=review_round, decision_number="1/QĐ"
        )
    household(admin, "HA2", COMMUNE_A)  # never recognised
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    listing = reverse("household_list", args=[unit_by_code(COMMUNE_A).pk])
    with clock.fixed(dt.date(2026, 3, 1)):  # the June decision is not yet in force
        html = client.get(listing).content.decode()
        page = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert 'Hộ nghèo <span class="muted">từ 20/12/2025' in html and "Chưa công nhận" in html
    assert "Hiện trạng: <strong>Hộ nghèo</strong> từ 20/12/2025" in page
    with clock.fixed(dt.date(2026, 7, 1)):
        page = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    assert "Hiện trạng: <strong>Hộ cận nghèo</strong> từ 30/06/2026" in page


def test_the_edit_link_is_shown_only_to_those_who_may_edit(client, data):
    page = reverse("household_detail", args=["HA1"])
    edit = reverse("household_edit", args=["HA1"])
    login(client, Role.PROVINCE_OFFICIAL, "14")
    assert edit not in client.get(page).content.decode()
    assert client.get(edit).status_code == 404
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    assert edit in client.get(page).content.decode()


def test_the_explanation_shows_its_conclusion_first_and_set_apart(client, data):
    """Meant for a posting board and an appeal: the conclusion was a line like the others."""
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    html = client.get(reverse("household_detail", args=["HA1"])).content.decode()
    explanation = html.split('<pre class="explain">', 1)[1].split("</pre>", 1)[0]
    assert '<strong class="conclusion">Kết luận: ' in explanation
    assert explanation.count("<strong") == 1 and explanation.startswith("Hộ HA1: ")


def test_the_conclusion_filter_escapes_every_line():
    from giamngheo.web.templatetags.vn import conclusion_apart

    html = conclusion_apart("Hộ <b>X</b>\nKết luận: Hộ nghèo.\nResult: Poor.\nThành viên <script>")
    assert html == (
        'Hộ &lt;b&gt;X&lt;/b&gt;\n<strong class="conclusion">Kết luận: Hộ nghèo.</strong>\n'
        '<strong class="conclusion">Result: Poor.</strong>\nThành viên &lt;script&gt;'
    )
    assert conclusion_apart(None) == ""
