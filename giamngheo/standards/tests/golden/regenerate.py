"""Write the golden test's inputs and expected outputs from the engine as it is now.

Run before changing the engine (never to make a failing golden test pass):

    .venv/bin/python -m giamngheo.standards.tests.golden.regenerate
"""

from __future__ import annotations

import sys

from giamngheo.geo.unit_tables import unit_areas
from giamngheo.standards import InputError, classify
from giamngheo.standards.tests.golden_cases import HERE, cases, error_cases, make_inputs


def main() -> None:
    if "--inputs" in sys.argv:
        hh, mem = make_inputs()
        hh.write_parquet(HERE / "households.parquet")
        mem.write_parquet(HERE / "members.parquet")
    for name, kwargs in cases(unit_areas):
        result = classify(**kwargs)
        result.write_parquet(HERE / f"expected-{name}.parquet")
        print(name, result.shape)
    for name, kwargs in error_cases():
        try:
            classify(**kwargs)
        except InputError as exc:
            (HERE / f"expected-errors-{name}.txt").write_text(exc.report("en") + "\n", encoding="utf-8")
            print(name, len(exc.problems), "problems")
        else:
            raise SystemExit(f"{name}: expected an InputError")


if __name__ == "__main__":
    main()
