"""One head a household: the member services refuse a second, and every reader agrees on who the head
is when old data has two (the payment file once paid such a household twice)."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.errors import ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.registry.models import Member
from giamngheo.registry.selectors import head_of, heads_of, with_heads
from giamngheo.registry.services import member_add, member_move, member_update
from giamngheo.review.models import ReviewRound, Status

pytestmark = pytest.mark.django_db
COMMUNE = "03880"


@pytest.fixture
def official():
    return user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="canbo")


def test_a_second_head_is_refused_by_add_update_and_move(official):
    home = household(official, "H1", COMMUNE)  # H1-1 head, H1-2 child
    other = household(official, "H2", COMMUNE)
    with pytest.raises(ServiceError) as refused:
        member_add(actor=official, household=home, member_id="H1-3", full_name="Lò Thị Em", relation_to_head="head")
    assert refused.value.field == "relation_to_head" and "Nguyễn Văn A" in refused.value.message_vi
    assert not Member.objects.filter(member_id="H1-3").exists()
    child = Member.objects.get(member_id="H1-2")
    with pytest.raises(ServiceError):
        member_update(actor=official, member=child, relation_to_head="head")
    with pytest.raises(ServiceError):
        member_move(
            actor=official, member=Member.objects.get(member_id="H2-2"), to_household=home, relation_to_head="head"
        )
    assert Member.objects.get(member_id="H2-2").household_id == other.pk
    # handing over is allowed: the old head first, then the new one
    member_update(actor=official, member=Member.objects.get(member_id="H1-1"), relation_to_head="parent")
    member_update(actor=official, member=child, relation_to_head="head")
    assert head_of(home).member_id == "H1-2"


def _second_head(home, member_id: str, name: str) -> None:
    """Data from before the refusal: written past the services on purpose."""
    Member.objects.create(
        household=home, member_id=member_id, full_name=name, relation_to_head="head", birth_date=dt.date(1990, 1, 1)
    )


def test_readers_agree_on_one_head_when_old_data_has_two():
    admin = system_user()
    home = household(admin, "H1", COMMUNE)
    _second_head(home, "H1-0", "Đinh Văn Trước")  # sorts before H1-1: the lowest member id heads
    assert head_of(home).member_id == "H1-0"
    assert heads_of([home.pk])[home.pk].member_id == "H1-0"
    assert with_heads([home])[0].head_name == "Đinh Văn Trước"


def test_the_payment_file_lists_a_household_with_two_heads_once():
    from giamngheo.exchange.exporting import partner_frame, unit_scope

    admin = system_user()
    home = household(admin, "H1", COMMUNE)
    _second_head(home, "H1-9", "Lò Văn Sau")
    review_round = ReviewRound.objects.create(
        commune=unit_by_code(COMMUNE), kind="periodic", reference_date=dt.date(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=home,
        category="poor",
        valid_from=dt.date(2025, 12, 20),
        review_round=review_round,
        decision_number="1/QĐ",
        transition="",
    )
    frame = partner_frame(admin, unit_scope(admin, unit_by_code(COMMUNE)), "payment")
    assert frame["household_id"].to_list() == ["H1"]
    assert frame["full_name"].to_list() == ["Nguyễn Văn A"]


def test_the_reports_take_the_same_head_as_the_pages_when_old_data_has_two():
    """The report set aggregates heads in SQL and the live reports pick them from a frame: both once
    took another head than the pages (the largest name, or the first in the order rows were read)."""
    import polars as pl

    from giamngheo.accounts.access import area_scope
    from giamngheo.reports.data import ReportData
    from giamngheo.reports.live import _household_groups, live_run
    from giamngheo.reports.period import parse_period

    admin = system_user()
    home = household(admin, "H1", COMMUNE)  # head Nguyễn Văn A (H1-1)
    Member.objects.filter(member_id="H1-1").update(ethnicity="01")  # Kinh
    _second_head(home, "H1-0", "An Văn Trước")  # written later, lower member id: the head by the rule
    first = Member.objects.get(member_id="H1-1")
    facts = ("employment", "has_health_insurance", "highest_education", "in_school")
    Member.objects.filter(member_id="H1-0").update(
        ethnicity="03", **{f: getattr(first, f) for f in facts}
    )  # an ethnic minority, with what the engine reads
    assert head_of(home).full_name == "An Văn Trước"
    period = parse_period("2026")
    scope = area_scope(admin, unit_by_code(COMMUNE), on=period.reference_date)
    row = ReportData(admin, scope, period).households.filter(pl.col("household_pk") == home.pk).row(0, named=True)
    assert (row["head_name"], row["ethnic_minority"]) == ("An Văn Trước", True)

    run = live_run(scope, "vn-2022-2025")
    assert not run.left_out, run.left_out_note()
    groups = _household_groups(run).filter(pl.col("household_id") == "H1")
    assert groups.get_column("ethnic_group").to_list() == ["Dân tộc thiểu số"]


def test_the_frame_rule_takes_the_lowest_member_id_whatever_the_row_order():
    import polars as pl

    from giamngheo.registry.frames import head_rows

    members = pl.DataFrame(
        {
            "household_id": ["H2", "H1", "H1", "H1"],
            "member_id": ["H2-1", "H1-5", "H1-2", "H1-3"],
            "relation_to_head": ["head", "head", "child", "head"],
        }
    )
    heads = head_rows(members).sort("household_id")
    assert heads.get_column("member_id").to_list() == ["H1-3", "H2-1"]
