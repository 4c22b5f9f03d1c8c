"""Support pages (issue #16 items 5 and 7): a unit's lists of the eligible, of the gaps, wrong targets and
overlaps, and its ledger; on a household, recording a delivery, reversing a wrong one and checking a
loan's use. Thin: the lists come from `policies.listing` (scoped, masked, audited when downloaded), the
ledger's reads from `policies.selectors`, the writes from `policies.services`.

A unit is a commune or anything above it the user reads whole (`listing.unit_scope`; otherwise 404).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..accounts.access import can_record_benefit, policy_grants, sees_personal_ids
from ..core import clock
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from ..core.masking import masked_frame
from ..core.words import language, pick
from ..geo.models import AdminUnit
from ..geo.selectors import unit_get
from ..policies import listing, selectors, services
from ..policies.catalogue import load_policy
from ..registry import selectors as registry
from ..standards.contract import CATEGORY_LABELS
from ..standards.formats import date_vi, number_vi, vnd
from .policy_forms import BenefitForm, LedgerFilter, ListFilter, LoanCheckForm, ReverseForm
from .registry_forms import show_service_error

PER_PAGE = 50  # rows of a list on one page: 50 rows of reasons stay far below 300 KB
KINDS = {"chua-nhan": "gaps", "sai-doi-tuong": "wrong_target", "trung-lap": "overlaps"}
CATEGORY_WORDS = {**CATEGORY_LABELS, "newly_escaped": ("Mới thoát nghèo", "Newly escaped")}


def _unit(request, unit_id: int) -> AdminUnit:
    """The unit, if the user reads all of it, or all of it for one of their policies (an agency officer,
    `accounts.access.policy_unit_ids` as the API); else 404, as for a household they may not see.
    `request.policies` is then None (every policy) or the policies the user reads there."""
    try:
        unit = unit_get(unit_id)
    except AdminUnit.DoesNotExist as exc:
        raise Http404 from exc
    request.policies = _policies_in(request.user, unit)
    if request.policies == []:
        raise Http404
    if request.GET.get("chinh_sach"):  # another policy's list or ledger: as if there were no page
        _allowed(request, request.GET["chinh_sach"])
    return unit


def _policies_in(user, unit) -> list[str] | None:
    """None when the user reads the whole unit; else the policies whose scope covers it (maybe none)."""
    try:
        listing.unit_scope(user, unit)
    except AccessDenied:
        pass
    else:
        return None
    found = []
    for policy_id in sorted(policy_grants(user)):
        try:
            listing.unit_scope(user, unit, policy_id)
        except AccessDenied:
            continue
        found.append(policy_id)
    return found


def _allowed(request, policy_id: str) -> None:
    """A policy the user may not read in the unit is refused as if the page did not exist."""
    if request.policies is not None and policy_id not in request.policies:
        raise Http404


def _labels() -> dict[str, str]:
    return {
        "household_id": _("Mã hộ"),
        "member_id": _("Mã thành viên"),
        "national_id": _("Số định danh"),
        "category": _("Diện"),
        "reason": _("Lý do"),
        "policy_id": _("Chính sách"),
        "delivered_on": _("Ngày nhận"),
        "amount_vnd": _("Số tiền"),
        "evidence": _("Chứng từ"),
        "eligible_recorded": _("Đủ điều kiện khi ghi"),
        "eligible_rechecked": _("Đủ điều kiện khi kiểm tra lại"),
        "group": _("Nhóm"),
        "first_policy": _("Chính sách trước"),
        "first_on": _("Ngày nhận lần trước"),
        "second_policy": _("Chính sách sau"),
        "second_on": _("Ngày nhận lần sau"),
    }


def _cell(key: str, value) -> str:
    """A list's value as the page shows it (the file keeps the raw values)."""
    if value is None or value == "":
        return "—"
    if key == "category":
        return pick(*CATEGORY_WORDS[value]) if value in CATEGORY_WORDS else str(value)
    if key in ("policy_id", "first_policy", "second_policy"):
        return selectors.policy_name(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return date_vi(value)
    if key == "amount_vnd":
        return vnd(value)
    return str(value)


ID_COLUMNS = ("household_id", "member_id", "national_id")  # kept whole; other cells break where they must


class FramePage:
    """A Polars frame as Django's paginator reads a list: its length, and a slice as rows of cells."""

    def __init__(self, frame, columns: list[str], labels: dict[str, str]):
        self.frame, self.columns, self.labels = frame, columns, labels

    def __len__(self) -> int:
        return self.frame.height

    def __getitem__(self, part: slice) -> list[dict]:
        rows = self.frame.select(self.columns)[part].to_dicts()
        return [
            {
                "id": r["household_id"],
                "cells": [(self.labels.get(c, c), _cell(c, r[c]), c not in ID_COLUMNS) for c in self.columns],
            }
            for r in rows
        ]


def _with_today(request):
    """The list's query with today's date shown when none was typed (the list is of today), or None
    before a policy is chosen (the form alone)."""
    if not request.GET:
        return None
    query = request.GET.copy()
    if not query.get("ngay"):
        query["ngay"] = date_vi(clock.today())
    return query


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


def _list_page(request, unit, *, title: str, kind: str, form: ListFilter, read, download: list):
    """A list's page: the filter form, the errors at the top, the rows a page at a time, the files."""
    context: dict = {
        "unit": unit,
        "title": title,
        "form": form,
        "kind": kind,
        "query": _query_without_page(request),
        "tabs": _tabs(unit),
        "above": _above(request, unit),
    }
    if form.is_bound and form.is_valid():
        try:
            frame, note = read(form.cleaned_data)
        except ServiceError as exc:
            context["error"] = exc.text()
        else:
            # a household policy's list has no member or id: their empty columns are left out
            columns = [
                c
                for c in frame.columns
                if c not in ("member_id", "national_id") or frame.get_column(c).is_not_null().any()
            ]
            if not reasons_shown():
                columns.remove("reason")
            ids = "national_id" in columns
            show_ids = ids and request.GET.get("so-dinh-danh") == "1" and sees_personal_ids(request.user)
            if ids and not show_ids:  # masked as on the household page unless asked for (and audited)
                frame = masked_frame(frame, show_ids=False, show_incomes=True)
            labels = _labels()
            rows = FramePage(frame, columns, labels)
            page = Paginator(rows, PER_PAGE).get_page(request.GET.get("trang"))  # type: ignore[arg-type, var-annotated]
            if show_ids:
                shown = [row["id"] for row in page.object_list]
                audit(request.user, "national_id.view", unit, via="web", list=kind, households=shown)
            context.update(
                page=page,
                show_ids_link=ids and not show_ids and sees_personal_ids(request.user),
                agency=request.policies is not None,
                headers=[labels.get(c, c) for c in columns],
                note=note,
                reasons_left_out=not reasons_shown(),
                total=frame.height,
                downloads=[
                    (label, f"{reverse(download[0], args=[unit.pk, *download[1:], fmt])}?{request.GET.urlencode()}")
                    for label, fmt in (("Excel", "xlsx"), ("CSV", "csv"))
                ],
            )
    return render(request, "web/policies/list.html", context)


def _above(request, unit) -> AdminUnit | None:
    """The unit above (a commune's province) when the user reads it whole, for a link to its lists."""
    parent = unit.parent
    while parent is not None and parent.level != "province":
        parent = parent.parent
    if parent is None:
        return None
    try:
        listing.unit_scope(request.user, parent)
    except AccessDenied:
        return None
    return parent


def _tabs(unit) -> list[tuple[str, str, str]]:
    """The support pages of a unit, for the menu on each: (key, label, address)."""
    pk = unit.pk
    return [
        ("eligible", _("Đối tượng"), reverse("policy_eligible", args=[pk])),
        ("gaps", _("Chưa nhận"), reverse("policy_findings", args=[pk, "chua-nhan"])),
        ("wrong_target", _("Sai đối tượng"), reverse("policy_findings", args=[pk, "sai-doi-tuong"])),
        ("overlaps", _("Trùng lặp"), reverse("policy_findings", args=[pk, "trung-lap"])),
        ("ledger", _("Sổ hỗ trợ"), reverse("benefit_ledger", args=[pk])),
    ]


@login_required
def policy_eligible(request, unit_id: int):
    """Who in the unit is eligible for a policy on a date (past or today), and why."""
    unit = _unit(request, unit_id)
    form = ListFilter(_with_today(request), policies=request.policies)

    def read(data):
        frame = listing.eligible_list(request.user, policy_id=data["chinh_sach"], unit=unit, on=data["ngay"])
        return frame.select(listing.FILE_COLUMNS), None

    title = _("Đối tượng được hưởng chính sách")
    return _list_page(
        request, unit, title=title, kind="eligible", form=form, read=read, download=["policy_eligible_download"]
    )


def _file(frame_writer, name: str) -> FileResponse:
    """Write through `listing`'s writer (audited) into a temporary folder and send the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        frame_writer(path)
        content = path.read_bytes()
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@login_required
def policy_eligible_download(request, unit_id: int, fmt: str):
    """The whole list as .csv or .xlsx (`listing.eligible_export`: masked as the page, audited)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    unit = _unit(request, unit_id)
    form = ListFilter(request.GET or None, policies=request.policies)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    name = f"doi-tuong-{data['chinh_sach']}-{unit.code}-{data['ngay']:%Y%m%d}.{fmt}"
    try:
        return _file(
            lambda path: listing.eligible_export(
                actor=request.user, policy_id=data["chinh_sach"], unit=unit, on=data["ngay"], output=path
            ),
            name,
        )
    except ServiceError as exc:
        messages.error(request, exc.text())
        return redirect(f"{reverse('policy_eligible', args=[unit.pk])}?{request.GET.urlencode()}")


def _kind(slug: str) -> str:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _finding_titles() -> dict[str, str]:
    return {
        "gaps": _("Đủ điều kiện nhưng chưa nhận hỗ trợ"),
        "wrong_target": _("Hỗ trợ không đúng đối tượng"),
        "overlaps": _("Hỗ trợ trùng lặp"),
    }


@login_required
def policy_findings(request, unit_id: int, kind: str):
    """The gaps, wrong targets or overlaps of a unit around a date, with the note saying how it was read."""
    found_kind = _kind(kind)
    unit = _unit(request, unit_id)
    query = _with_today(request)
    if query is None and found_kind == "overlaps":  # no policy to choose first: today's overlaps at once
        query = QueryDict(mutable=True)
        query["ngay"] = date_vi(clock.today())
        if request.policies is not None:  # an agency officer's overlaps are those of its own policy
            query["chinh_sach"] = request.policies[0]
    form = ListFilter(query, policy_optional=found_kind == "overlaps", policies=request.policies)

    def read(data):
        found = listing.finding_list(
            request.user, kind=found_kind, policy_id=data["chinh_sach"] or None, unit=unit, on=data["ngay"]
        )
        return found.frame, found.note

    return _list_page(
        request,
        unit,
        title=_finding_titles()[found_kind],
        kind=found_kind,
        form=form,
        read=read,
        download=["policy_findings_download", kind],
    )


@login_required
def policy_findings_download(request, unit_id: int, kind: str, fmt: str):
    """The whole finding as .csv or .xlsx (`listing.finding_export`: the note as its last column)."""
    found_kind = _kind(kind)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    unit = _unit(request, unit_id)
    form = ListFilter(request.GET or None, policy_optional=found_kind == "overlaps", policies=request.policies)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    name = f"{kind}-{data['chinh_sach'] or 'tat-ca'}-{unit.code}-{data['ngay']:%Y%m%d}.{fmt}"
    try:
        return _file(
            lambda path: listing.finding_export(
                actor=request.user,
                kind=found_kind,
                policy_id=data["chinh_sach"] or None,
                unit=unit,
                on=data["ngay"],
                output=path,
            ),
            name,
        )
    except ServiceError as exc:
        messages.error(request, exc.text())
        return redirect(f"{reverse('policy_findings', args=[unit.pk, kind])}?{request.GET.urlencode()}")


def _ledger_filters(request) -> tuple[LedgerFilter, dict]:
    """The ledger's form and what it filters by: a user who reads the unit for some policies only (an
    agency officer) reads one of them at a time, the first unless chosen."""
    query = request.GET.copy()
    if request.policies is not None and not query.get("chinh_sach"):
        query["chinh_sach"] = request.policies[0]
    form = LedgerFilter(query or None, policies=request.policies)
    filters: dict = {"policy_id": query.get("chinh_sach", ""), "start": None, "end": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"policy_id": data["chinh_sach"], "start": data["tu_ngay"], "end": data["den_ngay"]}
    elif request.policies is not None and filters["policy_id"] not in request.policies:
        raise Http404
    return form, filters


@login_required
def benefit_ledger(request, unit_id: int):
    """The unit's ledger, newest first, reversals shown as such, filtered by policy and period."""
    unit = _unit(request, unit_id)
    form, filters = _ledger_filters(request)
    rows = selectors.ledger_of(listing.unit_scope(request.user, unit, filters["policy_id"] or None), **filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("trang"))
    for row in page.object_list:
        row["policy_name"] = selectors.policy_name(row["policy_id"])
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        # an agency officer reads no household page: its rows link to their reversal instead
        "agency": request.policies is not None,
        "downloads": [
            (label, f"{reverse('benefit_ledger_download', args=[unit.pk, fmt])}?{request.GET.urlencode()}")
            for label, fmt in (("Excel", "xlsx"), ("CSV", "csv"))
        ],
        "kind": "ledger",
        "query": _query_without_page(request),
        "tabs": _tabs(unit),
        "above": _above(request, unit),
    }
    return render(request, "web/policies/ledger.html", context)


