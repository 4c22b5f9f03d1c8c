"""The one scoping layer: which units, and so which records, a user may read or change.

Every selector that returns registry data filters through `visible_unit_ids`; every service
that writes calls `require_unit_write`. Views, API and CLI never query models themselves
(a test scans them), so a new page cannot bypass the scoping by accident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from giamngheo.core import clock

from ..core.errors import AccessDenied
from ..geo.models import AdminUnit, UnitLevel
from ..geo.selectors import communes_under, communes_with_history, in_force, units_on
from .models import COMMUNE_ROLES, HOUSEHOLD_ROLES, NATIONWIDE_ROLES, POLICY_ROLES, WRITE_ROLES, Role, RoleAssignment

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
    """Communes under an assignment's unit, plus the pre-2025 communes that became them (history stays visible)."""
    return set(communes_with_history(unit))


def _cached(user, kind: str, when: dt.date | None, compute):
    """Per user object (so per request): scoping is computed once however many checks a page makes."""
    key = (kind, when or clock.today())
    cache = user.__dict__.setdefault("_scope_cache", {}) if user is not None and hasattr(user, "__dict__") else {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _assignment_communes(user, assignment, when: dt.date | None) -> set[int]:
    """The communes of one assignment's unit, computed once per request however many rules ask."""
    return _cached(user, f"communes:{assignment.unit_id}", when, lambda: _communes_for(assignment.unit))


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
        # a helper's or an agency officer's unit says where they work and grants no area read
        if a.unit is not None and a.role not in HOUSEHOLD_ROLES | POLICY_ROLES:
            ids |= _assignment_communes(user, a, when)
    return ids


def assigned_household_ids(user, when: dt.date | None = None) -> frozenset[int]:
    """Household pks a helper reads one by one, beyond their units (issue #17): the households assigned
    on `when` to the person their login is (directly, or through the household's village), lying in a
    commune of one of their active `helper` role assignments. Empty for every other role, and for an
    assignment naming only an organisation: access follows a named person, never a whole union.

    Registry selectors (`households_visible_to`, `members_visible_to`) add these to the unit scoping,
    so every household page, list and API read shows a helper these households and no other; every
    unit-wide read (`visible_unit_ids`, `area_scope`) leaves a helper out."""
    return _cached(user, "households", when, lambda: _assigned_household_ids(user, when))


def _assigned_household_ids(user, when: dt.date | None) -> frozenset[int]:
    helper = [a for a in active_assignments(user, when) if a.role in HOUSEHOLD_ROLES and a.unit is not None]
    if not helper:
        return frozenset()
    from django.apps import apps

    when = when or clock.today()
    communes: set[int] = set()
    for a in helper:
        communes |= _assignment_communes(user, a, when)
    # plans sits above accounts: its assignment table is reached through the app registry, not imported
    try:
        assignment = apps.get_model("plans", "HelperAssignment")
    except LookupError:
        return frozenset()
    rows = (
        assignment._default_manager.filter(person__user=user, valid_from__lte=when)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=when))
        .values_list("household_id", "village_id")
    )
    household_pks = {h for h, _ in rows if h is not None}
    village_pks = {v for _, v in rows if v is not None}
    if not household_pks and not village_pks:
        return frozenset()
    household = AdminUnit.households.rel.related_model  # registry sits above accounts: reached, not imported
    found = household._default_manager.filter(Q(pk__in=household_pks) | Q(village_id__in=village_pks)).filter(
        unit_id__in=communes
    )
    return frozenset(found.values_list("pk", flat=True))


def can_read_household(user, household) -> bool:
    """Whether `user` may read this household: its commune is theirs, or it is assigned to them as a helper."""
    ids = visible_unit_ids(user)
    return ids is ALL or household.unit_id in ids or household.pk in assigned_household_ids(user)


