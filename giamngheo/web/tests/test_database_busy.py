"""A web save that SQLite refuses after its busy timeout (a long import holds the write lock) tells the
user that nothing was saved and to try again in a minute: a 503 page, never a server error."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.web.middleware import DatabaseBusyMiddleware

from .test_pages import COMMUNE_A, _edit_form, data, login  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_locked_database_on_save_is_a_try_again_page(client, data, monkeypatch):  # noqa: F811
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    form = _edit_form(client, "HA1")
    form["latrine"] = "none"

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("giamngheo.web.views.household_update", locked)
    response = client.post(reverse("household_edit", args=["HA1"]), form)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    html = response.content.decode()
    assert "chưa được lưu" in html and "thử lại sau một phút" in html and 'role="alert"' in html


def test_the_api_gets_json_and_other_database_errors_are_left_alone():
    middleware = DatabaseBusyMiddleware(lambda request: None)
    api = middleware.process_exception(RequestFactory().post("/api/x"), OperationalError("database is locked"))
    assert api.status_code == 503 and "thử lại" in json.loads(api.content)["detail"]
    assert middleware.process_exception(RequestFactory().get("/"), OperationalError("no such table: x")) is None
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("database is locked")) is None


def test_through_the_api(client, data, monkeypatch):  # noqa: F811
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("giamngheo.api.api.registry.household_list", locked)
    response = client.get("/api/households")
    assert response.status_code == 503 and "chưa được lưu" in response.json()["detail"]


def test_the_busy_page_is_in_the_chosen_language_only():
    from django.conf import settings

    middleware = DatabaseBusyMiddleware(lambda request: None)
    request = RequestFactory().post("/ho/HA1/sua/")
    vi = middleware.process_exception(request, OperationalError("database is locked")).content.decode()
    assert "chưa được lưu" in vi and "Nothing was saved" not in vi
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = middleware.process_exception(request, OperationalError("database is locked")).content.decode()
    assert "Nothing was saved" in en and "chưa được lưu" not in en and "The system is busy" in en
