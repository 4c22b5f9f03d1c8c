"""The operator's figures (`/chi-so/`): off without a token, refused with a wrong one, and when read,
the requests each view answered and the health checks, added up over serve's web processes."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.test import Client

TOKEN = "chi-so-rieng-cua-nguoi-van-hanh"  # noqa: S105 (a test token)


def _count(text: str, view: str, method: str = "GET", status: str = "2xx") -> float:
    pattern = (
        rf'giamngheo_requests_total\{{[^}}]*method="{method}"[^}}]*status="{status}"[^}}]*view="{view}"[^}}]*\}} (\S+)'
    )
    found = re.search(pattern, text)
    return float(found.group(1)) if found else 0.0


def _scrape(client: Client) -> str:
    response = client.get("/chi-so/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_without_a_token_configured_the_figures_are_not_there(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/chi-so/", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["", "Bearer sai", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer tökén"])
def test_a_missing_or_wrong_token_is_refused_and_shows_no_figure(settings, header):
    settings.METRICS_TOKEN = TOKEN
    response = Client().get("/chi-so/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert b"giamngheo_" not in response.content


@pytest.mark.django_db
def test_each_answered_request_is_counted_under_its_view_with_the_health_checks(settings, tmp_path):
    settings.METRICS_TOKEN, settings.DATA_DIR = TOKEN, tmp_path
    client = Client()
    before = _scrape(client)
    for _ in range(3):
        assert client.get("/dang-nhap/").status_code == 200
    client.get("/khong-co-trang-nay/")  # no route: one label for all such paths, never the path itself
    after = _scrape(client)
    assert _count(after, "login") - _count(before, "login") == 3
    assert _count(after, "unmatched", status="4xx") - _count(before, "unmatched", status="4xx") == 1
    assert "khong-co-trang-nay" not in after
    assert re.search(r'giamngheo_request_seconds_bucket\{le="[^"]+",view="login"\}', after)
    assert re.search(r'giamngheo_health_ok\{check="database"\} 1\.0', after)
    assert re.search(r'giamngheo_health_value\{check="jobs"\} \d', after)  # the oldest waiting job's age


WORKER = """
from giamngheo.core.metrics import observe_request
for _ in range({n}):
    observe_request("login", "GET", 200, 0.01, 0.002)
"""
SCRAPE = """
from prometheus_client import generate_latest
from giamngheo.core.metrics import request_registry
print(generate_latest(request_registry()).decode())
"""


def test_under_several_web_processes_a_scrape_adds_up_every_process(tmp_path):
    """serve --workers N points its web processes at one folder: each writes its own counts there, and
    whichever process the scrape reaches answers with the sum, a process that died included."""
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for n in (4, 7):  # two processes, one after the other: the first has ended when the scrape comes
        subprocess.run([sys.executable, "-c", WORKER.format(n=n)], env=env, check=True)  # noqa: S603
    scraped = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRAPE], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert _count(scraped, "login") == 11
    assert re.search(r'giamngheo_request_cpu_seconds_total\{view="login"\} 0\.022', scraped)
