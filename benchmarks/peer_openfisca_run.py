"""OpenFisca's build+calculate time on households handed over as NumPy arrays (one .npz file).

Run by benchmarks/classify.py with the peer environment's Python, never imported by the project:

    PEER_PYTHON peer_openfisca_run.py --peer-dir ../shared/peer --data arrays.npz --repeat 3

Imports only the peer model (its README says how to build its environment). Prints one JSON line:
build and calculate seconds of each repeat (wall, and CPU of the process as build_cpu_s /
calc_cpu_s) and the counts of each status (0 poor .. 3 none);
--status-out keeps each household's status for the agreement check.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer-dir", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--status-out", help="write the statuses of the last repeat here (.npy)")
    args = parser.parse_args()
    sys.path.insert(0, args.peer_dir)
    import peer_engines as engines  # noqa: PLC0415 -- from the peer folder given on the command line

    arrays = np.load(args.data)
    persons = {k.removeprefix("p_"): arrays[k] for k in arrays.files if k.startswith("p_")}
    households = {k.removeprefix("h_"): arrays[k] for k in arrays.files if k.startswith("h_")}
    native = engines.prepare_openfisca(persons, households)  # the tax-benefit system: untimed, as the peer does
    builds, calcs, build_cpu, calc_cpu, out = [], [], [], [], None
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        sim = engines.build_openfisca(native)
        built, built_cpu = time.perf_counter(), time.process_time()
        out = engines.run_openfisca(sim)
        calcs.append(time.perf_counter() - built)
        calc_cpu.append(time.process_time() - built_cpu)
        builds.append(built - start)
        build_cpu.append(built_cpu - start_cpu)
        del sim
    counts = np.bincount(np.asarray(out, dtype=np.int64), minlength=4).tolist()
    if args.status_out:
        np.save(args.status_out, np.asarray(out, dtype=np.int8))
    households_n = int(households["household_id"].shape[0])
    print(
        json.dumps(
            {
                "households": households_n,
                "build_s": builds,
                "calc_s": calcs,
                "build_cpu_s": build_cpu,
                "calc_cpu_s": calc_cpu,
                "status_counts": counts,
            }
        )
    )


if __name__ == "__main__":
    main()
