"""A commune's review round of 5,000 households: classification, lists and certificates; prints seconds,
certificates per second and the posting list's seconds per village.

    python benchmarks/round.py [--households 5000] [--keep DIR]

Fresh SQLite database (untimed setup: init, synthetic commune, users, requests). Timed: opening
the round (listing), Form B for every household through the service (registry write, engine,
stored classification), the meeting, posting, recognition, and generating the PDFs (wall and CPU
seconds: the machine may be shared). `--keep DIR` keeps the database there and, run again, times only
the papers of the round it holds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--keep", help="folder for the database, reused when it holds a round")
    args = parser.parse_args()
    tmp = args.keep or tempfile.mkdtemp(prefix="giamngheo-round-")
    reuse = bool(args.keep) and os.path.exists(os.path.join(tmp, "giamngheo.sqlite3"))
    os.environ.update(GIAMNGHEO_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from giamngheo.accounts.services import system_user, user_add
    from giamngheo.core import clock
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.geo.services import units_load
    from giamngheo.registry.bulk import load_frames
    from giamngheo.registry.models import Household
    from giamngheo.review import selectors as review_selectors
    from giamngheo.review import services as review
    from giamngheo.review.models import Request, ReviewRound
    from giamngheo.synth.population import synthesize

    if reuse:
        papers(ReviewRound.objects.order_by("-pk").first(), {})
        return
    call_command("migrate", verbosity=0)
    units_load()
    admin = system_user()
    import polars as pl

    hh, members = synthesize("14", args.households, seed=3)
    code = hh.item(0, "admin_code")  # one commune holds them all
    hh = hh.with_columns(pl.lit(code).alias("admin_code"))
    load_frames(hh, members, actor=admin)
    commune = unit_by_code(code)
    users = {
        r: user_add(actor=admin, username=r, role=r, unit=commune, password="x" * 12)
        for r in ("reviewer", "commune_official", "commune_chair")
    }
    day = dt.date(2025, 9, 16)
    Request.objects.bulk_create(
        [
            Request(household=h, form="01", received_on=day, channel="in_person", recorded_by=admin)
            for h in Household.objects.filter(unit=commune)
        ]
    )
    print(f"commune {commune.name} ({code}): {Household.objects.filter(unit=commune).count():,} households")

    timings = {}
    t = time.perf_counter()
    rnd = review.round_open(
        actor=users["commune_official"], commune=commune, kind="regular", reference_date=day, on=day
    )
    rnd = review.round_advance(actor=users["commune_official"], review_round=rnd, from_step="listing", today=day)
    timings["open round and list"] = time.perf_counter() - t
    t = time.perf_counter()
    for listed in rnd.listed.select_related("household"):
        review.form_a_record(actor=users["reviewer"], listed=listed, passes=True)
        review.form_b_record(actor=users["reviewer"], listed=listed, household_facts={}, member_facts={})
    timings["Form A + Form B + classification, all households"] = time.perf_counter() - t
    t = time.perf_counter()
    rnd = review.round_advance(actor=users["commune_official"], review_round=rnd, from_step="surveying", today=day)
    for place in review_selectors.villages_to_meet(rnd):  # one meeting per village
        waiting = review_selectors.meeting_households(rnd, place["village"])
        agree = dict.fromkeys(waiting.values_list("household__household_id", flat=True), 30)
        review.meeting_record(
            actor=users["commune_official"],
            review_round=rnd,
            village=place["village"],
            village_name="Cả xã",
            held_on=day,
            chair="A",
            front_supervisor="B",
            attendance=40,
            agree=agree,
        )
    rnd = review.round_advance(
        actor=users["commune_official"], review_round=rnd, from_step="meetings", posting_start=day, today=day
    )
    rnd = review.round_advance(
        actor=users["commune_official"], review_round=rnd, from_step="posting", today=rnd.posting_end + dt.timedelta(1)
    )
    with clock.fixed(max(clock.today(), rnd.posting_end + dt.timedelta(2))):
        rnd = review.round_recognise(
            actor=users["commune_chair"],
            review_round=rnd,
            decision_number="1/QĐ-UBND",
            decision_date=rnd.posting_end + dt.timedelta(2),
        )
    timings["meeting, posting, recognition"] = time.perf_counter() - t
    papers(rnd, timings)


def _timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def papers(rnd, timings: dict) -> None:
    """Time the round's papers: minutes, the posting list (the commune's, then each village's), certificates."""
    from django.utils import translation

    from giamngheo.geo.models import Village
    from giamngheo.review import documents

    translation.activate("vi")  # as the job makes them
    minutes, wall, cpu = _timed(lambda: documents.minutes_pdf(rnd))
    timings["minutes PDF (two copies)"] = wall
    print(f"  minutes: {rnd.meetings.count()} meetings, {len(minutes) / 1e6:.1f} MB in {wall:.1f} s ({cpu:.1f} s CPU)")
    posting, wall, cpu = _timed(lambda: documents.posting_pdf(rnd))
    timings["posting list PDF (commune)"] = wall
    rows = documents._posting_listed(rnd).count()
    print(f"  posting list: {rows:,} households in {wall:.1f} s ({cpu:.1f} s CPU), {len(posting) / 1e6:.1f} MB")
    villages = Village.objects.filter(households__unit=rnd.commune).distinct().order_by("pk")
    for village in villages:
        count = documents._posting_listed(rnd, village).count()
        _pdf, wall, cpu = _timed(lambda village=village: documents.posting_pdf(rnd, village=village))
        print(f"  posting list of {village.name}: {count:,} households in {wall:.2f} s ({cpu:.2f} s CPU)")
    certificates, wall, cpu = _timed(lambda: documents.certificates_pdf(rnd))
    timings["certificates PDF"] = wall
    poor = rnd.statuses.filter(category__in=["poor", "near_poor"]).count()
    print(
        f"  certificates: {poor:,} pages, {len(certificates) / 1e6:.1f} MB in {wall:.1f} s ({cpu:.1f} s CPU): "
        f"{poor / wall:.0f} pages/s ({poor / cpu:.0f} pages/s of CPU)"
    )
    for name, seconds in timings.items():
        print(f"  {name:<52} {seconds:7.1f} s")
    print(f"  total {sum(timings.values()):.1f} s")


if __name__ == "__main__":
    main()
