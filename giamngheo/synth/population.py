"""A synthetic population of real communes, in the data contract, deterministic by seed.

How it is made (vectorised with NumPy, so a million households take seconds):
1. Communes: 6-10 real communes of the province (more for large N, ~2,500 households each).
2. Households: size, head's ethnicity by the region's mix, area from the unit type.
3. Income: a latent disadvantage score (higher for ethnic minorities, lower in towns) ranks
   households; the region's target share of poor + near-poor falls at or below the line.
4. Deprivations: each household draws how many indicators it lacks (3+ for the share of
   income-poor households the region's poor/near-poor split calls for), picks which among those
   its members make possible, and its facts are written to produce exactly those.
So the 2022-2025 standard reproduces the published rates by construction, while every fact
(ages, schooling, insurance, housing, water) stays internally consistent.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ..geo import unit_tables
from ..standards.contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from ..standards.reading import enum_of
from .regions import FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN, PROVINCE_REGION, REGIONS

REFERENCE_DATE = dt.date(2025, 9, 1)
LINES = {"rural": 1_500_000, "urban": 2_000_000}  # vn-2022-2025, used only to place incomes
SIZE_PROBS = np.array([0.08, 0.18, 0.22, 0.27, 0.14, 0.07, 0.03, 0.01])  # sizes 1..8, mean ~3.6
HH_INDICATORS = ("housing_quality", "housing_area", "water", "latrine", "telecom", "information_access")
MEMBER_INDICATORS = ("employment", "health_insurance", "adult_education", "child_schooling", "nutrition")
CHOOSABLE = HH_INDICATORS + MEMBER_INDICATORS
# How common each deprivation is among deprived households (relative weights, plausible not official).
WEIGHTS = np.array([1.0, 0.8, 0.9, 1.4, 0.3, 0.3, 1.2, 1.1, 0.9, 0.5, 0.5])
SAFE_WATER = ("piped", "drilled_well", "protected_dug_well", "protected_spring", "rainwater", "bottled")
UNSAFE_WATER = ("unprotected_dug_well", "unprotected_spring", "surface_water", "vendor")
HYGIENIC = ("septic", "semi_septic", "pour_flush", "ventilated_pit")
UNHYGIENIC = ("pit_with_slab", "pit_without_slab", "hanging", "none")


def _resolve_province(code: str) -> str:
    new = unit_tables.new_units()
    code = code.zfill(2)
    if code in set(new.get_column("province_code")):
        return code
    legacy = unit_tables.legacy_units().filter(pl.col("province_code") == code)
    if legacy.is_empty():
        raise ValueError(f"unknown province code {code!r}")
    mapped = legacy.join(unit_tables.succession().filter("is_default"), left_on="code", right_on="old_code")
    mapped = mapped.join(
        new.select("code", pl.col("province_code").alias("new_province")), left_on="new_code", right_on="code"
    )
    return mapped.group_by("new_province").len().sort("len", descending=True).item(0, "new_province")


def _pick_communes(province: str, households: int, rng: np.random.Generator) -> pl.DataFrame:
    units = unit_tables.new_units().filter(pl.col("province_code") == province).sort("code")
    wanted = int(np.clip(round(households / 2500), 6, 10)) if households <= 25_000 else households // 2500
    wanted = min(max(wanted, 1), units.height)
    rows = np.sort(rng.choice(units.height, size=wanted, replace=False))
    return units[rows.tolist()]


def _choose_ethnicity(mix, urban: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    codes = np.array([c for c, _ in mix])
    shares = np.array([s for _, s in mix], dtype=float)
    shares /= shares.sum()
    eth = rng.choice(codes, size=urban.size, p=shares)
    to_kinh = urban & (rng.random(urban.size) < 0.6)  # towns are mostly Kinh
    eth[to_kinh] = "01"
    return eth


def _household_frame(province: str, n: int, rng: np.random.Generator) -> pl.DataFrame:
    region = REGIONS[PROVINCE_REGION[province]]
    communes = _pick_communes(province, n, rng)
    weights = rng.uniform(0.6, 1.4, communes.height)
    counts = rng.multinomial(n, weights / weights.sum())
    commune_idx = np.repeat(np.arange(communes.height), counts)
    codes = communes.get_column("code").to_numpy()[commune_idx]
    types = communes.get_column("unit_type").to_numpy()[commune_idx]
    urban = np.isin(types, list(unit_tables.URBAN_TYPES))
    seq = np.concatenate([np.arange(1, c + 1) for c in counts]) if n else np.array([], dtype=int)
    ethnicity = _choose_ethnicity(region.ethnic_mix, urban, rng)
    minority = ethnicity != "01"
    disadvantage = rng.normal(size=n) + 0.9 * minority - 0.6 * urban
    score = 0.8 * disadvantage + 0.6 * rng.normal(size=n)
    below_share = region.poor + region.near_poor
    cut = np.quantile(score, 1 - below_share) if n else 0.0
    line = np.where(urban, LINES["urban"], LINES["rural"])
    income = np.round(line * np.exp(0.55 * (cut - score)) / 1000) * 1000
    below = score >= cut
    income = np.where(below, np.minimum(income, line), np.maximum(income, line + 1000)).astype(np.int64)
    villages_per = np.maximum(4, counts // 300)
    village_no = (seq - 1) % villages_per[commune_idx] + 1
    village = np.where(urban, "Tổ dân phố ", "Thôn ").astype(object) + village_no.astype(str).astype(object)
    return pl.DataFrame(
        {
            "household_id": [f"{c}{s:06d}" for c, s in zip(codes, seq, strict=True)],
            "admin_code": codes,
            "village": village.astype(str),
            "area": np.where(urban, "urban", "rural"),
            "income_per_capita_month": income,
            "_below": below,
            "_minority": minority,
            "_ethnicity": ethnicity,
            "_disadvantage": disadvantage,
            "_size": rng.choice(np.arange(1, 9), size=n, p=SIZE_PROBS / SIZE_PROBS.sum()),
            "_poor_share": np.full(n, region.poor / below_share),
            "_province": np.full(n, province),
        }
    )


def _member_frame(hh: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    sizes = hh.get_column("_size").to_numpy()
    n_hh, n = hh.height, int(sizes.sum())
    hh_idx = np.repeat(np.arange(n_hh), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    pos = np.arange(n) - starts
    head_age = rng.triangular(20, 45, 88, n_hh).astype(int)
    has_spouse = (rng.random(n_hh) < 0.85) & (sizes >= 2)
    old_head = head_age[hh_idx] >= 55
    roll = rng.random(n)
    relation = np.where(
        pos == 0,
        "head",
        np.where(
            (pos == 1) & has_spouse[hh_idx],
            "spouse",
            np.where(roll < 0.10, "parent", np.where(old_head & (roll < 0.55), "grandchild", "child")),
        ),
    )
    age = np.select(
        [relation == "head", relation == "spouse", relation == "parent", relation == "grandchild"],
        [
            head_age[hh_idx],
            head_age[hh_idx] + rng.integers(-6, 4, n),
            head_age[hh_idx] + rng.integers(20, 30, n),
            rng.integers(0, 16, n),
        ],
        default=head_age[hh_idx] - rng.integers(18, 38, n),
    )
    age = np.clip(age, 0, 99)
    head_male = rng.random(n_hh) < 0.72
    sex_male = np.where(
        relation == "head", head_male[hh_idx], np.where(relation == "spouse", ~head_male[hh_idx], rng.random(n) < 0.5)
    )
    birth = np.array(REFERENCE_DATE, dtype="datetime64[D]") - (age * 365.25 + rng.integers(0, 365, n)).astype(int)
    return pl.DataFrame(
        {
            "_hh": hh_idx,
            "_pos": pos,
            "relation_to_head": relation,
            "age": age,
            "sex": np.where(sex_male, "male", "female"),
            "birth_date": birth,
        }
    )


def _choose_deprivations(hh: pl.DataFrame, mem: pl.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """A boolean matrix (households x CHOOSABLE): which indicators each household lacks."""
    n = hh.height
    feats = (
        mem.group_by("_hh")
        .agg(
            ((pl.col("age") >= 15) & (pl.col("age") < 61)).any().alias("working"),
            (pl.col("age") >= 6).any().alias("six_plus"),
            ((pl.col("age") >= 16) & (pl.col("age") <= 30)).any().alias("young_adult"),
            ((pl.col("age") >= 3) & (pl.col("age") < 16)).any().alias("school_child"),
            (pl.col("age") < 16).any().alias("child"),
            pl.col("_dependant").sum().alias("dependants"),
            pl.len().alias("size"),
        )
        .sort("_hh")
    )
    feasible = np.ones((n, len(CHOOSABLE)), dtype=bool)
    for j, name in enumerate(MEMBER_INDICATORS, start=len(HH_INDICATORS)):
        column = {
            "employment": "working",
            "health_insurance": "six_plus",
            "adult_education": "young_adult",
            "child_schooling": "school_child",
            "nutrition": "child",
        }[name]
        feasible[:, j] = feats.get_column(column).to_numpy()
    structural = (feats.get_column("dependants").to_numpy() * 2 > feats.get_column("size").to_numpy()).astype(int)
    below = hh.get_column("_below").to_numpy()
    minority = hh.get_column("_minority").to_numpy()
    poor_share = hh.get_column("_poor_share").to_numpy()
    wants_poor = below & (rng.random(n) < poor_share)
    target = np.where(
        wants_poor,
        3 + np.minimum(rng.poisson(1.0, n), 5),
        np.where(
            below, rng.choice([0, 1, 2], n, p=[0.35, 0.35, 0.30]), np.minimum(rng.poisson(0.4 + 0.6 * minority), 5)
        ),
    )
    k = np.maximum(target - structural, 0)
    keys = rng.exponential(size=feasible.shape) / WEIGHTS
    keys[~feasible] = np.inf
    order = np.argsort(keys, axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(len(CHOOSABLE))[None, :].repeat(n, 0), axis=1)
    return (ranks < k[:, None]) & feasible


def _pick(frame: pl.DataFrame, eligible: pl.Expr, rng: np.random.Generator, name: str) -> pl.DataFrame:
    """Mark one eligible member per household at random as the one who triggers an indicator."""
    frame = frame.with_columns(pl.Series("_key", rng.random(frame.height)))
    first = pl.when(eligible).then(pl.col("_key")).otherwise(None).rank("ordinal").over("_hh") == 1
    return frame.with_columns(first.fill_null(False).alias(name)).drop("_key")


def synthesize(province: str, households: int, seed: int = 1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) in the data contract for `households` households of `province`."""
    rng = np.random.default_rng(seed)
    province = _resolve_province(province)
    hh = _household_frame(province, households, rng)
    mem = _member_frame(hh, rng)
    disadvantaged = hh.get_column("_disadvantage").to_numpy()[mem.get_column("_hh").to_numpy()]
    m = mem.height
    disability = rng.choice(["none", "mild", "severe", "very_severe"], m, p=[0.95, 0.03, 0.015, 0.005])
    age = mem.get_column("age").to_numpy()
    allowance = (np.isin(disability, ["severe", "very_severe"]) & (rng.random(m) < 0.8)) | (
        (age >= 80) & (rng.random(m) < 0.85)
    )
    mem = mem.with_columns(
        pl.Series("disability", disability),
        pl.Series("social_allowance", allowance),
        pl.Series(
            "_dependant", (age < 16) | (allowance & ((age >= 60) | np.isin(disability, ["severe", "very_severe"])))
        ),
        pl.Series("_disadvantage", disadvantaged),
    )
    chosen = _choose_deprivations(hh, mem, rng)
    deprived = {name: chosen[:, j] for j, name in enumerate(CHOOSABLE)}
    hh_facts = _household_facts(hh, deprived, mem, rng)
    members = _member_facts(mem, deprived, hh, rng)
    return _typed(hh_facts, HOUSEHOLD_COLUMNS), _typed(members, MEMBER_COLUMNS)


