"""Standards as dated data: load the YAML files and answer "what was this value on date D".

Each threshold keeps its legal reference and confidence mark so that every use of it can say
where it comes from and whether it was read in the legal text (mark V) or not. `reference` is the
citation fit for a posting board; `note` is the maintainers' word on how it was read (shown to
officials on the standards page, never in a household's explanation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
VERIFIED = "V"
CONFIDENCE_WORDS = {
    "V": ("đã đối chiếu văn bản pháp luật", "read in the legal text"),
    "S": ("chưa kiểm chứng: theo nguồn thứ cấp", "unverified: from a secondary source"),
    "C": ("chưa kiểm chứng: theo mã nguồn công khai", "unverified: from public code"),
    "B": ("chưa kiểm chứng: hiểu biết nền, cần đối chiếu", "unverified: background knowledge"),
    "E": ("giá trị sửa để chạy thử, không phải quy định", "edited for a what-if run, not law"),
}
EDITED = "E"


class UnknownStandardError(LookupError):
    """Raised for a standard id with no YAML file, or a date no standard covers."""


@dataclass(frozen=True)
class Parameter:
    """One dated value with its legal source, e.g. the rural income line."""

    name: str
    values: tuple[tuple[dt.date, Any], ...]
    reference: str
    confidence: str
    note: str = ""
    label_vi: str = ""  # the YAML's name_vi (with the area), shown where a person picks the value
    label_en: str = ""
    reference_en: str = ""  # the source in English where the YAML gives it (`source_in`)

    @property
    def verified(self) -> bool:
        return self.confidence == VERIFIED

    def at(self, when: dt.date) -> Any:
        """The value in force on `when` (the latest start date not after it).

        Before the first date, the first value: applying a standard to an earlier reference
        date is a what-if ("what would the 2027 lines do to today's households").
        """
        current = self.values[0][1]
        for start, value in self.values:
            if start <= when:
                current = value
        return current


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    name_vi: str
    name_en: str
    formula: str
    description_vi: str
    description_en: str
    reference: str
    confidence: str
    note: str = ""
    params: dict[str, Parameter] = field(default_factory=dict)
    reference_en: str = ""

    @property
    def verified(self) -> bool:
        return self.confidence == VERIFIED and all(p.verified for p in self.params.values())

    def value(self, name: str, when: dt.date) -> Any:
        return self.params[name].at(when)


@dataclass(frozen=True)
class Dimension:
    id: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Standard:
    id: str
    version: int
    title_vi: str
    title_en: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date
    rule: str
    parameters: dict[str, Parameter]
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    legal_basis_en: str = ""

    def param(self, name: str, area: str | None = None) -> Parameter | None:
        key = f"{name}.{area}" if area else name
        return self.parameters.get(key)

    def value(self, name: str, when: dt.date, area: str | None = None) -> Any:
        parameter = self.param(name, area)
        return None if parameter is None else parameter.at(when)

    def covers(self, when: dt.date) -> bool:
        return self.valid_from <= when <= self.valid_to

    @property
    def indicator_ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def unverified_parameters(self) -> list[Parameter]:
        own = [p for p in self.parameters.values() if not p.verified]
        nested = [p for i in self.indicators for p in i.params.values() if not p.verified]
        return own + nested


VIETNAMESE_SOURCE = "(Vietnamese source)"


def source_in(vi: str, en: str, lang: str) -> str:
    """A legal source as a screen in `lang` shows it: Vietnamese as written; in English, the YAML's English
    where it has one, else the Vietnamese text marked "(Vietnamese source)" (never unmarked prose)."""
    if lang != "en" or not vi:
        return vi
    return en or f"{vi} {VIETNAMESE_SOURCE}"


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _parameter(name: str, raw: dict[str, Any], label: tuple[str, str] = ("", "")) -> Parameter:
    values = tuple(sorted((_as_date(k), v) for k, v in raw["values"].items()))
    note = str(raw.get("note") or "")
    reference_en = str(raw.get("reference_en") or "")
    return Parameter(name, values, str(raw["reference"]), str(raw["confidence"]), note, *label, reference_en)


AREA_LABELS = {"rural": ("nông thôn", "rural"), "urban": ("thành thị", "urban")}


def _parameters(raw: dict[str, Any]) -> dict[str, Parameter]:
    """Flatten `income_line: {rural: {...}, urban: {...}}` into `income_line.rural` etc."""
    out: dict[str, Parameter] = {}
    for name, body in raw.items():
        vi, en = str(body.get("name_vi") or name), str(body.get("name_en") or name)
        if "values" in body:
            out[name] = _parameter(name, body, (vi, en))
        for area, (area_vi, area_en) in AREA_LABELS.items():
            if area in body:
                label = (f"{vi}, {area_vi}", f"{en}, {area_en}")
                out[f"{name}.{area}"] = _parameter(f"{name}.{area}", body[area], label)
    return out


def _indicator(raw: dict[str, Any]) -> Indicator:
    vi, en = str(raw["name_vi"]), str(raw["name_en"])
    params = {
        k: _parameter(f"{raw['id']}.{k}", v, (f"{vi}: {k}", f"{en}: {k}")) for k, v in (raw.get("params") or {}).items()
    }
    fields = {k: str(raw[k]) for k in Indicator.__dataclass_fields__ if k not in ("params", "note", "reference_en")}
    fields["note"] = str(raw.get("note") or "")
    fields["reference_en"] = str(raw.get("reference_en") or "")
    return Indicator(**fields, params=params)


def parse_standard(raw: dict[str, Any]) -> Standard:
    return Standard(
        id=raw["id"],
        version=int(raw["version"]),
        title_vi=raw["title_vi"],
        title_en=raw["title_en"],
        legal_basis=raw["legal_basis"],
        legal_basis_en=str(raw.get("legal_basis_en") or ""),
        valid_from=_as_date(raw["in_force"]["from"]),
        valid_to=_as_date(raw["in_force"]["to"]),
        rule=raw["rule"],
        parameters=_parameters(raw["parameters"]),
        dimensions=tuple(Dimension(**d) for d in raw["dimensions"]),
        indicators=tuple(_indicator(i) for i in raw["indicators"]),
    )


def available_standards() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml"))


def load_standard(standard_id: str) -> Standard:
    """Only a name of the catalogue opens a file: a path (`../x`) or an overlong name is unknown."""
    if standard_id not in available_standards():
        known = ", ".join(available_standards())
        raise UnknownStandardError(
            f"Chuẩn nghèo không tồn tại: {standard_id[:40]!r} (có: {known}) / "
            f"unknown standard: {standard_id[:40]!r} (known: {known})"
        )
    return _load(standard_id)


@cache
def _load(standard_id: str) -> Standard:
    path = DATA_DIR / f"{standard_id}.yaml"
    with path.open(encoding="utf-8") as handle:
        return parse_standard(yaml.safe_load(handle))


def standard_in_force(when: dt.date) -> Standard:
    for standard_id in available_standards():
        standard = load_standard(standard_id)
        if standard.covers(when):
            return standard
    raise UnknownStandardError(
        f"Không có chuẩn nghèo nào có hiệu lực ngày {when:%d/%m/%Y} / no standard in force on {when.isoformat()}"
    )


def resolve_standard(standard: str | Standard, as_of: dt.date) -> Standard:
    """`"auto"` picks the standard in force on `as_of`; an id loads that file."""
    if isinstance(standard, Standard):
        return standard
    if standard == "auto":
        return standard_in_force(as_of)
    return load_standard(standard)


@dataclass(frozen=True)
class Tunable:
    """A threshold a what-if may change: its YAML name, its label, its value on a date, whether read in the law."""

    name: str
    label_vi: str
    label_en: str
    value: Any
    verified: bool

    @property
    def decimals(self) -> int:
        """Digits after the point to show the value with (0.5 must not print as 0)."""
        text = repr(self.value)
        return len(text.partition(".")[2]) if isinstance(self.value, float) and "e" not in text else 0


def tunable_values(standard: Standard, on: dt.date) -> list[Tunable]:
    """Every value `with_overrides` accepts, in the YAML's order, so a page offers names, not typed keys."""
    params = [*standard.parameters.values(), *(p for i in standard.indicators for p in i.params.values())]
    return [Tunable(p.name, p.label_vi or p.name, p.label_en or p.name, p.at(on), p.verified) for p in params]


