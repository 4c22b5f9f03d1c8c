"""Form B submissions from ODK Collect / KoboToolbox into a review round: all valid, or nothing.

Reads the exports of the XLSForm from `survey_form.py`:
- JSON: a list of submissions (or {"results": [...]} / {"value": [...]}), the member roster as a
  list under `members`; group prefixes (`members/`, `group_b/`) and nested groups are flattened;
- CSV: the main file and the repeat file, linked by KEY/PARENT_KEY (ODK Central) or
  _index/_parent_index (KoboToolbox), comma- or semicolon-separated.
The records go through the same validator as the Excel import (`standards.validation`), then the
round's checks: the household is listed and waiting, one submission each, the roster names every
current member (a member new on the phone is added), codes and GPS are well-formed. Every problem
of the batch is listed by submission row and field; only then is anything written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import polars as pl
from django.db import transaction

from ..core import clock
from ..core.errors import ServiceError
from ..core.ethnicities import ethnicity_code
from ..registry.models import Member
from ..registry.services import member_add
from ..review.models import Listed, ReviewRound
from ..review.services import form_b_record
from ..standards.asked import AGE_BOUND_QUESTIONS, asked_questions
from ..standards.contract import (
    COLUMN_LABELS_EN,
    FORM_B_FACT,
    FORM_B_HOUSEHOLD_FACTS,
    FORM_B_MEMBER_FACTS,
    FORM_B_PERSON,
    MEMBER_BY_NAME,
    MEMBER_COLUMNS,
    form_b_columns,
)
from ..standards.intake import check_size
from ..standards.problems import InputError, Problem, distinct
from ..standards.procedure import review_law
from ..standards.reading import FIRST_DATA_ROW, ROW, read_table
from ..standards.validation import validate_records
from .limits import import_limits

# What Form B asks, from the contract: facts written for every surveyed household and member, and a
# member added on the phone also with who the person is
HOUSEHOLD_FACTS = [c.name for c in FORM_B_HOUSEHOLD_FACTS]
MEMBER_FACTS = [c.name for c in FORM_B_MEMBER_FACTS]
NEW_MEMBER_FIELDS = [c.name for c in form_b_columns(MEMBER_COLUMNS, FORM_B_PERSON, FORM_B_FACT)]


def _key(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _refuse(path: Path, vi: str, en: str, row: int | None = None, column: str | None = None) -> NoReturn:
    raise InputError([Problem(str(path), row, column, vi, en)])


def _flat(record: dict, out: dict | None = None) -> dict:
    """Group prefixes dropped, nested groups (ODK Central's JSON) lifted; lists kept for the roster."""
    out = {} if out is None else out
    for k, v in record.items():
        if isinstance(v, dict) and _key(str(k)) != "members":
            _flat(v, out)
        else:
            out[_key(str(k))] = v
    return out


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, list | dict) else str(value)


