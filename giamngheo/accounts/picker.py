"""The report unit picker: a province, then a unit of it, by name, among the units in force on the
period's date (old provinces, districts and communes before 1 July 2025) that the user may report on.

Built on `access.pickable_candidates`, so every unit offered is one `access.area_scope` accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.text import fold, vi_sort_key
from ..geo.models import AdminUnit, UnitLevel
from ..geo.selectors import provinces_on, unit_by_code
from .access import ALL, pickable_candidates, province_of, visible_unit_ids


@dataclass(frozen=True)
class UnitGroup:
    """Options under one heading: a district and its communes before 2025 (`district` None: none)."""

    district: AdminUnit | None
    units: list[AdminUnit]


@dataclass(frozen=True)
class UnitPicker:
    on: dt.date
    provinces: list[AdminUnit]  # every province holding a unit the user may pick, in Vietnamese order
    province: AdminUnit | None  # the chosen one
    whole: AdminUnit | None  # the chosen province itself, when the user may report on all of it
    groups: list[UnitGroup] = field(default_factory=list)
    selected: str = ""  # the code the unit select shows chosen
    kept: str = ""  # a code from the query string that is none of the options: kept, so the link works

    @property
    def empty(self) -> bool:
        return self.whole is None and not any(g.units for g in self.groups)


# The kind of unit its name begins with: lists are read by the proper name ("Đà Nẵng" before "Hà Nội",
# "Bắc Yên" before "Chiềng An" whether xã or phường), as the offices' own lists are.
KINDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def proper_name(name: str) -> str:
    """`name` without the kind of unit it starts with: "Xã Tạ Khoa" -> "Tạ Khoa"."""
    for kind in KINDS:
        if name.startswith(kind + " "):
            return name[len(kind) + 1 :]
    return name


def _by_name(units) -> list[AdminUnit]:
    return sorted(units, key=lambda u: (vi_sort_key(proper_name(u.name)), u.code))


def _provinces(user, on: dt.date) -> list[AdminUnit]:
    if visible_unit_ids(user) is ALL:
        return _by_name(provinces_on(on))
    candidates = pickable_candidates(user, on=on)
    wanted = {province_of(u) for u in candidates}
    return _by_name(provinces_on(on).filter(pk__in=[pk for pk in wanted if pk is not None]))


def _meant(user, on: dt.date, code: str) -> AdminUnit | None:
    """The unit a report reads `code` as on `on` (`geo.selectors.unit_by_code`), if the user may pick it."""
    unit = unit_by_code(code, on)
    if unit is None or visible_unit_ids(user) is ALL:
        return unit
    return unit if any(u.pk == unit.pk for u in pickable_candidates(user, on=on)) else None


def unit_picker(user, *, on: dt.date, province: str = "", unit: str = "", query: str = "") -> UnitPicker:
    """What the picker shows: the provinces, and for the chosen one (`province`, else the province of
    `unit`, else the first) itself and its districts and communes, grouped by district before 2025,
    in Vietnamese order. `query` keeps the units whose name holds it without diacritics
    (`core.text.fold`) or whose code it is; `unit` is selected when offered, else the first option."""
    provinces = _provinces(user, on)
    meant = _meant(user, on, unit) if unit else None
    chosen = next((p for p in provinces if p.code == province), None)
    if chosen is None and meant is not None:
        chosen = next((p for p in provinces if p.pk == province_of(meant)), None)
    chosen = chosen or (provinces[0] if provinces else None)
    if chosen is None:
        return UnitPicker(on, provinces, None, None, kept=unit)
    units = pickable_candidates(user, on=on, province=chosen)
    needle, code = fold(query), query.strip()
    if needle:
        units = [u for u in units if needle in fold(u.name) or u.code == code]
    whole = next((u for u in units if u.pk == chosen.pk), None)
    districts = _by_name(u for u in units if u.level == UnitLevel.DISTRICT)
    communes = _by_name(u for u in units if u.level == UnitLevel.COMMUNE)
    groups = [UnitGroup(None, [c for c in communes if c.parent_id == chosen.pk])]
    by_district = {d.pk: d for d in districts}
    for commune in communes:  # a district the user may not report on whole: a heading only
        if commune.parent is not None and commune.parent_id != chosen.pk:
            by_district.setdefault(commune.parent.pk, commune.parent)
    for district in _by_name(by_district.values()):
        own = [district] if district in districts else []
        groups.append(UnitGroup(district, own + [c for c in communes if c.parent_id == district.pk]))
    groups = [g for g in groups if g.units]
    offered = ([whole] if whole else []) + [u for g in groups for u in g.units]
    codes = [u.code for u in offered]
    selected = unit if unit in codes else (codes[0] if codes else "")
    kept = unit if unit and meant is None and not needle else ""
    return UnitPicker(on, provinces, chosen, whole, groups, kept or selected, kept)
