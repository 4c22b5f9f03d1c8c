"""Builders for the plans tests: a commune with a village, households, an organisation and a helper login."""

from __future__ import annotations

import datetime as dt

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.geo.selectors import unit_by_code
from giamngheo.plans.services import assignment_add, organisation_add, person_add
from giamngheo.registry.services import village_create

A, B = "03880", "04045"  # two communes of different provinces


def helper_login(*, household=None, village=None, commune: str = A, valid_to: dt.date | None = None):
    """A `helper` login in `commune`, the person behind it (of the commune's Women's Union), and one
    assignment of that person to `household` or `village` from 1 January 2025."""
    admin = system_user()
    union = organisation_add(actor=admin, unit=unit_by_code(commune), kind="womens_union", name=f"Hội Phụ nữ {commune}")
    user = user_with_role(Role.HELPER, commune)
    person = person_add(actor=admin, organisation=union, full_name="Lò Thị Giúp", user=user)
    assignment_add(
        actor=admin,
        person=person,
        household=household,
        village=village,
        valid_from=dt.date(2025, 1, 1),
        valid_to=valid_to,
    )
    return user, person


def village_households(commune: str = A):
    """A village of `commune` with households V1 and V2 in it, and H1 outside any village."""
    admin = system_user()
    village = village_create(actor=admin, commune=unit_by_code(commune), name="Bản Mòng")
    v1 = household(admin, "V1", commune, village_id=village.pk)
    v2 = household(admin, "V2", commune, village_id=village.pk)
    h1 = household(admin, "H1", commune)
    return village, v1, v2, h1


__all__ = ["A", "B", "helper_login", "household", "system_user", "user_with_role", "village_households"]