def with_overrides(standard: Standard, overrides: dict[str, Any]) -> Standard:
    """A copy of `standard` with some values replaced for a what-if run, each marked "E" (edited).

    Names are the YAML's: `income_line.rural`, `deprivation_cutoff`, or `<indicator>.<param>`
    (`housing_area.min_m2_per_person`). An unknown name raises UnknownStandardError, never ignored.
    """
    from dataclasses import replace

    parameters = dict(standard.parameters)
    indicators = {i.id: i for i in standard.indicators}
    for name, value in overrides.items():
        edited = Parameter(name, ((standard.valid_from, value),), "chạy thử / what-if", EDITED)
        if name in parameters:
            parameters[name] = edited
            continue
        indicator_id, _, param = name.partition(".")
        if indicator_id in indicators and param in indicators[indicator_id].params:
            ind = indicators[indicator_id]
            indicators[indicator_id] = replace(ind, params={**ind.params, param: edited})
            continue
        known = ", ".join(sorted([*parameters, *(f"{i.id}.{p}" for i in standard.indicators for p in i.params)]))
        raise UnknownStandardError(  # one " / " between the languages: pages show one half (core.words)
            f"Không có ngưỡng {name[:60]!r} trong chuẩn {standard.id}; các ngưỡng có: {known} / "
            f"no threshold {name[:60]!r} in {standard.id}; the thresholds are: {known}"
        )
    return replace(standard, parameters=parameters, indicators=tuple(indicators[i.id] for i in standard.indicators))
