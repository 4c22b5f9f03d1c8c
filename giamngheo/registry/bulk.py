"""Bulk load of contract files into the registry: validated, all-or-nothing, idempotent, attributed.

Rows go in with executemany on the raw connection (not the ORM row by row), inside one
transaction. Existing rows are read back once and compared column by column, so loading the
same folder twice changes nothing and writes no history; new and changed rows get history rows
attributed to the acting user, exactly as an ORM save would.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from giamngheo.core import clock

from ..core.audit import audit
from ..core.bulk_indexes import indexes_after_rows
from ..core.bulk_read import read_frame
from ..core.ethnicities import ethnicity_code
from ..geo.models import AdminUnit, UnitLevel, Village
from ..standards.contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from ..standards.problems import InputError, Problem, distinct
from ..standards.reading import ROW, read_table
from ..standards.validation import validate_records
from .models import Household, HouseholdEvent, Member
from .summary import summary_refresh

HH_FACTS = [c.name for c in HOUSEHOLD_COLUMNS if c.name not in ("household_id", "admin_code", "village")]
MEMBER_FACTS = [c.name for c in MEMBER_COLUMNS if c.name not in ("household_id", "member_id")]
CHUNK = 20_000


@dataclass
class LoadResult:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    members_deactivated: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    indexes_built_after: list[str] = field(default_factory=list)  # tables empty before: indexes built once

    def summary(self) -> str:
        """Both languages, for the command line."""
        return (
            f"Hộ / households: +{self.households_created} ~{self.households_updated} "
            f"={self.households_unchanged}; thành viên / members: +{self.members_created} "
            f"~{self.members_updated} ={self.members_unchanged} -{self.members_deactivated} "
            f"({self.seconds:.1f} s)"
        )

    def summary_in(self, lang: str) -> str:
        """One language, for a page: "Hộ: 3 mới, 1 sửa, 0 không đổi; thành viên: ..."."""
        from ..standards.formats import number_vi

        words = (
            ("Hộ", "thành viên", "mới", "sửa", "không đổi", "thôi")
            if lang == "vi"
            else ("Households", "members", "new", "changed", "unchanged", "left")
        )
        hh, mem, new, changed, same, left = words
        n = number_vi
        return (
            f"{hh}: {n(self.households_created)} {new}, {n(self.households_updated)} {changed}, "
            f"{n(self.households_unchanged)} {same}; {mem}: {n(self.members_created)} {new}, "
            f"{n(self.members_updated)} {changed}, {n(self.members_unchanged)} {same}, "
            f"{n(self.members_deactivated)} {left} ({number_vi(self.seconds, 1)} s)"
        )


def find_files(folder: Path) -> tuple[Path, Path]:
    for suffix in (".parquet", ".csv"):
        hh, mem = folder / f"households{suffix}", folder / f"members{suffix}"
        if hh.is_file() and mem.is_file():
            return hh, mem
    raise InputError(
        [
            Problem(
                str(folder),
                None,
                None,
                "không thấy households.parquet/.csv và members.parquet/.csv",
                "no households.parquet/.csv and members.parquet/.csv in the folder",
            )
        ]
    )


def _rows(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _unit_ids(codes: list[str]) -> dict[str, int]:
    """Commune code -> unit id: the unit in force today, else the pre-2025 one."""
    today = clock.today()
    found: dict[str, int] = {}
    units = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, code__in=codes).values_list(
        "code", "pk", "valid_from", "valid_to"
    )
    for code, pk, start, end in sorted(units, key=lambda u: u[3] is None):  # current units win
        if (start is None or start <= today) and (end is None or today <= end) or code not in found:
            found[code] = pk
    return found


def _ethnicity_codes(values: pl.Series) -> pl.Series:
    """Names or codes as written ('Kinh', "H'Mông", '08') to the official two-digit codes."""
    mapping = {v: ethnicity_code(v) for v in values.drop_nulls().unique().to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=pl.String)


def _validate(hh: pl.DataFrame, mem: pl.DataFrame, labels: tuple[str, str], actor) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every problem of both files at once (cells, structure, codes, ids, scope), or typed frames."""
    hh, mem, problems = validate_records(hh, mem, labels, today=clock.today())
    units = _unit_ids(hh.get_column("admin_code").drop_nulls().unique().to_list())
    unknown_unit = hh.filter(pl.col("admin_code").is_not_null() & ~pl.col("admin_code").is_in(list(units)))
    for row, code in unknown_unit.select(ROW, "admin_code").iter_rows():
        problems.append(
            Problem(
                labels[0], row, "admin_code", f"mã xã/phường không tồn tại '{code}'", f"unknown commune code '{code}'"
            )
        )
    problems += _scope_problems(hh, units, actor, labels[0])
    eth = _ethnicity_codes(mem.get_column("ethnicity"))
    bad_eth = mem.filter(pl.col("ethnicity").is_not_null() & eth.is_null())
    for row, value in bad_eth.select(ROW, "ethnicity").iter_rows():
        problems.append(
            Problem(
                labels[1],
                row,
                "ethnicity",
                f"dân tộc không có trong danh mục 54 dân tộc '{value}'",
                f"not one of the 54 ethnic groups '{value}'",
            )
        )
    if problems:
        raise InputError(distinct(problems))
    mem = mem.with_columns(eth.alias("ethnicity"))
    return hh.with_columns(pl.col("admin_code").replace_strict(units, return_dtype=pl.Int64).alias("unit_id")), mem