def _writable_unit_ids(user, when: dt.date | None = None) -> set[int] | None:
    if getattr(user, "is_superuser", False):
        return ALL
    assignments = active_assignments(user, when)
    if any(a.role == Role.ADMIN for a in assignments):
        return ALL
    ids: set[int] = set()
    for a in assignments:
        if a.role in COMMUNE_ROLES and a.unit is not None:
            ids |= _assignment_communes(user, a, when)
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


@dataclass(frozen=True)
class Scope:
    """What a report, an export, a what-if or a dashboard covers: a unit, the day its communes are read
    on, and the ids of the communes under it in force that day (`geo.selectors.communes_under`).

    Made only by `area_scope`, which checks the actor may read every commune of it (or, asked
    explicitly, keeps the visible part and says so in `partial`).
    """

    unit: AdminUnit
    on: dt.date
    commune_ids: tuple[int, ...]
    partial: bool = False  # some communes under the unit were left out: the actor may not read them

    @property
    def is_empty(self) -> bool:
        return not self.commune_ids


def area_scope(user, unit: AdminUnit, *, on: dt.date, partial: bool = False, policy: str | None = None) -> Scope:
    """The communes under `unit` in force on `on`, for a user who may read every one of them.

    A report of part of a province would mislead, so a scope the user cannot see whole raises
    `AccessDenied` (the web answers 403, the API 404, the CLI exits 2), the same on every path.
    `partial=True` is for pages that list "what I may see": the visible communes only, `partial` set
    when some were left out. A unit with no commune is refused to all but national roles.
    With `policy` (a catalogue id), an agency officer's units for that policy count too
    (`policy_unit_ids`): the scope of that policy's eligibility and ledger, never of anything else.
    """
    wanted = set(communes_under(unit, on).values_list("pk", flat=True))
    ids = visible_unit_ids(user) if policy is None else policy_unit_ids(user, policy)
    if ids is ALL or (wanted and wanted <= ids):
        return Scope(unit, on, tuple(sorted(wanted)))
    if not partial:
        raise AccessDenied()
    return Scope(unit, on, tuple(sorted(wanted & ids)), partial=True)


_LEVEL_ORDER: dict[str, int] = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


def pickable_candidates(user, *, on: dt.date, province: AdminUnit | None = None) -> list[AdminUnit]:
    """Every unit in force on `on` whose every commune the user reads (so `area_scope` accepts it), in
    no order; with `province`, only that province and the units under it (a nation's 10,000 old
    communes are not read to fill one province's list)."""
    ids = visible_unit_ids(user)
    if ids is ALL:
        qs = units_on(on)
        if province is not None:
            qs = qs.filter(Q(pk=province.pk) | Q(parent=province) | Q(parent__parent=province))
        return list(qs)
    found = _cached(user, f"pickable:{on.isoformat()}", None, lambda: _pickable_in(ids, on))
    return found if province is None else [u for u in found if province_of(u) == province.pk]


def _pickable_in(ids: set[int], on: dt.date) -> list[AdminUnit]:
    """The communes of `ids` in force on `on`, and the districts and provinces above them wholly in `ids`."""
    communes = list(units_on(on).filter(level=UnitLevel.COMMUNE, pk__in=ids).select_related("parent__parent"))
    above = {c.parent_id for c in communes} | {c.parent.parent_id for c in communes if c.parent}
    parents = [
        u
        for u in units_on(on).filter(pk__in=[pk for pk in above if pk is not None])
        if set(communes_under(u, on).values_list("pk", flat=True)) <= ids
    ]
    return parents + communes


def province_of(unit: AdminUnit) -> int | None:
    """The id of the province a unit lies in (itself for a province), through its district before 2025."""
    if unit.level == UnitLevel.PROVINCE:
        return unit.pk
    if unit.parent is not None and unit.parent.level == UnitLevel.DISTRICT:
        return unit.parent.parent_id
    return unit.parent_id


