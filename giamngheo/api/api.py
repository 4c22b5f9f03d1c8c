"""Endpoints: one per operation, typed, scoped through the selectors; errors are JSON."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate

from giamngheo.core import clock

from ..accounts.access import sees_incomes, sees_personal_ids
from ..accounts.throttle import RateLimited
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from ..core.masking import mask_national_id
from ..core.words import pick
from ..geo.selectors import successors, unit_by_code
from ..registry import selectors as registry
from ..registry.classify import explain_household
from ..reports import selectors as report_selectors
from ..review import selectors as review_selectors
from ..standards import UnknownStandardError
from .auth import AUTH, signed_in
from .schemas import (
    ClassificationOut,
    DeprivationStatistics,
    Error,
    HouseholdOut,
    HouseholdSummary,
    ListedOut,
    MemberList,
    MemberOut,
    RoundOut,
    StoredClassificationOut,
    SummaryRow,
    UnitOut,
)
from .scopes import scope_of
from .validation import validation_response


class BoundedPagination(PageNumberPagination):
    """Page numbers stay within what a database OFFSET can hold (a schemathesis run found 10^17)."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=1_000_000)


api = NinjaAPI(
    title="giamngheo API",
    version="1",
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=signed_in,
    description="Hộ nghèo, hộ cận nghèo / poor and near-poor households. "
    "Authorization: Bearer TOKEN (giamngheo token USERNAME).",
)

NOT_FOUND = {404: Error}


def _in_language(exc: Exception) -> str:
    """An error's message in the request's language (`?lang=en`, or the language the web user chose):
    a `ServiceError`'s half, an engine error's " / "-joined half (core.words, ADR 0008)."""
    if isinstance(exc, ServiceError):
        return exc.text()
    vi, _, en = str(exc).partition(" / ")
    return pick(vi, en)


