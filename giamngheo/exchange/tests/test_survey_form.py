"""The generated XLSForm converts with pyxform and asks what the contract and the standard need."""

import pytest

from giamngheo.cli.main import main
from giamngheo.review.tests.test_round_standard import people  # noqa: F401 (fixture)

pyxform = pytest.importorskip("pyxform")


@pytest.mark.parametrize("standard", ["vn-2022-2025", "vn-2027-2030"])
def test_form_b_converts_with_pyxform(tmp_path, standard):
    from pyxform.xls2xform import convert

    path = tmp_path / "phieu_b.xlsx"
    assert main(["survey-form", "--output", str(path), "--standard", standard]) == 0
    xform = convert(xlsform=str(path), validate=False).xform
    for field in ("household_id", "water_source", "floor_area_m2", "members", "birth_date", "national_id", "gps"):
        assert f"/{field}" in xform
    assert "Phiếu B" in xform and "chưa kiểm chứng" in xform  # indicator notes mark unverified thresholds
    if standard == "vn-2027-2030":
        assert "Xử lý rác thải sinh hoạt" in xform


def _survey(path):
    import fastexcel
    import polars as pl

    book = fastexcel.read_excel(str(path))
    return {name: pl.DataFrame(book.load_sheet(name, dtypes="string").to_arrow()) for name in ("survey", "settings")}


def test_the_form_asks_exactly_the_columns_the_contract_marks_for_form_b(tmp_path):
    """#14.4: the phone asks the contract's Form B columns, and no others (the commune code and the
    village are the registry's: they were once asked on the phone too)."""
    from giamngheo.exchange.survey_form import write_form_b
    from giamngheo.standards.contract import (
        FORM_B_FACT,
        FORM_B_KEY,
        FORM_B_PERSON,
        HOUSEHOLD_COLUMNS,
        MEMBER_COLUMNS,
        form_b_columns,
    )

    rows = _survey(write_form_b(tmp_path / "b.xlsx", "vn-2022-2025"))["survey"].to_dicts()
    start = next(i for i, r in enumerate(rows) if r["type"] == "begin_repeat")
    end = next(i for i, r in enumerate(rows) if r["type"] == "end_repeat")
    contract = {c.name for c in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS)}
    household = [r["name"] for r in rows[:start] if r["name"] in contract]
    members = [r["name"] for r in rows[start + 1 : end]]
    assert household == [c.name for c in form_b_columns(HOUSEHOLD_COLUMNS, FORM_B_KEY, FORM_B_FACT)]
    assert members == [c.name for c in form_b_columns(MEMBER_COLUMNS, FORM_B_KEY, FORM_B_PERSON, FORM_B_FACT)]
    assert "admin_code" not in household and "village" not in household
    assert {"meritorious_service", "untreated_illness", "member_id"} <= set(members)


@pytest.mark.django_db
def test_a_rounds_form_names_the_rounds_standard_not_todays(tmp_path, people):  # noqa: F811
    """A periodic round opened in autumn 2026 prepares the 2027 list (procedure.yaml round_standard):
    its phone form is the 2027-2030 standard's, though 2022-2025 is the one in force that day."""
    from pyxform.xls2xform import convert

    from giamngheo.core import clock
    from giamngheo.review.tests.test_round_standard import AUTUMN, open_round

    r = open_round(people, "periodic", AUTUMN)
    with clock.fixed(AUTUMN):
        assert main(["--as", "rasoat", "survey-form", "--round", str(r.pk), "--output", str(tmp_path / "r.xlsx")]) == 0
        assert main(["survey-form", "--output", str(tmp_path / "today.xlsx")]) == 0
    sheets = _survey(tmp_path / "r.xlsx")
    settings = sheets["settings"].to_dicts()[0]
    assert settings["form_id"] == f"giamngheo_phieu_b_vn_2027_2030_dot_{r.pk}"
    assert settings["version"].startswith("vn-2027-2030-v")
    notes = {n["name"]: n["label"] for n in sheets["survey"].to_dicts() if n["type"] == "note"}
    assert "2027-2030" in notes["intro"]
    assert (
        "Rà soát định kỳ" in notes["about_1"]
        and "01/10/2026" in notes["about_1"]
        and "cho năm 2027" in notes["about_1"]
    )
    assert "chưa kiểm chứng" in notes["about_1"]  # the rule choosing the standard is not read in the law
    assert "ind_waste" in notes and "ind_internet_use" in notes  # the 2027-2030 standard's own indicators
    assert _survey(tmp_path / "today.xlsx")["settings"].to_dicts()[0]["form_id"] == "giamngheo_phieu_b_vn_2022_2025"
    assert "Phiếu B" in convert(xlsform=str(tmp_path / "r.xlsx"), validate=False).xform


