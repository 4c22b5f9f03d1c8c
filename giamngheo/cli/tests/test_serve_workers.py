"""Many web processes, one database: `serve --workers N` keeps N web processes on one port (a killed
one comes back), and two servers with a separate job worker share one database, so what one writes
the other shows at once (the layout of docs/deploy.md for a province behind nginx)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from giamngheo.testing.serving import COMMAND, serving

from .subprocess_helpers import django_exec, run
from .worker_helpers import pid_alive, wait_for

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "rà-soát-2026-xã"  # noqa: S105 (a test user's password)


def _children(pid: int) -> list[tuple[int, str]]:
    """The live processes whose parent is `pid`, with their command lines (an exited child not yet
    reaped, a zombie, is not counted)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state != "Z":
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(stat.parent.name), cmdline))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _web_children(pid: int) -> list[int]:
    return [child for child, cmdline in _children(pid) if "--inherit-fd" in cmdline]


class Browser:
    """A signed-in user over HTTP with cookies and the CSRF token, as a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, form_page: str, data: dict) -> str:
        token = TOKEN.search(self.get(form_page)).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + form_page})
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def login(self, username: str) -> None:
        page = self.post("/dang-nhap/", "/dang-nhap/", {"username": username, "password": PASSWORD, "next": "/"})
        assert "dang-xuat" in page, "not signed in"


def _get_status(base: str) -> int:
    with urllib.request.urlopen(base + "/dang-nhap/", timeout=30) as response:
        return response.status


def _login_pages_counted(base: str) -> float:
    request = urllib.request.Request(base + "/chi-so/", headers={"Authorization": "Bearer chi-so"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    found = re.search(r'giamngheo_requests_total\{method="GET",status="2xx",view="login"\} (\S+)', text)
    return float(found.group(1)) if found else 0.0


@pytest.mark.skipif(os.name != "posix", reason="shared sockets and /proc are Linux's")
def test_serve_keeps_n_web_processes_on_one_port_and_stops_them_all(subprocess_database):
    env = {**subprocess_database, "GIAMNGHEO_METRICS_TOKEN": "chi-so"}
    assert run(env, "init").returncode == 0
    with serving(env, "--workers", "2", "--no-worker") as (server, port):
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: len(_web_children(server.pid)) == 2, "two web processes")
        assert all(_get_status(base) == 200 for _ in range(10))
        # the kernel spread those ten over both processes; whichever answers the scrape counts all ten
        assert [_login_pages_counted(base) for _ in range(4)] == [10.0] * 4
        killed = _web_children(server.pid)[0]
        os.kill(killed, signal.SIGKILL)  # one web process dies: the other answers, serve starts another
        assert _get_status(base) == 200
        wait_for(lambda: len(_web_children(server.pid)) == 2 and killed not in _web_children(server.pid), "a new one")
        web = _web_children(server.pid)
        wait_for(lambda: all(_get_status(base) == 200 for _ in range(5)), "answers")
    assert not any(pid_alive(pid) for pid in web)  # SIGTERM to serve stopped its web processes


def test_two_servers_and_a_worker_share_one_database(subprocess_database):
    """What one server writes, the other shows on its next page; both see the separate worker alive."""
    env = subprocess_database
    assert run(env, "init").returncode == 0
    added = run(env, "users", "add", "can_bo", "--role", "commune_official", "--unit", "03880", "--password", PASSWORD)
    assert added.returncode == 0, added.stderr
    commune = django_exec(env, "from giamngheo.geo.selectors import unit_by_code; print(unit_by_code('03880').pk)")
    worker = subprocess.Popen([*COMMAND, "worker"], env=env)
    try:
        with serving(env, "--no-worker") as (_a, port_a), serving(env, "--no-worker") as (_b, port_b):
            a, b = Browser(f"http://127.0.0.1:{port_a}"), Browser(f"http://127.0.0.1:{port_b}")
            a.login("can_bo")
            b.login("can_bo")
            assert "Thôn Nà Sài" not in b.get(f"/xa/{commune}/ho/")
            a.post(f"/xa/{commune}/thon/", f"/xa/{commune}/ho/", {"name": "Thôn Nà Sài", "kind": "village"})
            assert "Thôn Nà Sài" in b.get(f"/xa/{commune}/ho/")  # through the other server, at once
            wait_for(lambda: '"1 alive"' in b.get("/suc-khoe/"), "the worker seen")
            assert '"1 alive"' in a.get("/suc-khoe/")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


@pytest.mark.skipif(os.name != "posix", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_serve_leaves_no_web_process_or_worker_behind(subprocess_database, tmp_path):
    """kill -9 gives serve no chance to stop its children: each asked Linux to end it with serve."""
    env = subprocess_database
    assert run(env, "init").returncode == 0
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log, serving(env, "--workers", "2", stderr=log) as (server, _port):

        def all_started() -> bool:
            children = _children(server.pid)
            web = [pid for pid, cmdline in children if "--inherit-fd" in cmdline]
            worker = [pid for pid, cmdline in children if " worker" in cmdline]
            assert server.poll() is None, log_path.read_text()
            return len(web) == 2 and len(worker) == 1 and len(children) == 3

        try:
            wait_for(all_started, "two web processes and the worker")
        except AssertionError as exc:  # say what was running and what serve printed
            raise AssertionError(f"{exc}: {_children(server.pid)}\n{log_path.read_text()}") from None
        children = [pid for pid, _ in _children(server.pid)]
        os.kill(server.pid, signal.SIGKILL)
        wait_for(lambda: not any(pid_alive(pid) for pid in children), "the children to end", timeout=60)


def test_the_shared_socket_stays_open_for_the_supervisors_after_setup(monkeypatch):
    """The listening socket was a local of the setup function: collected when it returned, its fd closed
    under the supervisors, and a web process started (or restarted) after that failed with EBADF."""
    import argparse
    import gc

    from giamngheo.cli import admin_commands
    from giamngheo.cli.supervisor import WorkerSupervisor

    monkeypatch.setattr(WorkerSupervisor, "start", lambda self: self)  # no children: only the fd matters
    args = argparse.Namespace(host="127.0.0.1", port=0, threads=1)
    supervisors = admin_commands._web_processes(args, 2)
    gc.collect()
    fd = supervisors[0].pass_fds[0]
    os.fstat(fd)  # EBADF before the fix
    assert all(s.pass_fds == (fd,) for s in supervisors)
    supervisors[0].holds.close()
