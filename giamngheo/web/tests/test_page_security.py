"""Pages under a Content-Security-Policy, never cached when signed in, charts serialised safely (#11.13, #11.16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import household, system_user, user_with_role

ROOT = Path(__file__).resolve().parents[2]  # the giamngheo package
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))


@pytest.fixture
def province_client(db):
    from giamngheo.reports.tests.registry import synthetic_registry

    synthetic_registry(120, seed=3)
    client = Client()
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    return client


def test_a_unit_name_cannot_end_the_chart_script(province_client):
    from giamngheo.geo.models import AdminUnit

    evil = "</script><script>alert(1)</script>"
    AdminUnit.objects.filter(level="commune", households__isnull=False).update(name=evil)
    for path in ("/bao-cao/ket-qua/?unit=14&period=2026", "/bang-dieu-khien/?unit=14&period=2026"):
        html = province_client.get(path).content.decode()
        assert 'id="vegalite-' in html, path  # a chart is there
        assert "<script>alert(1)" not in html, path


def test_pages_carry_a_strict_script_policy(province_client):
    response = province_client.get("/bang-dieu-khien/?unit=14&period=2026")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "Content-Security-Policy" in Client().get("/dang-nhap/")


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_are_not_stored():
    admin = system_user()
    household(admin, "HA1", "03880")
    official = user_with_role(Role.COMMUNE_OFFICIAL, "03880")
    client = Client()
    client.force_login(official)
    for path in ("/ho/HA1/?so-dinh-danh=1", "/ho/HA1/nhat-ky/", "/mau-nhap-lieu/"):
        assert "no-store" in client.get(path).get("Cache-Control", ""), path
    token = token_create(actor=admin, user=official)
    api = Client().get("/api/households/HA1", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_unescaped_output(template):
    """Inline scripts and handlers would be blocked by the policy; `|safe` is how #11.13 happened."""
    text = template.read_text(encoding="utf-8")
    assert "|safe" not in text.replace(" ", "")
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler: use a static script"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag, f"inline script {tag}: use a static file or json_script"