LEDGER_FILE = {
    "delivered_on": "ngay_nhan",
    "household__household_id": "ma_ho",
    "policy_id": "chinh_sach",
    "member__member_id": "ma_thanh_vien",
    "quantity": "so_luong",
    "amount_vnd": "so_tien_vnd",
    "evidence": "chung_tu",
    "eligible_at_delivery": "dung_doi_tuong_khi_nhan",
    "reverses_id": "dao_but_toan_so",
    "note": "ly_do_dao",
    "recorded_by__username": "nguoi_ghi",
}


@login_required
def benefit_ledger_download(request, unit_id: int, fmt: str):
    """The filtered ledger as .csv or .xlsx through `listing.write_list` (formulas neutralised, ids as
    text, audited as the lists' files are)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    unit = _unit(request, unit_id)
    _form, filters = _ledger_filters(request)
    rows = selectors.ledger_of(listing.unit_scope(request.user, unit, filters["policy_id"] or None), **filters)
    schema = {name: pl.String for name in LEDGER_FILE.values()} | {
        "ngay_nhan": pl.Date,
        "so_tien_vnd": pl.Int64,
        "dung_doi_tuong_khi_nhan": pl.Boolean,
        "dao_but_toan_so": pl.Int64,
    }
    frame = pl.DataFrame(
        [
            {new: (str(r[old]) if old == "quantity" else r[old]) for old, new in LEDGER_FILE.items()}
            for r in rows.iterator()
        ],
        schema=schema,
    )
    name = f"so-ho-tro-{filters['policy_id'] or 'tat-ca'}-{unit.code}.{fmt}"
    return _file(
        lambda path: listing.write_list(
            request.user,
            frame,
            path,
            sheet="so-ho-tro",
            event="policies.ledger_export",
            unit=unit,
            policy=filters["policy_id"],
        ),
        name,
    )


def _recorder_household(request, household_id: str):
    """A household whose ledger the user keeps (`require_record_benefit`), else 404: one they see, or
    one in an agency officer's units for its policies (`selectors.household_in_reach`, as the API).
    `request.policies` is then None (every policy) or the policies the user records there."""
    user = request.user
    try:
        household = registry.household_get(user, household_id)
    except AccessDenied:
        household = _household_for_policies(user, household_id, sorted(policy_grants(user)))
    if can_record_benefit(user, household.unit_id):
        request.policies = None
    else:
        request.policies = [p for p in sorted(policy_grants(user)) if can_record_benefit(user, household.unit_id, p)]
    if request.policies == []:
        raise Http404
    return household


def _household_for_policies(user, household_id: str, policies: list[str]):
    for policy_id in policies:
        try:
            return selectors.household_in_reach(user, household_id, policy_id)
        except AccessDenied:
            continue
    raise Http404


def _back(request, household) -> str:
    """Where a recording returns: the household's page, or for who may not read it (an agency officer)
    the commune's ledger of its policy."""
    if request.policies is None:
        return f"{reverse('household_detail', args=[household.household_id])}#benefits"
    return reverse("benefit_ledger", args=[household.unit_id])


