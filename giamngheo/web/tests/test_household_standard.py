"""The household page explains the category under the standard of the round behind its status (#13):
a periodic round of autumn 2026 classifies under vn-2027-2030 while vn-2022-2025 is still in force."""

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_explanation_follows_the_standard_of_the_status(client, people, households):  # noqa: F811
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], on=dt.date(2026, 10, 1))
    assert r.listed.get(household__household_id="H0").classification.standard_id == "vn-2027-2030"
    client.force_login(people["official"])
    with clock.fixed(r.decision_date + dt.timedelta(days=1)):  # still 2026: vn-2022-2025 in force
        page = client.get("/ho/H0/")
    assert page.context["explanation"].standard_id == "vn-2027-2030"
    html = page.content.decode()
    assert "Phân loại theo chuẩn nghèo đa chiều giai đoạn 2027-2030" in html
    assert f"({r})" in html and "chuẩn hiện hành" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with clock.fixed(r.decision_date + dt.timedelta(days=1)):
        english = client.get("/ho/H0/").content.decode()
    assert "Classified under the multidimensional poverty standard 2027-2030" in english


def test_a_household_never_recognised_is_explained_under_the_standard_in_force(client, people, households):  # noqa: F811
    client.force_login(people["official"])
    with clock.fixed(dt.date(2026, 11, 1)):
        page = client.get("/ho/H0/")
    assert page.context["explanation"].standard_id == "vn-2022-2025"
    assert "Phân loại theo chuẩn hiện hành: chuẩn nghèo đa chiều giai đoạn 2022-2025" in page.content.decode()
