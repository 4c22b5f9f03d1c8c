"""Why the database cannot be used, said as it is: unreachable, refused login, missing, or not migrated.

"Run giamngheo init" only helps a database that exists and answers but lacks migrations; a wrong
password or a server that is down needs the operator to fix the connection, so those say so, with
the driver's own message.
"""

from __future__ import annotations

import re

from django.db import DatabaseError, connection

from .errors import ServiceError

_AUTH = re.compile(
    r"password authentication failed|no password supplied|role \".*\" does not exist|"
    r"authentication failed",
    re.IGNORECASE,
)
_NO_DATABASE = re.compile(r"database \".*\" does not exist", re.IGNORECASE)


def where() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(s["NAME"])
    return f"{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}"


def connection_problem() -> ServiceError | None:
    """None when a connection opens; else what failed, in both languages, with the driver's message."""
    try:
        connection.ensure_connection()
    except DatabaseError as exc:  # OperationalError (refused, login) or a file that is not a database
        driver = " ".join(str(exc).split())
        s, at = connection.settings_dict, where()
        if connection.vendor == "sqlite":
            return ServiceError(
                f"Không mở được tệp cơ sở dữ liệu {at}: {driver}", f"cannot open the database file {at}: {driver}"
            )
        if _AUTH.search(driver):
            user = s.get("USER") or ""
            return ServiceError(
                f"Xác thực thất bại với cơ sở dữ liệu tại {at} (người dùng {user}): {driver}",
                f"authentication failed at the database at {at} (user {user}): {driver}",
            )
        if _NO_DATABASE.search(driver):
            name = s.get("NAME")
            return ServiceError(
                f"Không có cơ sở dữ liệu {name} tại {at}: hãy tạo nó (createdb {name}) rồi chạy "
                f"`giamngheo init`: {driver}",
                f"the database {name} does not exist at {at}: create it (createdb {name}), "
                f"then run `giamngheo init`: {driver}",
            )
        return ServiceError(
            f"Không kết nối được cơ sở dữ liệu tại {at}: {driver}", f"cannot connect to the database at {at}: {driver}"
        )
    return None


def migrations_pending() -> bool:
    """Whether the (reachable) database lacks migrations of this code."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