def _scope_problems(hh: pl.DataFrame, units: dict[str, int], actor, label: str) -> list[Problem]:
    """Rows for communes the acting user may not change, and ids that belong to such communes."""
    from ..accounts.access import ALL, writable_unit_ids

    allowed = writable_unit_ids(actor)
    if allowed is ALL:
        return []
    problems = []
    outside = [code for code, pk in units.items() if pk not in allowed]
    for row, code in hh.filter(pl.col("admin_code").is_in(outside)).select(ROW, "admin_code").iter_rows():
        problems.append(
            Problem(
                label,
                row,
                "admin_code",
                f"xã/phường '{code}' ngoài đơn vị bạn được sửa",
                f"commune '{code}' is outside the units you may change",
            )
        )
    ids = hh.get_column("household_id").drop_nulls().to_list()
    elsewhere = (
        set(
            Household.objects.filter(household_id__in=ids)
            .exclude(unit_id__in=allowed)
            .values_list("household_id", flat=True)
        )
        if ids
        else set()
    )
    for row, hid in hh.filter(pl.col("household_id").is_in(list(elsewhere))).select(ROW, "household_id").iter_rows():
        problems.append(
            Problem(
                label,
                row,
                "household_id",
                f"mã hộ '{hid}' thuộc đơn vị bạn không được sửa",
                f"household '{hid}' belongs to a unit you may not change",
                hid,
            )
        )
    return problems


def _rows_in(sql: str, values: list, extra: list | None = None) -> list[tuple]:
    """Run `sql`, whose `{}` is a list of `values`, as one query: one array on PostgreSQL, one JSON
    array on SQLite (900 values a query made a 720,000-member file 800 queries per check)."""
    if not values:
        return []
    if connection.vendor == "postgresql":
        return _rows(sql.format("SELECT unnest(%s::text[])"), [values, *(extra or [])])
    return _rows(sql.format("SELECT value FROM json_each(%s)"), [json.dumps(values), *(extra or [])])


def _row_of(frame: pl.DataFrame, key: str, found) -> dict:
    """{key: file row} for the few keys the registry already holds, not for every row of the file."""
    found = list(set(found))
    if not found:
        return {}
    return dict(frame.filter(pl.col(key).is_in(found)).select(key, ROW).iter_rows())


def _lock_households(household_ids: list[str]) -> None:
    """Hold the file's existing households until commit, so no edit lands between our read and write.

    PostgreSQL: SELECT ... FOR UPDATE (the member services lock the household too, so members are
    covered). SQLite: the transaction began IMMEDIATE (settings), the database's write lock is ours.
    """
    if connection.vendor == "postgresql" and household_ids:
        _rows("SELECT id FROM registry_household WHERE household_id = ANY(%s) ORDER BY id FOR UPDATE", [household_ids])


