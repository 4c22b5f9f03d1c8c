"""Prepare the browser test's world through the services: users, one household in its village, a
round at Form B; every table's ids start past 1,000 first, as in the in-process tests (votes were
once stored as 0 only when ids passed 999).

Run in a subprocess with the test's DATABASE_URL; prints the round id.
"""

import datetime as dt
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from giamngheo.accounts.services import system_user, user_add  # noqa: E402
from giamngheo.geo.selectors import unit_by_code  # noqa: E402
from giamngheo.registry.services import household_register, member_add, village_create  # noqa: E402
from giamngheo.review import services as review  # noqa: E402
from giamngheo.testing.realistic import bump_database_ids  # noqa: E402

bump_database_ids()

PASSWORD = "mat-khau-thu-nghiem"
admin = system_user()
commune = unit_by_code("03880")
users = {
    role: user_add(actor=admin, username=name, role=role, unit=commune, password=PASSWORD)
    for name, role in (("rasoat", "reviewer"), ("canbo", "commune_official"), ("chutich", "commune_chair"))
}
village = village_create(actor=admin, commune=commune, name="Bản Tạ Khoa")
household = household_register(
    actor=admin,
    household_id="03880009999",
    unit=commune,
    village=village,
    village_name="Bản Tạ Khoa",
    area="",
    income_per_capita_month=900_000,
    walls_durable=True,
    columns_durable=True,
    roof_durable=True,
    floor_area_m2=40,
    water_source="piped",
    latrine="septic",
    uses_telecom=True,
    has_info_device=True,
    hears_loudspeaker=True,
)
member_add(
    actor=admin,
    household=household,
    member_id="03880009999-01",
    full_name="Giàng Thị Mỷ",
    birth_date=dt.date(1980, 4, 2),
    sex="female",
    relation_to_head="head",
    ethnicity="08",
    highest_education="primary",
    in_school=False,
    has_health_insurance=True,
    employment="self_employed",
    disability="none",
    social_allowance=False,
    national_id="014180000321",
)
review.request_record(
    actor=users["reviewer"], household=household, form="01", received_on=dt.date(2025, 9, 16), channel="in_person"
)
rnd = review.round_open(
    actor=users["commune_official"],
    commune=commune,
    kind="regular",
    reference_date=dt.date(2025, 9, 16),
    on=dt.date(2025, 9, 16),
)
rnd = review.round_advance(actor=users["commune_official"], review_round=rnd, from_step="listing")
review.form_a_record(actor=users["reviewer"], listed=rnd.listed.get(), passes=True)
assert rnd.pk > 1000 and rnd.listed.get().pk > 1000 and village.pk > 1000
print(rnd.pk)