def read_json(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Submissions and roster rows as text frames; a file that is not a list of submissions is refused."""
    path = Path(path)
    if not path.is_file():
        _refuse(path, "không tìm thấy tệp", "file not found")
    check_size(path, import_limits())
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        _refuse(path, "tệp không phải UTF-8", "the file is not UTF-8")
    except json.JSONDecodeError as exc:
        _refuse(
            path,
            f"JSON không hợp lệ hoặc bị cắt (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}",
            f"invalid or truncated JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
            row=exc.lineno,
        )
    submissions = data.get("results", data.get("value")) if isinstance(data, dict) else data
    if not isinstance(submissions, list):
        _refuse(
            path,
            'cần một danh sách phiếu (JSON [...] hoặc {"results": [...]})',
            'expected a list of submissions (JSON [...] or {"results": [...]})',
        )
    if not submissions:
        _refuse(path, "tệp không có phiếu nào", "the file holds no submission")
    households, members, problems = [], [], []
    for i, sub in enumerate(submissions):
        row = i + FIRST_DATA_ROW
        if not isinstance(sub, dict):
            problems.append(
                Problem(
                    str(path),
                    row,
                    None,
                    "phiếu không phải một đối tượng JSON {...}",
                    "the submission is not a JSON object {...}",
                )
            )
            continue
        flat = _flat(sub)
        roster = flat.pop("members", [])
        if not isinstance(roster, list) or not all(isinstance(m, dict) for m in roster):
            problems.append(
                Problem(
                    str(path),
                    row,
                    "members",
                    "danh sách thành viên phải là một danh sách [{...}]",
                    "the member roster must be a list of objects [{...}]",
                )
            )
            roster = []
        households.append({k: _text(v) for k, v in flat.items() if not isinstance(v, list)})
        for member in roster:
            members.append(
                {k: _text(v) for k, v in _flat(member).items()} | {"household_id": _text(flat.get("household_id"))}
            )
    if problems:
        raise InputError(problems)
    return _frame(households), _frame(members)


def _frame(rows: list[dict]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(
            {"household_id": [], "member_id": []}, schema={"household_id": pl.String, "member_id": pl.String}
        )
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pl.DataFrame({n: [r.get(n) for r in rows] for n in names}, schema=dict.fromkeys(names, pl.String))


def read_csv_pair(main: Path, repeat: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    limits = import_limits()
    main, repeat = Path(main), Path(repeat)
    for path in (main, repeat):
        if not path.is_file():
            _refuse(path, "không tìm thấy tệp", "file not found")
    households = read_table(main, limits=limits).drop(ROW)
    members = read_table(repeat, limits=limits).drop(ROW)
    households = households.rename({c: _key(c) for c in households.columns})
    members = members.rename({c: _key(c) for c in members.columns})
    if "PARENT_KEY" in members.columns:
        link = ("KEY", "PARENT_KEY")
    elif "_parent_index" in members.columns:
        link = ("_index", "_parent_index")
    else:
        _refuse(
            repeat,
            "thiếu cột PARENT_KEY (ODK Central) hoặc _parent_index (KoboToolbox) nối thành viên với phiếu",
            "no PARENT_KEY (ODK Central) or _parent_index (KoboToolbox) column linking members to submissions",
            column="PARENT_KEY",
        )
    if link[0] not in households.columns:
        _refuse(
            main,
            f"thiếu cột {link[0]} để nối với tệp thành viên",
            f"no {link[0]} column to link the members file",
            column=link[0],
        )
    if "household_id" not in households.columns:
        _refuse(main, "thiếu cột bắt buộc", "required column is missing", column="household_id")
    parents = households.select(pl.col(link[0]).alias(link[1]), pl.col("household_id").alias("_hh"))
    members = members.join(parents.unique(link[1], keep="first"), on=link[1], how="left", maintain_order="left")
    members = members.with_columns(
        pl.coalesce(pl.col("household_id") if "household_id" in members.columns else pl.lit(None), pl.col("_hh")).alias(
            "household_id"
        )
    ).drop("_hh")
    return households, members


def _gps(value: str | None) -> str | None:
    """ODK's geopoint 'lat lon [alt acc]' as 'lat,lon'; '' when empty, None when not a position."""
    parts = (value or "").split()
    if not parts:
        return ""
    try:
        lat, lon = float(parts[0]), float(parts[1])
        rest = [float(p) for p in parts[2:]]
    except (ValueError, IndexError):
        return None
    if (
        len(parts) > 4
        or not all(map(math.isfinite, [lat, lon, *rest]))
        or not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        return None
    return f"{parts[0]},{parts[1]}"


def _code_problems(hh: pl.DataFrame, label: str, when: dt.date) -> list[Problem]:
    """Causes and needs must be codes of the lists in force on `when` (the round's reference date)."""
    problems = []
    law = review_law()
    for column, allowed in (("causes", law.causes(when)), ("needs", law.needs(when))):
        if column not in hh.columns:
            continue
        for row, hid, value in hh.select(ROW, "household_id", column).iter_rows():
            unknown = [c for c in (value or "").split() if c not in allowed]
            if unknown:
                shown = ", ".join(u[:30] for u in unknown[:5])
                problems.append(
                    Problem(
                        label,
                        row,
                        column,
                        f"mã không hợp lệ ({shown}), dùng một trong: {', '.join(allowed)}",
                        f"unknown code(s) ({shown}), use one of: {', '.join(allowed)}",
                        hid,
                    )
                )
    if "gps" in hh.columns:
        for row, hid, value in hh.select(ROW, "household_id", "gps").iter_rows():
            if _gps(value) is None:
                problems.append(
                    Problem(
                        label,
                        row,
                        "gps",
                        f"vị trí GPS không hợp lệ ('{str(value)[:40]}'), cần 'vĩ độ kinh độ'",
                        f"not a GPS position ('{str(value)[:40]}'), expected 'latitude longitude'",
                        hid,
                    )
                )
    return problems


def _round_problems(
    hh: pl.DataFrame, mem: pl.DataFrame, listed: dict[str, Listed], labels: tuple[str, str]
) -> tuple[list[Problem], dict[str, set[str]]]:
    """Listed and waiting; the roster names each current member; member ids not taken elsewhere.

    Returns the problems and, per household, the member ids that are new (added on the phone).
    """
    problems = []
    for row, hid in hh.select(ROW, "household_id").iter_rows():
        if hid is None:
            continue
        if hid not in listed:
            problems.append(
                Problem(
                    labels[0],
                    row,
                    "household_id",
                    f"hộ '{hid}' không có trong danh sách đợt rà soát",
                    f"household '{hid}' is not listed in this round",
                    hid,
                )
            )
        elif listed[hid].state not in (Listed.State.TO_SURVEY, Listed.State.SURVEYED):
            problems.append(
                Problem(
                    labels[0],
                    row,
                    "household_id",
                    f"hộ '{hid}' không chờ rà soát",
                    f"household '{hid}' is not waiting for a survey",
                    hid,
                )
            )
    wanted = [h for h in hh.get_column("household_id").drop_nulls().to_list() if h in listed]
    current: dict[str, set[str]] = {h: set() for h in wanted}
    for hid, mid in Member.objects.filter(household__household_id__in=wanted, is_active=True).values_list(
        "household__household_id", "member_id"
    ):
        current[hid].add(mid)
    ids = mem.get_column("member_id").drop_nulls().to_list()
    owner = dict(Member.objects.filter(member_id__in=ids).values_list("member_id", "household__household_id"))
    new: dict[str, set[str]] = {h: set() for h in wanted}
    for row, hid, mid in mem.select(ROW, "household_id", "member_id").iter_rows():
        if hid not in current or mid is None:
            continue
        if mid in owner and owner[mid] != hid:
            problems.append(
                Problem(
                    labels[1],
                    row,
                    "member_id",
                    f"mã thành viên '{mid}' thuộc hộ {owner[mid]}",
                    f"member id '{mid}' belongs to household {owner[mid]}",
                    hid,
                )
            )
        elif mid not in current[hid]:
            new[hid].add(mid)
    rosters = mem.group_by("household_id").agg(pl.col("member_id")).rows()
    listed_ids = {hid: set(ids) for hid, ids in rosters}
    for row, hid in hh.select(ROW, "household_id").iter_rows():
        if hid not in current:
            continue
        missing = sorted(current[hid] - listed_ids.get(hid, set()))
        if missing or not listed_ids.get(hid):
            n, total = len(current[hid]) - len(missing), len(current[hid])
            shown = ", ".join(missing[:10])
            problems.append(
                Problem(
                    labels[0],
                    row,
                    "members",
                    f"phiếu liệt kê {n}/{total} thành viên của hộ; thiếu: {shown or '(không có ai)'}",
                    f"the roster lists {n} of the household's {total} members; missing: {shown or '(nobody listed)'}",
                    hid,
                )
            )
    return problems, new


# The age-bound questions the contract requires (schooling): required only where the standard asks them
REQUIRED_WHEN_ASKED = tuple(name for name in AGE_BOUND_QUESTIONS if MEMBER_BY_NAME[name].required)


def _age_bound_problems(mem: pl.DataFrame, review_round: ReviewRound, label: str) -> list[Problem]:
    """A required age-bound answer missing for a member the round's standard asks it of, on the round's
    date, as the web form and the XLSForm's `relevant` ask it (`standards.asked`); a member it does not
    apply to may leave it out. The member's birth is the roster's, else the registry's."""
    from ..review.selectors import round_standard_of  # the round's standard, as the web form's

    rows = mem.filter(pl.col("household_id").is_not_null() & pl.col("member_id").is_not_null())
    if not REQUIRED_WHEN_ASKED or rows.is_empty():
        return []
    ids = rows.get_column("member_id").to_list()
    known = {
        mid: (born, year)
        for mid, born, year in Member.objects.filter(member_id__in=ids).values_list(
            "member_id", "birth_date", "birth_year"
        )
    }
    births = []
    for mid, born, year in rows.select("member_id", "birth_date", "birth_year").iter_rows():
        births.append((born, year) if born is not None or year is not None else known.get(mid, (None, None)))
    use = round_standard_of(review_round)
    asked = asked_questions(use.standard, review_round.reference_date, births, REQUIRED_WHEN_ASKED)
    problems = []
    for (row, hid, *answers), own in zip(
        rows.select(ROW, "household_id", *REQUIRED_WHEN_ASKED).iter_rows(), asked, strict=True
    ):
        for name, answer in zip(REQUIRED_WHEN_ASKED, answers, strict=True):
            if answer is None and name in own:
                col = MEMBER_BY_NAME[name]
                problems.append(
                    Problem(
                        label,
                        row,
                        name,
                        f"ô bắt buộc đang trống: chuẩn {use.standard.id} hỏi '{col.label_vi}' ở tuổi của thành viên này",
                        f"required value is empty: the {use.standard.id} standard asks "
                        f"'{COLUMN_LABELS_EN.get(name, name)}' at this member's age",
                        hid,
                    )
                )
    return problems


def _new_member_problems(mem: pl.DataFrame, new: dict[str, set[str]], label: str) -> list[Problem]:
    problems = []
    for row, hid, mid, eth in mem.select(ROW, "household_id", "member_id", "ethnicity").iter_rows():
        if mid in new.get(hid, ()) and eth is not None and ethnicity_code(eth) is None:
            problems.append(
                Problem(
                    label,
                    row,
                    "ethnicity",
                    f"dân tộc không có trong danh mục 54 dân tộc '{eth[:40]}'",
                    f"not one of the 54 ethnic groups '{eth[:40]}'",
                    hid,
                )
            )
    return problems


def _value(name: str, value):
    if name == "floor_area_m2" and value is not None:
        return Decimal(str(value))  # rounded to 2 places by the validator: 12.3 is 12.3
    return value


@transaction.atomic
def submissions_import(
    *, actor, review_round: ReviewRound, households: pl.DataFrame, members: pl.DataFrame, labels: tuple[str, str]
) -> int:
    hh, mem, problems = validate_records(
        households,
        members,
        labels,
        today=clock.today(),
        household_required={"household_id"},
        member_required={"household_id", "member_id"},
        members_needed=False,
    )
    problems += _code_problems(hh, labels[0], review_round.reference_date)
    listed = {item.household.household_id: item for item in review_round.listed.select_related("household")}
    more, new = _round_problems(hh, mem, listed, labels)
    problems += more + _new_member_problems(mem, new, labels[1])
    problems += _age_bound_problems(mem, review_round, labels[1])
    if problems:
        raise InputError(distinct(problems))
    count, failures = 0, []
    for sub in hh.iter_rows(named=True):
        hid = sub["household_id"]
        facts = {k: _value(k, sub[k]) for k in HOUSEHOLD_FACTS if sub.get(k) is not None}
        roster = mem.filter(pl.col("household_id") == hid)
        try:
            with transaction.atomic():  # a savepoint: one refused submission does not hide the next ones
                for m in roster.filter(pl.col("member_id").is_in(list(new[hid]))).iter_rows(named=True):
                    fields = {k: m[k] for k in NEW_MEMBER_FIELDS if m.get(k) is not None}
                    if "ethnicity" in fields:
                        fields["ethnicity"] = ethnicity_code(fields["ethnicity"])
                    member_add(
                        actor=actor, household=listed[hid].household, member_id=m["member_id"], surveyed=True, **fields
                    )
                member_facts = {
                    m["member_id"]: {k: m[k] for k in MEMBER_FACTS if m.get(k) is not None}
                    for m in roster.iter_rows(named=True)
                    if m["member_id"] not in new[hid]
                }
                form_b_record(
                    actor=actor,
                    listed=listed[hid],
                    household_facts=facts,
                    member_facts=member_facts,
                    causes=(sub.get("causes") or "").split(),
                    needs=(sub.get("needs") or "").split(),
                    gps=_gps(sub.get("gps")) or "",
                )
        except ServiceError as exc:
            failures.append(
                Problem(labels[0], sub[ROW], exc.field or "household_id", exc.message_vi, exc.message_en, hid)
            )
            continue
        except Exception as exc:  # noqa: BLE001 -- reported with its submission; the batch is undone below
            message = f"{type(exc).__name__}: {str(exc)[:200]}"
            failures.append(Problem(labels[0], sub[ROW], None, message, message, hid))
            continue
        count += 1
    if failures:
        raise InputError(distinct(failures))  # leaving the transaction undoes the ones that went in
    return count