def pickable_units(user, *, on: dt.date, query: str = "", limit: int = 20) -> list[AdminUnit]:
    """Units a user may choose for a report or a what-if on `on` (the picker): those in force that
    day whose every commune they read, so `area_scope` accepts each one offered. Matched by name
    without diacritics (`core.text.fold`) or by exact code; provinces first, then by name in
    Vietnamese order (`core.text.vi_sort_key`)."""
    from ..core.text import fold, vi_sort_key

    candidates = pickable_candidates(user, on=on)
    needle, code = fold(query), query.strip()
    found = [u for u in candidates if needle in fold(u.name) or u.code == code]
    found.sort(key=lambda u: (_LEVEL_ORDER.get(u.level, 3), vi_sort_key(u.name), u.code))
    return found[:limit]


def require_unit_write(user, unit: AdminUnit | int) -> None:
    if not can_write_unit(user, unit):
        raise AccessDenied("Không có quyền sửa dữ liệu của đơn vị này", "Not allowed to change this unit's data")


def communes_visible_to(user, limit: int = 200):
    """The communes a user works in, with household counts, current units first, then by province
    and by name in Vietnamese order (`core.text.vi_sort_key`, on the `limit` rows SQL chose).

    National roles get the communes that hold households (listing all 13,000 would help no one).
    A commune's old units (before the 2025 reform) are listed only while they hold households: an
    empty namesake beside the new commune read as the same commune twice, once with 0 households.
    """
    from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from ..core.text import vi_sort_key

    ids = visible_unit_ids(user)
    qs = AdminUnit.objects.filter(level=UnitLevel.COMMUNE)
    # One index probe per listed unit; "units that hold households" as a list read every household.
    household = AdminUnit.households.rel.related_model  # registry sits above accounts: reached, not imported
    holds = Exists(household._default_manager.filter(unit=OuterRef("pk")))
    if ids is ALL:
        qs = qs.filter(holds)
    else:
        qs = qs.filter(pk__in=ids).filter(in_force(clock.today()) | holds)
    # A counted subquery per unit: the join + GROUP BY over every column took 14 ms for one commune.
    active = household._default_manager.filter(unit=OuterRef("pk"), is_active=True).order_by().values("unit")
    n_households = Coalesce(Subquery(active.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0)
    chosen = (
        qs.select_related("parent")
        .annotate(n_households=n_households)
        .order_by(F("valid_to").asc(nulls_first=True), "province_code", "name")[:limit]
    )
    return sorted(
        chosen, key=lambda u: (u.valid_to is not None, u.valid_to or dt.date.min, u.province_code, vi_sort_key(u.name))
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


def needs_two_factor(user) -> bool:
    """Whether signing in takes a code from an authenticator app after the password (docs/adr/0010).

    Required of whoever reaches more than one commune's personal data or the admin: administrators
    (and staff, who open the admin), national viewers, and anyone assigned to a province or a
    district. A commune's own staff (reviewers, village heads, the official, the chair) read one
    commune and work on shared phones: the password alone, as before. Under GIAMNGHEO_DEMO the
    demo's own accounts are let through, never any other account."""
    from django.conf import settings

    from .demo_accounts import DEMO_USERNAMES

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(settings, "DEMO", False) and user.username in DEMO_USERNAMES:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(
        a.role in NATIONWIDE_ROLES or a.unit is None or a.unit.level != UnitLevel.COMMUNE
        for a in active_assignments(user)
    )


def require_role(user, *roles: str) -> None:
    if not (roles_of(user) & set(roles)):
        raise AccessDenied("Vai trò của bạn không được làm việc này", "Your role may not do this")


def require_admin(user) -> None:
    """Users, tokens, retention, backups: the system administrator's work, whatever the path."""
    if Role.ADMIN not in roles_of(user):
        raise AccessDenied("Chỉ quản trị hệ thống được làm việc này", "Only a system administrator may do this")


def is_self_or_admin(user, subject) -> bool:
    """A person's own records (their audit trail, the imports they started, their password): theirs,
    and the administrator's; anyone else, however wide their area, gets nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or subject is None:
        return False
    return user.pk == subject.pk or Role.ADMIN in roles_of(user)


def may_choose_round_standard(user, commune: AdminUnit | int) -> bool:
    """Which standard a review round classifies under is a province's call when it departs from the
    rule: a province official of the commune's province (the communes under their assignment, older
    communes that became them included) or an administrator. Commune roles follow the rule."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return True
    commune_id = commune if isinstance(commune, int) else commune.pk
    return any(
        a.role == Role.PROVINCE_OFFICIAL and a.unit is not None and commune_id in _assignment_communes(user, a, None)
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
    "assigned_household_ids",
    "can_read_household",
    "WRITE_ROLES",
    "active_assignments",
    "pickable_candidates",
    "pickable_units",
    "province_of",
    "communes_visible_to",
    "sees_incomes",
    "sees_personal_ids",
    "can_read_unit",
    "Scope",
    "area_scope",
    "may_choose_round_standard",
    "may_search_national_id",
    "needs_two_factor",
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


# -- The review's steps (Decision 24/2021): who may do which step, in a commune they may change. --
# One function per rule; each `require_*` first refuses a commune the user may not change, then a
# role the step is not for, with the messages the services have always given.

SURVEY_ROLES = COMMUNE_ROLES | {Role.ADMIN}  # reviewers, village heads, the official and the chair
ROUND_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR, Role.ADMIN})  # the commune's office
RECOGNISE_ROLES = frozenset({Role.COMMUNE_CHAIR, Role.ADMIN})  # the commune chair decides