@pytest.mark.django_db
def test_a_round_of_another_commune_gets_no_form(tmp_path, people, capsys):  # noqa: F811
    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.review.tests.test_round_standard import AUTUMN, open_round

    user_with_role(Role.REVIEWER, "04045", username="xakhac")
    r = open_round(people, "periodic", AUTUMN)
    out = tmp_path / "r.xlsx"
    assert main(["--as", "xakhac", "survey-form", "--round", str(r.pk), "--output", str(out)]) == 2
    assert f"no round {r.pk}" in capsys.readouterr().err and not out.exists()


def _relevant_holds(expression: str, birth_date: str = "", birth_year: int | str = "") -> bool:
    """The form's `relevant` as Python: the XPath written by survey_form.relevant uses only ISO dates
    (compared as text, as they sort), integers, =, !=, >=, <=, and, or, not()."""
    import re

    python = re.sub(r"date\('([0-9-]+)'\)", r"'\1'", expression)
    python = python.replace("${birth_date}", repr(birth_date)).replace("${birth_year}", repr(birth_year))
    python = re.sub(r"(?<![!<>=])=(?!=)", "==", python).replace("not(", "not (")
    return bool(eval(python, {"__builtins__": {}}))  # noqa: S307 -- our own generated expression


def test_stunting_and_schooling_are_relevant_only_at_the_standards_ages(tmp_path):
    """#13: the phone asked a 61-year-old about stunting and schooling. On 10/09/2025 under 2022-2025:
    stunting under 16, schooling 3 to 30; a member of no known birth is asked both; a question no
    birth answers under a standard (stunting in 2016-2020) is not on the form."""
    import datetime as dt

    from giamngheo.core import clock
    from giamngheo.exchange.survey_form import write_form_b

    on = dt.date(2025, 9, 10)
    with clock.fixed(dt.date(2025, 10, 1)):  # a round's form is dated by its reference date, not today
        rows = _survey(write_form_b(tmp_path / "b.xlsx", "vn-2022-2025", on))["survey"].to_dicts()
        old = _survey(write_form_b(tmp_path / "old.xlsx", "vn-2016-2020", on))["survey"].to_dicts()
    relevant = {r["name"]: r["relevant"] for r in rows}
    stunted, school = relevant["stunted"], relevant["in_school"]
    assert relevant["underweight"] == stunted and not relevant["employment"] and not relevant["birth_date"]
    assert not _relevant_holds(stunted, "1964-01-01") and not _relevant_holds(school, "1964-01-01")
    assert _relevant_holds(stunted, "2015-01-01") and _relevant_holds(school, "2015-01-01")
    assert _relevant_holds(stunted, "2024-01-01") and not _relevant_holds(school, "2024-01-01")  # 1: no school yet
    assert not _relevant_holds(stunted, "2009-09-10") and _relevant_holds(school, "2009-09-10")  # 16 that day
    assert _relevant_holds(school, "1994-09-11") and not _relevant_holds(school, "1994-09-10")  # 30, 31
    assert not _relevant_holds(stunted, "", 1964) and _relevant_holds(stunted, "", 2012)
    assert _relevant_holds(stunted) and _relevant_holds(school)  # no birth known: asked
    assert _relevant_holds(stunted, "2025-09-20")  # born after the form's date, before today
    names = {r["name"] for r in old}
    assert "in_school" in names and "stunted" not in names and "underweight" not in names


def test_the_relevant_form_converts_and_binds_each_member_questions_relevance(tmp_path):
    from pyxform.xls2xform import convert

    from giamngheo.exchange.survey_form import write_form_b

    xform = convert(xlsform=str(write_form_b(tmp_path / "b.xlsx", "vn-2022-2025")), validate=False).xform
    for name in ("stunted", "underweight", "in_school"):
        bind = next(line for line in xform.split("<bind ") if f'nodeset="/data/members/{name}"' in line)
        assert "relevant=" in bind and "../birth_date" in bind, name
