"""Prepare the benefit browser test's world: the commune official, one poor household (recognised by
a decision of 15/12/2025) with its head. Run in a subprocess with the test's DATABASE_URL."""

import datetime as dt
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from giamngheo.accounts.services import system_user, user_add  # noqa: E402
from giamngheo.geo.selectors import unit_by_code  # noqa: E402
from giamngheo.registry.services import household_register, member_add  # noqa: E402
from giamngheo.review.models import ReviewRound, Status  # noqa: E402
from giamngheo.testing.realistic import bump_database_ids  # noqa: E402

bump_database_ids()
admin = system_user()
commune = unit_by_code("03880")
user_add(actor=admin, username="canbo", role="commune_official", unit=commune, password="mat-khau-thu-nghiem")
household = household_register(
    actor=admin,
    household_id="03880008888",
    unit=commune,
    income_per_capita_month=900_000,
    walls_durable=True,
    columns_durable=True,
    roof_durable=True,
    floor_area_m2=40,
    water_source="piped",
    latrine="septic",
    uses_telecom=True,
    has_info_device=True,
)
member_add(
    actor=admin,
    household=household,
    member_id="03880008888-01",
    full_name="Giàng Thị Mỷ",
    birth_date=dt.date(1980, 4, 2),
    sex="female",
    relation_to_head="head",
)
decided = ReviewRound.objects.create(
    commune=commune, kind="periodic", reference_date=dt.date(2025, 9, 1), opened_by=admin, step="closed"
)
Status.objects.create(
    household=household,
    category="poor",
    valid_from=dt.date(2025, 12, 15),
    review_round=decided,
    decision_number="45/QĐ-UBND",
    transition="",
)
print(household.household_id)