def _step_allowed(user, unit: AdminUnit | int, roles: frozenset[str]) -> bool:
    return can_write_unit(user, unit) and bool(roles_of(user) & roles)


def _require_step(user, unit: AdminUnit | int, roles: frozenset[str], vi: str, en: str) -> None:
    require_unit_write(user, unit)
    if not roles_of(user) & roles:
        raise AccessDenied(vi, en)


_STEP_VI, _STEP_EN = "Vai trò của bạn không được làm bước này", "Your role may not do this step"


def can_survey(user, unit: AdminUnit | int) -> bool:
    """Record a household's request, Form A, Form B and the dwelling's photo: the commune's staff."""
    return _step_allowed(user, unit, SURVEY_ROLES)


def require_survey(user, unit: AdminUnit | int) -> None:
    _require_step(user, unit, SURVEY_ROLES, _STEP_VI, _STEP_EN)


def can_manage_round(user, unit: AdminUnit | int) -> bool:
    """Open a round and move it to its next step: the commune official or chair."""
    return _step_allowed(user, unit, ROUND_ROLES)


def require_manage_round(user, unit: AdminUnit | int) -> None:
    _require_step(user, unit, ROUND_ROLES, _STEP_VI, _STEP_EN)


def can_record_meeting(user, unit: AdminUnit | int) -> bool:
    """Record a village meeting's result: the commune's staff (the village head chairs it)."""
    return _step_allowed(user, unit, SURVEY_ROLES)


def require_record_meeting(user, unit: AdminUnit | int) -> None:
    _require_step(user, unit, SURVEY_ROLES, _STEP_VI, _STEP_EN)


def can_record_complaint(user, unit: AdminUnit | int) -> bool:
    """Write down a complaint received during posting: the commune's staff."""
    return _step_allowed(user, unit, SURVEY_ROLES)


def require_record_complaint(user, unit: AdminUnit | int) -> None:
    _require_step(user, unit, SURVEY_ROLES, _STEP_VI, _STEP_EN)


def can_recheck_complaint(user, unit: AdminUnit | int) -> bool:
    """Record the re-check (phúc tra) of a complaint: the commune official or chair."""
    return _step_allowed(user, unit, ROUND_ROLES)


