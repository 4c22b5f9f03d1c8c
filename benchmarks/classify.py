"""Speed of classify() on the contract's Parquet files, against OpenFisca on the same households.

    python benchmarks/classify.py --households 1000000 --sample 1000000 \
        --peer-python /tmp/peer-venv/bin/python [--peer-dir ../shared/peer]

Writes a synthetic population as `giamngheo synth` does (every text column a real extract carries:
names, citizen ids, ethnicity, village) to Parquet (untimed), reads it as the CLI does, times
classify() with and without explanations (median and best of --repeat runs), and `giamngheo
classify` end to end on the files. With --peer-python, the first --sample households go to the
OpenFisca model of the same rules (the peer folder, run in its own environment) and its
build+calculate throughput and our ratio to it are printed, measured in the same run. A plain
per-household Python loop of the rules runs on --loop-sample households as a check of the
results (agreement printed). CPU time (all threads) is printed beside wall time, for classify()
and for OpenFisca, with the ratio per CPU-second: on a shared machine the wall figures mostly
measure the neighbours.

Measured 06/12/2026, 1M households / 3.59M members, 2 shared cores (docs/adr/0009, second pass):
at load 15.6, classify() 0.98M households/s with explanations (2.96M per CPU-second), 1.24M/s
without (3.64M per CPU-second); OpenFisca 0.219M/s (0.865M per CPU-second): 4.5x / 5.7x on wall,
3.4x / 4.2x per CPU-second. Main's engine in the morning's run, at load 7.2: 1.77M/s and 1.35M/s
against OpenFisca's 0.565M/s, 3.1x / 2.4x. Again at load 5.1: 1.82M/s and 2.61M/s, OpenFisca 0.477M/s,
3.8x / 5.5x on wall, 3.4x / 5.9x per CPU-second. Back to back with --no-cli --loop-sample 0 (load 8-11):
main's engine 1.26M/s and 1.70M/s, this one 1.63M/s and 3.79M/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from giamngheo.geo.unit_tables import unit_areas
from giamngheo.standards import classify, load_standard
from giamngheo.standards.reading import read_table
from giamngheo.synth.population import synthesize

AS_OF = dt.date(2025, 9, 1)
HERE = Path(__file__).resolve().parent
PEER_DIR = HERE.parent.parent / "shared" / "peer"
STATUS = {"poor": 0, "near_poor": 1, "average": 2, "other": 3}  # the peer's codes


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
        parts_m.append(  # every column `giamngheo synth` writes, names and citizen ids included
            m.with_columns(
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


def peer_arrays(hh: pl.DataFrame, mem: pl.DataFrame) -> dict[str, object]:
    """The same households in the peer model's inputs (its simplified rule: ages in years, flags)."""
    std = load_standard("vn-2022-2025")
    v = {i.id: i for i in std.indicators}
    safe = v["water"].value("safe_sources", AS_OF)
    hygienic = v["latrine"].value("hygienic_types", AS_OF)
    index = hh.select("household_id", pl.int_range(pl.len(), dtype=pl.Int32).alias("_i"))
    born = pl.col("birth_date")
    age = AS_OF.year - born.dt.year() - ((born.dt.month() * 100 + born.dt.day()) > AS_OF.month * 100 + AS_OF.day)
    people = mem.join(index, on="household_id", maintain_order="left").select(
        pl.col("_i").alias("p_household_id"),
        age.cast(pl.Int16).alias("p_age"),
        pl.col("in_school").alias("p_attends_school"),
        ~pl.col("highest_education").cast(pl.String).is_in(["none", "primary"]).alias("p_completed_lower_secondary"),
        pl.col("has_health_insurance").alias("p_has_health_insurance"),
        (pl.col("employment") == "wage_with_contract").alias("p_is_employed_with_contract"),
        pl.col("stunted").alias("p_child_stunted"),
    )
    houses = hh.select(
        pl.int_range(pl.len(), dtype=pl.Int32).alias("h_household_id"),
        (pl.col("area") == "rural").cast(pl.Int8).alias("h_area"),
        pl.col("income_per_capita_month").cast(pl.Float64).alias("h_monthly_income_per_capita"),
        (
            pl.sum_horizontal((~pl.col(c)).cast(pl.Int8) for c in ("walls_durable", "columns_durable", "roof_durable"))
            >= 2
        ).alias("h_house_is_temporary"),
        pl.col("floor_area_m2").alias("h_floor_area_m2"),
        pl.col("water_source").cast(pl.String).is_in(safe).alias("h_clean_water"),
        pl.col("latrine").cast(pl.String).is_in(hygienic).alias("h_hygienic_latrine"),
        pl.col("uses_telecom").alias("h_uses_telecom"),
        (pl.col("has_info_device") | pl.col("hears_loudspeaker")).alias("h_has_info_device"),
    )
    return {c: people.get_column(c).to_numpy() for c in people.columns} | {
        c: houses.get_column(c).to_numpy() for c in houses.columns
    }