def reasons_shown() -> bool:
    """The reasons are written in Vietnamese (`policies.eligibility`, `policies.findings`): an English
    page leaves them out and says where to read them, so it stays in one language."""
    return language() != "en"


def _eligibility_words(eligible: bool, reason: str, day: dt.date) -> str:
    if eligible and not reasons_shown():
        return _("Đủ điều kiện ngày %(day)s") % {"day": date_vi(day)}
    if eligible:
        return _("Đủ điều kiện ngày %(day)s: %(reason)s") % {"day": date_vi(day), "reason": reason}
    return _("Không đủ điều kiện ngày %(day)s theo sổ theo dõi") % {"day": date_vi(day)}


@login_required
def benefit_add(request, household_id: str):
    """Record one delivery from the household's page (post, then back to the page: the row and whether
    the household was eligible that day, with the reason). "Kiểm tra" shows the eligibility first."""
    household = _recorder_household(request, household_id)
    if request.method == "POST" and request.POST.get("policy_id"):
        _allowed(request, request.POST["policy_id"])  # an agency officer records its own policies only
    members = registry.household_members(household)
    initial = {"quantity": 1, "amount_vnd": 0, "delivered_on": date_vi(clock.today())}
    form = BenefitForm(request.POST or None, members=members, initial=initial, policies=request.policies)
    checked = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        policy = load_policy(data["policy_id"])
        member = data["member"]
        if request.POST.get("step") == "check" and policy.member_level and member is None:
            form.add_error("member", _("Chính sách này dành cho thành viên: cần chọn thành viên"))
        elif request.POST.get("step") == "check":
            eligible, reason = selectors.eligible_then(
                household, policy.id, member.pk if member else None, data["delivered_on"]
            )
            checked = {"eligible": eligible, "words": _eligibility_words(eligible, reason, data["delivered_on"])}
        else:
            loan = None
            if selectors.is_loan(policy) and data["term_months"] and data["declared_purpose"]:
                loan = services.LoanTerms(
                    term_months=data["term_months"],
                    interest_percent_year=data["interest_percent_year"] or Decimal(0),
                    declared_purpose=data["declared_purpose"],
                )
            try:
                benefit = services.benefit_record(
                    actor=request.user,
                    household=household,
                    policy_id=policy.id,
                    delivered_on=data["delivered_on"],
                    member=member,
                    quantity=data["quantity"],
                    amount_vnd=data["amount_vnd"],
                    evidence=data["evidence"],
                    loan=loan,
                    submission_key=data.get("submission_key") or "",
                )
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                name = pick(policy.name_vi, policy.name_en)
                said = _eligibility_words(
                    benefit.eligible_at_delivery, benefit.eligibility_reason, benefit.delivered_on
                )
                messages.success(request, _("Đã ghi %(policy)s. %(eligible)s") % {"policy": name, "eligible": said})
                return redirect(_back(request, household))
    return render(
        request,
        "web/policies/benefit_form.html",
        {
            "household": household,
            "form": form,
            "checked": checked,
            "loan_fields": BenefitForm.LOAN_FIELDS,
            "loan_policies": [pid for pid, _name in selectors.policy_choices() if selectors.is_loan(load_policy(pid))],
        },
    )


