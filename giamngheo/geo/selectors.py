"""Reads of administrative units: which unit a code meant on a date, and what it is now."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Case, IntegerField, Q, QuerySet, When

from giamngheo.core import clock
from giamngheo.core.text import vi_sort_key

from .models import AdminUnit, UnitLevel, Village

REFORM_DATE = dt.date(2025, 7, 1)


def in_force(when: dt.date) -> Q:
    """The condition "in force on `when`" on AdminUnit rows, for filters that combine it with others."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=when)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=when))


def units_on(when: dt.date) -> QuerySet[AdminUnit]:
    """Every unit (province, district, commune) in force on `when`: old units for past days."""
    return AdminUnit.objects.filter(in_force(when)).select_related("parent")


def unit_on(code: str, when: dt.date, level: str = UnitLevel.COMMUNE) -> AdminUnit | None:
    """The unit that bore `code` at `level` on `when`, or None."""
    return AdminUnit.objects.filter(in_force(when), code=code, level=level).select_related("parent").first()


def successors(unit: AdminUnit) -> list[AdminUnit]:
    """What the unit is now: itself if still in force, else its successors, default first."""
    if unit.valid_to is None:
        return [unit]
    links = unit.successions.select_related("new").order_by("-is_default", "new__code")
    return [link.new for link in links]


def current_unit(code: str, when: dt.date) -> AdminUnit | None:
    """The main successor today of the commune that bore `code` on `when`."""
    unit = unit_on(code, when)
    if unit is None:
        return None
    now = successors(unit)
    return now[0] if now else None


def communes_under(unit: AdminUnit, on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """Commune-level units below a unit (directly, or through districts before 2025), the commune itself
    for a commune; with `on`, only those in force that day. The one "communes under a unit" of the
    code base: the access layer's scopes (`accounts.access.area_scope`) are built on it."""
    if unit.level == UnitLevel.COMMUNE:
        qs = AdminUnit.objects.filter(pk=unit.pk)
    elif unit.level == UnitLevel.DISTRICT:
        qs = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, parent=unit)
    else:
        qs = AdminUnit.objects.filter(Q(parent=unit) | Q(parent__parent=unit), level=UnitLevel.COMMUNE)
    return qs if on is None else qs.filter(in_force(on))


def predecessor_ids(commune_ids) -> set[int]:
    """The pre-2025 communes that became any of `commune_ids` (their history stays with them)."""
    return set(AdminUnit.objects.filter(successions__new__in=commune_ids).values_list("pk", flat=True))


_COMMUNE_SETS: dict[tuple, frozenset[int]] = {}
_COMMUNE_SETS_LOCK = threading.Lock()


def units_generation() -> tuple:
    """What changes whenever units or successions are added (a load, a test's own units) or a
    transaction adding them is rolled back: the newest id of each table, one indexed lookup each in
    one query; edits and deletes in place bump `_EDITS` (signals, `apps.GeoConfig.ready`)."""
    from django.db import connection

    from .models import UnitSuccession

    units, links = AdminUnit._meta.db_table, UnitSuccession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {units}), (SELECT MAX(id) FROM {links})")  # noqa: S608 (our tables)
        top_unit, top_link = cursor.fetchone()
    return top_unit, top_link, _EDITS[0]


_EDITS = [0]  # bumped when a unit row is saved or deleted in this process (a parent can change in place)


def forget_unit_sets(**_) -> None:
    with _COMMUNE_SETS_LOCK:
        _EDITS[0] += 1
        _COMMUNE_SETS.clear()


def communes_with_history(unit: AdminUnit) -> frozenset[int]:
    """The communes under `unit` (any date) and the pre-2025 communes that became them: what a role
    assigned to `unit` reads. Kept per process by unit and `units_generation`: it was two joins of
    the unit tables on every request (8-17 ms for a province on the demo)."""
    key = (unit.pk, units_generation())
    found = _COMMUNE_SETS.get(key)
    if found is None:
        ids = set(communes_under(unit).values_list("pk", flat=True))
        found = frozenset(ids | predecessor_ids(ids))
        with _COMMUNE_SETS_LOCK:
            if len(_COMMUNE_SETS) > 5_000:  # bounded: at most a few thousand units are ever assigned
                _COMMUNE_SETS.clear()
            _COMMUNE_SETS[key] = found
    return found


def provinces_on(when: dt.date) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(in_force(when), level=UnitLevel.PROVINCE).order_by("code")


def unit_get(unit_id: int) -> AdminUnit:
    return AdminUnit.objects.select_related("parent").get(pk=unit_id)


def unit_by_code(code: str, when: dt.date | None = None) -> AdminUnit | None:
    """A unit by code as in force on `when` (today by default): communes first, then provinces."""
    when = when or clock.today()
    for level in (UnitLevel.COMMUNE, UnitLevel.PROVINCE, UnitLevel.DISTRICT):
        unit = unit_on(code, when, level)
        if unit is not None:
            return unit
    return None


def villages_of(commune: AdminUnit) -> list[Village]:
    """The commune's villages in Vietnamese order (`core.text.vi_sort_key`; a commune has tens)."""
    return sorted(Village.objects.filter(commune=commune), key=lambda v: vi_sort_key(v.name))


def village_choices(commune: AdminUnit) -> QuerySet[Village]:
    """`villages_of` as a queryset in the same order, for a form's model choice (which validates
    against a queryset): the Python order written into the query as each village's rank."""
    villages = villages_of(commune)
    ranks = [When(pk=v.pk, then=i) for i, v in enumerate(villages)]
    order = Case(*ranks, output_field=IntegerField()) if ranks else "pk"
    return Village.objects.filter(pk__in=[v.pk for v in villages]).order_by(order)
