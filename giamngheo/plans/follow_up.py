"""Following the households: the dated values of `data/theo-doi.yaml` (pure Python and YAML, no Django)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import yaml

from ..standards.params import CONFIDENCE_WORDS, EDITED, Parameter, _parameter

FOLLOW_UP_FILE = Path(__file__).parent / "data" / "theo-doi.yaml"


@cache
def follow_up_parameters(path: Path = FOLLOW_UP_FILE) -> dict[str, Parameter]:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    out = {}
    for name, body in raw.items():
        parameter = _parameter(name, body, (str(body.get("name_vi") or name), str(body.get("name_en") or name)))
        if parameter.confidence not in CONFIDENCE_WORDS or parameter.confidence == EDITED:
            raise ValueError(f"{name}: confidence {parameter.confidence!r} is not V, S, C or B")
        if not parameter.reference.strip():
            raise ValueError(f"{name}: no reference")
        out[name] = parameter
    return out


def visit_overdue_days(on: dt.date) -> int:
    """After how many days without a visit a followed household is listed, on `on`."""
    return int(follow_up_parameters()["visit_overdue_days"].at(on))


__all__ = ["follow_up_parameters", "visit_overdue_days"]
