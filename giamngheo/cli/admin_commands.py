"""init, serve, demo, synth, load, users: setting up and running a giamngheo installation."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from giamngheo.core import clock

NOT_MIGRATED = (
    "Cơ sở dữ liệu chưa sẵn sàng: hãy chạy `giamngheo init` trước.\n"
    "The database is not ready: run `giamngheo init` first."
)


def _database_problem() -> str | None:
    """What stops commands from using the database, or None: unreachable first, then not migrated."""
    from ..core.dbstate import connection_problem, migrations_pending

    problem = connection_problem()
    if problem is not None:
        return f"{problem.message_vi}\n{problem.message_en}"
    from django.db import DatabaseError

    try:
        return NOT_MIGRATED if migrations_pending() else None
    except DatabaseError as exc:  # it answers but cannot be read (a damaged file): not an init problem
        return f"Không đọc được cơ sở dữ liệu: {exc}\nthe database cannot be read: {exc}"


def _database_ready() -> bool:
    return _database_problem() is None


def require_ready() -> None:
    problem = _database_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        raise SystemExit(3)


def require_reachable() -> None:
    """The database answers (a restore may install into an empty one)."""
    from ..core.dbstate import connection_problem

    problem = connection_problem()
    if problem is not None:
        print(f"{problem.message_vi}\n{problem.message_en}", file=sys.stderr)
        raise SystemExit(3)


def acting_user(args: argparse.Namespace):
    """The user command-line work acts as: --as USERNAME, else the system administrator.

    `--as ''` names no one and is refused, never read as "no --as" (the administrator)."""
    from ..accounts.services import active_user, system_user

    if getattr(args, "as_user", None) is not None:
        user = active_user(args.as_user) if args.as_user.strip() else None
        if user is None:
            print(f"Không có người dùng '{args.as_user}' / no user '{args.as_user}'", file=sys.stderr)
            raise SystemExit(2)
        return user
    return system_user()


def require_admin_actor(args: argparse.Namespace):
    """The acting user, who must be an administrator (users, tokens, retention, backup, restore)."""
    from ..accounts.access import require_admin
    from ..core.errors import AccessDenied

    actor = acting_user(args)
    try:
        require_admin(actor)
    except AccessDenied as exc:
        print(str(exc), file=sys.stderr)
        raise SystemExit(2) from exc
    return actor


def cmd_init(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from ..core.private import make_private
    from ..geo.services import units_load

    make_private(settings.DATA_DIR)  # a folder made by an older version, or copied in, is closed up
    require_reachable()
    call_command("migrate", interactive=False, verbosity=0)
    counts = units_load()
    print(f"Cơ sở dữ liệu sẵn sàng / database ready: {settings.DATABASES['default']['NAME']}")
    print(
        f"Đơn vị hành chính mới thêm / units added: {counts['units_created']}, "
        f"ánh xạ cũ-mới / old-to-new links: {counts['successions_created']}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    require_ready()
    import signal

    from waitress import serve

    from config.wsgi import application

    from .supervisor import WorkerSupervisor

    def stop(signum, frame):  # a service manager's SIGTERM stops serve like Ctrl-C: worker included
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    inherited = getattr(args, "inherit_fd", None)
    if inherited is not None:  # one of serve --workers N's web processes: the parent owns the rest
        import socket

        listening = socket.socket(fileno=inherited)
        try:
            serve(application, sockets=[listening], threads=args.threads, ident="giamngheo", **proxy_options())
        except KeyboardInterrupt:
            pass
        return 0
    workers = getattr(args, "workers", 1) or 1
    if workers > 1 and os.name != "posix":
        print("--workers > 1 chỉ chạy trên Linux / needs Linux (shared listening socket)", file=sys.stderr)
        return 2
    supervisors = []
    if not getattr(args, "no_worker", False):  # background jobs (documents, imports) run beside the server
        supervisors.append(WorkerSupervisor().start())
    from ..core.worker import serving_marker

    print(f"giamngheo: http://{args.host}:{args.port}/  (Ctrl+C để dừng / to stop)", flush=True)
    try:
        with serving_marker(port=args.port):  # a restore refuses to run under a live server
            if workers == 1:
                serve(
                    application,
                    host=args.host,
                    port=args.port,
                    threads=args.threads,
                    ident="giamngheo",
                    **proxy_options(),
                )
            else:
                _shared_metrics_folder(args.port)
                supervisors += _web_processes(args, workers)
                while True:  # until SIGTERM or Ctrl-C (KeyboardInterrupt); the supervisors do the rest
                    signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        for supervisor in supervisors:
            supervisor.stop()
    return 0


def _shared_metrics_folder(port: int) -> None:
    """The web processes' request counters in one folder, emptied at start, so a scrape of /chi-so/
    answered by any of them adds up all of them (core.metrics); an operator's own folder is left alone."""
    import shutil

    from django.conf import settings

    from ..core.metrics import MULTIPROC_ENV

    if os.environ.get(MULTIPROC_ENV):
        return
    folder = settings.DATA_DIR / "metrics" / str(port)
    shutil.rmtree(folder, ignore_errors=True)  # counts of an earlier run would add up with this one's
    folder.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(folder)  # read by each web process as it starts


