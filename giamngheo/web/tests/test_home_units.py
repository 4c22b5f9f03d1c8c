"""The home page lists each commune once: a commune official's old communes (before 1 July 2025)
appear only when they hold households, so a new commune and its namesake predecessor with 0
households are not shown side by side."""

import pytest
from django.urls import reverse

from giamngheo.accounts.access import communes_visible_to
from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.geo.selectors import predecessor_ids, unit_by_code

pytestmark = pytest.mark.django_db
COMMUNE = "03880"  # in force today; formed from old communes, one of them with the same name


def test_a_new_commune_is_listed_once_not_beside_its_empty_predecessor(client):
    household(system_user(), "HA1", COMMUNE)
    commune = unit_by_code(COMMUNE)
    assert predecessor_ids({commune.pk}), "the fixture needs a commune with predecessors"
    official = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE)

    listed = list(communes_visible_to(official))

    assert [(c.pk, c.n_households) for c in listed] == [(commune.pk, 1)]
    client.force_login(official)
    home = client.get(reverse("home")).content.decode()
    assert home.count(f'href="{reverse("household_list", args=[commune.pk])}"') == 1
    assert home.count('<li class="card">') == 1


def test_an_old_commune_that_still_holds_households_stays_listed():
    commune = unit_by_code(COMMUNE)
    old_id = min(predecessor_ids({commune.pk}))
    from giamngheo.geo.selectors import unit_get
    from giamngheo.registry.services import household_register

    old = unit_get(old_id)

    household_register(actor=system_user(), household_id="HOLD1", unit=old, income_per_capita_month=1_000_000)
    official = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE)

    listed = {c.pk: c.n_households for c in communes_visible_to(official)}

    assert listed == {commune.pk: 0, old.pk: 1}