def _typed(frame: pl.DataFrame, columns) -> pl.DataFrame:
    """Code columns as the contract's Enums (what `coerce` would make of them)."""
    return frame.with_columns(
        [pl.col(c.name).cast(enum_of(c)) for c in columns if c.kind == "code" and c.name in frame.columns]
    )


def _household_facts(
    hh: pl.DataFrame, dep: dict[str, np.ndarray], mem: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    n = hh.height
    size = mem.group_by("_hh").len().sort("_hh").get_column("len").to_numpy()
    non_durable = np.where(dep["housing_quality"], rng.integers(2, 4, n), rng.choice([0, 0, 0, 1], n))
    parts = np.zeros((n, 3), dtype=bool)
    order = np.argsort(rng.random((n, 3)), axis=1)
    for j in range(3):
        parts[np.arange(n), order[:, j]] = non_durable > j
    per_person = np.where(dep["housing_area"], rng.uniform(3.0, 7.8, n), rng.uniform(8.0, 32.0, n))
    no_info = dep["information_access"]
    has_device = ~no_info & (rng.random(n) < 0.96)
    hears = np.where(no_info, False, np.where(has_device, rng.random(n) < 0.7, True))
    uses_telecom = ~dep["telecom"]
    return hh.select("household_id", "admin_code", "village", "area", "income_per_capita_month").with_columns(
        pl.Series("walls_durable", ~parts[:, 0]),
        pl.Series("columns_durable", ~parts[:, 1]),
        pl.Series("roof_durable", ~parts[:, 2]),
        pl.Series("floor_area_m2", np.round(per_person * size, 1)),
        pl.Series(
            "water_source",
            np.where(
                dep["water"],
                rng.choice(UNSAFE_WATER, n),
                rng.choice(SAFE_WATER, n, p=[0.55, 0.2, 0.12, 0.05, 0.05, 0.03]),
            ),
        ),
        pl.Series(
            "latrine",
            np.where(dep["latrine"], rng.choice(UNHYGIENIC, n), rng.choice(HYGIENIC, n, p=[0.6, 0.2, 0.15, 0.05])),
        ),
        pl.Series("uses_telecom", uses_telecom),
        pl.Series("has_info_device", has_device),
        pl.Series("hears_loudspeaker", hears),
        pl.Series("uses_internet", uses_telecom & (rng.random(n) < 0.85)),
        pl.Series("waste_treated", rng.random(n) < np.where(hh.get_column("area") == "urban", 0.95, 0.6)),
    )


def _member_facts(
    mem: pl.DataFrame, dep: dict[str, np.ndarray], hh: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    m = mem.height
    hh_idx = mem.get_column("_hh").to_numpy()
    flag = {k: v[hh_idx] for k, v in dep.items()}
    age = pl.col("age")
    mem = _pick(mem, (age >= 15) & (age < 61), rng, "_t_employment")
    mem = _pick(mem, age >= 6, rng, "_t_health_insurance")
    mem = _pick(mem, (age >= 16) & (age <= 30), rng, "_t_adult_education")
    mem = _pick(mem, (age >= 3) & (age < 16), rng, "_t_child_schooling")
    mem = _pick(mem, age < 16, rng, "_t_nutrition")
    a = mem.get_column("age").to_numpy()

    def trig(name: str) -> np.ndarray:
        return mem.get_column(f"_t_{name}").to_numpy() & flag[name]

    # Employment: the trigger is unemployed or without contract; nobody else of working age is.
    employment = np.where(
        a < 15,
        "not_in_labour_force",
        np.where(
            a >= 61,
            np.where(rng.random(m) < 0.3, "self_employed", "not_in_labour_force"),
            rng.choice(["wage_with_contract", "self_employed", "not_in_labour_force"], m, p=[0.35, 0.55, 0.10]),
        ),
    )
    employment = np.where(trig("employment"), rng.choice(["unemployed", "wage_without_contract"], m), employment)
    # Schooling and education consistent with age; the triggers lack what their band requires.
    in_school = np.where((a >= 3) & (a < 16), True, np.where((a >= 16) & (a < 23), rng.random(m) < 0.45, False))
    in_school = np.where(trig("child_schooling"), False, in_school)
    education = np.select(
        [a < 6, a < 11, a < 15, a < 18],
        ["none", "primary", "primary", "lower_secondary"],
        default=rng.choice(
            ["upper_secondary", "vocational_intermediate", "college", "university", "lower_secondary", "primary"],
            m,
            p=[0.42, 0.12, 0.08, 0.12, 0.18, 0.08],
        ),
    ).astype(object)
    young = (a >= 16) & (a <= 30)
    education = np.where(young & (education == "lower_secondary") & (a >= 18), "upper_secondary", education)
    education = np.where(
        young & (education == "primary"), np.where(a >= 18, "upper_secondary", "lower_secondary"), education
    )
    adult_trig = trig("adult_education")
    education = np.where(adult_trig, "primary", education)
    in_school = np.where(adult_trig, False, in_school)
    insured = np.where(trig("health_insurance"), False, True)
    child = a < 16
    stunted = np.where(child, trig("nutrition") & (rng.random(m) < 0.6), False)
    underweight = np.where(child, trig("nutrition") & ~stunted, False)
    ethnicity = hh.get_column("_ethnicity").to_numpy()[hh_idx]
    spouse_other = (mem.get_column("relation_to_head").to_numpy() == "spouse") & (rng.random(m) < 0.15)
    ethnicity = np.where(spouse_other, "01", ethnicity)
    household_ids = hh.get_column("household_id").to_numpy()[hh_idx]
    pos = mem.get_column("_pos").to_numpy()
    family_of_household = rng.random(hh.height)[hh_idx]
    names = _names(
        ethnicity,
        mem.get_column("sex").to_numpy(),
        mem.get_column("relation_to_head").to_numpy(),
        family_of_household,
        rng,
    )
    return pl.DataFrame(
        {
            "household_id": household_ids,
            "member_id": [f"{h}-{p + 1:02d}" for h, p in zip(household_ids, pos, strict=True)],
            "national_id": _national_ids(hh.get_column("_province").item(0) if hh.height else "00", mem),
            "full_name": names,
            "sex": mem.get_column("sex"),
            "birth_date": mem.get_column("birth_date"),
            "relation_to_head": mem.get_column("relation_to_head"),
            "ethnicity": ethnicity,
            "highest_education": education.astype(str),
            "in_school": in_school,
            "has_health_insurance": insured,
            "employment": employment,
            "disability": mem.get_column("disability"),
            "social_allowance": mem.get_column("social_allowance"),
            "stunted": stunted,
            "underweight": underweight,
            "meritorious_service": rng.random(m) < 0.006,
            "untreated_illness": rng.random(m) < 0.01,
        }
    )


def _names(
    ethnicity: np.ndarray, sex: np.ndarray, relation: np.ndarray, household_family: np.ndarray, rng: np.random.Generator
) -> list[str]:
    """Head, children and grandchildren share the household's family name; spouses and parents not."""
    m = ethnicity.size
    picks = rng.random((m, 2))
    shares_family = np.isin(relation, ["head", "child", "grandchild"])
    picks[:, 0] = np.where(shares_family, household_family, picks[:, 0])
    out = []
    for eth, s, (p1, p2) in zip(ethnicity, sex, picks, strict=True):
        family = FAMILY_NAMES.get(eth, FAMILY_NAMES["01"])
        given = MALE_GIVEN if s == "male" else FEMALE_GIVEN
        out.append(f"{family[int(p1 * len(family))]} {given[int(p2 * len(given))]}")
    return out


def _national_ids(province: str, mem: pl.DataFrame) -> pl.Series:
    """12 digits shaped like a citizen id: birth province (3), sex and century (1), year (2), serial (6)."""
    birth_year = mem.get_column("birth_date").dt.year()
    century = (birth_year >= 2000).cast(pl.Int32) * 2 + (mem.get_column("sex") == "female").cast(pl.Int32)
    serial = (
        pl.DataFrame({"c": century, "y": birth_year % 100})
        .with_row_index("i")
        .select(((pl.col("i").rank("ordinal").over("c", "y") - 1) * 7919 + 104729) % 1_000_000)
        .to_series()
    )  # 7919 is coprime with 10^6, so serials stay unique while looking scattered
    prefix = province.zfill(3)
    return pl.Series(
        "national_id", [f"{prefix}{c}{y:02d}{s:06d}" for c, y, s in zip(century, birth_year % 100, serial, strict=True)]
    )
