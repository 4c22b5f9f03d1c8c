"""Policy endpoints (issue #16 item 7): the catalogue, eligibility on a date, the benefit ledger, what it
reveals, and recording one benefit. Thin over `policies` (listing, selectors, services, norms); the
scope is `accounts.access` as everywhere (an agency officer: its own policies in its own units).

No `from __future__ import annotations`: ninja reads a paginated view's parameter types through the
pagination wrapper, where `dt` is not defined."""

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ..accounts.access import sees_personal_ids
from ..core import clock
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from ..core.words import pick
from ..geo.selectors import unit_by_code
from ..policies import listing
from ..policies import selectors as ledger_selectors
from ..policies.catalogue import Policy, PolicyError, catalogue, load_policy
from ..policies.norms import NormValue, norm_of, province_values
from ..policies.services import LoanTerms, benefit_record
from ..registry.selectors import household_member
from ..standards.params import Parameter
from .policy_schemas import BenefitIn, BenefitOut, EligibleOut, FindingOut, PolicyOut, PolicySummary
from .schemas import Error
from .scopes import scope_of

router = Router(tags=["policies"])
NOT_FOUND = {404: Error}


def _pagination():
    from .api import BoundedPagination, _in_language

    return BoundedPagination, _in_language


def _words(exc: Exception) -> str:
    return _pagination()[1](exc)


def _policy(policy_id: str) -> Policy:
    try:
        return load_policy(policy_id)
    except PolicyError as exc:
        raise HttpError(404, pick(f"Không có chính sách '{policy_id}'", f"no policy '{policy_id}'")) from exc


def _unit(code: str):
    unit = unit_by_code(code)
    if unit is None:
        raise HttpError(404, pick(f"Không có đơn vị '{code}'", f"unknown unit '{code}'"))
    return unit


def _values(parameter: Parameter, source: str = "national") -> list[dict]:
    return [
        _value(NormValue(start, v, parameter.reference, parameter.confidence, parameter.note, source))
        for start, v in parameter.values
    ]


def _value(v: NormValue) -> dict:
    return {
        "valid_from": v.valid_from,
        "value": v.value,
        "reference": v.reference,
        "confidence": v.confidence,
        "verified": v.verified,
        "note": v.note,
        "source": v.source,
        "set_by": v.set_by,
    }


def _summary(p: Policy) -> dict:
    return {
        "id": p.id,
        "name_vi": p.name_vi,
        "name_en": p.name_en,
        "sector": p.fact("sector"),
        "target": p.target,
        "unit": p.fact("unit"),
        "periodicity": p.fact("periodicity"),
        "unverified": len(p.unverified()),
    }


@router.get(
    "/policies",
    description=scope_of("/policies"),
    response=list[PolicySummary],
    summary="The catalogue of support policies",
)
def list_policies(request: HttpRequest):
    return [_summary(p) for p in catalogue().values()]


@router.get(
    "/policies/{policy_id}",
    description=scope_of("/policies/{policy_id}"),
    response={200: PolicyOut, **NOT_FOUND},
    summary="One policy with its dated facts, eligibility and norms (a province's own, with `province`)",
)
def get_policy(request: HttpRequest, policy_id: str, province: str | None = None, on: dt.date | None = None):
    policy = _policy(policy_id)
    when = on or clock.today()
    unit = _unit(province) if province else None
    if unit is not None and unit.level != "province":
        raise HttpError(404, pick(f"'{province}' không phải một tỉnh", f"'{province}' is not a province"))

    def facts(group: dict[str, Parameter]) -> list[dict]:
        return [{"name": name, "values": _values(p)} for name, p in group.items()]

    norms = []
    for name, norm in policy.norms.items():
        row = norm_of(policy, name, when, unit)
        norms.append(
            {
                "name": name,
                "national": _values(norm.national),
                "province": [_value(v) for v in province_values(policy, name, unit)] if unit is not None else [],
                "applies": _value(row.applies),
            }
        )
    return {
        **_summary(policy),
        "facts": facts(policy.facts),
        "eligibility": facts(policy.eligibility),
        "norms": norms,
        "exclusivity": facts(policy.exclusivity),
    }


def _rows_seen(request: HttpRequest, frame: pl.DataFrame, unit, policy_id: str) -> list[dict]:
    """Rows with full national ids are an id view: audited, as the household page's."""
    if sees_personal_ids(request.user) and "national_id" in frame.columns and frame.height:
        audit(request.user, "national_id.view", unit, via="api", policy=policy_id, rows=frame.height)
    dates = [c for c, t in frame.schema.items() if t == pl.Date]
    return frame.with_columns(*(pl.col(c).cast(pl.String) for c in dates)).to_dicts()


def _listing_error(exc: Exception):
    if isinstance(exc, AccessDenied):
        return exc
    return HttpError(400, _words(exc))


