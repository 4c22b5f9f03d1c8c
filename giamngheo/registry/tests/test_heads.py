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