@dataclass
class _Refusal:
    """Problems found against the registry, and the foreign holders of ids (audited, never shown)."""

    problems: list[Problem] = field(default_factory=list)
    foreign: list[dict] = field(default_factory=list)


def _registry_conflicts(hh: pl.DataFrame, mem: pl.DataFrame, labels: tuple[str, str], actor) -> _Refusal:
    """Ids of the file already used elsewhere in the registry, as listed problems.

    A household registered in another commune, a member id held by a household not in the file, a
    national id held by an active member who stays active: each would end in an IntegrityError.
    Holders the actor may see are named; others are not (finding 11.5), but kept for the audit.
    """
    from ..accounts.access import can_read_unit, can_write_unit

    refusal = _Refusal()
    if not _rows("SELECT 1 FROM registry_household LIMIT 1"):
        return refusal  # a first load: an empty registry holds none of the file's ids (members need a household)
    file_ids = hh.get_column("household_id").to_list()
    codes: dict[int, str] = {}

    def code(unit_id: int) -> str:
        if unit_id not in codes:
            codes[unit_id] = AdminUnit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
        return codes[unit_id]

    registered = _rows_in("SELECT household_id, unit_id FROM registry_household WHERE household_id IN ({})", file_ids)
    rows_of_hh = _row_of(hh, "household_id", [hid for hid, _ in registered])
    file_unit = (
        dict(hh.filter(pl.col("household_id").is_in(list(rows_of_hh))).select("household_id", "unit_id").iter_rows())
        if rows_of_hh
        else {}
    )
    for hid, unit_id in registered:
        if unit_id != file_unit[hid] and can_write_unit(actor, unit_id):  # others: _scope_problems
            refusal.problems.append(
                Problem(
                    labels[0],
                    rows_of_hh[hid],
                    "admin_code",
                    f"hộ '{hid}' đang thuộc xã/phường {code(unit_id)}; chuyển hộ sang xã/phường khác không làm bằng nhập tệp",
                    f"household '{hid}' is registered in commune {code(unit_id)}; moving a household to another "
                    f"commune is not done by import",
                    hid,
                )
            )
    in_file = set(rows_of_hh)  # the file's households the registry holds: the only possible holders here
    held = _rows_in(
        "SELECT m.member_id, h.household_id, h.unit_id FROM registry_member m "
        "JOIN registry_household h ON h.id = m.household_id WHERE m.member_id IN ({})",
        mem.get_column("member_id").to_list(),
    )
    rows_of_mem = _row_of(mem, "member_id", [mid for mid, holder, _ in held if holder not in in_file])
    for mid, holder, unit_id in held:
        if holder in in_file:
            continue  # a move between households of the file
        if can_read_unit(actor, unit_id):
            vi = f"mã thành viên '{mid}' đã thuộc hộ {holder}, hộ này không có trong tệp"
            en = f"member id '{mid}' already belongs to household {holder}, which is not in this file"
        else:
            vi, en = (
                f"mã thành viên '{mid}' đã được dùng ở nơi khác; hãy liên hệ tỉnh",
                f"member id '{mid}' is already used elsewhere; contact the province",
            )
            refusal.foreign.append({"member_id": mid, "row": rows_of_mem[mid], "holder_household": holder})
        refusal.problems.append(Problem(labels[1], rows_of_mem[mid], "member_id", vi, en))
    wanted = mem.filter(pl.col("national_id").is_not_null())
    holders = _rows_in(
        "SELECT m.national_id, m.member_id, h.household_id, h.unit_id FROM registry_member m "
        "JOIN registry_household h ON h.id = m.household_id "
        "WHERE m.is_active AND m.national_id IN ({})",
        wanted.get_column("national_id").to_list(),
    )
    file_members = (
        set(mem.filter(pl.col("member_id").is_in([m for _, m, _, _ in holders])).get_column("member_id").to_list())
        if holders
        else set()
    )
    holders = [h for h in holders if not (h[1] in file_members or h[2] in in_file)]
    rows_of_nid = _row_of(wanted, "national_id", [nid for nid, _, _, _ in holders])
    for nid, holder_member, holder, unit_id in holders:  # the others take the file's value or leave
        if can_read_unit(actor, unit_id):
            vi = f"số định danh {nid} đã thuộc thành viên {holder_member} của hộ {holder}"
            en = f"national id {nid} already belongs to member {holder_member} of household {holder}"
        else:
            vi = f"số định danh {nid} đã được đăng ký cho một thành viên đang hoạt động ở nơi khác; hãy liên hệ tỉnh"
            en = (
                f"national id {nid}: this national id is already registered to an active member elsewhere; "
                "contact the province"
            )
            refusal.foreign.append(
                {
                    "national_id": nid,
                    "row": rows_of_nid[nid],
                    "holder_member": holder_member,
                    "holder_household": holder,
                }
            )
        refusal.problems.append(Problem(labels[1], rows_of_nid[nid], "national_id", vi, en))
    return refusal


