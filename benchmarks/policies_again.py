"""The timed parts of `benchmarks/policies.py` again on the database a run of it left (its temporary
folder, printed nowhere but kept): eligibility of every policy on 1 July 2026 and the coverage report,
each timed twice (cold, then warm caches of the process). For measuring a change without the
16-minute setup of 400,000 households again.

    python benchmarks/policies_again.py /tmp/giamngheo-policies-XXXX
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time


def main() -> None:
    os.environ.update(GIAMNGHEO_DATA_DIR=sys.argv[1], DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from giamngheo.accounts.access import area_scope
    from giamngheo.accounts.services import system_user
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.policies.catalogue import catalogue
    from giamngheo.policies.eligibility import eligibility_all
    from giamngheo.reports.render import render
    from giamngheo.reports.selectors import report_table

    on = dt.date(2026, 7, 1)
    admin = system_user()
    scope = area_scope(admin, unit_by_code("14"), on=on)
    for attempt in ("cold", "warm"):
        started = time.perf_counter()
        eligibility_all(scope, list(catalogue().values()), on)
        print(f"eligibility_all, every policy ({attempt}) {time.perf_counter() - started:7.2f} s", flush=True)
        started = time.perf_counter()
        render(report_table(admin, "chinh-sach-bao-phu", "14", str(on.year), with_chart=False), "xlsx")
        print(f"coverage report + xlsx ({attempt})      {time.perf_counter() - started:7.2f} s", flush=True)


if __name__ == "__main__":
    main()
