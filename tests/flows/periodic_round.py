"""The world of the browser's periodic round, and the Form Bs the browser does not fill, through the
services (run in a subprocess with the test's DATABASE_URL and GIAMNGHEO_TODAY).

`setup`: users, the realistic commune (3,000 households in 8 villages, ids past 1,000), last year's
recognised periodic review (so the commune has its lists), and Mẫu 01 requests of a few households
not on them. Prints the commune's unit id.

`survey ROUND_ID`: every household still waiting in the round gets its Form A (when its listing
needs one) and its Form B through `review.services.form_a_record` and `form_b_record`, the same
functions the pages call, shared between the two reviewers.
"""

import datetime as dt
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

PASSWORD = "mat-khau-thu-nghiem"
REVIEWERS = ("rasoat1", "rasoat2")
LAST_REVIEW = dt.date(2025, 10, 1), dt.date(2025, 12, 10), "112/QĐ-UBND"  # reference, decision date, number
REQUESTED = 24  # households not on the lists that asked to be reviewed (Mẫu 01) before the round opened
SURVEYED_ON = dt.date(2026, 10, 6)


def setup() -> int:
    import polars as pl

    from giamngheo.accounts.services import system_user, user_add
    from giamngheo.registry.models import Household
    from giamngheo.review import services as review
    from giamngheo.review.recorded import decision_record
    from giamngheo.standards import classify
    from giamngheo.standards.rounds import round_standard
    from giamngheo.synth.history import earlier_facts, form_b_answers
    from giamngheo.testing.realistic import bump_database_ids, load_commune

    bump_database_ids()
    admin = system_user()
    world = load_commune(admin)
    commune = world.commune
    users = {
        name: user_add(actor=admin, username=name, role=role, unit=commune, password=PASSWORD)
        for name, role in (
            *((r, "reviewer") for r in REVIEWERS),
            ("canbo", "commune_official"),
            ("chutich", "commune_chair"),
        )
    }
    reference, decided, number = LAST_REVIEW
    standard = round_standard("periodic", reference).standard
    last_year = classify(earlier_facts(world.households, 7), world.members, standard, reference, explain=False)
    last_year = form_b_answers(last_year.with_columns(pl.col("category", "admin_code").cast(pl.String)), 7)
    decision_record(
        actor=admin,
        results=last_year.sort("household_id"),
        standard=standard,
        as_of=reference,
        kind="periodic",
        decision_number=number,
        decision_date=decided,
        fact_columns=["income_per_capita_month"],
    )
    off_list = last_year.filter(~pl.col("category").is_in(["poor", "near_poor"])).get_column("household_id")
    for household in Household.objects.filter(household_id__in=off_list.to_list()[:REQUESTED]):
        review.request_record(
            actor=users[REVIEWERS[0]],
            household=household,
            form="01",
            received_on=dt.date(2026, 9, 21),
            channel="in_person",
        )
    return commune.pk


def survey(round_id: int) -> int:
    from giamngheo.accounts.services import active_user
    from giamngheo.review import services as review
    from giamngheo.review.models import Listed, ReviewRound
    from giamngheo.standards.procedure import review_law

    review_round = ReviewRound.objects.get(pk=round_id)
    reviewers = [active_user(name) for name in REVIEWERS]
    form_a_first = review_law().form_a_reasons(review_round.reference_date)
    waiting = review_round.listed.filter(state=Listed.State.TO_SURVEY).select_related("household").order_by("pk")
    for i, listed in enumerate(waiting):
        reviewer = reviewers[i % len(reviewers)]
        if listed.reason in form_a_first and listed.form_a_passed is None:
            listed = review.form_a_record(actor=reviewer, listed=listed, passes=True)
        review.form_b_record(
            actor=reviewer, listed=listed, household_facts={}, member_facts={}, surveyed_on=SURVEYED_ON
        )
    return i + 1


if __name__ == "__main__":
    command = sys.argv[1]
    print(setup() if command == "setup" else survey(int(sys.argv[2])))