def _normalise(frame: pl.DataFrame, columns: list[str], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Cast stored values to the incoming frame's types (SQLite hands dates back as text)."""
    exprs = []
    for c in columns:
        if c not in frame.columns:
            continue
        if schema[c] == pl.Date and frame.schema[c] == pl.String:
            exprs.append(pl.col(c).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        elif c == "floor_area_m2":  # stored with 2 decimals; compare at that precision
            exprs.append(pl.col(c).cast(pl.Float64, strict=False).round(2))
        else:
            exprs.append(pl.col(c).cast(schema[c], strict=False))
    return frame.with_columns(exprs)


def _insert(table: str, frame: pl.DataFrame, constants: dict[str, object]) -> None:
    """Insert every row of `frame` plus constant columns: COPY on PostgreSQL, executemany on SQLite."""
    if frame.is_empty():
        return
    frame = frame.with_columns([pl.lit(v).alias(k) for k, v in constants.items()])
    columns = ", ".join(frame.columns)
    if connection.vendor == "postgresql":
        data = frame.write_csv(include_header=False, quote_style="non_numeric", null_value="")
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(data)
        return
    # SQLite: dates as ISO text in one vectorised step instead of an adapter call per value
    frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * frame.width)})"
    raw = connection.connection
    for start in range(0, frame.height, CHUNK):
        raw.executemany(sql, frame.slice(start, CHUNK).rows())


def insert_rows(table: str, frame: pl.DataFrame, constants: dict[str, object]) -> None:
    """The bulk insert of this loader for another app's rows (the benefit ledger's delivery lists)."""
    _insert(table, frame, constants)


def _update(table: str, key: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    sql = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {key} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def _history_columns(model) -> list[str]:
    return [f.column for f in model.history.model._meta.concrete_fields]


def _write_history(model, scope_sql: str, kind: str, actor_id: int | None, stamp) -> None:
    """Copy the rows this load stamped into the history table, as simple-history does on save.

    New rows carry created_at = the load's timestamp; changed ones updated_at only.
    """
    table = model._meta.db_table
    own = ", ".join(c for c in _history_columns(model) if not c.startswith("history_"))
    stamped = "created_at = %s" if kind == "+" else "updated_at = %s AND created_at <> %s"
    params = [stamp] if kind == "+" else [stamp, stamp]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model.history.model._meta.db_table} "
            f"({own}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {own}, %s, %s, %s, %s FROM {table} WHERE {stamped} AND {scope_sql}",
            [stamp, "load", kind, actor_id, *params],
        )


def _extras(frame: pl.DataFrame, known: set[str]) -> pl.Series:
    extra_cols = [c for c in frame.columns if c not in known and c != ROW and not c.startswith("_")]
    if not extra_cols:
        return pl.Series("extra", ["{}"] * frame.height)
    rows = frame.select(extra_cols).cast(pl.String).to_dicts()
    return pl.Series(
        "extra",
        [json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False, sort_keys=True) for r in rows],
    )


