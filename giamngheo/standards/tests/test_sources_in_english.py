"""Legal sources on an English screen (#13): the YAML's English where it has one, otherwise the
Vietnamese text marked "(Vietnamese source)"; Vietnamese screens unchanged."""

import datetime as dt

import polars as pl

from giamngheo.standards import classify, load_standard
from giamngheo.standards.explain import explain_row
from giamngheo.standards.params import VIETNAMESE_SOURCE, source_in
from giamngheo.standards.rounds import round_rules
from giamngheo.synth.population import synthesize


def test_the_english_is_used_where_the_yaml_gives_it_and_the_vietnamese_is_marked_otherwise():
    assert source_in("Nghị định 1", "Decree 1", "en") == "Decree 1"
    assert source_in("Nghị định 1", "", "en") == f"Nghị định 1 {VIETNAMESE_SOURCE}"
    assert source_in("Nghị định 1", "Decree 1", "vi") == "Nghị định 1"
    assert source_in("", "", "en") == ""


def test_the_standards_and_the_round_rule_carry_their_sources_in_english():
    for standard_id in ("vn-2016-2020", "vn-2022-2025", "vn-2027-2030"):
        std = load_standard(standard_id)
        assert std.legal_basis_en.startswith(("Decree", "Decision")), standard_id
    assert load_standard("vn-2022-2025").legal_basis_en.startswith("Decree 07/2021/NĐ-CP, Article 3")
    rules = round_rules()
    assert rules["periodic"].reference_en.startswith("Decision 24/2021/QĐ-TTg")
    assert rules["regular"].reference_en.startswith("Decision 24/2021/QĐ-TTg, Article 5")


def test_an_english_explanation_has_no_unmarked_vietnamese_citation():
    hh, mem = synthesize("14", 200, seed=3)
    standard = load_standard("vn-2022-2025")
    result = classify(hh, mem, standard, dt.date(2025, 9, 1))
    poor = result.filter(pl.col("category") == "poor").row(0, named=True)
    english = explain_row(poor, standard, "en", {})
    assert "(Decree 07/2021/NĐ-CP, Article 3 (extended to 31/12/2026" in english.splitlines()[0]
    cited = [line for line in english.splitlines() if ". Source: " in line]
    assert cited, english  # a poor household has deprivations, each with its source
    for line in cited:
        assert "Nghị định" not in line or VIETNAMESE_SOURCE in line, line
    vietnamese = explain_row(poor, standard, "vi", {})
    assert "Nghị định 07/2021/NĐ-CP, Điều 3" in vietnamese and VIETNAMESE_SOURCE not in vietnamese
