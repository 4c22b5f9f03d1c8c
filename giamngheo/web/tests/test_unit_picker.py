"""The unit picker's search (`/bao-cao/don-vi/`): units by name without diacritics, in force on the
period's date, and only those the user may report on (`accounts.access.pickable_units`)."""

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
URL = "/bao-cao/don-vi/"


def options(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_name_without_diacritics_finds_the_commune(client):
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    found = options(client, unit="ta khoa")
    assert '<option value="03880">Xã Tạ Khoa' in found  # the code is what the report reads


def test_a_province_official_is_offered_their_province_not_another(client):
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    assert '<option value="14">' in options(client, unit="son la")
    assert options(client, unit="ha noi") == "\n"  # Hà Nội and its communes are not theirs
    assert "Hà Nội" not in options(client, unit="01")


def test_a_commune_official_sees_only_their_commune(client):
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880"))
    everything = options(client, unit="")
    assert everything.count("<option") == 1 and 'value="03880"' in everything
    assert options(client, unit="son la") == "\n"  # not the province itself
    assert options(client, unit="long sap") == "\n"  # a commune of the same province


def test_a_past_period_offers_the_units_in_force_then(client):
    client.force_login(user_with_role(Role.NATIONAL_VIEWER))
    assert "Thành phố Hà Nội" in options(client, unit="ha noi")  # what the province official was denied
    before = options(client, unit="son la", period="2024")
    after = options(client, unit="son la", period="2026")
    assert "30/06/2025" in before and "30/06/2025" not in after  # the old province, then the new


def test_the_picker_needs_a_login(client):
    assert client.get(URL, {"unit": "son"}).status_code == 302


# -- Province, then a unit of it (the pages' picker and its htmx parts) --


def choices(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_page_offers_a_province_then_its_communes_by_name(client):
    client.force_login(user_with_role(Role.NATIONAL_VIEWER))
    page = client.get("/bao-cao/", {"unit": "03880", "period": "2026"}).content.decode()
    assert '<select name="province"' in page and '<select name="unit" id="unit-choice"' in page
    assert '<option value="14" selected>Tỉnh Sơn La' in page  # the code's province, chosen
    assert '<option value="03880" selected>Xã Tạ Khoa</option>' in page
    assert '<option value="14">Tỉnh Sơn La (cả tỉnh)</option>' in page
    unit_select = page[page.index('id="unit-choice"') : page.index("</select>", page.index('id="unit-choice"'))]
    assert "Hà Nội" not in unit_select  # only the chosen province's units
    names = [part.split(">", 1)[1].split("<", 1)[0] for part in unit_select.split("<option")[2:]]
    from giamngheo.accounts.picker import proper_name
    from giamngheo.core.text import vi_sort_key

    assert names == sorted(names, key=lambda n: vi_sort_key(proper_name(n))) and len(names) > 50
    assert names.index("Xã Bắc Yên") < names.index("Phường Chiềng An")  # by the proper name, xã or phường


def test_choosing_another_province_lists_its_communes(client):
    client.force_login(user_with_role(Role.NATIONAL_VIEWER))
    found = choices(client, province="01", unit="03880", period="2026")
    assert "Thành phố Hà Nội (cả tỉnh)" in found and "Xã Tạ Khoa" not in found
    assert 'value="01" selected' in found  # the old code is not of this province: the province is chosen


def test_the_search_keeps_the_provinces_units_named_so_without_diacritics(client):
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    found = choices(client, province="14", q="ta khoa", period="2026")
    assert '<option value="03880" selected>Xã Tạ Khoa</option>' in found
    assert found.count("<option") == 1


def test_a_past_period_groups_the_old_province_by_district(client):
    client.force_login(user_with_role(Role.NATIONAL_VIEWER))
    picker = choices(client, part="picker", province="14", period="2024")
    assert "(đến 30/06/2025)" in picker  # the old Sơn La province
    assert '<optgroup label="Huyện' in picker and "(cả huyện)</option>" in picker


def test_a_commune_official_is_offered_their_commune_only(client):
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880"))
    page = client.get("/bao-cao/", {"period": "2026"}).content.decode()
    unit_select = page[page.index('id="unit-choice"') : page.index("</select>", page.index('id="unit-choice"'))]
    assert unit_select.count("<option") == 1 and 'value="03880" selected' in unit_select
    assert "(cả tỉnh)" not in page
    assert "Hà Nội" not in choices(client, province="01", period="2026")  # another province: nothing of it


def test_a_typed_code_stays_in_the_link(client):
    client.force_login(user_with_role(Role.NATIONAL_VIEWER))
    page = client.get("/bao-cao/chay-thu/", {"unit": "99999"}).content.decode()
    assert '<option value="99999" selected>' in page  # not a unit: kept, so the page says why on submit


def test_before_the_reform_a_commune_official_is_offered_the_old_communes_that_became_theirs(client):
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880"))  # Xã Tạ Khoa since 1 July 2025
    picker = choices(client, part="picker", period="2024")
    unit_select = picker[picker.index('id="unit-choice"') :]
    assert '<optgroup label="Huyện Bắc Yên">' in unit_select  # a heading: not the whole district
    assert "(cả huyện)" not in unit_select and "(cả tỉnh)" not in unit_select
    names = [part.split(">", 1)[1].split("<", 1)[0] for part in unit_select.split("<option")[1:]]
    assert names == ["Xã Hua Nhàn", "Xã Mường Khoa", "Xã Tạ Khoa"]  # the succession table's three, in order
