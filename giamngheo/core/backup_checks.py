"""Is this file a sound giamngheo database? Checked before a backup is kept or a restore replaces anything.

A file passes when SQLite finds no damage (`PRAGMA integrity_check`) or pg_restore can read the whole
dump, when every migration it records is one this code knows, and when every table those migrations
create is there. A copy of another database, a table copied on its own or a damaged file is refused
with what is wrong, instead of replacing a working registry.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

APP_PACKAGE = "giamngheo."


class Facts:
    """What a database file holds: its tables, its applied migrations, and any damage found."""

    def __init__(self, tables: set[str], applied: set[tuple[str, str]], damage: list[str]):
        self.tables, self.applied, self.damage = tables, applied, damage


def problems(facts: Facts) -> list[str]:
    """Why `facts` are not a giamngheo database this code can run on (empty: it is one)."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    if facts.damage:
        more = f" (+{len(facts.damage) - 3})" if len(facts.damage) > 3 else ""
        return [f"tệp bị hỏng / the file is damaged: {'; '.join(facts.damage[:3])}{more}"]
    if "django_migrations" not in facts.tables:
        return ["không có bảng django_migrations / no django_migrations table"]
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith(APP_PACKAGE)}
    if not any(app in ours for app, _ in facts.applied):
        return ["không có migration nào của giamngheo / no giamngheo migration is recorded"]
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(
        f"{a}.{n}" for a, n in facts.applied if (a, n) not in loader.graph.nodes and a in loader.migrated_apps
    )
    if unknown:
        return [f"migration của phiên bản khác / migrations this version does not know: {', '.join(unknown[:5])}"]
    known = [node for node in facts.applied if node in loader.graph.nodes]
    state = loader.project_state(known, at_end=True)
    expected = {
        m._meta.db_table
        for m in state.apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    missing = sorted(expected - facts.tables)
    if missing:
        return [
            f"thiếu bảng / missing tables: {', '.join(missing[:8])}"
            + (f" (+{len(missing) - 8})" if len(missing) > 8 else "")
        ]
    return []


def sqlite_facts(path: Path) -> Facts:
    """Read a SQLite file without changing it: integrity check, tables, recorded migrations."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            damage = [line for r in con.execute("PRAGMA integrity_check(100)") for line in r[0].splitlines()]
            damage = [] if damage == ["ok"] else [line for line in damage if not line.startswith("***")]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied = set()
            if "django_migrations" in tables:
                applied = {(a, n) for a, n in con.execute("SELECT app, name FROM django_migrations")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:  # a damaged header or schema page: nothing else is readable
        return Facts(set(), set(), [str(exc)])
    return Facts(tables, applied, damage)


_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ")


def dump_tables(toc: str) -> set[str]:
    """The tables of the public schema in `pg_restore --list` output."""
    return {m.group(2) for line in toc.splitlines() if (m := _TOC_TABLE.match(line)) and m.group(1) == "public"}


def copied_rows(script: str, table: str) -> list[list[str]]:
    """The rows of `COPY public.<table> ... FROM stdin;` in a pg_restore data-only script."""
    rows, inside = [], False
    for line in script.splitlines():
        if inside:
            if line == "\\.":
                break
            rows.append(line.split("\t"))
        elif line.startswith(f"COPY public.{table} "):
            inside = True
    return rows


def dump_facts(toc: str, migrations_script: str) -> Facts:
    """Facts of a PostgreSQL custom dump from its table of contents and its django_migrations data."""
    tables = dump_tables(toc)
    header = next(
        (line for line in migrations_script.splitlines() if line.startswith("COPY public.django_migrations ")), ""
    )
    columns = [c.strip() for c in header.partition("(")[2].partition(")")[0].split(",")]
    applied = set()
    if "app" in columns and "name" in columns:
        a, n = columns.index("app"), columns.index("name")
        applied = {(row[a], row[n]) for row in copied_rows(migrations_script, "django_migrations")}
    return Facts(tables, applied, [])
