"""Error pages in the reader's language (#13 item 3): an unknown address or a record outside the user's
units is our 404 page, a refusal our 403 and a crash our 500, never Django's English "Not Found" or
"Server Error (500)". Tests run with DEBUG=False, as production does."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.template import loader
from django.test import Client
from django.utils import translation

from giamngheo.accounts.models import Role

from .test_one_language import other_language, visible
from .test_pages import COMMUNE_A, data, login  # noqa: F401 (fixture)


def _english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.mark.django_db
def test_an_unknown_address_is_our_page_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 404 and 'lang="vi"' in page
    assert "Không tìm thấy trang" in visible(page) and "Not Found" not in page
    assert "Quản lý giảm nghèo" in page and 'value="en">English</button>' in page  # the site's header
    assert other_language(visible(page), "vi") == []


@pytest.mark.django_db
def test_in_english_after_choosing_english(client):
    _english(client)
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404 and 'lang="en"' in page
    assert "Page not found" in visible(page) and "Không tìm thấy" not in page
    assert other_language(visible(page), "en") == []


@pytest.mark.django_db
def test_a_household_outside_the_users_units_is_the_same_page(client, data):  # noqa: F811
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    response = client.get("/ho/HB1/")
    page = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in page
    assert "HB1" not in page  # the language switch does not echo the address: no data in a denial


@pytest.mark.django_db
def test_the_language_switch_on_a_404_returns_to_the_same_address(client):
    page = client.get("/khong-co-trang-nay/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="next"' not in page
    switch = client.post("/i18n/setlang/", {"language": "en"}, HTTP_REFERER="http://testserver/khong-co-trang-nay/")
    assert switch.status_code == 302 and switch["Location"] == "http://testserver/khong-co-trang-nay/"


@pytest.mark.django_db
def test_a_refusal_is_our_403_page(data, monkeypatch):  # noqa: F811
    client = Client()
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)

    def refuse(user):
        raise PermissionDenied

    monkeypatch.setattr("giamngheo.web.views.communes_visible_to", refuse)
    response = client.get("/")
    assert response.status_code == 403 and "Không có quyền truy cập" in response.content.decode()
    _english(client)
    assert "Access not allowed" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_crash_is_our_500_page_in_the_chosen_language(data, monkeypatch, language):  # noqa: F811
    client = Client(raise_request_exception=False)
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    if language == "en":
        _english(client)

    def crash(user):
        raise OperationalError("no such table: geo_adminunit")

    monkeypatch.setattr("giamngheo.web.views.communes_visible_to", crash)
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 500 and f'lang="{language}"' in page
    assert "Server Error" not in page and "no such table" not in page
    assert {"vi": "Hệ thống gặp lỗi", "en": "Something went wrong"}[language] in visible(page)
    assert other_language(visible(page), language) == []


def test_the_500_page_needs_no_database_nor_request():
    """No django_db mark: any query while rendering would fail the test."""
    page = loader.get_template("500.html").render()
    assert 'lang="vi"' in page and "Hệ thống gặp lỗi" in page and "Something" not in page
    with translation.override("en"):
        assert "Something went wrong" in loader.get_template("500.html").render()


def test_the_refusal_pages_say_what_happened_in_their_heading(client):
    from django.template.loader import render_to_string

    for name, heading in (("403.html", "Không có quyền truy cập"), ("404.html", "Không tìm thấy trang")):
        html = render_to_string(name)
        assert f"<h1>{heading}</h1>" in html and f"<title>{heading}" in html, name