def _villages(hh: pl.DataFrame, actor_id: int | None) -> pl.DataFrame:
    wanted = hh.filter(pl.col("village").is_not_null()).select("unit_id", "village").unique()
    existing = {
        (c, n): pk
        for pk, c, n in Village.objects.filter(
            commune_id__in=wanted.get_column("unit_id").unique().to_list()
        ).values_list("pk", "commune_id", "name")
    }
    missing = [(u, v) for u, v in wanted.iter_rows() if (u, v) not in existing]
    if missing:
        now = timezone.now()
        kinds = dict(AdminUnit.objects.filter(pk__in={u for u, _ in missing}).values_list("pk", "unit_type"))
        created = Village.objects.bulk_create(
            [
                Village(
                    commune_id=u,
                    name=v,
                    created_by_id=actor_id,
                    created_at=now,
                    kind=Village.Kind.RESIDENTIAL_GROUP if kinds.get(u) == "Phường" else Village.Kind.VILLAGE,
                )
                for u, v in missing
            ]
        )
        existing.update({(v.commune_id, v.name): v.pk for v in created})
    lookup = pl.DataFrame(
        [(u, n, pk) for (u, n), pk in existing.items()],
        schema={"unit_id": pl.Int64, "village": pl.String, "village_id": pl.Int64},
        orient="row",
    )
    return hh.join(lookup, on=["unit_id", "village"], how="left")


def _fault_point(name: str) -> None:
    """Fault injection for the crash and concurrency tests: with GIAMNGHEO_FAULT_PAUSE=name, say so
    and wait here, inside the open transaction, so a test can kill the process at a known point or,
    with GIAMNGHEO_FAULT_RESUME=path, act meanwhile and let the load go on once that file exists."""
    if os.environ.get("GIAMNGHEO_FAULT_PAUSE") != name:
        return
    Path(os.environ["GIAMNGHEO_FAULT_MARKER"]).write_text(name, encoding="utf-8")
    resume = os.environ.get("GIAMNGHEO_FAULT_RESUME")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (resume and Path(resume).exists()):
        time.sleep(0.05)


@contextmanager
def _sqlite_bulk_cache() -> Iterator[None]:
    """A bigger page cache keeps random-order index updates (national ids) off the disk, and index
    builds sort in memory; both restored after, since the connection lives on (a web worker's)."""
    if connection.vendor != "sqlite":
        yield
        return
    outside = not connection.in_atomic_block  # SQLite refuses to change temp_store inside a transaction
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA temp_store")
        temp = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
        if outside:
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache}")
            if outside:
                cursor.execute(f"PRAGMA temp_store = {temp}")


# a first load into empty tables builds these tables' secondary indexes after the rows (core.bulk_indexes)
BULK_TABLES = ["registry_household", "registry_historicalhousehold", "registry_member", "registry_historicalmember"]