def run_peer(args: argparse.Namespace, hh: pl.DataFrame, mem: pl.DataFrame, folder: Path) -> dict | None:
    """OpenFisca build+calculate on the first --sample households, in the peer's own Python."""
    import numpy as np

    sample = hh.head(args.sample)
    members = mem.filter(pl.col("household_id").is_in(sample.get_column("household_id").implode()))
    data, statuses = folder / "peer.npz", folder / "peer-status.npy"
    np.savez(data, **peer_arrays(sample, members))
    command = [
        args.peer_python,
        str(HERE / "peer_openfisca_run.py"),
        "--peer-dir",
        str(args.peer_dir),
        "--data",
        str(data),
        "--repeat",
        str(args.repeat),
        "--status-out",
        str(statuses),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        print(f"OpenFisca run failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["status"] = np.load(statuses)
    return result


def time_cli(args: argparse.Namespace, folder: Path) -> list[float]:
    """`giamngheo classify` on the Parquet files, end to end (start, read, classify, write)."""
    program = Path(sys.executable).parent / "giamngheo"
    times = []
    for _ in range(args.repeat):
        (folder / "result.parquet").unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(
            [
                str(program),
                "classify",
                "--standard",
                "vn-2022-2025",
                "--as-of",
                AS_OF.isoformat(),
                "--households",
                str(folder / "households.parquet"),
                "--members",
                str(folder / "members.parquet"),
                "--output",
                str(folder / "result.parquet"),
            ],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s, best {min(times):.3f} s of {len(times)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, help="households given to OpenFisca (default: all)")
    parser.add_argument("--peer-python", help="the Python of the peer's environment (OpenFisca installed)")
    parser.add_argument("--peer-dir", type=Path, default=PEER_DIR)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--loop-sample", type=int, default=20_000)
    parser.add_argument("--no-cli", action="store_true", help="skip timing `giamngheo classify` end to end")
    args = parser.parse_args()
    args.sample = min(args.sample or args.households, args.households)

    t = time.perf_counter()
    hh, mem = population(args.households, args.seed)
    with tempfile.TemporaryDirectory(prefix="classify-bench-") as tmp:
        folder = Path(tmp)
        hh.write_parquet(folder / "households.parquet")  # as `giamngheo synth` writes them
        mem.write_parquet(folder / "members.parquet")
        print(
            f"population: {hh.height:,} households, {mem.height:,} members, Parquet with every text column "
            f"(built in {time.perf_counter() - t:.1f} s, untimed); threads={pl.thread_pool_size()}, "
            f"cores={os.cpu_count()}, load average {os.getloadavg()[0]:.1f}"
        )
        t = time.perf_counter()
        hh = read_table(folder / "households.parquet", "households")
        mem = read_table(folder / "members.parquet", "members")
        print(f"read_table of both files (as the CLI reads them): {time.perf_counter() - t:.2f} s")
        areas = unit_areas(AS_OF)
        reset_peak()
        base = peak_mb()
        rates, cpu_rates = {}, {}
        for explain in (True, False):
            times, cpu = [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                result = classify(hh, mem, "vn-2022-2025", AS_OF, unit_areas=areas, explain=explain)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            rates[explain] = hh.height / statistics.median(times)
            cpu_rates[explain] = hh.height / statistics.median(cpu)
            print(
                f"classify(explain={explain}): {summary(times)} -> {rates[explain] / 1e6:.2f} million households/s "
                f"(median; best {hh.height / min(times) / 1e6:.2f}); {mem.height / statistics.median(times) / 1e6:.1f} "
                f"million members/s; CPU median {statistics.median(cpu):.3f} s (all threads) -> "
                f"{cpu_rates[explain] / 1e6:.2f} million households per CPU-second"
            )
            if explain:
                explained = result
        print(f"peak RSS while classifying {peak_mb():,.0f} MB (resident before: {base:,.0f} MB)")
        counts = explained.get_column("category").value_counts(normalize=True).sort("category")
        print("categories:", ", ".join(f"{c} {p:.2%}" for c, p in counts.iter_rows()))
        if not args.no_cli:
            cli = time_cli(args, folder)
            print(f"giamngheo classify end to end on the Parquet files ({hh.height:,} households): {summary(cli)}")
        if args.peer_python:
            peer = run_peer(args, hh, mem, folder)
            if peer is not None:
                totals = [b + c for b, c in zip(peer["build_s"], peer["calc_s"], strict=True)]
                peer_rate = peer["households"] / statistics.median(totals)
                ours = explained.head(args.sample).get_column("category").replace_strict(STATUS).to_numpy()
                agree = int((ours == peer["status"]).sum())
                print(
                    f"OpenFisca build+calculate on the first {peer['households']:,} of the same households: "
                    f"build median {statistics.median(peer['build_s']):.3f} s + calculate median "
                    f"{statistics.median(peer['calc_s']):.3f} s -> {peer_rate / 1e6:.3f} million households/s; "
                    f"same category for {agree:,}/{peer['households']:,} (its rule is simplified)"
                )
                print(
                    f"ratio classify()/OpenFisca: {rates[True] / peer_rate:.1f}x with explanations, "
                    f"{rates[False] / peer_rate:.1f}x without (medians, same run)"
                )
                if "build_cpu_s" in peer:  # CPU time: the steadier figure on a shared machine
                    cpu_totals = [b + c for b, c in zip(peer["build_cpu_s"], peer["calc_cpu_s"], strict=True)]
                    peer_cpu_rate = peer["households"] / statistics.median(cpu_totals)
                    print(
                        f"per CPU-second: OpenFisca {peer_cpu_rate / 1e6:.3f} million households; ratio "
                        f"classify()/OpenFisca {cpu_rates[True] / peer_cpu_rate:.1f}x with explanations, "
                        f"{cpu_rates[False] / peer_cpu_rate:.1f}x without (CPU medians, same run)"
                    )
    if args.loop_sample:
        check_with_loop(hh, mem, explained, args.loop_sample, rates[True])


def check_with_loop(hh: pl.DataFrame, mem: pl.DataFrame, result: pl.DataFrame, sample: int, rate: float) -> None:
    sample_hh = hh.head(sample)
    sample_mem = mem.filter(pl.col("household_id").is_in(sample_hh.get_column("household_id").implode()))
    rows = sample_hh.to_dicts()
    by_hh: dict[str, list[dict]] = {}
    for m in sample_mem.to_dicts():
        by_hh.setdefault(m["household_id"], []).append(m)
    t = time.perf_counter()
    loop = loop_classify(rows, by_hh)
    loop_s = time.perf_counter() - t
    loop_rate = len(rows) / loop_s
    engine = dict(result.select("household_id", "category").head(sample).iter_rows())
    agree = sum(engine[k] == v for k, v in loop.items())
    print(
        f"per-household Python loop: {len(rows):,} households in {loop_s:.2f} s -> "
        f"{loop_rate / 1e6:.3f} million households/s; agreement with classify() {agree}/{len(rows)}; "
        f"classify()/loop {rate / loop_rate:.1f}x"
    )


if __name__ == "__main__":
    main()
