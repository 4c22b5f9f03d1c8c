"""Helper visits: who may record one, what it needs, and the households not visited for N days."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.plans.follow_up import follow_up_parameters, visit_overdue_days
from giamngheo.plans.models import HelperVisit
from giamngheo.plans.selectors import followed_households, overdue
from giamngheo.plans.services import visit_record
from giamngheo.policies.services import benefit_record

from .helpers import A, B, helper_login, household, system_user, user_with_role, village_households

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_assigned_helper_records_a_visit_and_a_neighbour_is_refused():
    village, v1, v2, h1 = village_households()
    helper, person = helper_login(household=v1)
    with clock.fixed(D(2026, 3, 2)):
        visit = visit_record(actor=helper, household=v1, visited_on=D(2026, 3, 1), difficulties="Thiếu giống ngô")
        with pytest.raises(AccessDenied):
            visit_record(actor=helper, household=v2, visited_on=D(2026, 3, 1), actions="x")
        with pytest.raises(ServiceError):
            visit_record(actor=helper, household=v1, visited_on=D(2026, 3, 3), actions="future")
        with pytest.raises(ServiceError):
            visit_record(actor=helper, household=v1, visited_on=D(2026, 3, 1))  # nothing written down
        for role, unit in (("reviewer", A), ("commune_official", B), ("province_official", "14")):
            with pytest.raises(AccessDenied):
                visit_record(actor=user_with_role(role, unit), household=v1, visited_on=D(2026, 3, 1), actions="x")
    assert (visit.person, visit.recorded_by) == (person, helper)
    assert visit.history.first().history_user == helper
    assert HelperVisit.objects.count() == 1


def test_a_visit_links_a_benefit_of_the_same_household_only():
    admin = system_user()
    a1, a2 = household(admin, "A1", A), household(admin, "A2", A)
    official = user_with_role("commune_official", A)
    with clock.fixed(D(2026, 3, 2)):
        paid = benefit_record(actor=official, household=a1, policy_id="tien-dien", delivered_on=D(2026, 3, 1))
        with pytest.raises(ServiceError):
            visit_record(actor=official, household=a2, visited_on=D(2026, 3, 1), actions="x", benefit=paid)
        visit = visit_record(actor=official, household=a1, visited_on=D(2026, 3, 1), actions="Trao thẻ", benefit=paid)
    assert visit.benefit == paid and visit.person is None


def test_households_not_visited_for_n_days_are_listed():
    village, v1, v2, h1 = village_households()
    helper, _ = helper_login(village=village)
    n = visit_overdue_days(D(2026, 6, 1))
    assert n == 90 and not follow_up_parameters()["visit_overdue_days"].verified
    with clock.fixed(D(2026, 6, 1)):
        visit_record(actor=helper, household=v1, visited_on=D(2026, 6, 1) - dt.timedelta(days=n), actions="x")
        visit_record(actor=helper, household=v2, visited_on=D(2026, 6, 1) - dt.timedelta(days=n + 1), actions="x")
        mine = followed_households(helper, on=D(2026, 6, 1))
        late, days = overdue(mine, D(2026, 6, 1))
    assert {h.household_id for h in mine} == {"V1", "V2"}
    assert [h.household_id for h in late] == ["V2"] and days == n
    official = user_with_role("commune_official", A)
    commune = followed_households(official, on=D(2026, 6, 1), unit_id=v1.unit_id)
    assert {h.household_id for h in commune} == {"V1", "V2"}  # H1 has no helper: not followed
    with pytest.raises(AccessDenied):
        followed_households(helper, on=D(2026, 6, 1), unit_id=v1.unit_id)  # a helper reads no commune list
    with pytest.raises(AccessDenied):
        followed_households(user_with_role("commune_official", B), on=D(2026, 6, 1), unit_id=v1.unit_id)
