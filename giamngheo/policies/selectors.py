"""Reads of the ledger for the pages: what a household received (newest first, a reversed delivery and
its reversal each shown as such, nothing netted away out of sight), what it is eligible for and missed,
its flags, and a unit's ledger a page at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

import polars as pl
from django.core.cache import cache
from django.db.models import Q, QuerySet

from ..accounts.access import ALL, Scope, ledger_reach
from ..core.errors import AccessDenied
from ..core.text import vi_sort_key
from ..core.words import pick
from ..geo.models import AdminUnit
from ..geo.selectors import communes_under
from ..standards.params import standard_in_force
from . import findings
from .catalogue import Policy, PolicyError, catalogue, catalogue_digest, load_policy
from .eligibility import Register, eligibility_of
from .models import Benefit, Loan, LoanCheck

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
    pk: int = 0
    loan_pk: int | None = None  # a loan's terms (its use is checked against them)
    note: str = ""  # a reversal's reason (required when reversing, so shown by the row)


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
            "loan__pk",
            "note",
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
            pk=r["pk"],
            loan_pk=r["loan__pk"],
            note=r["note"],
        )
        for r in rows
    ]


def benefits_total(household) -> int:
    """How many ledger rows the household has (its page lists the latest `SHOWN` and says so)."""
    return Benefit.objects.filter(household=household).count()


def policy_choices() -> list[tuple[str, str]]:
    """(id, name in the reader's language) of every policy, in Vietnamese alphabetical order."""
    named = [(pid, pick(p.name_vi, p.name_en)) for pid, p in catalogue().items()]
    return sorted(named, key=lambda item: vi_sort_key(item[1]))


def is_loan(policy: Policy) -> bool:
    return policy.fact("unit") == "loan"


@dataclass(frozen=True)
class HouseholdFindings:
    """A household's page: policies it (a member) is eligible for today with nothing received in the
    period (`findings.missing`), and its flags: deliveries not to the eligible (`findings.wrong_of`)
    and two policies of one group within its window (`findings.overlap_pairs`). Frames of `findings`."""

    missing: pl.DataFrame
    wrong_target: pl.DataFrame
    overlaps: pl.DataFrame


FINDINGS_SECONDS = 3600  # bounded by the cache's size too; a stale entry cannot be served (what was read is the key)


def household_findings(household, on: dt.date) -> HouseholdFindings:
    """`findings`' gaps, wrong targets and overlaps for one household on `on`, by the same rules and
    functions as the lists, in four reads whatever the number of policies and deliveries: the
    decisions, the ids, the members (once for every policy, `eligibility.Register`) and its ledger.
    Wrong targets are rechecked on each delivery day from the same decisions cut at that day.

    The answer is cached under everything it is computed from (the four reads' rows, the day, the
    catalogue and the standard in force), as the page's explanation is (`registry.classify`): a view
    whose reads did not change costs the four reads, not 13 policies' frames."""
    policies = catalogue()
    register = Register(on, household_pks=[household.pk])
    benefits = findings.household_benefits(household.pk, list(policies), delivered_on__lte=on)
    key = _findings_key(register, benefits, on)
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = _household_findings(policies, register, benefits, on)
    cache.set(key, result, FINDINGS_SECONDS)
    return result


def _findings_key(register: Register, benefits: pl.DataFrame, on: dt.date) -> str:
    """The four reads (the members read now, as a member policy would), the day, the catalogue and the
    standard whose working age a member condition uses."""
    frames = (register.history, register.codes, register.members, benefits)
    digest = hashlib.sha256(repr([(f.columns, f.rows()) for f in frames]).encode())
    std = standard_in_force(on)
    return f"findings:{catalogue_digest()}:{std.id}:{std.version}:{on.isoformat()}:{digest.hexdigest()}"


def _household_findings(
    policies: dict[str, Policy], register: Register, benefits: pl.DataFrame, on: dt.date
) -> HouseholdFindings:
    gaps = [
        findings.missing(p, on, register.eligible(p), benefits).frame.with_columns(pl.lit(pid).alias("policy_id"))
        for pid, p in policies.items()
    ]
    wrong = []
    for pid, policy in policies.items():
        rows = benefits.filter(pl.col("policy_id") == pid)
        if rows.height:
            wrong.append(findings.wrong_of(policy, rows, partial(_eligible_on, register, policy)))
    pairs = findings.overlap_pairs(benefits, findings.exclusivity_groups(on))
    return HouseholdFindings(
        missing=pl.concat(gaps, how="diagonal_relaxed"),
        wrong_target=pl.concat(wrong, how="diagonal_relaxed") if wrong else pl.DataFrame(),
        overlaps=pairs,
    )


def _eligible_on(register: Register, policy: Policy, day: dt.date, _household_pks: list[int]) -> pl.DataFrame:
    return register.as_of(day).eligible(policy)


def eligible_then(household, policy_id: str, member_pk: int | None, on: dt.date) -> tuple[bool, str]:
    """Whether `household` (its member) is eligible for `policy_id` on `on`, and why in words: what
    `services.benefit_record` will keep on the row, shown before it is recorded."""
    policy = load_policy(policy_id)
    rows = eligibility_of([household.pk], policy, on)
    if policy.member_level:
        rows = rows.filter(pl.col("member_pk") == member_pk)
    if rows.is_empty():
        return False, ""
    return True, str(rows.get_column("reason")[0])


def benefit_of(household, benefit_pk: int) -> Benefit | None:
    """One ledger row of `household` (whose page the caller may see), with its loan if any."""
    return Benefit.objects.select_related("household").filter(household=household, pk=benefit_pk).first()


def ledger_of(
    scope: Scope, *, policy_id: str = "", start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet:
    """The ledger of the scope's communes, newest first, reversals included (a unit's ledger page:
    paged by the caller; values with the household and member ids and who recorded it)."""
    rows = Benefit.objects.filter(household__unit_id__in=scope.commune_ids)
    if policy_id:
        rows = rows.filter(policy_id=policy_id)
    if start:
        rows = rows.filter(delivered_on__gte=start)
    if end:
        rows = rows.filter(delivered_on__lte=end)
    return rows.order_by("-delivered_on", "-pk").values(
        "pk",
        "policy_id",
        "delivered_on",
        "household__household_id",
        "member__member_id",
        "member__full_name",
        "quantity",
        "amount_vnd",
        "evidence",
        "eligible_at_delivery",
        "reverses_id",
        "reversed_by__pk",
        "recorded_by__username",
        "note",
    )


def policy_name(policy_id: str) -> str:
    return _policy_name(policy_id)


def loan_of(benefit: Benefit) -> Loan | None:
    """A loan benefit's terms (None for any other benefit)."""
    return Loan.objects.filter(benefit=benefit).first()


def loan_checks(loan: Loan) -> list[LoanCheck]:
    return list(LoanCheck.objects.filter(loan=loan).select_related("recorded_by").order_by("-checked_on", "-pk"))


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
