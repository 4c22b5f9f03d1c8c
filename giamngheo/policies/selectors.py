"""What a household received, for its page: the ledger's rows newest first with their policy's name,
a reversed delivery and its reversal each shown as such (nothing netted away out of sight)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from ..accounts.access import ALL, ledger_reach
from ..core.errors import AccessDenied
from ..core.words import pick
from ..geo.models import AdminUnit
from ..geo.selectors import communes_under
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


LEDGER_FIELDS = (
    "pk",
    "household__household_id",
    "member__member_id",
    "policy_id",
    "delivered_on",
    "period_start",
    "period_end",
    "quantity",
    "amount_vnd",
    "funding_source",
    "provider",
    "evidence",
    "status_at_delivery",
    "eligible_at_delivery",
    "eligibility_reason",
    "source",
    "reverses_id",
    "recorded_at",
)


def _reach_filter(actor) -> tuple[Q | None, set[int] | None]:
    """(rows the actor reads, the communes of any of them); (None, ALL) for national roles."""
    visible, grants = ledger_reach(actor)
    if visible is ALL:
        return None, ALL
    where = Q(household__unit_id__in=visible)
    communes = set(visible)
    for policy, ids in grants.items():
        where |= Q(policy_id=policy, household__unit_id__in=ids)
        communes |= ids
    return where, communes


def ledger(
    actor,
    *,
    unit: AdminUnit | None = None,
    household_id: str | None = None,
    policy_id: str | None = None,
) -> QuerySet:
    """Ledger rows (values `LEDGER_FIELDS`, oldest first) of a unit the actor reads whole or of one
    household they read, as far as they read them: an agency officer sees its own policies only.
    A unit or household out of reach is refused like one that does not exist."""
    where, communes = _reach_filter(actor)
    rows = Benefit.objects.all() if where is None else Benefit.objects.filter(where)
    if unit is not None:
        from ..core import clock

        wanted = set(communes_under(unit, clock.today()).values_list("pk", flat=True))
        if communes is not ALL and not (wanted and wanted <= communes):
            raise AccessDenied()
        rows = rows.filter(household__unit_id__in=wanted)
    if household_id is not None:
        from ..registry.models import Household

        found = Household.objects.filter(household_id=household_id).values_list("unit_id", flat=True).first()
        if found is None or (communes is not ALL and found not in communes):
            raise AccessDenied()
        rows = rows.filter(household__household_id=household_id)
    if policy_id:
        rows = rows.filter(policy_id=policy_id)
    return rows.order_by("delivered_on", "pk").values(*LEDGER_FIELDS)


def household_in_reach(actor, household_id: str, policy_id: str):
    """The active household a benefit of `policy_id` would be recorded for, if the actor reads it for that
    policy (`accounts.access.policy_unit_ids`); else AccessDenied, as for one that does not exist."""
    from ..accounts.access import policy_unit_ids
    from ..registry.models import Household

    ids = policy_unit_ids(actor, policy_id)
    found = Household.objects.filter(household_id=household_id, is_active=True).select_related("unit").first()
    if found is None or (ids is not ALL and found.unit_id not in ids):
        raise AccessDenied("Không tìm thấy hộ hoặc không có quyền xem", "No such household, or not yours")
    return found
