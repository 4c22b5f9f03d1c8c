"""Small builders for tests: users with a role in a unit, households with members."""

from __future__ import annotations

import datetime as dt
import itertools

from giamngheo.accounts.models import Role, RoleAssignment, User
from giamngheo.accounts.services import system_user
from giamngheo.geo.selectors import unit_by_code

_counter = itertools.count(1)
__all__ = ["household", "system_user", "user_with_role"]


def user_with_role(
    role: str, unit_code: str | None = None, username: str | None = None, policies: list[str] | None = None
) -> User:
    user = User.objects.create_user(username or f"u{next(_counter)}-{role}", password="pw-long-enough")
    unit = unit_by_code(unit_code) if unit_code else None
    RoleAssignment.objects.create(
        user=user, role=role, unit=unit, valid_from=dt.date(2020, 1, 1), policies=list(policies or [])
    )
    if role == Role.ADMIN:
        user.is_superuser = user.is_staff = True
        user.save()
    return user


def household(actor, household_id: str, commune_code: str, members: int = 2, **facts):
    from giamngheo.registry.services import household_register, member_add

    defaults = dict(
        income_per_capita_month=1_200_000,
        walls_durable=True,
        columns_durable=True,
        roof_durable=True,
        floor_area_m2=40,
        water_source="piped",
        latrine="septic",
        uses_telecom=True,
        has_info_device=True,
    )
    hh = household_register(
        actor=actor, household_id=household_id, unit=unit_by_code(commune_code), **{**defaults, **facts}
    )
    for i in range(members):
        member_add(
            actor=actor,
            household=hh,
            member_id=f"{household_id}-{i + 1}",
            full_name=f"Nguyễn Văn {chr(65 + i)}",
            birth_date=dt.date(1980 + i * 10, 1, 1),
            relation_to_head="head" if i == 0 else "child",
            highest_education="upper_secondary",
            in_school=False,
            has_health_insurance=True,
            employment="self_employed",
        )
    return hh
