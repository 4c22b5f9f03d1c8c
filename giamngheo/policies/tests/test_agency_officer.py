"""The agency officer (issue #16 item 7): its assignment names units and policies; it imports and records
deliveries of those policies in those units and reads their eligibility, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from giamngheo.accounts import access
from giamngheo.accounts.models import RoleAssignment
from giamngheo.accounts.services import user_add
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.cli.main import main
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.deliveries import deliveries_import
from giamngheo.policies.listing import eligible_list, finding_list
from giamngheo.policies.models import Benefit
from giamngheo.policies.services import benefit_record, benefit_reverse
from giamngheo.registry.selectors import household_list
from giamngheo.registry.services import member_add
from giamngheo.review.models import ReviewRound, Status
from giamngheo.standards.problems import InputError

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
D = dt.date


@pytest.fixture
def homes():
    admin = system_user()
    poor, far = household(admin, "HH-1", A), household(admin, "HH-9", B)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=poor,
        category="poor",
        valid_from=D(2025, 12, 12),
        review_round=rnd,
        decision_number="45/QĐ-UBND",
        transition="",
    )
    member_add(actor=admin, household=poor, member_id="HH-1-9", national_id="001212000123", birth_date=D(2012, 3, 1))
    member_add(actor=admin, household=far, member_id="HH-9-9", national_id="001212000999", birth_date=D(2012, 3, 1))
    return {"poor": poor, "far": far}


@pytest.fixture
def bhxh():
    """The social insurance officer of commune A: health insurance cards only."""
    return user_with_role("agency_officer", A, "bhxh", policies=["bhyt"])


def _csv(tmp_path, text, name="list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_assignment_names_known_policies_and_only_an_agency_officer_names_any(db):
    admin = system_user()
    unit = unit_by_code(A)
    with pytest.raises(ServiceError, match="ít nhất một chính sách"):
        user_add(actor=admin, username="x1", role="agency_officer", unit=unit)
    with pytest.raises(ServiceError, match="không-co"):
        user_add(actor=admin, username="x2", role="agency_officer", unit=unit, policies=["bhyt", "không-co"])
    with pytest.raises(ServiceError, match="Chỉ cán bộ cơ quan"):
        user_add(actor=admin, username="x3", role="commune_official", unit=unit, policies=["bhyt"])
    user = user_add(actor=admin, username="x4", role="agency_officer", unit=unit, policies=["vay-hssv", "bhyt"])
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.policies == ["bhyt", "vay-hssv"]
    assert assignment.history.latest().history_user == admin or assignment.history.count() == 1
    wrong = RoleAssignment(user=user, role="agency_officer", unit=unit, policies=["nope"])
    with pytest.raises(ValidationError):  # the admin's form goes through clean()
        wrong.full_clean()
    assert main(["users", "add", "x5", "--role", "agency_officer", "--unit", A, "--policies", "bhyt,nope"]) == 2
    assert main(["users", "add", "x5", "--role", "agency_officer", "--unit", A, "--policies", "tien-dien"]) == 0
    assert RoleAssignment.objects.get(user__username="x5").policies == ["tien-dien"]


def test_the_officer_reads_no_household_round_or_report_of_its_units(homes, bhxh):
    assert access.visible_unit_ids(bhxh) == set()
    assert access.writable_unit_ids(bhxh) == set()
    assert not household_list(bhxh).exists()
    assert not access.can_survey(bhxh, unit_by_code(A)) and not access.can_manage_round(bhxh, unit_by_code(A))
    with pytest.raises(AccessDenied):
        access.area_scope(bhxh, unit_by_code(A), on=D(2026, 1, 1))  # no report, no what-if
    assert not access.sees_personal_ids(bhxh)
    reach = access.policy_unit_ids(bhxh, "bhyt")  # commune A and the older communes that became it
    assert reach is not None and unit_by_code(A).pk in reach and unit_by_code(B).pk not in reach
    assert access.policy_unit_ids(bhxh, "tien-dien") == set()


def test_it_imports_its_policy_for_its_units_and_nothing_else(homes, bhxh, tmp_path):
    cards = _csv(tmp_path, "member_id,date,evidence\nHH-1-9,05/01/2026,BHXH-1\n")
    assert deliveries_import(actor=bhxh, policy_id="bhyt", path=cards).created == 1
    benefit = Benefit.objects.get()
    assert (benefit.recorded_by, benefit.history.get().history_user) == (bhxh, bhxh)
    # another policy, in its own commune: the households are not in its reach
    power = _csv(tmp_path, "household_id,date,amount_vnd,evidence\nHH-1,31/03/2026,147000,PC-1\n", "p.csv")
    with pytest.raises(InputError, match="không thuộc phạm vi"):
        deliveries_import(actor=bhxh, policy_id="tien-dien", path=power)
    # its policy, another commune
    far = _csv(tmp_path, "member_id,date,evidence\nHH-9-9,05/01/2026,BHXH-9\n", "far.csv")
    with pytest.raises(InputError, match="HH-9-9"):
        deliveries_import(actor=bhxh, policy_id="bhyt", path=far)
    with pytest.raises(AccessDenied):  # a whole unit that is not its own: refused before the file is read
        deliveries_import(actor=bhxh, policy_id="bhyt", path=far, unit=unit_by_code(B))
    with pytest.raises(AccessDenied):
        access.require_import_deliveries(bhxh, unit_by_code(A), "tien-dien")
    access.require_import_deliveries(bhxh, unit_by_code(A), "bhyt")
    assert Benefit.objects.count() == 1


def test_the_command_run_as_the_officer(homes, bhxh, tmp_path):
    cards = _csv(tmp_path, "national_id,date,evidence\n001212000123,05/01/2026,BHXH-1\n")
    assert main(["--as", "bhxh", "benefits", "import", "--policy", "tien-dien", str(cards)]) == 2
    assert main(["--as", "bhxh", "benefits", "import", "--policy", "bhyt", "--unit", B, str(cards)]) == 2
    assert not Benefit.objects.exists()
    assert main(["--as", "bhxh", "benefits", "import", "--policy", "bhyt", "--unit", A, str(cards)]) == 0
    assert Benefit.objects.get().member.member_id == "HH-1-9"


def test_one_by_one_only_its_policy_in_its_units(homes, bhxh):
    member = homes["poor"].members.get(member_id="HH-1-9")
    card = benefit_record(
        actor=bhxh, household=homes["poor"], member=member, policy_id="bhyt", delivered_on=D(2026, 1, 5)
    )
    benefit_reverse(actor=bhxh, benefit=card, reason="nhầm thẻ")
    official = user_with_role("commune_official", A)
    power = benefit_record(actor=official, household=homes["poor"], policy_id="tien-dien", delivered_on=D(2026, 3, 31))
    with pytest.raises(AccessDenied):
        benefit_record(actor=bhxh, household=homes["poor"], policy_id="tien-dien", delivered_on=D(2026, 3, 31))
    with pytest.raises(AccessDenied):  # nor reverse another policy's entry
        benefit_reverse(actor=bhxh, benefit=power, reason="x")
    far = homes["far"].members.get(member_id="HH-9-9")
    with pytest.raises(AccessDenied):
        benefit_record(actor=bhxh, household=homes["far"], member=far, policy_id="bhyt", delivered_on=D(2026, 1, 5))
    assert Benefit.objects.count() == 3


def test_other_roles_do_not_import_what_is_not_theirs(homes, tmp_path):
    cards = _csv(tmp_path, "member_id,date,evidence\nHH-1-9,05/01/2026,BHXH-1\n")
    others = [
        user_with_role("agency_officer", B, policies=["bhyt"]),  # its policy, another commune
        user_with_role("agency_officer", A, policies=["tien-dien"]),  # its commune, another policy
        user_with_role("reviewer", A),
        user_with_role("province_official", unit_by_code(A).province_code),
        user_with_role("national_viewer"),
    ]
    for user in others:
        with pytest.raises(InputError):
            deliveries_import(actor=user, policy_id="bhyt", path=cards)
        with pytest.raises(AccessDenied):
            access.require_import_deliveries(user, unit_by_code(A), "bhyt")
    assert not Benefit.objects.exists()


def test_it_reads_eligibility_and_findings_of_its_policy_in_its_units_masked(homes, bhxh):
    rows = eligible_list(bhxh, policy_id="bhyt", unit=unit_by_code(A), on=D(2026, 1, 5))
    assert set(rows.get_column("member_id")) >= {"HH-1-9"}
    assert "001212000123" not in rows.get_column("national_id").to_list()  # masked: not a commune role
    assert finding_list(bhxh, kind="gaps", policy_id="bhyt", unit=unit_by_code(A), on=D(2026, 1, 5)).frame.height
    for policy, code in (("tien-dien", A), ("bhyt", B)):
        with pytest.raises(AccessDenied):
            eligible_list(bhxh, policy_id=policy, unit=unit_by_code(code), on=D(2026, 1, 5))
        with pytest.raises(AccessDenied):
            finding_list(bhxh, kind="gaps", policy_id=policy, unit=unit_by_code(code), on=D(2026, 1, 5))
    with pytest.raises(AccessDenied):  # overlaps of every policy: not its own
        finding_list(bhxh, kind="overlaps", policy_id=None, unit=unit_by_code(A), on=D(2026, 1, 5))
