"""The household page lists what the household received from the ledger, a reversal as such, in
one query whatever their number (#16 item 7, first part)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.policies.services import benefit_record, benefit_reverse

pytestmark = pytest.mark.django_db
A = "03880"


def _page(client, household_id="HB-1") -> str:
    return client.get(f"/ho/{household_id}/").content.decode()


def test_the_household_page_lists_its_benefits_with_a_reversal_marked(client):
    home = household(system_user(), "HB-1", A)
    official = user_with_role("commune_official", A)
    client.force_login(official)
    assert 'id="no-benefits"' in _page(client)
    paid = benefit_record(
        actor=official,
        household=home,
        policy_id="tien-dien",
        delivered_on=dt.date(2026, 3, 31),
        amount_vnd=147_000,
        evidence="PC-1/2026",
    )
    benefit_record(
        actor=official, household=home, policy_id="tien-dien", delivered_on=dt.date(2026, 6, 30), amount_vnd=147_000
    )
    page = _page(client)
    assert page.count("147.000 đ") == 2 and "PC-1/2026" in page and "31/03/2026" in page
    assert "Hỗ trợ tiền điện cho hộ nghèo và hộ chính sách xã hội" in page
    with CaptureQueriesContext(connection) as two:
        _page(client)
    benefit_reverse(actor=official, benefit=paid, reason="ghi nhầm")
    for day in range(1, 6):
        benefit_record(
            actor=official, household=home, policy_id="tien-dien", delivered_on=dt.date(2026, 7, day), amount_vnd=1
        )
    page = _page(client)
    assert "điều chỉnh giảm" in page and "đã điều chỉnh" in page and "-147.000 đ" in page
    with CaptureQueriesContext(connection) as eight:
        _page(client)
    assert len(eight.captured_queries) == len(two.captured_queries)  # one query for the rows, whatever their number


def test_a_quantity_is_shown_as_recorded_not_rounded(client):
    """The attack of 06/12/2026: a quantity of 1.5 showed as 2 (m² of land: a count of payments is whole)."""
    home = household(system_user(), "HB-2", A)
    official = user_with_role("commune_official", A)
    client.force_login(official)
    benefit_record(actor=official, household=home, policy_id="dat-o", delivered_on=dt.date(2026, 3, 31), quantity="1.5")
    page = _page(client, "HB-2")
    assert '<td class="num" data-label="Số lượng">1,5</td>' in page


def test_a_household_with_more_rows_than_shown_is_told_how_many(client):
    """The attack of 06/12/2026: 61 rows showed as 50 with nothing said."""
    from giamngheo.policies.selectors import SHOWN

    home = household(system_user(), "HB-3", A)
    official = user_with_role("commune_official", A)
    client.force_login(official)
    for day in range(SHOWN + 1):
        benefit_record(
            actor=official,
            household=home,
            policy_id="tien-dien",
            delivered_on=dt.date(2026, 1, 1) + dt.timedelta(days=day),
            amount_vnd=1,
        )
    page = _page(client, "HB-3")
    assert f"{SHOWN} dòng mới nhất trong {SHOWN + 1} dòng của hộ" in page and 'id="benefits-more"' in page