@router.get(
    "/policies/{policy_id}/eligible",
    description=scope_of("/policies/{policy_id}/eligible"),
    response={200: list[EligibleOut], **NOT_FOUND, 400: Error},
    summary="Who is eligible for a policy in a unit on a date, with the reason in words",
)
@paginate(_pagination()[0], page_size=100)
def policy_eligible(request: HttpRequest, policy_id: str, unit: str, on: dt.date | None = None):
    policy, where = _policy(policy_id), _unit(unit)
    try:
        frame = listing.eligible_list(request.user, policy_id=policy.id, unit=where, on=on or clock.today())
    except (ServiceError, PolicyError) as exc:
        raise _listing_error(exc) from exc
    return _rows_seen(request, frame.select(listing.FILE_COLUMNS), where, policy.id)


@router.get(
    "/policies/{policy_id}/findings/{kind}",
    description=scope_of("/policies/{policy_id}/findings/{kind}"),
    response={200: FindingOut, **NOT_FOUND, 400: Error},
    summary="What the ledger reveals: gaps, wrong_target or overlaps of a policy in a unit around a date",
)
def policy_findings(request: HttpRequest, policy_id: str, kind: str, unit: str, on: dt.date | None = None):
    if kind not in listing.FINDINGS:
        raise HttpError(404, pick(f"Không có loại '{kind}'", f"no kind '{kind}' (use {', '.join(listing.FINDINGS)})"))
    policy, where, when = _policy(policy_id), _unit(unit), on or clock.today()
    try:
        found = listing.finding_list(request.user, kind=kind, policy_id=policy.id, unit=where, on=when)
    except (ServiceError, PolicyError) as exc:
        raise _listing_error(exc) from exc
    return {
        "kind": kind,
        "policy": policy.id,
        "unit": where.code,
        "on": when,
        "note_vi": str(found.note),
        "note_en": getattr(found.note, "en", ""),
        "rows": _rows_seen(request, found.frame, where, policy.id),
    }


# the ledger selector's fields, as read; these five are renamed or converted for the API
RENAMED = ("pk", "household__household_id", "member__member_id", "quantity", "reverses_id")


def _benefit_out(r: dict[str, Any]) -> dict:
    return {
        "id": r["pk"],
        "household_id": r["household__household_id"],
        "member_id": r["member__member_id"],
        **{k: r[k] for k in ledger_selectors.LEDGER_FIELDS if k not in RENAMED},
        "quantity": float(r["quantity"]),
        "reverses": r["reverses_id"],
    }


class LedgerRows:
    """A lazily paged ledger: ninja slices the query, only the page's rows are read."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [_benefit_out(r) for r in self.queryset[page]]


@router.get(
    "/benefits",
    description=scope_of("/benefits"),
    response={200: list[BenefitOut], **NOT_FOUND, 400: Error},
    summary="The benefit ledger of a unit or of one household, oldest first (reversals as their own rows)",
)
@paginate(_pagination()[0], page_size=50)
def list_benefits(
    request: HttpRequest,
    unit: str | None = None,
    household: str | None = Query(None, max_length=40),
    policy: str | None = None,
):
    if not unit and not household:
        raise HttpError(400, pick("Cần unit hoặc household", "give unit or household"))
    if policy:
        _policy(policy)
    rows = ledger_selectors.ledger(
        request.user, unit=_unit(unit) if unit else None, household_id=household, policy_id=policy
    )
    return LedgerRows(rows)


@router.post(
    "/benefits",
    description=scope_of("/benefits"),
    response={201: BenefitOut, **NOT_FOUND, 400: Error, 403: Error},
    summary="Record one benefit a household (or member) received",
)
def create_benefit(request: HttpRequest, payload: BenefitIn):
    """An `Idempotency-Key` header makes the request safe to retry: the same key again answers with the row
    the first request wrote (`policies.services.benefit_record`'s `submission_key`), not a second row."""
    policy = _policy(payload.policy_id)
    home = ledger_selectors.household_in_reach(request.user, payload.household_id, policy.id)
    try:
        member = household_member(home, payload.member_id) if payload.member_id else None
        loan = (
            LoanTerms(
                payload.loan.term_months,
                Decimal(str(payload.loan.interest_percent_year)),
                payload.loan.declared_purpose,
            )
            if payload.loan
            else None
        )
        benefit = benefit_record(
            actor=request.user,
            household=home,
            member=member,
            policy_id=policy.id,
            delivered_on=payload.delivered_on,
            quantity=Decimal(str(payload.quantity)),
            amount_vnd=payload.amount_vnd,
            evidence=payload.evidence,
            funding_source=payload.funding_source,
            provider=payload.provider,
            period_start=payload.period_start,
            period_end=payload.period_end,
            loan=loan,
            submission_key=request.headers.get("Idempotency-Key", ""),
        )
    except AccessDenied as exc:  # a household the caller reads but may not record for: said, not hidden
        raise HttpError(403, _words(exc)) from exc
    except ServiceError as exc:
        raise HttpError(400, _words(exc)) from exc
    row = ledger_selectors.ledger(request.user, household_id=home.household_id).get(pk=benefit.pk)
    return Status(201, _benefit_out(row))
