"""Speed and memory of classify() against a plain per-household Python loop of the same rules.

    python benchmarks/classify.py --households 1000000

Builds a synthetic population (untimed), times classify() in process (best of --repeat runs),
prints households per second and peak memory, then times a straightforward per-household
Python implementation of the vn-2022-2025 rules on a sample and prints the speed ratio.
It also checks that both implementations agree on the sample.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time

import polars as pl

from giamngheo.standards import classify, load_standard
from giamngheo.synth.population import synthesize

AS_OF = dt.date(2025, 9, 1)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Linux: start a new peak-RSS measurement (VmHWM) from the current size."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return rss_mb()


def population(households: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Synthesise in chunks of 200k households (whole provinces), renaming ids to stay unique."""
    parts_h, parts_m = [], []
    provinces = ["14", "66", "38", "82", "01", "79"]
    done, k = 0, 0
    while done < households:
        n = min(200_000, households - done)
        h, m = synthesize(provinces[k % len(provinces)], n, seed=seed + k)
        prefix = f"{k:03d}"
        parts_h.append(h.with_columns((prefix + pl.col("household_id")).alias("household_id")))
        # keep what a national extraction for the engine would read: no names or citizen ids
        parts_m.append(
            m.drop("full_name", "national_id", "ethnicity").with_columns(
                (prefix + pl.col("household_id")).alias("household_id"),
                (prefix + pl.col("member_id")).alias("member_id"),
            )
        )
        done += n
        k += 1
    return pl.concat(parts_h), pl.concat(parts_m)


def loop_classify(households: list[dict], members_by_hh: dict[str, list[dict]]) -> dict[str, str]:
    """The vn-2022-2025 rules written the obvious way, one household at a time."""
    std = load_standard("vn-2022-2025")
    v = {i.id: i for i in std.indicators}
    line = {a: std.value("income_line", AS_OF, a) for a in ("rural", "urban")}
    upper = {a: std.value("average_upper", AS_OF, a) for a in ("rural", "urban")}
    safe = set(v["water"].value("safe_sources", AS_OF))
    hygienic = set(v["latrine"].value("hygienic_types", AS_OF))
    retire = {
        "male": v["employment"].value("retirement_age_months_male", AS_OF),
        "female": v["employment"].value("retirement_age_months_female", AS_OF),
    }
    out = {}
    for h in households:
        people = members_by_hh[h["household_id"]]
        n = len(people)
        count = 0
        ages, months = [], []
        for p in people:
            b = p["birth_date"]
            ages.append(AS_OF.year - b.year - ((b.month, b.day) > (AS_OF.month, AS_OF.day)))
            months.append((AS_OF.year - b.year) * 12 + AS_OF.month - b.month - (b.day > AS_OF.day))
        count += any(
            a >= 15 and mo < retire[p["sex"]] and p["employment"] in ("unemployed", "wage_without_contract")
            for a, mo, p in zip(ages, months, people, strict=True)
        )
        dependants = sum(
            1
            for a, p in zip(ages, people, strict=True)
            if a < 16 or (p["social_allowance"] and (a >= 60 or p["disability"] in ("severe", "very_severe")))
        )
        count += dependants * 2 > n
        count += any(a < 16 and (p["stunted"] or p["underweight"]) for a, p in zip(ages, people, strict=True))
        count += any(a >= 6 and not p["has_health_insurance"] for a, p in zip(ages, people, strict=True))
        count += any(
            not p["in_school"]
            and (
                (16 <= a < 18 and p["highest_education"] in ("none", "primary"))
                or (18 <= a <= 30 and p["highest_education"] in ("none", "primary", "lower_secondary"))
            )
            for a, p in zip(ages, people, strict=True)
        )
        count += any(3 <= a < 16 and not p["in_school"] for a, p in zip(ages, people, strict=True))
        count += (not h["walls_durable"]) + (not h["columns_durable"]) + (not h["roof_durable"]) >= 2
        count += h["floor_area_m2"] < 8 * n
        count += h["water_source"] not in safe
        count += h["latrine"] not in hygienic
        count += not h["uses_telecom"]
        count += (not h["has_info_device"]) and (not h["hears_loudspeaker"])
        income, area = h["income_per_capita_month"], h["area"]
        if income <= line[area]:
            out[h["household_id"]] = "poor" if count >= 3 else "near_poor"
        else:
            out[h["household_id"]] = "average" if income <= upper[area] else "other"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop-sample", type=int, default=100_000)
    args = parser.parse_args()

    t = time.perf_counter()
    hh, mem = population(args.households, args.seed)
    print(
        f"population: {hh.height:,} households, {mem.height:,} members "
        f"(built in {time.perf_counter() - t:.1f} s, untimed); threads={pl.thread_pool_size()}, "
        f"cores={os.cpu_count()}"
    )
    hh, mem = hh.rechunk(), mem.rechunk()
    reset_peak()
    base = peak_mb()
    for explain in (False, True):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = classify(hh, mem, "vn-2022-2025", AS_OF, explain=explain)
            times.append(time.perf_counter() - t)
        best = min(times)
        print(
            f"classify(explain={explain}): best {best:.3f} s of {args.repeat} -> "
            f"{hh.height / best / 1e6:.2f} million households/s"
        )
    frames_mb = (hh.estimated_size() + mem.estimated_size()) / 2**20
    print(
        f"peak RSS while classifying {peak_mb():,.0f} MB (resident before: {base:,.0f} MB); "
        f"input frames {frames_mb:,.0f} MB = {frames_mb * 2**20 / hh.height:,.0f} bytes a household; "
        f"result {result.estimated_size() / 2**20:,.0f} MB"
    )
    counts = result.get_column("category").value_counts(normalize=True).sort("category")
    print("categories:", ", ".join(f"{c} {p:.2%}" for c, p in counts.iter_rows()))

    sample_hh = hh.head(args.loop_sample)
    sample_mem = mem.filter(pl.col("household_id").is_in(sample_hh.get_column("household_id").implode()))
    rows = sample_hh.to_dicts()
    by_hh: dict[str, list[dict]] = {}
    for m in sample_mem.to_dicts():
        by_hh.setdefault(m["household_id"], []).append(m)
    t = time.perf_counter()
    loop = loop_classify(rows, by_hh)
    loop_s = time.perf_counter() - t
    loop_rate = len(rows) / loop_s
    engine = dict(result.select("household_id", "category").head(args.loop_sample).iter_rows())
    agree = sum(engine[k] == v for k, v in loop.items())
    engine_rate = hh.height / best
    print(
        f"per-household Python loop: {len(rows):,} households in {loop_s:.2f} s -> "
        f"{loop_rate / 1e6:.3f} million households/s; agreement with classify() {agree}/{len(rows)}"
    )
    print(f"speed ratio classify()/loop: {engine_rate / loop_rate:.1f}x")


if __name__ == "__main__":
    main()
