"""Who lives in which household is the commune office's record, on every path (web, API, CLI call the
same services): a reviewer or a village head could add, move, split and merge households through the
older services while the web pages refused them."""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.selectors import unit_by_code
from giamngheo.registry.models import Household, Member
from giamngheo.registry.services import (
    household_merge,
    household_register,
    household_split,
    household_update,
    member_add,
    member_move,
    member_update,
)

pytestmark = pytest.mark.django_db
COMMUNE = "03880"


def _writes(actor, h1, h2):
    return {
        "household_register": lambda: household_register(actor=actor, household_id="NEW", unit=unit_by_code(COMMUNE)),
        "member_add": lambda: member_add(actor=actor, household=h1, member_id="H1-9", full_name="Lò Văn Mới"),
        "member_move": lambda: member_move(actor=actor, member=Member.objects.get(member_id="H1-2"), to_household=h2),
        "household_split": lambda: household_split(
            actor=actor, household=h1, member_ids=["H1-2"], new_household_id="S"
        ),
        "household_merge": lambda: household_merge(actor=actor, source=h1, target=h2),
    }


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VILLAGE_HEAD, Role.PROVINCE_OFFICIAL])
def test_only_the_office_changes_who_lives_where(role):
    admin = system_user()
    h1, h2 = household(admin, "H1", COMMUNE), household(admin, "H2", COMMUNE)
    actor = user_with_role(role, COMMUNE if role != Role.PROVINCE_OFFICIAL else "14")
    for name, write in _writes(actor, h1, h2).items():
        with pytest.raises(AccessDenied):
            write()
        assert not Household.objects.filter(household_id__in=["NEW", "S"]).exists(), name
        assert Member.objects.get(member_id="H1-2").household_id == h1.pk, name
        assert not Member.objects.filter(member_id="H1-9").exists(), name
    if role != Role.PROVINCE_OFFICIAL:  # surveyors still edit facts, and add a member their survey found
        household_update(actor=actor, household=h1, latrine="none")
        member_update(actor=actor, member=Member.objects.get(member_id="H1-2"), in_school=True)
        member_add(actor=actor, household=h1, member_id="H1-8", full_name="Lò Thị Sinh", surveyed=True)


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR])
def test_the_office_changes_who_lives_where(role):
    admin = system_user()
    h1, h2 = household(admin, "H1", COMMUNE), household(admin, "H2", COMMUNE)
    actor = user_with_role(role, COMMUNE)
    writes = _writes(actor, h1, h2)
    for name in ("household_register", "member_add", "member_move"):
        writes[name]()
    household_split(actor=actor, household=h2, member_ids=["H1-2"], new_household_id="S")
    household_merge(actor=actor, source=Household.objects.get(household_id="S"), target=h1)
    assert Member.objects.get(member_id="H1-2").household_id == h1.pk
