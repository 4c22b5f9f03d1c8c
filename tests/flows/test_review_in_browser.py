"""The review in a real browser on a phone-sized screen: Form B, meeting, posting, recognition,
and the certificate PDF with the head's name in correct Vietnamese.

Uses Debian's chromium (`apt-get install chromium chromium-driver`); skipped with that advice when
it is not installed. Playwright's own browser download does not work on these machines.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
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
    env = {**subprocess_database, "GIAMNGHEO_ALLOWED_HOSTS": "127.0.0.1"}
    cli = [sys.executable, "-m", "giamngheo.cli.main"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    round_id = (
        subprocess.run(
            [sys.executable, str(HERE / "setup_round.py")], env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with serving(env) as (_, port):
        yield f"http://127.0.0.1:{port}", int(round_id)


def _login(browser, base, username):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "mat-khau-thu-nghiem")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def _shots(page, name: str) -> None:
    """Screenshots of the page at a phone's and a desktop's width, when GIAMNGHEO_SCREENSHOTS names a folder."""
    folder = os.environ.get("GIAMNGHEO_SCREENSHOTS")
    if not folder:
        return
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def test_a_household_from_form_b_to_certificate(server):
    from playwright.sync_api import sync_playwright

    base, round_id = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        # 1. the reviewer fills Form B on a phone
        page = _login(browser, base, "rasoat")
        page.goto(f"{base}/ra-soat/{round_id}/")
        page.click("#listed a:has-text('Phiếu B')")
        page.select_option("select[name=water_source]", "surface_water")
        page.select_option("select[name=latrine]", "none")
        page.select_option("select[name=uses_telecom]", "false")
        page.check("input[value=no_capital]")
        page.fill("input[name=surveyed_on]", "18/09/2025")
        page.click("#save-form-b")
        explanation = page.inner_text("#explanation")
        assert "Hộ nghèo" in explanation and "900.000 đ" in explanation
        # 2. the commune official: meeting (15 of 20 agree), posting, end of posting
        page = _login(browser, base, "canbo")
        page.goto(f"{base}/ra-soat/{round_id}/")
        page.check("input[name=xac_nhan]")  # each irreversible step asks for confirmation
        page.click("text=Chuyển bước tiếp theo")
        page.click("text=Ghi kết quả họp dân từng thôn")
        _shots(page, "meeting-villages")
        page.click("#villages a:has-text('Bản Tạ Khoa')")  # one meeting per village
        page.fill("input[name=held_on]", "20/09/2025")
        page.fill("input[name=chair]", "Lò Văn Tư")
        page.fill("input[name=front_supervisor]", "Cầm Thị Hoa")
        page.fill("input[name=attendance]", "20")
        agree = page.locator("input[name^=agree_]")
        assert agree.count() == 1 and agree.get_attribute("name").removeprefix("agree_").isdigit()  # raw id > 1000
        agree.fill("15")
        _shots(page, "meeting-form")
        page.click("text=Lưu kết quả họp")
        assert "Đã lưu kết quả họp dân" in page.inner_text("main")
        page.fill("input[name=posting_start]", "22/09/2025")
        page.check("input[name=xac_nhan]")
        page.click("text=Chuyển bước tiếp theo")
        page.check("input[name=xac_nhan]")
        page.click("text=Chuyển bước tiếp theo")  # posting ended long ago: to recognition
        assert "Công nhận" in page.inner_text("ol.steps li.current")
        _shots(page, "round-recognition")
        # 3. the commune chair recognises and downloads the certificates
        page = _login(browser, base, "chutich")
        page.goto(f"{base}/ra-soat/{round_id}/")
        page.fill("input[name=decision_number]", "45/QĐ-UBND")
        page.fill("input[name=decision_date]", "30/09/2025")
        page.check("input[name=xac_nhan]")
        page.click("button:has-text('Công nhận')")
        page.click("text=Tạo biên bản, danh sách niêm yết, giấy chứng nhận")
        page.wait_for_selector("#download", timeout=60_000)
        with page.expect_download() as download:
            page.click("#download")
        archive = zipfile.ZipFile(download.value.path())
        from pypdf import PdfReader

        certificate = "\n".join(
            p.extract_text() for p in PdfReader(io.BytesIO(archive.read("giay-chung-nhan.pdf"))).pages
        )
        assert "Giàng Thị Mỷ" in certificate and "GIẤY CHỨNG NHẬN HỘ NGHÈO" in certificate
        assert "45/QĐ-UBND" in certificate
        # 4. the dashboard draws its charts from the vendored bundle, with every request to this server
        # under the Content-Security-Policy (script-src 'self'): no violation, no script error
        outside, refused = [], []
        page.context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: refused.append(str(e)))
        response = page.goto(f"{base}/bang-dieu-khien/?unit=03880&period=2025")
        # the directives come in no fixed order: compare them parsed, not as one string
        policy = response.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        page.wait_for_selector(".chart svg", timeout=30_000)
        assert "1" in page.inner_text(".stats") and not outside
        page.goto(f"{base}/bao-cao/ket-qua/?unit=03880&period=2025")
        page.wait_for_selector(".chart svg", timeout=30_000)
        assert "Tổng cộng" in page.inner_text("table.report") and not outside
        assert page.locator(".chart svg path, .chart svg rect").count() > 0  # drawn, not an empty frame
        assert refused == []
        browser.close()
