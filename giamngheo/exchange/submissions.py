"""Form B submissions from ODK Collect / KoboToolbox into a review round: all valid, or nothing.

Reads the exports of the XLSForm from `survey_form.py`:
- JSON: a list of submissions, the member roster as a list under `members` (group prefixes such
  as `members/` are dropped from the keys);
- CSV: the main file and the repeat file, linked by KEY/PARENT_KEY (ODK Central) or
  _index/_parent_index (KoboToolbox).
Every submission must be a household listed in the round; each becomes a Form B through the
same service the web form uses, inside one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from django.db import transaction

from ..core.errors import ServiceError
from ..review.models import Listed, ReviewRound
from ..review.services import form_b_record
from ..standards.contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from ..standards.problems import InputError, Problem, distinct
from ..standards.reading import ROW, coerce, read_table

HOUSEHOLD_FACTS = [c.name for c in HOUSEHOLD_COLUMNS if c.name not in ("household_id", "admin_code", "village")]
MEMBER_FACTS = ["highest_education", "in_school", "has_health_insurance", "employment", "disability",
                "social_allowance", "stunted", "underweight", "meritorious_service", "untreated_illness"]


def _key(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def read_json(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    data = json.loads(path.read_text(encoding="utf-8"))
    submissions = data.get("results", data.get("value", data)) if isinstance(data, dict) else data
    households, members = [], []
    for sub in submissions:
        flat = {_key(k): v for k, v in sub.items() if not isinstance(v, list)}
        households.append({k: (None if v is None else str(v)) for k, v in flat.items()})
        for member in next((v for k, v in sub.items() if _key(k) == "members" and isinstance(v, list)), []):
            row = {_key(k): (None if v is None else str(v)) for k, v in member.items()}
            row["household_id"] = flat.get("household_id")
            members.append(row)
    return pl.DataFrame(households, infer_schema_length=None), pl.DataFrame(members, infer_schema_length=None)


def read_csv_pair(main: Path, repeat: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    households = read_table(main).drop(ROW)
    members = read_table(repeat).drop(ROW)
    households = households.rename({c: _key(c) for c in households.columns})
    members = members.rename({c: _key(c) for c in members.columns})
    link = ("KEY", "PARENT_KEY") if "PARENT_KEY" in members.columns else ("_index", "_parent_index")
    parents = households.select(pl.col(link[0]).alias(link[1]), pl.col("household_id").alias("_hh"))
    members = members.join(parents, on=link[1], how="left").with_columns(
        pl.coalesce(pl.col("household_id") if "household_id" in members.columns else pl.lit(None), pl.col("_hh"))
        .alias("household_id")).drop("_hh")
    return households, members


def _gps(value: str | None) -> str:
    parts = (value or "").split()
    return f"{parts[0]},{parts[1]}" if len(parts) >= 2 else ""


@transaction.atomic
def submissions_import(*, actor, review_round: ReviewRound, households: pl.DataFrame, members: pl.DataFrame,
                       labels: tuple[str, str]) -> int:
    required = {"household_id"}
    hh, problems = coerce(households, HOUSEHOLD_COLUMNS, labels[0], required_columns=required)
    mem, more = coerce(members, MEMBER_COLUMNS, labels[1], required_columns={"household_id", "member_id"})
    problems += more
    listed = {item.household.household_id: item for item in review_round.listed.select_related("household")}
    for row, hid in hh.select(ROW, "household_id").iter_rows():
        if hid not in listed:
            problems.append(Problem(labels[0], row, "household_id", f"hộ '{hid}' không có trong danh sách đợt rà soát",
                                    f"household '{hid}' is not listed in this round", hid))
        elif listed[hid].state not in (Listed.State.TO_SURVEY, Listed.State.SURVEYED):
            problems.append(Problem(labels[0], row, "household_id", f"hộ '{hid}' không chờ rà soát",
                                    f"household '{hid}' is not waiting for a survey", hid))
    if problems:
        raise InputError(distinct(problems))
    count = 0
    for sub in hh.iter_rows(named=True):
        hid = sub["household_id"]
        facts = {k: sub[k] for k in HOUSEHOLD_FACTS if k in hh.columns and sub[k] is not None}
        roster = mem.filter(pl.col("household_id") == hid)
        member_facts = {m["member_id"]: {k: m[k] for k in MEMBER_FACTS if k in roster.columns and m[k] is not None}
                        for m in roster.iter_rows(named=True)}
        try:
            form_b_record(actor=actor, listed=listed[hid], household_facts=facts, member_facts=member_facts,
                          causes=(sub.get("causes") or "").split(), needs=(sub.get("needs") or "").split(),
                          gps=_gps(sub.get("gps")))
        except (ServiceError, Exception) as exc:  # any refusal undoes the whole import
            message = str(exc) if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
            raise InputError([Problem(labels[0], sub[ROW], "household_id", message, message, hid)]) from exc
        count += 1
    return count
