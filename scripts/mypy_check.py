"""Type check with a baseline that may only shrink.

`python scripts/mypy_check.py` runs mypy (settings in mypy.ini) and compares its errors, without line
numbers, with mypy-baseline.txt: a new error fails; an error that is gone also fails until the baseline
is rewritten with `--update` (so fixed errors cannot come back unnoticed). The engine
(giamngheo/standards) is strict and has no baseline.
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<file>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")


def current_errors() -> list[str]:
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1) or "error: " not in run.stdout and run.returncode:
        sys.stdout.write(run.stdout + run.stderr)
        raise SystemExit(f"mypy itself failed (exit {run.returncode})")
    return sorted(f"{m['file']}: {m['message']}" for line in run.stdout.splitlines() if (m := ERROR.match(line)))


def main() -> int:
    errors = current_errors()
    if "--update" in sys.argv:
        BASELINE.write_text("\n".join(errors) + "\n", encoding="utf-8")
        print(f"mypy baseline: {len(errors)} errors written to {BASELINE.name}")
        return 0
    known = collections.Counter(BASELINE.read_text(encoding="utf-8").splitlines()) if BASELINE.exists() else {}
    now = collections.Counter(errors)
    new = now - collections.Counter(known)
    gone = collections.Counter(known) - now
    for line in sorted(new.elements()):
        print(f"new: {line}")
    if gone:
        print(
            f"{sum(gone.values())} baseline errors are fixed: shrink the baseline with "
            f"`python scripts/mypy_check.py --update`"
        )
    print(f"mypy: {len(errors)} errors, {sum(new.values())} new, baseline {sum(known.values())}")
    return 1 if new or gone else 0


if __name__ == "__main__":
    raise SystemExit(main())
