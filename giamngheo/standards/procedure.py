"""The review procedure as dated data (`data/review/procedure.yaml`): the periodic window, the day
the regular review starts, the posting period, the village meeting's majority, which households go
through Form A, and Form B's causes and needs.

Each value is a `Parameter` as in the standards (dated values, legal reference, V/S/C/B confidence),
so a round reads the value in force on its reference date and the app marks what is not read in
the legal text. A change of the law is a new dated value in the YAML, not a change of code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .params import CONFIDENCE_WORDS, DATA_DIR, EDITED, Parameter, UnknownStandardError, _parameter

PROCEDURE_FILE = DATA_DIR / "review" / "procedure.yaml"
KINDS = ("periodic", "regular")  # a value may be given per kind of round
CODE_LISTS = ("causes", "needs")


@dataclass(frozen=True)
class ReviewLaw:
    """The dated values of the review procedure, read from one YAML file."""

    id: str
    title_vi: str
    title_en: str
    legal_basis: str
    parameters: dict[str, Parameter]

    def param(self, name: str, kind: str | None = None) -> Parameter:
        """`name`, or `name.kind` when the value is given per kind of round."""
        if kind and f"{name}.{kind}" in self.parameters:
            return self.parameters[f"{name}.{kind}"]
        if name in self.parameters:
            return self.parameters[name]
        known = ", ".join(sorted(self.parameters))
        raise UnknownStandardError(
            f"Quy trình rà soát không có giá trị {name!r} / the review procedure has no value {name!r} (có / known: {known})"
        )

    def value(self, name: str, when: dt.date, kind: str | None = None) -> Any:
        return self.param(name, kind).at(when)

    def periodic_window(self, on: dt.date, when: dt.date | None = None) -> tuple[dt.date, dt.date]:
        """The first and last day of the periodic review in `on`'s year, by the rule in force on `when`."""
        window = self.value("periodic_window", when or on)
        start_month, start_day = (int(p) for p in str(window["from"]).split("-"))
        end_month, end_day = (int(p) for p in str(window["to"]).split("-"))
        return dt.date(on.year, start_month, start_day), dt.date(on.year, end_month, end_day)

    def regular_review_day(self, when: dt.date) -> int:
        return int(self.value("regular_review_day", when))

    def posting_working_days(self, when: dt.date) -> int:
        return int(self.value("posting_working_days", when))

    def meeting_majority_percent(self, when: dt.date, kind: str | None = None) -> int:
        return int(self.value("meeting_majority_percent", when, kind))

    def meeting_approves(self, agree: int, attendance: int, when: dt.date, kind: str | None = None) -> bool:
        """At least the majority's share of those present agreed (whole numbers: no rounding)."""
        return agree * 100 >= self.meeting_majority_percent(when, kind) * attendance

    def form_a_reasons(self, when: dt.date) -> list[str]:
        return [str(r) for r in self.value("form_a_reasons", when)]

    def codes(self, name: str, when: dt.date, lang: str = "vi") -> dict[str, str]:
        """A Form B code list in force on `when` (`causes` or `needs`): code -> label, in order."""
        if name not in CODE_LISTS:
            raise UnknownStandardError(f"Không có danh mục {name!r} / no code list {name!r}")
        return {str(code): str(labels[lang]) for code, labels in self.value(name, when).items()}

    def causes(self, when: dt.date, lang: str = "vi") -> dict[str, str]:
        return self.codes("causes", when, lang)

    def needs(self, when: dt.date, lang: str = "vi") -> dict[str, str]:
        return self.codes("needs", when, lang)

    def verified(self, name: str, kind: str | None = None) -> bool:
        return self.param(name, kind).verified


def _parameters(raw: dict[str, Any]) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for name, body in raw.items():
        if "values" in body:
            out[name] = _parameter(name, body)
        for kind in KINDS:
            if kind in body:
                out[f"{name}.{kind}"] = _parameter(f"{name}.{kind}", body[kind])
        if not any(key in body for key in ("values", *KINDS)):
            raise UnknownStandardError(f"{name}: no values (neither `values` nor one per kind of round)")
    for parameter in out.values():
        if parameter.confidence not in CONFIDENCE_WORDS or parameter.confidence == EDITED:
            raise UnknownStandardError(f"{parameter.name}: confidence {parameter.confidence!r} is not V, S, C or B")
        if not parameter.reference.strip():
            raise UnknownStandardError(f"{parameter.name}: no legal reference")
    return out


def parse_review_law(raw: dict[str, Any]) -> ReviewLaw:
    return ReviewLaw(
        id=str(raw["id"]),
        title_vi=str(raw["title_vi"]),
        title_en=str(raw["title_en"]),
        legal_basis=str(raw["legal_basis"]),
        parameters=_parameters(raw["parameters"]),
    )


@cache
def load_review_law(path: Path) -> ReviewLaw:
    with path.open(encoding="utf-8") as handle:
        return parse_review_law(yaml.safe_load(handle))


def review_law() -> ReviewLaw:
    """The review procedure of `PROCEDURE_FILE` (read once per file)."""
    return load_review_law(PROCEDURE_FILE)
