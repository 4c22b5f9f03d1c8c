"""The one scoping layer: which units, and so which records, a user may read or change.

Every selector that returns registry data filters through `visible_unit_ids`; every service
that writes calls `require_unit_write`. Views, API and CLI never query models themselves
(a test scans them), so a new page cannot bypass the scoping by accident.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from giamngheo.core import clock

from ..core.errors import AccessDenied
from ..geo.models import AdminUnit, UnitLevel
from .models import COMMUNE_ROLES, NATIONWIDE_ROLES, WRITE_ROLES, Role, RoleAssignment

ALL = None  # sentinel: no unit filter (national roles)


def active_assignments(user, when: dt.date | None = None) -> list[RoleAssignment]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    when = when or clock.today()
    cached = getattr(user, "_assignments_cache", None)
    if cached is None or cached[0] != when:
        rows = list(
            RoleAssignment.objects.filter(user=user, valid_from__lte=when)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=when))
            .select_related("unit")
        )
        cached = (when, rows)
        user._assignments_cache = cached
    return cached[1]


def roles_of(user, when: dt.date | None = None) -> set[str]:
    roles = {a.role for a in active_assignments(user, when)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return roles


def _communes_for(unit: AdminUnit) -> set[int]:
    """Communes under a unit, plus the pre-2025 communes that became them (history stays visible)."""
    if unit.level == UnitLevel.COMMUNE:
        ids = {unit.pk}
    elif unit.level == UnitLevel.DISTRICT:
        ids = set(AdminUnit.objects.filter(level=UnitLevel.COMMUNE, parent=unit).values_list("pk", flat=True))
    else:
        ids = set(
            AdminUnit.objects.filter(Q(parent=unit) | Q(parent__parent=unit), level=UnitLevel.COMMUNE).values_list(
                "pk", flat=True
            )
        )
    older = AdminUnit.objects.filter(successions__new__in=ids).values_list("pk", flat=True)
    return ids | set(older)


def _cached(user, kind: str, when: dt.date | None, compute):
    """Per user object (so per request): scoping is computed once however many checks a page makes."""
    key = (kind, when or clock.today())
    cache = user.__dict__.setdefault("_scope_cache", {}) if user is not None and hasattr(user, "__dict__") else {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def visible_unit_ids(user, when: dt.date | None = None) -> set[int] | None:
    """Commune ids the user may read; `ALL` (None) for national roles; empty set for nobody."""
    return _cached(user, "read", when, lambda: _visible_unit_ids(user, when))


def writable_unit_ids(user, when: dt.date | None = None) -> set[int] | None:
    """Commune ids the user may change: commune roles in their commune; admins everywhere."""
    return _cached(user, "write", when, lambda: _writable_unit_ids(user, when))


def _visible_unit_ids(user, when: dt.date | None = None) -> set[int] | None:
    if getattr(user, "is_superuser", False):
        return ALL
    assignments = active_assignments(user, when)
    if any(a.role in NATIONWIDE_ROLES for a in assignments):
        return ALL
    ids: set[int] = set()
    for a in assignments:
        if a.unit is not None:
            ids |= _communes_for(a.unit)
    return ids


def _writable_unit_ids(user, when: dt.date | None = None) -> set[int] | None:
    if getattr(user, "is_superuser", False):
        return ALL
    assignments = active_assignments(user, when)
    if any(a.role == Role.ADMIN for a in assignments):
        return ALL
    ids: set[int] = set()
    for a in assignments:
        if a.role in COMMUNE_ROLES and a.unit is not None:
            ids |= _communes_for(a.unit)
    return ids


def can_read_unit(user, unit: AdminUnit | int) -> bool:
    ids = visible_unit_ids(user)
    return ids is ALL or (unit if isinstance(unit, int) else unit.pk) in ids


def can_write_unit(user, unit: AdminUnit | int) -> bool:
    ids = writable_unit_ids(user)
    return ids is ALL or (unit if isinstance(unit, int) else unit.pk) in ids


def require_unit_read(user, unit: AdminUnit | int) -> None:
    if not can_read_unit(user, unit):
        raise AccessDenied()


def can_read_area(user, unit: AdminUnit) -> bool:
    """Every commune under `unit` is visible to the user (a report of part of a province would mislead)."""
    ids = visible_unit_ids(user)
    if ids is ALL:
        return True
    own = (
        {unit.pk}
        if unit.level == UnitLevel.COMMUNE
        else set(
            AdminUnit.objects.filter(Q(parent=unit) | Q(parent__parent=unit), level=UnitLevel.COMMUNE).values_list(
                "pk", flat=True
            )
        )
    )
    return bool(own) and own <= ids


def require_area_read(user, unit: AdminUnit) -> None:
    if not can_read_area(user, unit):
        raise AccessDenied()


def require_unit_write(user, unit: AdminUnit | int) -> None:
    if not can_write_unit(user, unit):
        raise AccessDenied("Không có quyền sửa dữ liệu của đơn vị này", "Not allowed to change this unit's data")


def communes_visible_to(user, limit: int = 200):
    """The communes a user works in, with household counts, current units first.

    National roles get the communes that hold households (listing all 13,000 would help no one).
    """
    from django.db.models import Count, F

    ids = visible_unit_ids(user)
    qs = AdminUnit.objects.filter(level=UnitLevel.COMMUNE)
    qs = qs.filter(households__isnull=False).distinct() if ids is ALL else qs.filter(pk__in=ids)
    return (
        qs.select_related("parent")
        .annotate(n_households=Count("households", filter=Q(households__is_active=True)))
        .order_by(F("valid_to").asc(nulls_first=True), "province_code", "name")[:limit]
    )


def sees_personal_ids(user) -> bool:
    """Full national ids are for the commune's own staff and administrators; others see them masked."""
    return bool(roles_of(user) & (COMMUNE_ROLES | {Role.ADMIN}))


