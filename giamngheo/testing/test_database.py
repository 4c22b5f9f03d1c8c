"""A ready test database for runs that start many short pytest sessions (mutation testing).

Every pytest session builds its SQLite test database from nothing: the migrations, then the
administrative units (about 20 s on a shared 2-core machine). A mutation run starts one session per
mutant, so that setup cost more than the loader's tests it runs. With a template the first session
saves its finished database (migrated, units loaded, ids bumped) to a file, and every later session
copies it into its own in-memory database with SQLite's backup API (milliseconds): the tests still
run on an in-memory database of their own, as in any other session, so no two sessions share a file
or a lock.

On only when asked: `GIAMNGHEO_TEST_DB_TEMPLATE_DIR=folder`, or under mutmut (`MUTANT_UNDER_TEST` set),
where the template is kept in `mutants/`. SQLite only; PostgreSQL sessions build their database as
always. The file's name carries a hash of what goes into it (migrations, the unit loader, the
administrative-unit package's version, the id offsets), so a changed migration makes a new template.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project (under mutmut: the mutants/ copy)
INPUTS = ("giamngheo/*/migrations/*.py", "giamngheo/geo/services.py", "giamngheo/geo/unit_tables.py")
_open: list[sqlite3.Connection] = []  # an in-memory database lives while a connection to it is open


def template_path() -> Path | None:
    """Where this session's template is (or will be saved), or None when templates are off."""
    from django.conf import settings

    folder = os.environ.get("GIAMNGHEO_TEST_DB_TEMPLATE_DIR") or ("." if "MUTANT_UNDER_TEST" in os.environ else "")
    if not folder or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return None
    digest = hashlib.sha256(version("vietnamadminunits").encode())
    files = sorted({p for pattern in INPUTS for p in ROOT.glob(pattern)} | {ROOT / "giamngheo/testing/realistic.py"})
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return Path(folder).resolve() / f"giamngheo-test-db-{digest.hexdigest()[:16]}.sqlite3"


def use_template(template: Path) -> None:
    """Point the test database at a new in-memory copy of `template` (before Django sets it up)."""
    from django.conf import settings

    name = f"file:giamngheo_test_{uuid.uuid4().hex}?mode=memory&cache=shared"
    holder = sqlite3.connect(name, uri=True)
    with sqlite3.connect(template) as source:
        source.backup(holder)
    _open.append(holder)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name


def save_template(template: Path) -> None:
    """Save the session's finished test database as the template (written whole, then renamed)."""
    from django.db import connection

    connection.ensure_connection()
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.replace(template)
