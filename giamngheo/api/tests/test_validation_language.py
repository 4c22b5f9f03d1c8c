"""django-ninja's 422 in the request's language (#13): Vietnamese unless `?lang=en` (or the web user's
English), each error naming its field; never pydantic's English in Vietnamese mode."""

import pytest

from giamngheo.accounts.models import Role

from .test_api import bearer
from .test_api_language import has_vietnamese

pytestmark = pytest.mark.django_db

CASES = [  # url, field, Vietnamese, English
    ("/api/households?page=0", "page", "page: phải lớn hơn hoặc bằng 1", "page: must be at least 1"),
    ("/api/households?page=abc", "page", "page: phải là số nguyên", "page: must be a whole number"),
    (
        "/api/households?page=184467440737095518",
        "page",
        "page: phải nhỏ hơn hoặc bằng 1.000.000",
        "page: must be at most 1,000,000",
    ),
    ("/api/units/14?on=31-12-2025", "on", "on: phải là ngày dạng yyyy-mm-dd", "on: must be a date as yyyy-mm-dd"),
    ("/api/rounds/abc/households", "round_id", "round_id: phải là số nguyên", "round_id: must be a whole number"),
]


@pytest.mark.parametrize(("url", "field", "vi", "en"), CASES)
def test_a_validation_error_speaks_the_requests_language_and_names_the_field(client, url, field, vi, en):
    auth = bearer(Role.PROVINCE_OFFICIAL, "14")
    response = client.get(url, **auth)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == vi and "Input should" not in response.content.decode()
    assert [e["field"] for e in body["errors"]] == [field]
    english = client.get(url + ("&" if "?" in url else "?") + "lang=en", **auth).json()
    assert english["detail"] == en and not has_vietnamese(english["detail"])


def test_the_web_users_english_reaches_the_validation_errors(client):
    from giamngheo.accounts.tests.factories import user_with_role

    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/api/households?page=0").json()["detail"] == "page: must be at least 1"