def _web_processes(args: argparse.Namespace, workers: int) -> list:
    """N web processes accepting on one socket this process opens (the kernel shares the connections
    among them): N cores serve pages at once, where one process's threads share one interpreter lock.
    Each is restarted if it dies; a process's caches (reports, explanations) are its own."""
    import socket

    from .supervisor import WorkerSupervisor

    listening = socket.create_server((args.host, args.port), backlog=2048)
    listening.set_inheritable(True)
    fd = listening.fileno()
    argv = [sys.executable, "-m", "giamngheo.cli.main", "serve", "--inherit-fd", str(fd), "--no-worker"]
    argv += ["--threads", str(args.threads), "--port", str(args.port)]
    what = ("Tiến trình web", "a web process")
    # each supervisor holds the socket: were it collected when this returns, its fd would close under
    # the supervisors still starting (and later restarting) children with it (seen: EBADF in Popen)
    return [WorkerSupervisor(argv, pass_fds=(fd,), what=what, holds=listening).start() for _ in range(workers)]


def proxy_options() -> dict:
    """Behind the TLS proxy (GIAMNGHEO_TRUSTED_PROXY), waitress takes the scheme and the client's address
    from that proxy's X-Forwarded-Proto/For only, and drops those headers from anyone else."""
    from django.conf import settings

    if not settings.TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued background jobs until stopped: retries on a locked database, ends the jobs of
    workers that died, leaves a heartbeat (core.worker)."""
    require_ready()
    from ..core.worker import run_worker

    run_worker(interval=0.5)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from ..core.atomic import atomic_output
    from ..synth.population import synthesize

    households, members = synthesize(province=args.province, households=args.households, seed=args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (("households", households), ("members", members)):
        for suffix, write in ((".parquet", frame.write_parquet), (".csv", frame.write_csv)):
            with atomic_output(out / f"{name}{suffix}") as tmp:
                write(tmp)
    print(f"{households.height} hộ, {members.height} thành viên → {out}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    require_ready()
    from ..registry.bulk import load_folder

    result = load_folder(Path(args.folder), actor=acting_user(args), progress=True)
    print(result.summary())
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    require_ready()
    from ..accounts.services import user_add
    from ..core.errors import ServiceError
    from .arguments import named_unit

    unit = None
    if args.unit:
        unit = named_unit(args.unit)
        if unit is None:
            return 2
    try:
        user = user_add(
            actor=acting_user(args),
            username=args.username,
            role=args.role,
            unit=unit,
            password=args.password,
            policies=[p.strip() for p in (args.policies or "").split(",") if p.strip()],
        )
    except ServiceError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(
        f"{user.username}: {args.role}"
        + (f" @ {unit.name} ({unit.code})" if unit else "")
        + (f" [{args.policies}]" if args.policies else "")
    )
    return 0


def cmd_users_reset_2fa(args: argparse.Namespace) -> int:
    """An administrator's reset of a user's second sign-in step; audited (`otp.reset`)."""
    require_ready()
    from ..accounts.services import active_user
    from ..accounts.two_factor import devices_reset

    actor = require_admin_actor(args)
    user = active_user(args.username)
    if user is None:
        print(f"Không có người dùng '{args.username}' / no user '{args.username}'", file=sys.stderr)
        return 2
    removed = devices_reset(actor=actor, user=user)
    print(
        f"{user.username}: đã xoá {removed} thiết bị xác thực; lần đăng nhập sau sẽ cài lại / "
        f"{removed} two-factor devices removed; they enrol again at the next sign-in"
    )
    return 0


def cmd_users_issue_2fa(args: argparse.Namespace) -> int:
    """An administrator issues a user's authenticator: the secret (and its QR code as an SVG file) and
    the recovery codes are printed once, to be handed over in person; audited (`otp.issue`)."""
    require_ready()
    import base64

    import segno

    from ..accounts.services import active_user
    from ..accounts.two_factor import devices_issue
    from ..core.atomic import atomic_output

    actor = require_admin_actor(args)
    user = active_user(args.username)
    if user is None:
        print(f"Không có người dùng '{args.username}' / no user '{args.username}'", file=sys.stderr)
        return 2
    device, codes = devices_issue(actor=actor, user=user)
    secret = base64.b32encode(device.bin_key).decode()
    if args.qr:
        with atomic_output(args.qr) as path:
            segno.make(device.config_url, error="m").save(str(path), kind="svg", scale=5, border=2)
    print(f"{user.username}: khoá bí mật / secret: {' '.join(secret[i : i + 4] for i in range(0, len(secret), 4))}")
    if args.qr:
        print(f"mã QR / QR code: {args.qr}")
    print("mã dự phòng (mỗi mã dùng một lần) / recovery codes (each works once): " + " ".join(codes))
    return 0


def cmd_unit(args: argparse.Namespace) -> int:
    """Which unit bore a code on a date, and what it is now."""
    require_ready()
    import datetime as dt

    from ..geo.selectors import successors, unit_by_code
    from ..standards.formats import date_vi

    when = dt.date.fromisoformat(args.on) if args.on else clock.today()
    unit = unit_by_code(args.code, when)
    if unit is None:
        print(f"Không có đơn vị mã {args.code} ngày {date_vi(when)} / no unit {args.code} on {when}", file=sys.stderr)
        return 2
    parents = []
    parent = unit.parent
    while parent is not None:
        parents.append(parent.name)
        parent = parent.parent
    until = f" đến / until {date_vi(unit.valid_to)}" if unit.valid_to else ""
    print(
        f"{unit.code} {unit.name} ({unit.unit_type}, {'thành thị/urban' if unit.area == 'urban' else 'nông thôn/rural'})"
        f" — {', '.join(parents)}{until}"
    )
    if unit.valid_to is not None:
        for new in successors(unit):
            print(f"  → nay là / now: {new.code} {new.name} ({new.parent.name if new.parent else ''})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Django's system checks plus ours; with --deploy, the production checks, failing on warnings."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=args.deploy, fail_level="WARNING" if args.deploy else "ERROR")
    except SystemCheckError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    problem = _database_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    """The checks of `/suc-khoe/` from the command line: exit 0 when all pass, 1 when one fails."""
    from giamngheo.core.health import health

    checks = health()
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.name:<9} {check.detail}")
    return 0 if all(c.ok for c in checks) else 1


def _backup_key(args: argparse.Namespace, *, confirm: bool) -> bytes | None:
    """The backup passphrase: --key-file, else the file GIAMNGHEO_BACKUP_KEY_FILE names, else typed
    at the terminal (twice when encrypting); never on the command line, where `ps` would show it."""
    import os

    from ..core.backup_crypto import KEY_FILE_ENV, check_passphrase, read_key_file
    from ..core.errors import ServiceError

    path = getattr(args, "key_file", None) or os.environ.get(KEY_FILE_ENV, "").strip()
    if path:
        return read_key_file(Path(path))
    if not sys.stdin.isatty():
        if not confirm:
            return None  # the restore says the file is encrypted and how to give its key
        raise ServiceError(
            f"Cần khoá sao lưu: --key-file TỆP hoặc biến môi trường {KEY_FILE_ENV}",
            f"a backup key is needed: --key-file FILE or the environment variable {KEY_FILE_ENV}",
        )
    import getpass

    typed = getpass.getpass("Khoá sao lưu / backup passphrase: ").encode()
    check_passphrase(typed)
    if confirm and getpass.getpass("Nhập lại / again: ").encode() != typed:
        raise ServiceError("Hai lần nhập khoá không khớp", "the two passphrases differ")
    return typed


def cmd_backup(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.backup import backup
    from ..core.errors import ServiceError

    actor = require_admin_actor(args)  # a copy of everyone's data
    try:
        key = _backup_key(args, confirm=True) if args.encrypt or args.key_file else None
        path = backup(Path(args.output), actor=actor, passphrase=key)
    except ServiceError as exc:
        print(f"{exc.message_vi}\n{exc.message_en}", file=sys.stderr)
        return 2
    encrypted = "mã hoá / encrypted, " if key is not None else ""
    print(f"Đã sao lưu / backed up → {path} ({encrypted}{path.stat().st_size:,} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..core.backup import needs_key, restore
    from ..core.errors import ServiceError

    if getattr(args, "as_user", None) is not None:  # only the administrator replaces the database
        require_admin_actor(args)
    require_reachable()
    try:
        key = _backup_key(args, confirm=False) if needs_key(Path(args.file)) else None
        done = restore(Path(args.file), actor=lambda: acting_user(args), passphrase=key, force=args.force)
    except ServiceError as exc:
        print(f"{exc.message_vi}\n{exc.message_en}", file=sys.stderr)
        return 2
    print(
        f"Đã khôi phục / restored ← {done.source}\n"
        f"Bản trước khi khôi phục / the database before the restore: {done.previous}"
    )
    if not _database_ready():
        print(
            "Bản sao lưu của phiên bản cũ hơn: chạy `giamngheo init` để nâng cấp / "
            "the backup is from an older version: run `giamngheo init` to migrate it",
            file=sys.stderr,
        )
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """Show or set how long closed rounds keep survey photos and GPS points; --purge applies it."""
    require_ready()
    from ..core.errors import ServiceError
    from ..review.models import RetentionPolicy
    from ..review.services import retention_set, survey_data_purge

    actor = acting_user(args)
    try:
        if args.days is not None:
            retention_set(actor=actor, days=args.days)
        print(
            f"Thời hạn lưu dữ liệu rà soát / survey data kept for: {RetentionPolicy.current().survey_data_days} ngày/days"
        )
        if args.purge:
            print(f"Đã xoá ảnh, GPS của / purged: {survey_data_purge(actor=actor)} hộ/households")
    except ServiceError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    """Issue (USERNAME), list (--list [USERNAME]) or revoke (--revoke ID_OR_PREFIX) API tokens;
    an administrator's work, all three (a token acts as its user)."""
    require_ready()
    from ..accounts.services import active_user
    from ..core.errors import ServiceError

    actor = require_admin_actor(args)
    user = None
    if args.username is not None:
        user = active_user(args.username)
        if user is None:
            print(f"Không có người dùng '{args.username}' / no user '{args.username}'", file=sys.stderr)
            return 2
    try:
        if args.list:
            return _token_list(actor, user)
        if args.revoke is not None:
            return _token_revoke(actor, args.revoke, user)
        if user is None:
            print("Ghi tên người dùng / give a username (or --list, --revoke)", file=sys.stderr)
            return 2
        return _token_issue(actor, user)
    except ServiceError as exc:
        print(str(exc), file=sys.stderr)
        return 2