def require_recheck_complaint(user, unit: AdminUnit | int) -> None:
    _require_step(user, unit, ROUND_ROLES, _STEP_VI, _STEP_EN)


def can_recognise(user, unit: AdminUnit | int) -> bool:
    """Recognise a round's results by decision: the commune chair (or an administrator)."""
    return _step_allowed(user, unit, RECOGNISE_ROLES)


def require_recognise(user, unit: AdminUnit | int) -> None:
    _require_step(
        user, unit, RECOGNISE_ROLES, "Chỉ Chủ tịch UBND xã được công nhận", "Only the commune chair may recognise"
    )


def can_make_papers(user, unit: AdminUnit | int) -> bool:
    """Queue the round's papers (minutes, posting list, certificates): the commune's staff."""
    return _step_allowed(user, unit, SURVEY_ROLES)


def require_make_papers(user, unit: AdminUnit | int) -> None:
    _require_step(user, unit, SURVEY_ROLES, _STEP_VI, _STEP_EN)


def can_assign_reviewers(user, unit: AdminUnit | int) -> bool:
    """Give a round's households (a village's, or chosen ones) to a reviewer: the commune's office
    (official or chair), who plan the survey, in a commune they may change."""
    return _step_allowed(user, unit, ROUND_ROLES)


def require_assign_reviewers(user, unit: AdminUnit | int) -> None:
    _require_step(
        user,
        unit,
        ROUND_ROLES,
        "Chỉ công chức giảm nghèo hoặc Chủ tịch UBND xã được giao hộ cho rà soát viên",
        "Only the commune official or chair may assign households to reviewers",
    )


def is_reviewer_of(user, unit: AdminUnit | int) -> bool:
    """Whether households of the commune may be given to `user`: a reviewer assigned to it today
    (to the commune, or to an older commune that became it), and so one who may survey there."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return can_survey(user, unit_id) and any(
        a.role == Role.REVIEWER and a.unit is not None and unit_id in _assignment_communes(user, a, None)
        for a in active_assignments(user)
    )


REGISTRY_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR, Role.ADMIN})  # who keeps the register


def can_change_registry(user, unit: AdminUnit | int) -> bool:
    """Add a household or a member, record a member leaving, split or merge households: the commune's
    office (official or chair) in a commune they may change. Reviewers and village heads survey and
    edit facts; who lives in which household is the office's record (issue #13 item 5)."""
    return _step_allowed(user, unit, REGISTRY_ROLES)


def require_change_registry(user, unit: AdminUnit | int) -> None:
    _require_step(
        user,
        unit,
        REGISTRY_ROLES,
        "Chỉ công chức giảm nghèo hoặc Chủ tịch UBND xã được thay đổi sổ hộ",
        "Only the commune official or chair may change the household register",
    )


DECISION_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR, Role.PROVINCE_OFFICIAL})


