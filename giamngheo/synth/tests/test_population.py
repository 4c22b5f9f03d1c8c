"""The synthetic population: deterministic, in the contract, and near the published rates."""

import datetime as dt

import polars as pl

from giamngheo.geo.unit_tables import new_units, unit_areas
from giamngheo.standards import classify
from giamngheo.standards.contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from giamngheo.standards.reading import coerce
from giamngheo.synth.population import synthesize


def test_same_seed_same_population_other_seed_other_population():
    a = synthesize("14", 500, seed=3)
    b = synthesize("14", 500, seed=3)
    c = synthesize("14", 500, seed=4)
    assert a[0].equals(b[0]) and a[1].equals(b[1])
    assert not a[1].equals(c[1])


def test_output_follows_the_contract():
    households, members = synthesize("66", 800, seed=1)
    required_hh = {c.name for c in HOUSEHOLD_COLUMNS if c.required} | {"income_per_capita_month"}
    required_m = {c.name for c in MEMBER_COLUMNS if c.required} | {"birth_date"}
    assert required_hh <= set(households.columns) and required_m <= set(members.columns)
    for frame, columns in ((households, HOUSEHOLD_COLUMNS), (members, MEMBER_COLUMNS)):
        _, problems = coerce(frame, columns, "synth")
        assert problems == []
    assert members.get_column("national_id").str.contains(r"^\d{12}$").all()
    assert members.get_column("national_id").n_unique() == members.height
    assert members.get_column("member_id").n_unique() == members.height
    assert set(households.get_column("admin_code")) <= set(new_units().get_column("code"))
    sizes = members.group_by("household_id").len().get_column("len")
    assert 3.2 <= sizes.mean() <= 4.0 and sizes.min() >= 1
    heads = members.filter(pl.col("relation_to_head") == "head").get_column("household_id")
    assert heads.n_unique() == households.height == heads.len()


def test_communes_are_real_and_six_to_ten_for_a_demo_sized_population():
    households, _ = synthesize("14", 20_000, seed=2025)
    communes = households.get_column("admin_code").unique()
    assert 6 <= communes.len() <= 10
    units = new_units().filter(pl.col("code").is_in(communes.implode()))
    assert set(units.get_column("province_code")) == {"14"}


def test_rates_land_near_the_published_2022_figures():
    as_of = dt.date(2025, 9, 1)
    for province, poor, near in (("14", 0.1423, 0.0769), ("79", 0.0021, 0.0013)):
        households, members = synthesize(province, 20_000, seed=11)
        result = classify(households, members, "vn-2022-2025", as_of, unit_areas=unit_areas(as_of), explain=False)
        shares = result.get_column("category").value_counts(normalize=True)
        share = dict(zip(shares.get_column("category"), shares.get_column("proportion"), strict=True))
        assert abs(share.get("poor", 0) - poor) < 0.015, (province, share)
        assert abs(share.get("near_poor", 0) - near) < 0.015, (province, share)
