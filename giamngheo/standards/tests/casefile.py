"""Example cases written from the legal text, in YAML: defaults, then each case's differences.

A member may give `age: N` (born exactly N years before the reference date, so the birthday is
that day) or an explicit `birth_date`. `expect.deprived` lists exactly the indicators lacked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import yaml

CASES_DIR = Path(__file__).parent / "cases"


def born(age: int, as_of: dt.date) -> dt.date:
    try:
        return as_of.replace(year=as_of.year - age)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - age, day=28)


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*/*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            cases.append({**case, "_file": f"{path.parent.name}/{path.name}", "_doc": doc})
    return cases


def frames(case: dict[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame, dt.date]:
    doc = case["_doc"]
    as_of = case.get("as_of", doc["as_of"])
    as_of = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    household = {**doc["defaults"]["household"], **case.get("household", {}), "household_id": "H"}
    rows = []
    for i, raw in enumerate(case.get("members") or [{}], start=1):
        member = {**doc["defaults"]["member"], **raw, "household_id": "H", "member_id": f"M{i}"}
        if "birth_date" in raw:
            member.pop("age", None)
        if "age" in member:
            member["birth_date"] = born(int(member.pop("age")), as_of)
        rows.append({k: (str(v) if v is not None else None) for k, v in member.items()})
    hh = pl.DataFrame([{k: (str(v) if v is not None else None) for k, v in household.items()}])
    members = pl.DataFrame(rows)
    return hh, members, as_of
