"""The rules table loads only sourced rows naming real causes and catalogue policies."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from giamngheo.plans.rules import RULES_FILE, RulesError, load_rules, parse_rules


@pytest.fixture
def raw():
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def test_the_shipped_table_is_programme_practice_so_every_row_is_unverified():
    rules = load_rules()
    assert rules.parameters() and all(not p.verified for p in rules.parameters())
    assert {p.confidence for p in rules.parameters()} == {"B"}


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r["causes"].__setitem__("laziness", r["causes"]["other"]),  # not a Form B cause
        lambda r: r["causes"]["no_capital"]["values"].__setitem__(dt.date(2026, 1, 1), ["no-such-loan"]),
        lambda r: r["needs"]["health"].pop("confidence"),
        lambda r: r["needs"]["health"].__setitem__("confidence", "E"),
        lambda r: r.__setitem__("default_group", "hopeless"),
    ],
)
def test_a_bad_table_is_refused(raw, edit):
    bad = copy.deepcopy(raw)
    edit(bad)
    with pytest.raises(RulesError):
        parse_rules(bad)
    parse_rules(raw)  # the unedited table loads


def test_suggestions_keep_the_order_and_the_category(raw):
    rules = parse_rules(raw)
    on = dt.date(2026, 1, 1)
    assert rules.suggestions(["no_capital", "illness"], ["credit"], "near_poor", on) == [
        ("vay-ho-can-ngheo", "causes.no_capital"),
        ("bhyt", "causes.illness"),
    ]
    assert rules.suggestions(["no_labour"], [], "poor", on) == []
