"""API errors speak one language (ADR 0008): Vietnamese by default, English when the request asks for
it (`?lang=en`, or the web user's chosen language); never "vi / en" in one `detail`."""

import pytest

from giamngheo.accounts.models import Role

from .test_api import bearer

pytestmark = pytest.mark.django_db
VIETNAMESE = "ạảãâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ"


def detail(response) -> str:
    return response.json()["detail"]


def has_vietnamese(text: str) -> bool:
    return any(ch in VIETNAMESE for ch in text.lower())


def test_an_english_request_gets_its_errors_in_english(client):
    auth = bearer(Role.PROVINCE_OFFICIAL, "14")
    cases = [
        ("/api/units/99999?lang=en", "no unit '99999'"),  # HttpError written in the API
        ("/api/reports/table/ket-qua?unit=14&period=20x&lang=en", "invalid period"),  # a ServiceError's half
        ("/api/reports/deprivations?unit=14&k=abc&lang=en", "invalid k"),
        ("/api/households/NOPE?lang=en", "not found"),  # AccessDenied or absent: the same 404
        (f"/api/households?q={'x' * 300}&lang=en", "longer than 200"),  # refused before the API
    ]
    for url, english in cases:
        response = client.get(url, **auth)
        assert response.status_code >= 400, url
        assert english in detail(response) and not has_vietnamese(detail(response)), (url, detail(response))


def test_a_request_without_a_language_gets_vietnamese_only(client):
    auth = bearer(Role.PROVINCE_OFFICIAL, "14")
    for url in (
        "/api/units/99999",
        "/api/reports/table/ket-qua?unit=14&period=20x",
        "/api/reports/deprivations?unit=14&k=abc",
    ):
        text = detail(client.get(url, **auth))
        assert has_vietnamese(text) and " / " not in text and "invalid" not in text and "no unit" not in text, text


def test_no_token_is_refused_in_the_requests_language(client):
    assert detail(client.get("/api/households?lang=en")) == "sign in first"
    assert detail(client.get("/api/households")) == "Cần đăng nhập"


def test_the_web_users_chosen_language_reaches_the_api(client):
    from giamngheo.accounts.tests.factories import user_with_role

    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert detail(client.get("/api/units/99999")).startswith("no unit")