def can_record_decision(user, unit: AdminUnit | int) -> bool:
    """Enter a recognition decision the commune took before giamngheo (its current register, from paper
    or Excel): the commune's office (official or chair) in a commune they may change, a province
    official for the communes of their province, or an administrator. Reviewers and village heads
    survey; they do not bring in decisions (issue #16 item 1)."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return True
    unit_id = unit if isinstance(unit, int) else unit.pk
    return any(
        a.role in DECISION_ROLES and a.unit is not None and unit_id in _assignment_communes(user, a, None)
        for a in active_assignments(user)
    )


def require_record_decision(user, unit: AdminUnit | int) -> None:
    if not can_record_decision(user, unit):
        raise AccessDenied(
            "Chỉ công chức giảm nghèo, Chủ tịch UBND xã hoặc cán bộ cấp tỉnh được ghi quyết định công nhận đã có",
            "Only the commune official or chair, or a province official, may record an existing recognition decision",
        )


BENEFIT_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.ADMIN})  # who keeps the commune's benefit ledger


def can_record_benefit(user, unit: AdminUnit | int, policy: str | None = None) -> bool:
    """Record a support a household received, or reverse a wrong entry (issue #16): the commune's
    poverty-reduction official, in a commune they may change; for a benefit of `policy`, also an agency
    officer whose assignment names that policy and covers the commune."""
    return _step_allowed(user, unit, BENEFIT_ROLES) or _agency_of(user, unit, policy)


def require_record_benefit(user, unit: AdminUnit | int, policy: str | None = None) -> None:
    if _agency_of(user, unit, policy):
        return
    _require_step(
        user,
        unit,
        BENEFIT_ROLES,
        "Chỉ công chức giảm nghèo của xã hoặc cán bộ cơ quan phụ trách chính sách được ghi hỗ trợ đã nhận",
        "Only the commune's poverty-reduction official or the agency officer of the policy may record benefits",
    )


HELPER_ASSIGN_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR, Role.ADMIN})


def can_assign_helpers(user, unit: AdminUnit | int) -> bool:
    """Record the commune's organisations and their people, and who follows which household or village
    (issue #17): the commune's office (official or chair), in a commune they may change."""
    return _step_allowed(user, unit, HELPER_ASSIGN_ROLES)


def require_assign_helpers(user, unit: AdminUnit | int) -> None:
    _require_step(
        user,
        unit,
        HELPER_ASSIGN_ROLES,
        "Chỉ công chức giảm nghèo hoặc Chủ tịch UBND xã được phân công giúp đỡ hộ",
        "Only the commune official or chair may assign helpers to households",
    )


PLAN_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR, Role.ADMIN})  # who keeps household plans


def can_keep_plans(user, unit: AdminUnit | int) -> bool:
    """Draft, import, edit and move household exit plans (issue #17): the commune's office (official or
    chair), in a commune they may change."""
    return _step_allowed(user, unit, PLAN_ROLES)


def require_keep_plans(user, unit: AdminUnit | int) -> None:
    _require_step(
        user,
        unit,
        PLAN_ROLES,
        "Chỉ công chức giảm nghèo hoặc Chủ tịch UBND xã được lập kế hoạch thoát nghèo của hộ",
        "Only the commune official or chair may keep household exit plans",
    )


COMMUNE_PLAN_APPROVERS = frozenset({Role.COMMUNE_CHAIR, Role.ADMIN})  # the commune chair approves by decision


def can_approve_commune_plan(user, unit: AdminUnit | int) -> bool:
    """Approve a commune's annual poverty-reduction plan and its list of expected exits (issue #17
    item 4): the commune chair, in a commune they may change."""
    return _step_allowed(user, unit, COMMUNE_PLAN_APPROVERS)


def require_approve_commune_plan(user, unit: AdminUnit | int) -> None:
    _require_step(
        user,
        unit,
        COMMUNE_PLAN_APPROVERS,
        "Chỉ Chủ tịch UBND xã được phê duyệt kế hoạch giảm nghèo của xã",
        "Only the commune chair may approve the commune's plan",
    )


def can_record_visit(user, household) -> bool:
    """Record a helper's visit to a household (issue #17 item 3): the helper it is assigned to (as
    `assigned_household_ids` reads it), or the commune's office that keeps its plan."""
    return household.pk in assigned_household_ids(user) or can_keep_plans(user, household.unit_id)


def require_record_visit(user, household) -> None:
    if not can_record_visit(user, household):
        raise AccessDenied(
            "Chỉ người giúp đỡ được phân công hoặc công chức giảm nghèo, Chủ tịch UBND xã được ghi lần thăm hộ",
            "Only the helper assigned, or the commune official or chair, may record a visit",
        )


# -- Agency officers (issue #16 item 7): an assignment scoped to units and to policies of the catalogue. --


