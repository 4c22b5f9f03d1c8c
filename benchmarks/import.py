"""Import speed: 50,000 households (~180,000 members) from XLSX and from CSV into a fresh SQLite.

    python benchmarks/import.py [--households 50000]

Files are written untimed; each import runs `giamngheo import` in a fresh database and is timed
end to end (reading, validating every cell, writing with history). Aim: under 60 s on SQLite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    args = parser.parse_args()
    from giamngheo.synth.population import synthesize

    tmp = Path(tempfile.mkdtemp(prefix="giamngheo-import-"))
    hh, members = synthesize("40", args.households, seed=8)
    hh.write_csv(tmp / "households.csv")
    members.write_csv(tmp / "members.csv")
    import xlsxwriter

    t = time.perf_counter()
    with xlsxwriter.Workbook(str(tmp / "xa.xlsx"), {"constant_memory": False}) as book:
        hh.write_excel(book, worksheet="households")
        members.write_excel(book, worksheet="members")
    print(
        f"{hh.height:,} households, {members.height:,} members; files written untimed "
        f"(xlsx {time.perf_counter() - t:.0f} s, {(tmp / 'xa.xlsx').stat().st_size / 1e6:.0f} MB)"
    )
    for label, argv in (
        ("CSV", ["--households", str(tmp / "households.csv"), "--members", str(tmp / "members.csv")]),
        ("XLSX", [str(tmp / "xa.xlsx")]),
    ):
        data = tmp / f"db-{label}"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["GIAMNGHEO_DATA_DIR"] = str(data)
        cli = [sys.executable, "-m", "giamngheo.cli.main"]
        subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
        t = time.perf_counter()
        done = subprocess.run([*cli, "import", *argv], env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t
        status = "ok" if done.returncode == 0 else f"FAILED: {done.stderr[-300:]}"
        print(
            f"  {label:<5} {seconds:6.1f} s  {hh.height / seconds:>8,.0f} households/s  "
            f"{members.height / seconds:>8,.0f} members/s  {status}"
        )


if __name__ == "__main__":
    main()
