"""ODK/Kobo submissions as careless and hostile exports send them (#12.6, #12.8): the same validator as the
Excel import, every problem of the batch by submission and field, never a traceback, nothing half-written."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from giamngheo.cli.main import main
from giamngheo.exchange.tests.test_submissions import round_at_survey, submission  # noqa: F401 (fixture)
from giamngheo.registry.models import Household, Member
from giamngheo.review.models import Listed
from giamngheo.review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def run(tmp_path, round_, payload, name="odk.json"):
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return main(["--as", "rasoat", "submissions", str(path), "--round", str(round_.pk), "--lang", "en"])


def surveyed(round_):
    return Listed.objects.filter(review_round=round_, state="surveyed").count()


def test_a_decimal_floor_area_is_accepted_as_the_form_asks(tmp_path, round_at_survey):  # noqa: F811
    assert (
        run(
            tmp_path, round_at_survey, [submission("H0", floor_area_m2="12.3"), submission("H1", floor_area_m2="45.75")]
        )
        == 0
    )
    assert Household.objects.get(household_id="H0").floor_area_m2 == Decimal("12.30")
    assert Household.objects.get(household_id="H1").floor_area_m2 == Decimal("45.75")


def test_the_form_and_the_import_take_types_and_bounds_from_the_contract(tmp_path):
    import fastexcel
    import polars as pl

    from giamngheo.exchange.survey_form import TYPES, write_form_b
    from giamngheo.standards.contract import HOUSEHOLD_BY_NAME

    path = write_form_b(tmp_path / "b.xlsx", "vn-2022-2025")
    survey = pl.DataFrame(fastexcel.read_excel(str(path)).load_sheet("survey", dtypes="string").to_arrow())
    rows = {r["name"]: r for r in survey.iter_rows(named=True)}
    floor = HOUSEHOLD_BY_NAME["floor_area_m2"]
    assert rows["floor_area_m2"]["type"] == TYPES[floor.kind] == "decimal"
    assert rows["floor_area_m2"]["constraint"] == f". >= {floor.minimum} and . <= {floor.maximum}"
    assert rows["income_per_capita_month"]["constraint"] == ". >= 0 and . <= 1000000000"
    assert rows["birth_date"]["constraint"] == ". >= date('1900-01-01') and . <= today()"
    assert rows["full_name"]["constraint"] == "string-length(.) <= 120"


def test_every_bad_value_of_the_batch_is_listed_by_submission_and_field(tmp_path, capsys, round_at_survey):  # noqa: F811
    batch = [
        submission("H0", income_per_capita_month="-100", floor_area_m2="-5"),
        submission(
            "H1", income_per_capita_month=str(2**63 - 1), needs="health flying_car", gps="javascript:alert(1),<b>x</b>"
        ),
        submission("H2", causes="no_land <script>", water="river"),
    ]
    assert run(tmp_path, round_at_survey, batch) == 2
    err = capsys.readouterr().err
    for row, field in (
        (2, "income_per_capita_month"),
        (2, "floor_area_m2"),
        (3, "income_per_capita_month"),
        (3, "needs"),
        (3, "gps"),
        (4, "causes"),
        (4, "water_source"),
    ):
        assert f"odk.json, row {row}, column {field}" in err, (row, field)
    assert "Traceback" not in err and "ensure that there are no more" not in err
    assert surveyed(round_at_survey) == 0


def test_two_submissions_for_one_household_are_refused(tmp_path, capsys, round_at_survey):  # noqa: F811
    assert run(tmp_path, round_at_survey, [submission("H0"), submission("H1"), submission("H0", water="piped")]) == 2
    err = capsys.readouterr().err
    assert "row 2, column household_id" in err and "row 4, column household_id" in err and "duplicate id" in err
    assert surveyed(round_at_survey) == 0


def test_a_roster_missing_members_is_refused_naming_them(tmp_path, capsys, round_at_survey):  # noqa: F811
    partial = submission("H0")
    partial["members"] = partial["members"][:1]
    assert run(tmp_path, round_at_survey, [partial]) == 2
    err = capsys.readouterr().err
    assert "row 2, column members" in err and "lists 1 of the household's 2 members; missing: H0-2" in err
    assert surveyed(round_at_survey) == 0


def test_a_member_added_on_the_phone_is_added_to_the_household(tmp_path, round_at_survey):  # noqa: F811
    sub = submission("H0")
    sub["members"].append(
        {
            "members/member_id": "H0-3",
            "members/full_name": "Lò Thị Mai",
            "members/birth_date": "2025-02-01",
            "members/relation_to_head": "grandchild",
            "members/ethnicity": "Thái",
            "members/highest_education": "none",
            "members/in_school": "false",
            "members/has_health_insurance": "true",
            "members/employment": "not_in_labour_force",
        }
    )
    assert run(tmp_path, round_at_survey, [sub]) == 0
    baby = Member.objects.get(member_id="H0-3")
    assert baby.household.household_id == "H0" and baby.full_name == "Lò Thị Mai" and baby.ethnicity == "03"
    assert Listed.objects.get(review_round=round_at_survey, household__household_id="H0").state == "surveyed"


def test_a_member_id_of_another_household_is_refused(tmp_path, capsys, round_at_survey):  # noqa: F811
    sub = submission("H0")
    sub["members"].append({"members/member_id": "H1-1", "members/in_school": "false"})
    assert run(tmp_path, round_at_survey, [sub]) == 2
    err = capsys.readouterr().err
    assert "column member_id" in err and "member id 'H1-1' belongs to household H1" in err
    assert Member.objects.get(member_id="H1-1").household.household_id == "H1"


MALFORMED_JSON = [
    ("", "the file is empty"),
    ("   ", "invalid or truncated JSON"),
    ('[{"household_id": "H0", "water_sou', "invalid or truncated JSON"),
    ("{}", "expected a list of submissions"),
    ('{"results": {"household_id": "H0"}}', "expected a list of submissions"),
    ("42", "expected a list of submissions"),
    ("null", "expected a list of submissions"),
    ("[]", "holds no submission"),
    ('[1, "x"]', "not a JSON object"),
    ('[{"water_source": "piped", "members": []}]', "required column is missing"),
    ('[{"household_id": "H0", "members": {"member_id": "H0-1"}}]', "must be a list of objects"),
    ('[{"household_id": null, "members": [{"member_id": "H0-1"}]}]', "required value is empty"),
]


@pytest.mark.parametrize(("payload", "message"), MALFORMED_JSON)
def test_malformed_json_is_a_message_never_a_traceback(
    tmp_path,
    capsys,
    round_at_survey,  # noqa: F811
    payload,
    message,
):
    assert run(tmp_path, round_at_survey, payload) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert surveyed(round_at_survey) == 0


def test_a_json_file_that_is_not_utf8_is_refused(tmp_path, capsys, round_at_survey):  # noqa: F811
    path = tmp_path / "odk.json"
    path.write_bytes(json.dumps([submission("H0")], ensure_ascii=False).replace("no_capital", "Đà").encode("cp1258"))
    assert main(["--as", "rasoat", "submissions", str(path), "--round", str(round_at_survey.pk), "--lang", "en"]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def csv_run(tmp_path, round_, main_text, repeat_text):
    main_csv, repeat_csv = tmp_path / "b.csv", tmp_path / "b-members.csv"
    main_csv.write_text(main_text, encoding="utf-8")
    repeat_csv.write_text(repeat_text, encoding="utf-8")
    return main(
        [
            "--as",
            "rasoat",
            "submissions",
            "--round",
            str(round_.pk),
            "--submissions",
            str(main_csv),
            "--repeat",
            str(repeat_csv),
            "--lang",
            "en",
        ]
    )


def test_a_semicolon_separated_kobo_pair_imports(tmp_path, round_at_survey):  # noqa: F811
    assert (
        csv_run(
            tmp_path,
            round_at_survey,
            "_index;household_id;water_source;latrine;uses_telecom;income_per_capita_month;floor_area_m2\n"
            "1;H2;piped;septic;true;5000000;12.3\n",
            "_parent_index;member_id;in_school;employment\n1;H2-1;false;wage_with_contract\n"
            "1;H2-2;false;self_employed\n",
        )
        == 0
    )
    assert Household.objects.get(household_id="H2").floor_area_m2 == Decimal("12.30")


@pytest.mark.parametrize(
    ("main_text", "repeat_text", "message"),
    [
        ("KEY,household_id\nuuid:1,H2\n", "member_id,in_school\nH2-1,false\n", "no PARENT_KEY"),
        ("household_id,water_source\nH2,piped\n", "PARENT_KEY,member_id\nuuid:1,H2-1\n", "no KEY column"),
        ("KEY,water_source\nuuid:1,piped\n", "PARENT_KEY,member_id\nuuid:1,H2-1\n", "required column is missing"),
        ("KEY,household_id\nuuid:1,H2\n", "PARENT_KEY,member_id\nuuid:9,H2-1\n", "required value is empty"),
    ],
)
def test_malformed_csv_pairs_are_messages(
    tmp_path,
    capsys,
    round_at_survey,  # noqa: F811
    main_text,
    repeat_text,  # noqa: F811
    message,
):
    assert csv_run(tmp_path, round_at_survey, main_text, repeat_text) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_model_refusal_speaks_english_in_the_english_half(people, households):  # noqa: F811
    from giamngheo.core.errors import ServiceError
    from giamngheo.registry.services import household_update

    with pytest.raises(ServiceError) as caught:
        household_update(actor=people["official"], household=households[0], floor_area_m2=Decimal("12.345"))
    assert "chữ số thập phân" in caught.value.message_vi and "decimal places" in caught.value.message_en