def known_policy_ids() -> set[str]:
    """The catalogue's policy ids (policies/data/*.yaml). policies sits above accounts: reached through
    its app config, not imported."""
    from django.apps import apps

    return set(apps.get_app_config("policies").policy_ids())  # type: ignore[attr-defined]


def policies_problem(role: str, policies) -> tuple[str, str] | None:
    """(Vietnamese, English) when an assignment's `policies` do not fit its role, else None: an agency
    officer names one or more catalogue ids; every other role names none."""
    if not isinstance(policies, list) or not all(isinstance(p, str) for p in policies):
        return ("Danh sách chính sách phải là các mã chính sách", "policies must be a list of policy ids")
    if role not in POLICY_ROLES:
        if policies:
            return ("Chỉ cán bộ cơ quan chuyên môn được giao chính sách", "only an agency officer is given policies")
        return None
    if not policies:
        return ("Cán bộ cơ quan chuyên môn cần ít nhất một chính sách", "an agency officer needs at least one policy")
    unknown = sorted(set(policies) - known_policy_ids())
    if unknown:
        return (f"Không có chính sách: {', '.join(unknown)}", f"no such policy: {', '.join(unknown)}")
    return None


def policy_grants(user, when: dt.date | None = None) -> dict[str, frozenset[int]]:
    """Policy id -> the communes an agency officer's active assignments give for it (empty for others)."""
    return _cached(user, "policy_grants", when, lambda: _policy_grants(user, when))


def _policy_grants(user, when: dt.date | None) -> dict[str, frozenset[int]]:
    grants: dict[str, set[int]] = {}
    for a in active_assignments(user, when):
        if a.role in POLICY_ROLES and a.unit is not None:
            communes = _assignment_communes(user, a, when)
            for policy in a.policies or []:
                grants.setdefault(policy, set()).update(communes)
    return {p: frozenset(ids) for p, ids in grants.items()}


def policy_unit_ids(user, policy: str, when: dt.date | None = None) -> set[int] | None:
    """Communes whose eligibility and ledger of `policy` the user reads: the communes they read anyway
    (`visible_unit_ids`), plus an agency officer's units for that policy; `ALL` for national roles."""
    ids = visible_unit_ids(user, when)
    if ids is ALL:
        return ALL
    return ids | policy_grants(user, when).get(policy, frozenset())


def policy_work(user) -> tuple[list[tuple[AdminUnit, list[str]]], list[AdminUnit]]:
    """For the home page: (an agency officer's units with their policies, the provinces whose norms the
    user sets as their province official)."""
    agency, provinces = [], []
    for a in active_assignments(user):
        if a.unit is None:
            continue
        if a.role in POLICY_ROLES:
            agency.append((a.unit, list(a.policies or [])))
        elif a.role == Role.PROVINCE_OFFICIAL and a.unit.level == UnitLevel.PROVINCE:
            provinces.append(a.unit)
    return agency, provinces


def ledger_reach(user) -> tuple[set[int] | None, dict[str, frozenset[int]]]:
    """What of the benefit ledger a user reads: every policy in the communes they read (`ALL` for
    national roles), and each policy of an agency officer's assignments in its communes."""
    return visible_unit_ids(user), policy_grants(user)


def _agency_of(user, unit: AdminUnit | int, policy: str | None) -> bool:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return policy is not None and unit_id in policy_grants(user).get(policy, frozenset())


def can_import_deliveries(user, unit: AdminUnit | int, policy: str) -> bool:
    """Bring an agency's delivery list of `policy` into a commune's ledger: the commune's official (or an
    administrator), or an agency officer whose assignment names that policy and covers that commune."""
    return can_record_benefit(user, unit, policy)


def may_import_deliveries_in(user, unit: AdminUnit | int, policy: str) -> bool:
    """Whether the user may import `policy`'s deliveries into every commune of `unit` (a commune, or a
    district or province an agency works over) in force today."""
    if isinstance(unit, int):
        ids = {unit}
    elif unit.level == UnitLevel.COMMUNE:
        ids = {unit.pk}
    else:
        ids = set(communes_under(unit, clock.today()).values_list("pk", flat=True))
    return bool(ids) and all(can_import_deliveries(user, pk, policy) for pk in ids)


