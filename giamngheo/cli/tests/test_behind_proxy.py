"""The documented HTTPS deployment, end to end: `serve` behind a TLS-terminating proxy (a small one,
written here, that adds X-Forwarded-Proto and X-Forwarded-For as nginx does) (#12.5, #11.4)."""

from __future__ import annotations

import http.client
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from giamngheo.testing.serving import serving

from .subprocess_helpers import run

HOST = "giamngheo.example.gov.vn"
ENV = {
    "SECRET_KEY": "x9Qz!7vL2pT$mN4wR8eY6uI0oA3sD5fG1hJkk-Lp0_Zq3Wv8Bn2Mx6Cc4Dd1Ee9Ff7Gg",
    "GIAMNGHEO_HTTPS": "1",
    "GIAMNGHEO_ALLOWED_HOSTS": HOST,
    "GIAMNGHEO_TRUSTED_ORIGINS": f"https://{HOST}",
    "GIAMNGHEO_TRUSTED_PROXY": "127.0.0.1",
}
PASSWORD = "Mat-khau-rat-dai-2026"


def _proxy(upstream: int) -> ThreadingHTTPServer:
    """Forward to the app from 127.0.0.1 with the headers a TLS proxy adds; X-Test-Client plays the
    browser's address (what nginx writes as $remote_addr)."""

    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in ("x-test-client", "x-forwarded-for", "x-forwarded-proto", "connection")
            }
            headers["X-Forwarded-For"] = self.headers.get("X-Test-Client", "203.0.113.7")
            headers["X-Forwarded-Proto"] = "https"
            conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
            conn.request(self.command, self.path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for k, v in answer.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _forward

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def deployed(subprocess_database):
    env = {**subprocess_database, **ENV}
    assert run(env, "init").returncode == 0
    assert run(env, "users", "add", "chi", "--role", "national_viewer", "--password", PASSWORD).returncode == 0
    with serving(env, "--no-worker") as (_, port):
        proxy = _proxy(port)
        yield proxy.server_address[1], port
        proxy.shutdown()


def _request(port, method, path, headers=None, body=None, source="127.0.0.1"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    response.read()
    return response


def _login(port, client_ip, password):
    page = _request(port, "GET", "/dang-nhap/", {"X-Test-Client": client_ip})
    token = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
    form = f"username=chi&password={password}&csrfmiddlewaretoken={token}"
    return _request(
        port,
        "POST",
        "/dang-nhap/",
        {
            "X-Test-Client": client_ip,
            "Cookie": f"csrftoken={token}",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/dang-nhap/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        form,
    )


def test_the_documented_settings_pass_the_deployment_check(subprocess_database):
    env = {**subprocess_database, **ENV}
    assert run(env, "init").returncode == 0
    done = run(env, "check", "--deploy")
    assert "security." not in done.stderr and "giamngheo.W003" not in done.stderr and "giamngheo.E00" not in done.stderr


@pytest.mark.parametrize(
    "variable, value, code",
    [
        ("GIAMNGHEO_ALLOWED_HOSTS", "*", "giamngheo.E003"),
        ("GIAMNGHEO_TRUSTED_ORIGINS", "http://*", "giamngheo.E004"),
        ("GIAMNGHEO_TRUSTED_ORIGINS", f"http://{HOST}", "giamngheo.E004"),
        ("GIAMNGHEO_TRUSTED_PROXY", "", "giamngheo.W003"),
    ],
)
def test_the_deployment_check_fails_on_loose_settings(subprocess_database, variable, value, code):
    env = {**subprocess_database, **ENV, variable: value}
    assert run(env, "init").returncode == 0
    done = run(env, "check", "--deploy")
    assert done.returncode == 1 and code in done.stderr


def test_through_the_proxy_pages_are_served_over_https_with_hsts(deployed):
    proxy, _ = deployed
    page = _request(proxy, "GET", "/dang-nhap/")
    assert page.status == 200, page.getheader("Location")  # not a redirect to itself
    assert "max-age=31536000" in page.getheader("Strict-Transport-Security")
    assert "Secure" in page.getheader("Set-Cookie")
    assert _login(proxy, "203.0.113.7", PASSWORD).status == 302


def test_a_client_cannot_forge_the_proxy_headers(deployed):
    """Straight to the app from an address that is not the proxy: X-Forwarded-Proto is not believed."""
    _, app = deployed
    direct = _request(
        app, "GET", "/dang-nhap/", {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}, source="127.0.0.2"
    )
    assert direct.status == 301 and direct.getheader("Location") == f"https://{HOST}/dang-nhap/"


def test_the_throttle_sees_the_real_client_behind_the_proxy(deployed):
    proxy, _ = deployed
    for _ in range(5):
        _login(proxy, "203.0.113.7", "wrong-password")
    assert _login(proxy, "203.0.113.7", PASSWORD).status == 429
    assert _login(proxy, "203.0.113.8", PASSWORD).status == 302  # another person behind the same proxy
