"""Who may do each step of the review (accounts/access.py), above all who may not: every rule is
tried with every role in the commune, in another commune, in the province and nationally."""

from __future__ import annotations

import pytest

from giamngheo.accounts import access
from giamngheo.accounts.models import Role
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.selectors import unit_by_code

from .factories import user_with_role

pytestmark = pytest.mark.django_db

COMMUNE, OTHER_COMMUNE, PROVINCE = "03880", "04045", "14"  # two communes of Sơn La, and Sơn La
STAFF = {"reviewer", "village_head", "official", "chair"}
OFFICE = {"official", "chair"}

# rule -> (can, require, the people of COMMUNE allowed; every other person is refused)
RULES = {
    "survey": (access.can_survey, access.require_survey, STAFF),
    "manage_round": (access.can_manage_round, access.require_manage_round, OFFICE),
    "record_meeting": (access.can_record_meeting, access.require_record_meeting, STAFF),
    "record_complaint": (access.can_record_complaint, access.require_record_complaint, STAFF),
    "recheck_complaint": (access.can_recheck_complaint, access.require_recheck_complaint, OFFICE),
    "recognise": (access.can_recognise, access.require_recognise, {"chair"}),
    "make_papers": (access.can_make_papers, access.require_make_papers, STAFF),
}
WHOLE_REGISTRY = {
    "set_retention": (access.can_set_retention, access.require_set_retention),
    "purge_survey_data": (access.can_purge_survey_data, access.require_purge_survey_data),
}


@pytest.fixture
def people():
    return {
        "reviewer": user_with_role(Role.REVIEWER, COMMUNE),
        "village_head": user_with_role(Role.VILLAGE_HEAD, COMMUNE),
        "official": user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE),
        "chair": user_with_role(Role.COMMUNE_CHAIR, COMMUNE),
        "other_chair": user_with_role(Role.COMMUNE_CHAIR, OTHER_COMMUNE),
        "other_official": user_with_role(Role.COMMUNE_OFFICIAL, OTHER_COMMUNE),
        "province": user_with_role(Role.PROVINCE_OFFICIAL, PROVINCE),
        "national": user_with_role(Role.NATIONAL_VIEWER),
        "admin": user_with_role(Role.ADMIN),
        "anonymous": None,
    }


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_review_step_is_for_its_roles_in_their_own_commune_only(people, rule):
    can, require, allowed = RULES[rule]
    commune = unit_by_code(COMMUNE)
    for who, user in people.items():
        expected = who in allowed or who == "admin"
        assert can(user, commune) is expected, (rule, who)
        assert can(user, commune.pk) is expected, (rule, who)  # a unit or its id
        if expected:
            require(user, commune)
        else:
            with pytest.raises(AccessDenied):
                require(user, commune)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_no_one_of_the_commune_may_do_a_step_in_another_commune(people, rule):
    can, require, _ = RULES[rule]
    other = unit_by_code(OTHER_COMMUNE)
    for who in ("reviewer", "village_head", "official", "chair", "province", "national"):
        assert not can(people[who], other), (rule, who)
        with pytest.raises(AccessDenied):
            require(people[who], other)


def test_a_role_outside_the_step_hears_why_and_another_commune_hears_it_is_not_theirs(people):
    commune = unit_by_code(COMMUNE)
    with pytest.raises(AccessDenied, match="Vai trò của bạn không được làm bước này"):
        access.require_manage_round(people["reviewer"], commune)
    with pytest.raises(AccessDenied, match="Chỉ Chủ tịch UBND xã được công nhận"):
        access.require_recognise(people["official"], commune)
    with pytest.raises(AccessDenied, match="Không có quyền sửa dữ liệu của đơn vị này"):
        access.require_recognise(people["other_chair"], commune)


@pytest.mark.parametrize("rule", sorted(WHOLE_REGISTRY))
def test_retention_and_purging_are_the_administrators_alone(people, rule):
    can, require = WHOLE_REGISTRY[rule]
    for who, user in people.items():
        assert can(user) is (who == "admin"), (rule, who)
        if who == "admin":
            require(user)
        else:
            with pytest.raises(AccessDenied):
                require(user)
