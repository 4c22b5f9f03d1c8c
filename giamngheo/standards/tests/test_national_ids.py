"""The 12-digit test of citizen ids refuses exactly what the plain regex definition refuses."""

import re

import polars as pl

from giamngheo.standards.checks import bad_national_ids

TRICKY = [
    "012345678901",
    "000000000000",
    "12345678901",
    "1234567890123",
    "+12345678901",
    "-12345678901",
    " 12345678901",
    "12345678901 ",
    "1_2345678901",
    "0x1234567890",
    "1e1234567890",
    "1234567890.0",
    "12345678901\n",
    "٠١٢٣٤٥",
    "１２３４",
    "12345678901²",
    "+00000000000",
    "",
    None,
]


def test_bad_national_ids_match_the_definition():
    members = pl.DataFrame(
        {"_row": range(2, 2 + len(TRICKY)), "household_id": ["h"] * len(TRICKY), "national_id": TRICKY},
        schema_overrides={"_row": pl.Int64},
    )
    refused = {p.row for p in bad_national_ids(members, "members")}
    expected = {i + 2 for i, v in enumerate(TRICKY) if v is not None and not re.fullmatch(r"[0-9]{12}", v)}
    assert refused == expected
