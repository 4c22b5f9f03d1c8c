"""A detailed list too long for a PDF is refused in the page, with the reason: never a text body
that the browser saves as download.txt."""

from __future__ import annotations

import pytest

from giamngheo.reports.tests.conftest import province_official  # noqa: F401 (fixture)
from giamngheo.reports.tests.registry import synthetic_registry

pytestmark = pytest.mark.django_db


def test_a_too_long_pdf_is_refused_with_a_message_in_the_page(client, province_official, monkeypatch):  # noqa: F811
    synthetic_registry(80, seed=4)
    monkeypatch.setattr("giamngheo.reports.render.PDF_MAX_ROWS", 1)
    client.force_login(province_official)
    response = client.get("/bao-cao/danh-sach-ngheo/", {"unit": "14", "period": "2026", "format": "pdf"})
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in html and "quá 1 dòng cho PDF" in html
