"""Every query parameter is bounded in one place: a 100,000-character value is refused with a 400 and
the reason (Vietnamese first), before any lookup; values of normal length reach the pages."""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.geo.selectors import unit_by_code
from giamngheo.web.middleware import MAX_VALUE

pytestmark = pytest.mark.django_db
LONG = "a" * 100_000


@pytest.fixture
def official(client):
    user = user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
    client.force_login(user)
    return user


def _pages(commune: int) -> list[tuple[str, dict]]:
    return [
        (f"/xa/{commune}/ho/", {"q": LONG}),
        ("/bao-cao/", {"unit": LONG}),
        ("/bao-cao/danh-sach-ngheo/", {"unit": LONG, "period": "2026"}),
        ("/bao-cao/ket-qua/", {"unit": "14", "period": LONG}),
        ("/bao-cao/mpi/", {"unit": "14", "period": "2026", "k": LONG}),
        ("/bao-cao/chay-thu/", {"unit": "14", "standard": LONG, "run": "1"}),
        ("/bang-dieu-khien/", {"unit": LONG}),
        (f"/xa/{commune}/so-theo-doi/", {"thon": LONG}),
        ("/tien-do-ra-soat/", {"unit": LONG}),
    ]


def test_an_overlong_parameter_is_refused_on_every_page(client, official):
    commune = unit_by_code("03880").pk
    for path, params in _pages(commune):
        response = client.get(path, params)
        assert response.status_code == 400, path
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        name = next(k for k, v in params.items() if v is LONG)
        assert f"Tham số “{name}” dài quá 200 ký tự" in html and 'role="alert"' in html, path
        assert LONG[:1000] not in html  # the value is not echoed back


def test_the_api_answers_json(client, official):
    for path, params in [
        ("/api/households", {"q": LONG}),
        ("/api/households", {"unit": LONG}),
        ("/api/reports/whatif", {"unit": "14", "standard": LONG}),
        ("/api/reports/table/ket-qua", {"unit": "14", "period": LONG}),
    ]:
        response = client.get(path, params)
        assert response.status_code == 400, path
        assert "dài quá 200 ký tự" in response.json()["detail"]


def test_refused_before_the_login_and_for_many_parameters(client):
    response = client.get("/bao-cao/", {"unit": LONG})
    assert response.status_code == 400  # not a redirect to the login page carrying the value along
    many = {f"p{i}": "x" * 150 for i in range(60)}  # each within bounds, 9,000+ characters in all
    response = client.get("/bao-cao/", many)
    assert response.status_code == 400 and "phần truy vấn dài quá 8.000 ký tự" in response.content.decode()


def test_values_of_normal_length_pass(client, official):
    commune = unit_by_code("03880").pk
    assert client.get(f"/xa/{commune}/ho/", {"q": "Giàng Thị"}).status_code == 200
    assert client.get("/bao-cao/", {"unit": "14", "period": "2026"}).status_code == 200
    at_bound = client.get("/bao-cao/", {"unit": "1" * MAX_VALUE})
    assert "dài quá" not in at_bound.content.decode()
    more = "\n".join(["income_line.rural=2000000"] * 60)  # 1,500 characters of override lines
    response = client.get("/bao-cao/chay-thu/", {"unit": "14", "more": more})
    assert response.status_code == 200


def test_the_refusal_page_is_in_one_language_the_chosen_one(client):
    """The 400 and 503 pages come before the language middleware and once printed both languages."""
    from django.conf import settings

    vi = client.get("/bao-cao/", {"unit": LONG}).content.decode()
    assert "dài quá 200 ký tự" in vi and "longer than" not in vi and '<html lang="vi">' in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/bao-cao/", {"unit": LONG}).content.decode()
    assert "longer than 200 characters" in en and "dài quá" not in en and '<html lang="en">' in en
    assert "Bad request" in en and "Back to the home page" in en