def load_frames(
    households: pl.DataFrame, members: pl.DataFrame, *, actor, labels=("households", "members"), progress: bool = False
) -> LoadResult:
    """Validate everything, then write everything in one transaction, or nothing.

    Only the households of the file change: their members missing from the file are deactivated,
    nobody else's. The file's existing households are locked before they are read (see
    `_lock_households`), so an edit made meanwhile waits for the load instead of being overwritten.
    """
    started = time.perf_counter()
    result = LoadResult()
    hh, mem = _validate(households, members, labels, actor)
    result.timings["validate"] = time.perf_counter() - started
    # Arrow reads see committed rows only: fine unless a caller's transaction holds pending writes.
    fast = not connection.in_atomic_block
    actor_id = getattr(actor, "pk", None)
    now = timezone.now()
    refusal = _Refusal()
    try:
        with _sqlite_bulk_cache(), transaction.atomic():
            _lock_households(hh.get_column("household_id").to_list())
            refusal = _registry_conflicts(hh, mem, labels, actor)
            if refusal.problems:
                raise InputError(distinct(refusal.problems))
            hh = _villages(hh, actor_id)
            with indexes_after_rows(BULK_TABLES) as result.indexes_built_after:
                # PostgreSQL: DROP INDEX holds the table until commit, so a read on another connection
                # (the Arrow path) would wait for this very load; the empty tables are read on ours
                fast = fast and not result.indexes_built_after
                hh_ids = _upsert_households(hh, actor_id, now, result, fast)
                result.timings["households"] = time.perf_counter() - started
                _fault_point("households_written")
                unit_ids = ",".join(str(u) for u in hh.get_column("unit_id").unique().to_list())
                _upsert_members(mem, hh_ids, unit_ids, actor_id, now, result, fast)
                result.timings["members"] = time.perf_counter() - started
            result.timings["indexes"] = time.perf_counter() - started
            summary_refresh(hh_ids.values())  # after the indexes are back: its lookups use them
            result.timings["summary"] = time.perf_counter() - started
            HouseholdEvent.objects.create(
                kind=HouseholdEvent.Kind.LOADED,
                actor=actor,
                data={"households": hh.height, "members": mem.height, "files": list(labels)},
            )
            audit(
                actor,
                "registry.load",
                None,
                files=list(labels),
                created=result.households_created,
                updated=result.households_updated,
                members_created=result.members_created,
            )
    except InputError:
        if refusal.foreign:  # after the rollback, so the record of the attempt stays
            audit(
                actor,
                "registry.load_refused_foreign_ids",
                None,
                files=list(labels),
                held_elsewhere=refusal.foreign[:200],
                count=len(refusal.foreign),
            )
        raise
    # an id registered by someone else between our check and our write (COPY and executemany run on
    # the driver's own cursor, whose errors Django does not wrap)
    except (IntegrityError, connection.Database.IntegrityError) as exc:  # type: ignore[attr-defined]
        raise InputError(
            [
                Problem(
                    labels[0],
                    None,
                    None,
                    "sổ hộ vừa thay đổi trong lúc nạp (một mã hộ, mã thành viên hoặc số định danh vừa được đăng ký "
                    "ở nơi khác); không có gì được ghi, hãy nạp lại tệp",
                    "the registry changed during the import (a household id, member id or national id was just "
                    "registered elsewhere); nothing was written, import the file again",
                )
            ]
        ) from exc
    if not connection.in_atomic_block and result.households_created:
        planner_statistics()
    result.seconds = time.perf_counter() - started
    return result


def planner_statistics() -> None:
    """Planner statistics for new rows now. PostgreSQL: not whenever autovacuum gets to them (a
    province's first report read 1.4 million members with a plan made for 166,000). SQLite keeps none
    until asked: with none, the home page's commune list walked every commune by its level index
    instead of the user's few by key (14 ms a request at 400,000 households; 1.4 ms with statistics)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE registry_household, registry_member")
        else:
            cursor.execute("ANALYZE")  # every table: the units' too (5 s at 400,000 households)


HH_DB_COLUMNS = ["household_id", "unit_id", "village_id", "village_name", "address", *HH_FACTS, "extra"]
MEMBER_DB_COLUMNS = ["member_id", "household_id", *MEMBER_FACTS, "extra"]
TEXT_BLANK = {
    "village_name",
    "address",
    "area",
    "water_source",
    "latrine",
    "full_name",
    "sex",  # not national_id: NULL
    "relation_to_head",
    "ethnicity",
    "highest_education",
    "employment",
    "disability",
}


def _select_list(columns: list[str]) -> str:
    """Column list for reading back, in types SQLite and PostgreSQL (and Arrow) agree on."""
    casts = {"extra": "CAST(extra AS TEXT)", "floor_area_m2": "CAST(floor_area_m2 AS DOUBLE PRECISION)"}
    return ", ".join(casts.get(c, c) for c in columns)


def _canonical_json(text: str | None) -> str | None:
    return text if text in (None, "{}") else json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True)


def _db_frame(sql: str, columns: list[str], schema: dict[str, pl.DataType], fast: bool) -> pl.DataFrame:
    """Existing rows as stored, typed like the incoming frame so the two compare cell by cell."""
    frame = read_frame(sql, columns, committed_only_ok=fast)
    if "extra" in frame.columns:  # PostgreSQL's jsonb reorders keys: compare canonical text
        extra = frame.get_column("extra").cast(pl.String)
        if (extra != "{}").any():
            extra = extra.map_elements(_canonical_json, return_dtype=pl.String, skip_nulls=True)
        frame = frame.with_columns(extra)
    return _normalise(frame, columns, schema)


def _compare_schema(frame: pl.DataFrame) -> dict[str, pl.DataType]:
    schema = dict(frame.schema)
    schema["floor_area_m2"] = pl.Float64
    schema["id"] = pl.Int64
    return schema


def _prepared(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Blank text is '' in the database (Django convention); numbers rounded as stored."""
    exprs = []
    for c in columns:
        if c in TEXT_BLANK:
            exprs.append(pl.col(c).cast(pl.String).fill_null("").alias(c))
        elif c == "floor_area_m2":
            exprs.append(pl.col(c).round(2))
    return frame.with_columns(exprs) if exprs else frame


