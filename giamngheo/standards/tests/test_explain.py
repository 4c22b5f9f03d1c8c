"""Explanations read as plain words for a household and a posting board: the conclusion first,
the facts and the rule, one "unverified" marker, and none of the maintainers' notes."""

import datetime as dt
import re

import polars as pl
import pytest

from giamngheo.standards import available_standards, classify, load_standard
from giamngheo.standards.explain import explain_row
from giamngheo.synth.population import synthesize

WHEN = {"vn-2016-2020": dt.date(2019, 9, 1), "vn-2022-2025": dt.date(2025, 9, 1), "vn-2027-2030": dt.date(2027, 3, 1)}
INTERNAL = re.compile(
    r"paraphrase|not read|per \w+ summary|background knowledge|quoted by|cut off in the source|"
    r"\.vn\b|average_upper|income_line\.|deprivation_cutoff|recalled|code repository|press"
)


@pytest.fixture(scope="module")
def population():
    hh, mem = synthesize("14", 300, seed=3)
    return hh, mem, dict(zip(mem.get_column("member_id"), mem.get_column("full_name"), strict=True))


def _notes(standard):
    params = [*standard.parameters.values(), *(p for i in standard.indicators for p in i.params.values())]
    return {p.note for p in params if p.note} | {i.note for i in standard.indicators if i.note}


@pytest.mark.parametrize("standard_id", available_standards())
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_explanations_carry_no_internal_notes_and_lead_with_the_conclusion(population, standard_id, lang):
    hh, mem, names = population
    standard = load_standard(standard_id)
    result = classify(hh, mem, standard, WHEN[standard_id])
    notes = _notes(standard)
    assert notes, "the standard keeps its maintainers' notes beside the citations"
    seen = set()
    for row in result.filter(pl.col("category").is_not_null()).iter_rows(named=True):
        if row["category"] in seen:
            continue
        seen.add(row["category"])
        text = explain_row(row, standard, lang, names)
        lines = text.splitlines()
        assert lines[1].startswith("Kết luận: " if lang == "vi" else "Result: ")
        assert not INTERNAL.search(text), text
        assert not any(note in text for note in notes)
        marker = "chưa kiểm chứng" if lang == "vi" else "unverified"
        assert f"{marker}: {marker}" not in text
        assert (f"[{marker}]" in text) == lines[-1].startswith(f"[{marker}]:")  # marked values get the legend
        assert re.search(r"\d{2}/\d{2}/\d{4}", lines[0])  # dd/mm/yyyy in both languages
    assert len(seen) >= 2


def test_an_unverified_threshold_is_marked_once_with_a_legend(population):
    hh, mem, names = population
    standard = load_standard("vn-2022-2025")  # its average band is S: marked wherever it is used
    row = classify(hh, mem, standard, WHEN["vn-2022-2025"]).row(0, named=True)
    text = explain_row(row, standard, "vi", names)
    assert "Mức trên của hộ có mức sống trung bình" in text and "[chưa kiểm chứng]" in text
    assert text.splitlines()[-1].startswith("[chưa kiểm chứng]: ")


@pytest.mark.parametrize("standard_id", available_standards())
def test_citations_are_fit_for_a_posting_board(standard_id):
    """`reference` is the citation; how it was read goes in `note` (shown to officials only)."""
    standard = load_standard(standard_id)
    params = [*standard.parameters.values(), *(p for i in standard.indicators for p in i.params.values())]
    for item in [*params, *standard.indicators]:
        assert item.reference and not INTERNAL.search(item.reference), item.reference