TOKEN_STATES = {"active": "còn hiệu lực / active", "expired": "hết hạn / expired", "revoked": "đã thu hồi / revoked"}


def _token_issue(actor, user) -> int:
    from ..accounts.services import datetime_vi, token_issue

    key, token = token_issue(actor=actor, user=user)
    print(key)  # alone on stdout, for scripts
    print(f"Hết hạn / expires: {datetime_vi(token.expires_at)}", file=sys.stderr)
    return 0


def _token_list(actor, user) -> int:
    from ..accounts.selectors import token_list
    from ..accounts.services import datetime_vi

    now = clock.now()
    header = (
        "số hiệu/id",
        "mã/prefix",
        "người dùng/owner",
        "tạo/created",
        "hết hạn/expires",
        "dùng lần cuối/last used",
        "trạng thái/state",
    )
    rows = [
        (
            str(t.pk),
            f"{t.prefix}…",
            t.user.username,
            datetime_vi(t.created_at),
            datetime_vi(t.expires_at),
            datetime_vi(t.last_used_at) or "chưa dùng/never",
            TOKEN_STATES[t.state(now)] + (f" {datetime_vi(t.revoked_at)}" if t.revoked_at else ""),
        )
        for t in token_list(actor=actor, user=user)
    ]
    if not rows:
        print("Chưa có mã truy cập nào / no tokens")
        return 0
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _token_revoke(actor, reference: str, user) -> int:
    from ..accounts.selectors import token_find
    from ..accounts.services import token_revoke

    token = token_find(actor=actor, reference=reference)
    if user is not None and token.user_id != user.pk:
        print(
            f"Mã truy cập {token.prefix}… là của {token.user.username}, không phải {user.username} / "
            f"token {token.prefix}… belongs to {token.user.username}, not {user.username}",
            file=sys.stderr,
        )
        return 2
    token_revoke(actor=actor, token=token)
    print(f"Đã thu hồi / revoked: {token.pk} {token.prefix}… ({token.user.username})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create or migrate the database and load administrative units")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("serve", help="run the web app with a production WSGI server (waitress)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--workers", type=int, default=1, help="web processes sharing the port (Linux; default 1)")
    p.add_argument("--inherit-fd", type=int, help=argparse.SUPPRESS)  # set by --workers for its web processes
    p.add_argument("--no-worker", action="store_true", help="do not start the background job worker")
    # One request classifies one household: Polars' thread pool would only fight the server's threads.
    p.set_defaults(func=cmd_serve, environment={"POLARS_MAX_THREADS": "1"})

    p = sub.add_parser("health", help="database, disk, workers and waiting jobs: exit 1 if one fails")
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("worker", help="run background jobs (started by serve; run it alone on a server)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="init, synthetic communes, demo logins, and serve")
    p.add_argument("--households", type=int, default=20_000)
    p.add_argument("--province", default="14", help="province code (default 14, Sơn La)")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="prepare the demo and exit")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("synth", help="write a synthetic population in the data contract")
    p.add_argument("--province", required=True, help="province code, e.g. 14")
    p.add_argument("--households", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=cmd_synth, needs_django=False)

    p = sub.add_parser("load", help="bulk-load a folder of households/members files (idempotent)")
    p.add_argument("folder")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("backup", help="write a consistent copy of the database to a file")
    p.add_argument("--output", required=True)
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="encrypt with a passphrase (AES-256-GCM, key by scrypt): from --key-file, "
        "GIAMNGHEO_BACKUP_KEY_FILE, or typed",
    )
    p.add_argument("--key-file", help="file holding the backup passphrase (implies --encrypt)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (stop the server first)")
    p.add_argument("file")
    p.add_argument("--key-file", help="file holding the passphrase of an encrypted backup")
    p.add_argument("--force", action="store_true", help="restore even while `serve` or a worker is running")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="system checks (with --deploy: the production checks)")
    p.add_argument("--deploy", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("retention", help="how long closed rounds keep survey photos and GPS (admin)")
    p.add_argument("--days", type=int)
    p.add_argument("--purge", action="store_true", help="remove what is older now")
    p.set_defaults(func=cmd_retention)

    p = sub.add_parser(
        "token",
        help="API tokens (Authorization: Bearer TOKEN): print a new one for USERNAME, --list, --revoke (admin)",
    )
    p.add_argument("username", nargs="?", help="the user the new token acts as (with --list: whose tokens)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="owner, created, expires, last used, prefix (no secret)")
    what.add_argument(
        "--revoke",
        metavar="ID_OR_PREFIX",
        help="stop a token at once: its id or prefix from --list (--revoke=-abc for a prefix starting with -)",
    )
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("unit", help="which unit a code was on a date, and what it is now")
    p.add_argument("code")
    p.add_argument("--on", help="date YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_unit)

    p = sub.add_parser("users", help="manage users")
    users = p.add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="add a user with a role in a unit")
    add.add_argument("username")
    add.add_argument("--role", required=True)
    add.add_argument("--unit", help="unit code (commune or province)")
    add.add_argument("--password", help="at least 10 characters, not all digits, not common, not like the username")
    add.add_argument("--policies", help="agency_officer: the policy ids it works on, comma-separated (bhyt,hoc-phi)")
    add.set_defaults(func=cmd_users_add)
    reset = users.add_parser(
        "reset-2fa", help="remove a user's authenticator and recovery codes (lost phone): they enrol again"
    )
    reset.add_argument("username")
    reset.set_defaults(func=cmd_users_reset_2fa)
    issue = users.add_parser(
        "issue-2fa",
        help="issue a user's authenticator (secret, QR code, recovery codes) to hand over in person; "
        "with GIAMNGHEO_TWO_FACTOR_SELF_ENROL=0 it is the only way to get one",
    )
    issue.add_argument("username")
    issue.add_argument("--qr", type=Path, help="write the QR code to this SVG file")
    issue.set_defaults(func=cmd_users_issue_2fa)