def _changed(new: pl.DataFrame, old: pl.DataFrame, key: str, columns: list[str]) -> pl.DataFrame:
    joined = new.join(old.rename({c: f"{c}__db" for c in old.columns if c != key}), on=key, how="inner")
    differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}__db")) for c in columns if c != key])
    return joined.filter(differs)


def _to_rows(frame: pl.DataFrame, columns: list[str]) -> list[tuple]:
    return frame.select(columns).rows()


def _upsert_households(hh: pl.DataFrame, actor_id, now, result: LoadResult, fast: bool) -> dict[str, int]:
    if "address" not in hh.columns:
        hh = hh.with_columns(pl.lit(None, dtype=pl.String).alias("address"))
    known = {c.name for c in HOUSEHOLD_COLUMNS} | {"unit_id", "village_id", "address"}
    hh = hh.with_columns(_extras(hh, known), pl.col("village").alias("village_name"), pl.col("address").cast(pl.String))
    hh = _prepared(hh, HH_DB_COLUMNS)
    schema = _compare_schema(hh.select(HH_DB_COLUMNS))
    unit_ids = ",".join(str(u) for u in hh.get_column("unit_id").unique().to_list())
    old = _db_frame(
        f"SELECT id, {_select_list(HH_DB_COLUMNS)} FROM registry_household WHERE unit_id IN ({unit_ids})",
        ["id", *HH_DB_COLUMNS],
        schema,
        fast,
    )
    old = old.filter(pl.col("household_id").is_in(hh.get_column("household_id").implode()))
    new_rows = hh.join(old.select("household_id"), on="household_id", how="anti")
    changed = _changed(hh.select(HH_DB_COLUMNS), old.select(HH_DB_COLUMNS), "household_id", HH_DB_COLUMNS)
    result.households_created, result.households_updated = new_rows.height, changed.height
    result.households_unchanged = hh.height - new_rows.height - changed.height
    _fault_point("households_read")
    stamp = connection.ops.adapt_datetimefield_value(now)
    _insert(
        "registry_household",
        new_rows.select(HH_DB_COLUMNS),
        {"is_active": True, "version": 1, "created_at": stamp, "updated_at": stamp},
    )
    set_cols = [c for c in HH_DB_COLUMNS if c != "household_id"]
    _update(
        "registry_household",
        "household_id",
        [*set_cols, "updated_at"],
        [(*r[1:], stamp, r[0]) for r in _to_rows(changed, HH_DB_COLUMNS)],
    )
    if changed.height:
        _rows_exec(
            "UPDATE registry_household SET version = version + 1 WHERE household_id IN ({})",
            changed.get_column("household_id").to_list(),
        )
    in_file = set(hh.get_column("household_id").to_list())
    ids = {
        hid: pk
        for hid, pk in _rows(f"SELECT household_id, id FROM registry_household WHERE unit_id IN ({unit_ids})")
        if hid in in_file
    }
    scope = f"unit_id IN ({unit_ids})"
    _write_history(Household, scope, "+", actor_id, stamp)
    _write_history(Household, scope, "~", actor_id, stamp)
    return ids


