"""Load test of the web app served by the production server (waitress) on 127.0.0.1.

    python benchmarks/web_load.py [--households 400000] [--clients 50] [--seconds 60]
    python benchmarks/web_load.py --households 400000 --per-page 20

Builds a province-sized SQLite database (untimed), starts `giamngheo serve` on a free loopback
port, and runs N clients that log in, open their commune, page and search the household list,
open households and edit them (each client edits its own households, adding 1 đồng each time).
Prints requests per second, p50/p95/p99 latency per kind of page, errors, and afterwards checks
in the database that every acknowledged edit is there (no lost update). Loopback only; bounded.

With --per-page N it instead opens each page N times in a row as one commune official and prints the
server's CPU time per request (all threads of the serve process, from /proc, in nanoseconds), beside
the login page with no session as the floor: CPU time, unlike latency, is what a page costs the server
whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base: str, stats, errors, lock):
        self.base, self.stats, self.errors, self.lock = base, stats, errors, lock
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, kind: str, path: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                text = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as exc:
            text, status = exc.read().decode(errors="replace"), exc.code
        except OSError as exc:
            text, status = str(exc), 0
        elapsed = time.perf_counter() - started
        with self.lock:
            self.stats[kind].append(elapsed)
            if status != 200:
                self.errors.append((kind, path, status))
        return text

    def login(self, username: str, password: str) -> str:
        page = self.request("login_page", "/dang-nhap/")
        token = TOKEN.search(page).group(1)
        return self.request(
            "login",
            "/dang-nhap/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"},
        )


def run_client(base, username, password, unit_path, own, deadline, stats, errors, acknowledged, lock):
    client = Client(base, stats, errors, lock)
    client.login(username, password)
    names = ["Văn", "Thị", "Giàng", "Lò", "Nguyễn"]
    while time.perf_counter() < deadline:
        client.request("home", "/")
        page = random.randint(1, 40)
        client.request("list", f"{unit_path}?page={page}")
        client.request("search", f"{unit_path}?q={urllib.parse.quote(random.choice(names))}")
        household_id = random.choice(own)
        client.request("detail", f"/ho/{household_id}/")
        form = client.request("edit_form", f"/ho/{household_id}/sua/")
        fields = dict(re.findall(r'name="([a-z_0-9]+)"[^>]*value="([^"]*)"', form))
        selects = re.findall(r'<select name="([a-z_]+)"[^>]*>(.*?)</select>', form, re.S)
        for name, options in selects:
            chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
            fields[name] = chosen.group(1) if chosen else ""
        fields["csrfmiddlewaretoken"] = TOKEN.search(form).group(1)
        income = int(fields.get("income_per_capita_month") or 0)
        fields["income_per_capita_month"] = str(income + 1)
        after = client.request("edit_save", f"/ho/{household_id}/sua/", fields)
        if "Đã lưu" in after or "saved" in after:
            with lock:
                acknowledged[household_id] += 1


def server_cpu_ns(pid: int) -> int:
    """CPU time used so far by every thread of a process (the first field of each thread's schedstat)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended between listing and reading
    return total


def per_page(base: str, pid: int, unit_id: str, commune: str, household: str, times: int) -> None:
    """Each page `times` times in a row, sequentially; server CPU per request, and as a multiple of the floor."""
    stats, errors, lock = defaultdict(list), [], threading.Lock()
    anonymous, official = Client(base, stats, errors, lock), Client(base, stats, errors, lock)
    official.login("can_bo_xa", "giamngheo-demo")
    pages = [
        ("login page (floor)", anonymous, "/dang-nhap/"),
        ("home", official, "/"),
        ("rounds list", official, f"/xa/{unit_id}/ra-soat/"),
        ("household list", official, f"/xa/{unit_id}/ho/"),
        ("household list page 5", official, f"/xa/{unit_id}/ho/?page=5"),
        ("household search", official, f"/xa/{unit_id}/ho/?q=van"),
        ("household page", official, f"/ho/{household}/"),
        ("dashboard", official, f"/bang-dieu-khien/?unit={commune}&period=2026"),
        ("register of statuses", official, f"/xa/{unit_id}/so-theo-doi/"),
    ]
    rows = []
    for label, client, path in pages:
        client.request("warm", path)  # the first request fills caches: not counted
        sizes = []
        before = server_cpu_ns(pid)
        for _ in range(times):
            sizes.append(len(client.request(label, path).encode()))
        rows.append((label, (server_cpu_ns(pid) - before) / times / 1e6, statistics.median(stats[label]), sizes[-1]))
    floor = rows[0][1]
    print(f"server CPU per request, {times} sequential requests per page:")
    for label, cpu_ms, wall, size in rows:
        print(
            f"  {label:<22} {cpu_ms:8.1f} ms CPU  ×{cpu_ms / floor:5.1f} floor  {wall * 1000:8.1f} ms wall  {size / 1024:7.0f} KB"
        )
    if errors:
        print("errors:", errors[:5])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=400_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--per-page", type=int, default=0, help="server CPU per page over N requests instead")
    parser.add_argument("--data-dir", help="reuse the database an earlier run left in this folder (printed)")
    args = parser.parse_args()
    tmp = Path(args.data_dir or tempfile.mkdtemp(prefix="giamngheo-load-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GIAMNGHEO_DATA_DIR=str(tmp), GIAMNGHEO_ALLOWED_HOSTS="127.0.0.1")
    cli = [sys.executable, "-m", "giamngheo.cli.main"]
    t = time.perf_counter()
    if not (tmp / "giamngheo.sqlite3").exists():
        subprocess.run(
            [*cli, "demo", "--no-serve", "--households", str(args.households), "--province", "14"],
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"database: {args.households:,} households (built in {time.perf_counter() - t:.0f} s, untimed) in {tmp}")
    else:
        print(f"database: reused from {tmp}")
    setup = (
        "import os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');import django;django.setup();"
        "from giamngheo.registry.models import Household as H;"
        "u=H.objects.filter(unit__code=os.environ['C']).order_by('household_id');"
        "print(u.first().unit_id);print(' '.join(u.values_list('household_id',flat=True)[:%d]))" % (args.clients * 20)
    )
    import polars as pl

    commune = (
        pl.read_parquet(next(tmp.glob("demo-*/households.parquet")), columns=["admin_code"])
        .get_column("admin_code")
        .min()
    )
    out = subprocess.run(
        [sys.executable, "-c", setup], env={**env, "C": commune}, check=True, capture_output=True, text=True
    ).stdout.split("\n")
    unit_path, households = f"/xa/{out[0]}/ho/", out[1].split()
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--threads", "16"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/dang-nhap/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        if args.per_page:
            per_page(base, server.pid, out[0], commune, households[0], args.per_page)
            return
        stats, errors, acknowledged, lock = defaultdict(list), [], defaultdict(int), threading.Lock()
        initial = {h: None for h in households}
        read = (
            "import os,json;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');import django;"
            "django.setup();from giamngheo.registry.models import Household as H;"
            "print(json.dumps(dict(H.objects.filter(household_id__in=os.environ['IDS'].split()).values_list("
            "'household_id','income_per_capita_month'))))"
        )
        import json

        initial = json.loads(
            subprocess.run(
                [sys.executable, "-c", read],
                env={**env, "IDS": " ".join(households)},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        deadline = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(
                target=run_client,
                args=(
                    base,
                    "can_bo_xa",
                    "giamngheo-demo",
                    unit_path,
                    households[i * 20 : (i + 1) * 20],
                    deadline,
                    stats,
                    errors,
                    acknowledged,
                    lock,
                ),
            )
            for i in range(args.clients)
        ]
        started = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in stats.values())
    print(
        f"{args.clients} clients, {elapsed:.0f} s: {total:,} requests, {total / elapsed:.1f} requests/s, "
        f"{len(errors)} errors"
    )
    for kind, values in sorted(stats.items()):
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(
            f"  {kind:<11} n={len(values):>6}  p50 {q[49] * 1000:7.1f} ms  p95 {q[94] * 1000:7.1f} ms  "
            f"p99 {q[98] * 1000:7.1f} ms"
        )
    final = json.loads(
        subprocess.run(
            [sys.executable, "-c", read],
            env={**env, "IDS": " ".join(households)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    lost = sum(1 for h in households if final[h] != initial[h] + acknowledged[h])
    print(
        f"edits acknowledged: {sum(acknowledged.values()):,}; households whose final income differs from "
        f"initial + acknowledged edits (lost or phantom updates): {lost}"
    )
    if errors:
        print("first errors:", errors[:5])


if __name__ == "__main__":
    main()
