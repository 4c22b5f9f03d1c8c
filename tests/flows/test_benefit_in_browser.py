"""Recording one benefit on a phone (390 px): from the household page to the form, a check of the
eligibility on the delivery date, the record, and back on the household page with the row and the
eligibility said; then its reversal after confirmation (#16 item 4, "recorded one by one in the web
app on a phone").

Uses Debian's chromium, skipped with that advice when it is not installed (as the review's flow).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from giamngheo.testing.serving import serving

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser
HERE = Path(__file__).parent


@pytest.fixture
def server(subprocess_database):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("needs Debian's chromium: apt-get install chromium chromium-driver")
    env = {**subprocess_database, "GIAMNGHEO_ALLOWED_HOSTS": "127.0.0.1", "GIAMNGHEO_TODAY": "2026-05-15"}
    cli = [sys.executable, "-m", "giamngheo.cli.main"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    setup = [sys.executable, str(HERE / "setup_benefits.py")]
    household_id = subprocess.run(setup, env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
    with serving(env) as (_, port):
        yield f"http://127.0.0.1:{port}", household_id


def _shots(page, name: str) -> None:
    """Screenshots at a phone's and a desktop's width, when GIAMNGHEO_SCREENSHOTS names a folder."""
    folder = os.environ.get("GIAMNGHEO_SCREENSHOTS")
    if not folder:
        return
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def test_a_commune_official_records_one_benefit_on_a_phone(server):
    from playwright.sync_api import sync_playwright

    base, household_id = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        page.goto(base + "/dang-nhap/")
        page.fill("input[name=username]", "canbo")
        page.fill("input[name=password]", "mat-khau-thu-nghiem")
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        page.goto(f"{base}/ho/{household_id}/")
        assert "Chưa ghi nhận hỗ trợ nào" in page.inner_text("main")
        assert "Hỗ trợ tiền điện" in page.inner_text("#missing + ul")  # poor, nothing this quarter
        page.click("#benefit-add")
        assert page.locator("#loan-fields").is_hidden()  # shown only for a loan policy
        page.select_option("select[name=policy_id]", "vay-ho-ngheo")
        assert page.locator("#loan-fields").is_visible()
        page.select_option("select[name=policy_id]", "tien-dien")
        page.fill("input[name=delivered_on]", "30/04/2026")
        page.fill("input[name=amount_vnd]", "147.000")
        page.fill("input[name=evidence]", "PC-12/2026")
        page.click("button[value=check]")
        assert "Đủ điều kiện ngày 30/04/2026: hộ nghèo theo QĐ 45/QĐ-UBND" in page.inner_text("#eligibility")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        _shots(page, "benefit-form")
        page.click("#record-benefit")
        page.wait_for_url(f"{base}/ho/{household_id}/#benefits")
        said = page.inner_text("#message")
        assert "Đã ghi Hỗ trợ tiền điện" in said and "Đủ điều kiện ngày 30/04/2026" in said
        benefits = page.inner_text("#benefits + table")
        assert "30/04/2026" in benefits and "147.000 đ" in benefits and "PC-12/2026" in benefits
        assert (
            "Hỗ trợ tiền điện"
            not in page.inner_text("main").split("Đủ điều kiện nhưng chưa nhận")[1].split("Thành viên")[0]
        )
        _shots(page, "household-benefit")
        page.reload()  # post/redirect/get: a reload records nothing twice
        assert page.inner_text("#benefits + table").count("PC-12/2026") == 1
        page.click("#benefits + table a:has-text('Đảo')")
        page.fill("input[name=reason]", "ghi nhầm số tiền")
        page.click("#reverse-form button[type=submit]")  # without the confirmation box: the form is not sent
        assert page.url.endswith("/dao/") and page.locator("input[name=xac_nhan]:invalid").count() == 1
        page.check("input[name=xac_nhan]")
        page.click("#reverse-form button[type=submit]")
        page.wait_for_url(f"{base}/ho/{household_id}/#benefits")
        benefits = page.inner_text("#benefits + table")
        assert "-147.000 đ" in benefits and "điều chỉnh giảm" in benefits
        browser.close()