def _rows_exec(sql_template: str, values: list, leading: list | None = None) -> None:
    """Run `sql_template` with its IN (...) filled by `values`, 900 at a time (SQLite's limit)."""
    with connection.cursor() as cursor:
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            cursor.execute(sql_template.format(", ".join(["%s"] * len(chunk))), [*(leading or []), *chunk])


def _upsert_members(
    mem: pl.DataFrame, hh_ids: dict[str, int], unit_ids: str, actor_id, now, result: LoadResult, fast: bool
) -> None:
    """Upsert by household: members of the file's households that the file leaves out are
    deactivated; members of every other household are not touched (finding 11.1)."""
    mem = mem.with_columns(_extras(mem, {c.name for c in MEMBER_COLUMNS}))
    mem = mem.with_columns(pl.col("household_id").replace_strict(hh_ids, return_dtype=pl.Int64))
    mem = _prepared(mem, MEMBER_DB_COLUMNS)
    schema = _compare_schema(mem.select(MEMBER_DB_COLUMNS))
    in_units = f"SELECT id FROM registry_household WHERE unit_id IN ({unit_ids})"
    old = _db_frame(
        f"SELECT id, {_select_list(MEMBER_DB_COLUMNS)}, is_active FROM registry_member "
        f"WHERE household_id IN ({in_units})",
        ["id", *MEMBER_DB_COLUMNS, "is_active"],
        {**schema, "is_active": pl.Boolean},
        fast,
    )
    old = old.filter(pl.col("household_id").is_in(list(hh_ids.values())))  # the file's households only
    new_rows = mem.join(old.select("member_id"), on="member_id", how="anti")
    # a member re-listed after being deactivated counts as changed (is_active goes back to true)
    current = mem.select(MEMBER_DB_COLUMNS).with_columns(pl.lit(True).alias("is_active"))
    changed = _changed(
        current, old.select(*MEMBER_DB_COLUMNS, "is_active"), "member_id", [*MEMBER_DB_COLUMNS, "is_active"]
    )
    gone = old.filter(pl.col("is_active") & ~pl.col("member_id").is_in(mem.get_column("member_id").implode()))
    result.members_created, result.members_updated = new_rows.height, changed.height
    result.members_unchanged = mem.height - new_rows.height - changed.height
    result.members_deactivated = gone.height
    _fault_point("members_read")
    stamp = connection.ops.adapt_datetimefield_value(now)
    # order matters for the unique national id of active members: free the ids of those who leave
    # and of those whose id changes before anyone takes them
    if gone.height:
        _rows_exec(
            "UPDATE registry_member SET is_active = FALSE, updated_at = %s WHERE id IN ({})",
            gone.get_column("id").to_list(),
            leading=[stamp],
        )
    moving_ids = changed.filter(
        pl.col("national_id").ne_missing(pl.col("national_id__db")) & pl.col("national_id__db").is_not_null()
    )
    if moving_ids.height:
        _rows_exec(
            "UPDATE registry_member SET national_id = NULL WHERE member_id IN ({})",
            moving_ids.get_column("member_id").to_list(),
        )
    set_cols = [c for c in MEMBER_DB_COLUMNS if c != "member_id"]
    _update(
        "registry_member",
        "member_id",
        [*set_cols, "is_active", "updated_at"],
        [(*r[1:], True, stamp, r[0]) for r in _to_rows(changed, MEMBER_DB_COLUMNS)],
    )
    _insert(
        "registry_member",
        new_rows.select(MEMBER_DB_COLUMNS),
        {"is_active": True, "created_at": stamp, "updated_at": stamp},
    )
    scope = f"household_id IN ({in_units})"
    _write_history(Member, scope, "+", actor_id, stamp)
    _write_history(Member, scope, "~", actor_id, stamp)


def load_folder(folder: Path, *, actor, progress: bool = False) -> LoadResult:
    hh_path, mem_path = find_files(folder)
    return load_frames(
        read_table(hh_path), read_table(mem_path), actor=actor, labels=(str(hh_path), str(mem_path)), progress=progress
    )
