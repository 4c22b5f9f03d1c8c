"""Entry point of the `giamngheo` command. Each subcommand lives in a module of this package."""

from __future__ import annotations

import argparse
import os
import sys

from . import standards_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="giamngheo",
        description="Rà soát hộ nghèo, hộ cận nghèo / Vietnam's poverty review system",
    )
    parser.add_argument(
        "--as", dest="as_user", default=None, help="act as this user (default: the system administrator)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        module.register(sub)
    for command in sub.choices.values():  # every command that writes a file refuses to overwrite one
        if any("--output" in action.option_strings for action in command._actions):
            command.add_argument("--force", action="store_true", help="overwrite an existing output file")
    return parser


def _command_modules() -> list:
    from . import (
        admin_commands,
        decision_commands,
        exchange_commands,
        plan_commands,
        policy_commands,
        report_commands,
        statistics_commands,
        summary_commands,
    )

    return [
        admin_commands,
        decision_commands,
        exchange_commands,
        plan_commands,
        policy_commands,
        report_commands,
        standards_commands,
        statistics_commands,
        summary_commands,
    ]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    from ..core.private import private_umask
    from .supervisor import die_with_parent

    private_umask()  # the data folder's files (database, uploads, exports) are the service user's only
    die_with_parent()  # a worker or web process started by serve ends with it
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, value in getattr(args, "environment", {}).items():  # before any library reads it
        os.environ.setdefault(name, value)
    from .output import OutputPathError, check_outputs

    try:
        check_outputs(args)  # before any work: a bad path fails in a second, not after the run
        if getattr(args, "needs_django", True):
            setup_django()
        return int(args.func(args) or 0)
    except OutputPathError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:  # a file the command reads or writes: say which and why, not a traceback
        if exc.filename is None:
            raise
        print(f"Lỗi tệp / file error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