def sees_incomes(user) -> bool:
    """A household's income is for the staff who review it (and administrators); province and
    national viewers work from categories and totals, so they see incomes masked."""
    return sees_personal_ids(user)


def may_search_national_id(user) -> bool:
    """A search by a full national id answers "this person is in that household": it is an id view,
    so it is for the roles that see ids (with the last 4 digits shown, a masked role could otherwise
    recover whole ids by trying the few candidates that province, sex and birth year leave)."""
    return sees_personal_ids(user)


def require_role(user, *roles: str) -> None:
    if not (roles_of(user) & set(roles)):
        raise AccessDenied("Vai trò của bạn không được làm việc này", "Your role may not do this")


def require_admin(user) -> None:
    """Users, tokens, retention, backups: the system administrator's work, whatever the path."""
    if Role.ADMIN not in roles_of(user):
        raise AccessDenied("Chỉ quản trị hệ thống được làm việc này", "Only a system administrator may do this")


def may_choose_round_standard(user, commune: AdminUnit | int) -> bool:
    """Which standard a review round classifies under is a province's call when it departs from the
    rule: a province official of the commune's province (the communes under their assignment, older
    communes that became them included) or an administrator. Commune roles follow the rule."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return True
    commune_id = commune if isinstance(commune, int) else commune.pk
    return any(
        a.role == Role.PROVINCE_OFFICIAL and a.unit is not None and commune_id in _communes_for(a.unit)
        for a in active_assignments(user)
    )


def require_round_standard_choice(user, commune: AdminUnit | int) -> None:
    if not may_choose_round_standard(user, commune):
        raise AccessDenied(
            "Chỉ cán bộ cấp tỉnh được chọn chuẩn nghèo khác cho đợt rà soát",
            "Only a province official may choose another standard for a review round",
        )


__all__ = [
    "ALL",
    "WRITE_ROLES",
    "active_assignments",
    "communes_visible_to",
    "sees_incomes",
    "sees_personal_ids",
    "can_read_unit",
    "can_read_area",
    "may_choose_round_standard",
    "may_search_national_id",
    "require_area_read",
    "can_write_unit",
    "require_admin",
    "require_role",
    "require_round_standard_choice",
    "require_unit_read",
    "require_unit_write",
    "roles_of",
    "visible_unit_ids",
    "writable_unit_ids",
]