@api.exception_handler(AccessDenied)
def _denied(request, exc: AccessDenied):
    # Outside the caller's units looks exactly like "not there": no data, no hint.
    return api.create_response(request, {"detail": pick("Không tìm thấy", "not found")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    # the one 422: each error in the request's language, naming its field (api/validation.py)
    return api.create_response(request, validation_response(list(exc.errors)), status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": pick("Cần đăng nhập", "sign in first")}, status=401)


def _member(member, full_ids: bool) -> dict:
    data = {f: getattr(member, f) for f in MemberOut.model_fields}
    data["national_id"] = member.national_id if full_ids else mask_national_id(member.national_id)
    return {k: (v if v != "" else None) for k, v in data.items()}


def _members_out(request: HttpRequest, household) -> list[dict]:
    """A household's members as the caller may see them; full national ids are a logged view."""
    full_ids = sees_personal_ids(request.user)
    members = list(registry.household_members(household))
    if full_ids and any(m.national_id for m in members):
        audit(request.user, "national_id.view", household, via="api")
    return [_member(m, full_ids) for m in members]


def _unit_or_404(code: str):
    unit = unit_by_code(code)
    if unit is None:
        raise HttpError(404, pick(f"Không có đơn vị '{code}'", f"unknown unit '{code}'"))
    return unit


@api.get(
    "/households",
    description=scope_of("/households"),
    response={200: list[HouseholdSummary], 400: Error, 403: Error, 429: Error},
    summary="Households the caller may see",
)
@paginate(BoundedPagination, page_size=50)
def list_households(request: HttpRequest, unit: str | None = None, q: str = ""):
    unit_id = _unit_or_404(unit).pk if unit else None
    try:
        households = registry.household_list(request.user, unit_id=unit_id, query=q)
    except AccessDenied as exc:  # an id search by a role that sees masked ids: refused, not "not found"
        raise HttpError(403, _in_language(exc)) from exc
    except RateLimited as exc:
        raise HttpError(429, _in_language(exc)) from exc
    except ServiceError as exc:
        raise HttpError(400, _in_language(exc)) from exc
    return HouseholdRows(households, sees_incomes(request.user))


class HouseholdRows:
    """A lazily paged list: ninja slices it, and only the page gets head names and sizes."""

    def __init__(self, queryset, show_income: bool):
        self.queryset, self.show_income = queryset, show_income

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        rows = registry.with_heads(self.queryset[page])
        return [
            {
                "household_id": h.household_id,
                "admin_code": h.unit.code,
                "unit_name": h.unit.name,
                "village": h.village_name or None,
                "head_name": h.head_name,
                "member_count": h.member_count,
                "income_per_capita_month": h.income_per_capita_month if self.show_income else None,
            }
            for h in rows
        ]


@api.get(
    "/households/{household_id}",
    description=scope_of("/households/{household_id}"),
    response={200: HouseholdOut, **NOT_FOUND},
)
def get_household(request: HttpRequest, household_id: str):
    household = registry.household_get(request.user, household_id)
    members = _members_out(request, household)
    fields = {
        f: getattr(household, f)
        for f in HouseholdOut.model_fields
        if f not in ("admin_code", "unit_name", "village", "members", "area")
    }
    fields = {k: (v if v != "" else None) for k, v in fields.items()}
    fields["address"] = household.address
    if not sees_incomes(request.user):  # masked for roles that work from categories and totals
        fields["income_per_capita_month"] = fields["income_score"] = None
    fields["floor_area_m2"] = float(household.floor_area_m2) if household.floor_area_m2 is not None else None
    return {
        **fields,
        "admin_code": household.unit.code,
        "unit_name": household.unit.name,
        "village": household.village_name or None,
        "area": household.effective_area,
        "members": members,
    }


@api.get(
    "/households/{household_id}/members",
    description=scope_of("/households/{household_id}/members"),
    response={200: MemberList, **NOT_FOUND},
)
def list_members(request: HttpRequest, household_id: str):
    return _members_out(request, registry.household_get(request.user, household_id))


@api.get(
    "/households/{household_id}/classification",
    description=scope_of("/households/{household_id}/classification"),
    response={200: ClassificationOut, **NOT_FOUND, 400: Error},
)
def get_classification(
    request: HttpRequest,
    household_id: str,
    standard: str = "auto",
    as_of: dt.date | None = None,
    lang: str = Query("vi", pattern="^(vi|en)$"),
):
    household = registry.household_get(request.user, household_id)
    when = as_of or clock.today()
    show_income = sees_incomes(request.user)
    try:
        result = explain_household(household, when=when, standard=standard, lang=lang)
    except UnknownStandardError as exc:
        raise HttpError(400, _in_language(exc)) from exc
    return {
        "household_id": household.household_id,
        "standard": result.standard_id,
        "as_of": when,
        "category": result.category,
        "explanation": result.text if show_income else result.category_label,
        "problems": result.problems if show_income else [],
    }


@api.get(
    "/units/{code}",
    description=scope_of("/units/{code}"),
    response={200: UnitOut, **NOT_FOUND},
    summary="Which unit a code was on a date",
)
def get_unit(request: HttpRequest, code: str, on: dt.date | None = None):
    when = on or clock.today()
    unit = unit_by_code(code, when)
    if unit is None:
        raise HttpError(404, pick(f"Không có đơn vị '{code}' ngày {when:%d/%m/%Y}", f"no unit '{code}' on {when}"))
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "unit_type": unit.unit_type,
        "area": unit.area,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "parent": unit.parent.name if unit.parent else None,
        "now": [f"{u.code} {u.name}" for u in successors(unit)],
    }


def _round_out(r) -> dict:
    return {
        "id": r.pk,
        "commune_code": r.commune.code,
        "commune_name": r.commune.name,
        "kind": r.kind,
        "reference_date": r.reference_date,
        "step": r.step,
        "posting_start": r.posting_start,
        "posting_end": r.posting_end,
        "decision_number": r.decision_number,
        "decision_date": r.decision_date,
        "listed": r.n_listed,
        "surveyed": r.n_done,
        **_round_standard_out(r),
    }


def _round_standard_out(r) -> dict:
    use = review_selectors.round_standard_of(r)
    return {
        "standard": use.standard.id,
        "standard_overridden": use.overridden,
        "standard_verified": use.verified,
        "standard_reason_vi": use.reason_vi,
        "standard_reason_en": use.reason_en,
    }


@api.get(
    "/rounds",
    description=scope_of("/rounds"),
    response=list[RoundOut],
    summary="Review rounds the caller may see, with progress",
)
@paginate(BoundedPagination, page_size=50)
def list_rounds(request: HttpRequest):
    return [_round_out(r) for r in review_selectors.round_progress(request.user)]


@api.get(
    "/rounds/{round_id}/households",
    description=scope_of("/rounds/{round_id}/households"),
    response={200: list[ListedOut], **NOT_FOUND},
)
def round_households(request: HttpRequest, round_id: int):
    review_round = review_selectors.round_get(request.user, round_id)
    return [
        {
            "household_id": item.household.household_id,
            "reason": item.reason,
            "state": item.state,
            "category": item.classification.category if item.classification else None,
            "deprivation_count": item.classification.deprivation_count if item.classification else None,
            "standard": item.classification.standard_id if item.classification else None,
        }
        for item in review_selectors.listed_of(review_round)
    ]


@api.get(
    "/households/{household_id}/classifications",
    description=scope_of("/households/{household_id}/classifications"),
    response={200: list[StoredClassificationOut], **NOT_FOUND},
    summary="Stored classification results of a household, newest first",
)
def stored_classifications(request: HttpRequest, household_id: str):
    household = registry.household_get(request.user, household_id)
    return [
        {
            "standard": c.standard_id,
            "standard_version": c.standard_version,
            "as_of": c.as_of,
            "category": c.category,
            "income_line": c.income_line,
            "deprivation_count": c.deprivation_count,
            "created_at": c.created_at,
        }
        for c in registry.classifications_of(household)
    ]


def _this_year() -> str:
    return str(clock.today().year)


@api.get(
    "/reports/summary",
    description=scope_of("/reports/summary"),
    response={200: list[SummaryRow], **NOT_FOUND, 400: Error},
    summary="Households and recognised poor / near-poor households per commune of a unit (report ket-qua)",
)
def report_summary(request: HttpRequest, unit: str, period: str | None = None):
    try:
        return report_selectors.summary_rows(request.user, unit, period or _this_year())
    except AccessDenied:
        raise
    except ServiceError as exc:
        raise HttpError(404 if exc.field == "unit" else 400, _in_language(exc)) from exc


@api.get(
    "/reports/deprivations",
    description=scope_of("/reports/deprivations"),
    response={200: DeprivationStatistics, **NOT_FOUND, 400: Error},
    summary="Alkire-Foster statistics of the engine run on a unit's registry (report mpi; k: the standard's own)",
)
def report_deprivations(request: HttpRequest, unit: str, period: str | None = None, k: str | None = None):
    try:
        result, used, _ = report_selectors.deprivation_statistics(request.user, unit, period or _this_year(), k)
    except AccessDenied:
        raise
    except ServiceError as exc:
        raise HttpError(404 if exc.field == "unit" else 400, _in_language(exc)) from exc
    except (ValueError, ArithmeticError) as exc:
        raise HttpError(400, pick("k không hợp lệ: ", "invalid k: ") + _in_language(exc)) from exc
    return {"k": k if k is not None else f"{used.numerator}/{used.denominator}", **result.as_dict()}


def _table_json(table) -> dict:
    return {
        "name": table.name,
        "title_vi": table.title_vi,
        "title_en": table.title_en,
        "scope": table.scope_vi,
        "period": table.period_vi,
        "columns": [
            {"key": c.key, "vi": c.vi, "en": c.en, "kind": c.kind, "group_vi": c.group_vi, "group_en": c.group_en}
            for c in table.columns
        ],
        "rows": [{("level" if k == "_level" else k): v for k, v in r.items()} for r in table.rows],
        "notes": table.notes,
    }


@api.get(
    "/reports/table/{name}",
    description=scope_of("/reports/table/{name}"),
    response={200: dict, **NOT_FOUND, 400: Error},
    summary="One report of the standard set for a unit and period (the numbers behind the page and files)",
)
def report_table(request: HttpRequest, name: str, unit: str, period: str, k: str | None = None, weights: str = "equal"):
    try:
        table = report_selectors.report_table(
            request.user,
            name,
            unit,
            period,
            k=k,
            with_chart=False,
            weighting="nested" if weights == "nested" else "equal",
        )
    except AccessDenied:
        raise
    except ServiceError as exc:
        raise HttpError(404 if exc.field in ("name", "unit") else 400, _in_language(exc)) from exc
    if name.startswith("danh-sach"):
        audit(request.user, "report.export", None, name=name, unit=unit, period=period, format="json")
    return _table_json(table)


@api.get(
    "/reports/whatif",
    description=scope_of("/reports/whatif"),
    response={200: dict, **NOT_FOUND, 400: Error},
    summary="Households per commune that would change category under another standard or edited thresholds",
)
def report_whatif(
    request: HttpRequest,
    unit: str,
    standard: str = "auto",
    income_line_rural: int | None = None,
    income_line_urban: int | None = None,
    deprivation_cutoff: int | None = None,
):
    overrides = {
        name: value
        for name, value in (
            ("income_line.rural", income_line_rural),
            ("income_line.urban", income_line_urban),
            ("deprivation_cutoff", deprivation_cutoff),
        )
        if value is not None
    }
    try:
        table, moves = report_selectors.whatif(request.user, unit, standard=standard, overrides=overrides)
    except AccessDenied:
        raise
    except ServiceError as exc:
        raise HttpError(404 if exc.field == "unit" else 400, _in_language(exc)) from exc
    return {**_table_json(table), "moves": moves.to_dicts()}


from .policy_api import router as policy_router  # noqa: E402  (after `api`: the router reads its pagination)

api.add_router("", policy_router)
