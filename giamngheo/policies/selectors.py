"""What a household received, for its page: the ledger's rows newest first with their policy's name,
a reversed delivery and its reversal each shown as such (nothing netted away out of sight)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..core.words import pick
from .catalogue import PolicyError, load_policy
from .models import Benefit

SHOWN = 50  # a household's page lists its latest deliveries; the ledger keeps every one


@dataclass(frozen=True)
class Received:
    policy_id: str
    policy_name: str
    delivered_on: dt.date
    member_name: str
    quantity: Decimal
    amount_vnd: int
    evidence: str
    eligible_at_delivery: bool
    reversed: bool  # a later row reverses this one
    is_reversal: bool


def _policy_name(policy_id: str) -> str:
    try:
        policy = load_policy(policy_id)
    except PolicyError:  # a policy whose file was withdrawn: its id, as recorded
        return policy_id
    return pick(policy.name_vi, policy.name_en)


def benefits_of(household, limit: int = SHOWN) -> list[Received]:
    """The household's latest `limit` ledger rows (its members' too), in one query."""
    rows = (
        Benefit.objects.filter(household=household)
        .select_related("member")
        .order_by("-delivered_on", "-pk")
        .values(
            "pk",
            "policy_id",
            "delivered_on",
            "member__full_name",
            "member__member_id",
            "quantity",
            "amount_vnd",
            "evidence",
            "eligible_at_delivery",
            "reverses_id",
            "reversed_by__pk",
        )[:limit]
    )
    return [
        Received(
            policy_id=r["policy_id"],
            policy_name=_policy_name(r["policy_id"]),
            delivered_on=r["delivered_on"],
            member_name=r["member__full_name"] or r["member__member_id"] or "",
            quantity=r["quantity"],
            amount_vnd=r["amount_vnd"],
            evidence=r["evidence"],
            eligible_at_delivery=r["eligible_at_delivery"],
            reversed=r["reversed_by__pk"] is not None,
            is_reversal=r["reverses_id"] is not None,
        )
        for r in rows
    ]
