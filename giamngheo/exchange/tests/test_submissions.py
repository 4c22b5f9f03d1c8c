"""ODK Central / KoboToolbox Form B submissions into a round: JSON and CSV, all-or-nothing."""

import json

import pytest

from giamngheo.cli.main import main
from giamngheo.review.models import Listed
from giamngheo.review.tests.test_round import SEPT, households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_at_survey(people, households):  # noqa: F811
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.review import services as review

    for h in households:
        review.request_record(actor=people["reviewer"], household=h, form="01", received_on=SEPT, channel="online")
    r = review.round_open(
        actor=people["official"], commune=unit_by_code("03880"), kind="periodic", reference_date=SEPT, on=SEPT
    )
    return review.round_advance(actor=people["official"], review_round=r, from_step="listing", today=SEPT)


def submission(hid, water="surface_water", telecom="false", **extra):
    return {
        "household_id": hid,
        "water_source": water,
        "latrine": "none",
        "uses_telecom": telecom,
        "group_b/income_per_capita_month": "900000",
        "causes": "no_capital no_land",
        "gps": "21.3 103.9 0 5",
        "members": [
            {"members/member_id": f"{hid}-{i}", "members/in_school": "false", "members/employment": "self_employed"}
            for i in (1, 2)
        ],
        **extra,
    }


def test_json_submissions_become_form_b_results(tmp_path, people, round_at_survey):  # noqa: F811
    path = tmp_path / "kobo.json"
    path.write_text(
        json.dumps({"results": [submission("H0"), submission("H1", water="piped", telecom="true")]}), encoding="utf-8"
    )
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk)]) == 0
    h0 = Listed.objects.get(review_round=round_at_survey, household__household_id="H0")
    assert h0.state == "surveyed" and h0.classification.category == "poor" and h0.gps == "21.3,103.9"
    assert h0.causes == ["no_capital", "no_land"]
    h1 = Listed.objects.get(review_round=round_at_survey, household__household_id="H1")
    assert h1.classification.category == "near_poor"


def test_one_bad_submission_imports_nothing(tmp_path, capsys, people, round_at_survey):  # noqa: F811
    path = tmp_path / "odk.json"
    path.write_text(json.dumps([submission("H0"), submission("H9"), submission("H1", water="river")]), encoding="utf-8")
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "row 3, column household_id" in err and "row 4, column water_source" in err
    assert not Listed.objects.filter(review_round=round_at_survey, state="surveyed").exists()


def test_odk_central_csv_pair(tmp_path, people, round_at_survey):  # noqa: F811
    main_csv = tmp_path / "phieu_b.csv"
    repeat_csv = tmp_path / "phieu_b-members.csv"
    main_csv.write_text(
        "KEY,household_id,water_source,latrine,uses_telecom,income_per_capita_month,gps\n"
        "uuid:1,H2,piped,septic,true,5000000,\n",
        encoding="utf-8",
    )
    repeat_csv.write_text(
        "PARENT_KEY,KEY,member_id,in_school,employment\n"
        "uuid:1,uuid:1/members[1],H2-1,false,wage_with_contract\n"
        "uuid:1,uuid:1/members[2],H2-2,false,wage_with_contract\n",
        encoding="utf-8",
    )
    assert (
        main(
            [
                "--as",
                "rasoat",
                "submissions",
                "--round",
                str(round_at_survey.pk),
                "--submissions",
                str(main_csv),
                "--repeat",
                str(repeat_csv),
            ]
        )
        == 0
    )
    h2 = Listed.objects.get(review_round=round_at_survey, household__household_id="H2")
    assert h2.classification.category == "other"
    assert h2.household.members.get(member_id="H2-1").employment == "wage_with_contract"


def test_the_intake_writes_exactly_the_contracts_form_b_facts(tmp_path, people, round_at_survey):  # noqa: F811
    """#14.4: the facts a phone submission writes are the contract's Form B facts (once a list of its own)."""
    from giamngheo.exchange.submissions import HOUSEHOLD_FACTS, MEMBER_FACTS
    from giamngheo.registry.models import Member
    from giamngheo.standards.contract import FORM_B_HOUSEHOLD_FACTS, FORM_B_MEMBER_FACTS

    assert MEMBER_FACTS == [c.name for c in FORM_B_MEMBER_FACTS]
    assert HOUSEHOLD_FACTS == [c.name for c in FORM_B_HOUSEHOLD_FACTS]
    sub = submission("H0")
    sub["members"][0] |= {"members/meritorious_service": "true", "members/untreated_illness": "true"}
    path = tmp_path / "odk.json"
    path.write_text(json.dumps([sub]), encoding="utf-8")
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk)]) == 0
    first = Member.objects.get(member_id="H0-1")
    assert first.meritorious_service is True and first.untreated_illness is True
    assert Member.objects.get(member_id="H0-2").untreated_illness is None


def test_schooling_is_required_only_of_members_the_standard_asks_it_of(tmp_path, capsys, people, round_at_survey):  # noqa: F811
    """#13: a 45- and a 35-year-old (born 1980 and 1990) may leave schooling out, as the phone no longer
    asks them; a child added on the phone (born 2015) may not, as the phone requires it at that age.
    Stunting is never required (the contract does not require it), so the child may leave it out."""
    from giamngheo.registry.models import Member

    Member.objects.filter(member_id="H0-1").update(in_school=None)
    adults = [{"members/member_id": f"H0-{i}", "members/employment": "self_employed"} for i in (1, 2)]
    child = {
        "members/member_id": "H0-3",
        "members/full_name": "Lò Văn Em",
        "members/birth_date": "2015-01-01",
        "members/highest_education": "primary",
        "members/has_health_insurance": "true",
        "members/employment": "not_in_labour_force",
    }
    path = tmp_path / "odk.json"
    path.write_text(json.dumps([submission("H0", members=[*adults, child])]), encoding="utf-8")
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "column in_school" in err and "the vn-2022-2025 standard asks 'In school' at this member's age" in err
    assert err.count("column in_school") == 1  # the child only
    assert not Listed.objects.filter(review_round=round_at_survey, state="surveyed").exists()

    path.write_text(
        json.dumps([submission("H0", members=[*adults, {**child, "members/in_school": "true"}])]), encoding="utf-8"
    )
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk)]) == 0
    h0 = Listed.objects.get(review_round=round_at_survey, household__household_id="H0")
    assert h0.state == "surveyed" and h0.household.members.get(member_id="H0-3").in_school is True
    assert h0.household.members.get(member_id="H0-1").in_school is None  # not asked: left unknown, not "no"
    assert h0.household.members.get(member_id="H0-2").in_school is False  # the registry's, unchanged


def test_schooling_left_out_is_read_against_the_registrys_birth(tmp_path, capsys, people, round_at_survey):  # noqa: F811
    """A current member's age comes from the registry when the roster does not repeat the birth."""
    from giamngheo.registry.models import Member

    Member.objects.filter(member_id="H1-2").update(birth_date="2012-05-01")
    members = [{"members/member_id": f"H1-{i}", "members/employment": "self_employed"} for i in (1, 2)]
    path = tmp_path / "odk.json"
    path.write_text(json.dumps([submission("H1", members=members)]), encoding="utf-8")
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk)]) == 2
    err = capsys.readouterr().err
    assert err.count("in_school") == 1 and "hỏi 'Đang đi học' ở tuổi của thành viên này" in err