def require_import_deliveries(user, unit: AdminUnit | int, policy: str) -> None:
    if not may_import_deliveries_in(user, unit, policy):
        raise AccessDenied(
            "Chỉ công chức giảm nghèo của xã hoặc cán bộ cơ quan phụ trách chính sách này được nhập danh sách chi trả",
            "Only the commune's official or the officer of the agency in charge of this policy may import deliveries",
        )


def province_communes(province: AdminUnit) -> set[int]:
    return set(communes_under(province, clock.today()).values_list("pk", flat=True))


def can_read_province_norms(user, province: AdminUnit) -> bool:
    """A province's own norms (amounts, rates over the national ones): whoever reads the whole province."""
    ids = visible_unit_ids(user)
    wanted = province_communes(province)
    return ids is ALL or bool(wanted) and wanted <= ids


def can_set_province_norms(user, province: AdminUnit) -> bool:
    """Set a province's own value of a policy's norm: a province official of that province (an assignment
    covering every commune of it), or an administrator. Commune roles and other provinces: no."""
    if Role.ADMIN in roles_of(user):
        return True
    wanted = province_communes(province)
    return bool(wanted) and any(
        a.role == Role.PROVINCE_OFFICIAL and a.unit is not None and wanted <= _assignment_communes(user, a, None)
        for a in active_assignments(user)
    )


def require_set_province_norms(user, province: AdminUnit) -> None:
    if not can_set_province_norms(user, province):
        raise AccessDenied(
            "Chỉ cán bộ cấp tỉnh của tỉnh này được đặt định mức của tỉnh",
            "Only a province official of this province may set its norms",
        )


def can_set_retention(user) -> bool:
    """How long closed rounds keep photos and GPS points: the system administrator."""
    return Role.ADMIN in roles_of(user)


def require_set_retention(user) -> None:
    if not can_set_retention(user):
        raise AccessDenied("Chỉ quản trị hệ thống được đặt thời hạn lưu", "Only an administrator sets retention")


def can_purge_survey_data(user) -> bool:
    """Remove expired photos and GPS points of the whole registry: the system administrator."""
    return Role.ADMIN in roles_of(user)


def require_purge_survey_data(user) -> None:
    if not can_purge_survey_data(user):
        raise AccessDenied("Chỉ quản trị hệ thống được xoá dữ liệu rà soát", "Only an administrator purges survey data")


__all__ += [
    "can_approve_commune_plan",
    "require_approve_commune_plan",
    "can_record_visit",
    "require_record_visit",
    "can_keep_plans",
    "require_keep_plans",
    "can_assign_helpers",
    "require_assign_helpers",
    "can_import_deliveries",
    "can_read_province_norms",
    "can_set_province_norms",
    "known_policy_ids",
    "ledger_reach",
    "policy_work",
    "may_import_deliveries_in",
    "policies_problem",
    "policy_grants",
    "policy_unit_ids",
    "province_communes",
    "require_import_deliveries",
    "require_set_province_norms",
    "can_assign_reviewers",
    "can_record_decision",
    "require_record_decision",
    "can_change_registry",
    "is_reviewer_of",
    "require_assign_reviewers",
    "can_make_papers",
    "can_manage_round",
    "can_purge_survey_data",
    "can_recheck_complaint",
    "can_recognise",
    "can_record_complaint",
    "can_record_meeting",
    "can_set_retention",
    "can_survey",
    "require_change_registry",
    "require_make_papers",
    "require_manage_round",
    "require_purge_survey_data",
    "require_recheck_complaint",
    "require_recognise",
    "require_record_complaint",
    "require_record_meeting",
    "require_set_retention",
    "require_survey",
]
