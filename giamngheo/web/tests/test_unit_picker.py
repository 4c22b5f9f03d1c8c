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