def _benefit(household, benefit_id: int):
    benefit = selectors.benefit_of(household, benefit_id)
    if benefit is None:
        raise Http404
    return benefit


@login_required
def benefit_reverse(request, household_id: str, benefit_id: int):
    """Reverse a wrong entry, after its confirmation: the ledger answers it with the opposite row."""
    household = _recorder_household(request, household_id)
    benefit = _benefit(household, benefit_id)
    _allowed(request, benefit.policy_id)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_reverse(actor=request.user, benefit=benefit, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("Đã đảo bút toán"))
            return redirect(_back(request, household))
    return render(
        request,
        "web/policies/benefit_reverse.html",
        {
            "household": household,
            "benefit": benefit,
            "policy_name": selectors.policy_name(benefit.policy_id),
            "form": form,
        },
    )


@login_required
def loan_check(request, household_id: str, benefit_id: int):
    """Record a check of how a loan is used (kiểm tra sử dụng vốn vay)."""
    household = _recorder_household(request, household_id)
    benefit = _benefit(household, benefit_id)
    _allowed(request, benefit.policy_id)
    loan = selectors.loan_of(benefit)
    if loan is None:
        raise Http404
    form = LoanCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.loan_check_record(
                actor=request.user,
                loan=loan,
                checked_on=data["checked_on"],
                observed_use=data["observed_use"],
                conforms=data["conforms"],
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("Đã ghi kiểm tra sử dụng vốn vay"))
            return redirect(f"{reverse('household_detail', args=[household.household_id])}#benefits")
    return render(
        request,
        "web/policies/loan_check.html",
        {
            "household": household,
            "benefit": benefit,
            "loan": loan,
            "checks": selectors.loan_checks(loan),
            "policy_name": selectors.policy_name(benefit.policy_id),
            "form": form,
            "amount": vnd(benefit.amount_vnd),
            "rate": number_vi(float(loan.interest_percent_year), 2),
        },
    )
