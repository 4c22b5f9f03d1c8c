"""Thin views: read through selectors (which scope by area), render, nothing else."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..accounts.access import (
    can_change_registry,
    can_read_unit,
    can_record_benefit,
    can_record_visit,
    can_write_unit,
    communes_visible_to,
    is_self_or_admin,
    policy_work,
    roles_of,
    sees_incomes,
    sees_personal_ids,
    visible_unit_ids,
)
from ..accounts.services import active_user
from ..accounts.throttle import RateLimited
from ..core import clock
from ..core.audit import audit
from ..core.errors import ServiceError
from ..core.masking import mask_event_data
from ..core.selectors import events_by_actor, events_for_object
from ..core.words import pick
from ..geo.selectors import unit_get, villages_of
from ..policies.selectors import SHOWN, benefits_of, benefits_total, household_findings, policy_name
from ..registry import selectors as registry
from ..registry.classify import explain_household
from ..registry.services import household_update, village_create
from ..review import selectors as review_selectors
from ..review.statuses import latest_by_household
from ..standards.contract import CATEGORY_LABELS
from ..standards.params import load_standard
from .downloads import frame_download
from .forms import HouseholdForm
from .policy_views import reasons_shown

PAGE_SIZE = 50


@login_required
def home(request):
    communes = communes_visible_to(request.user)
    agency, norm_provinces = policy_work(request.user)
    context = {
        "communes": communes,
        "roles": roles_of(request.user),
        # an agency officer's policies by their names (the tester saw the raw id "bhyt")
        "agency": [(unit, [policy_name(p) for p in policies]) for unit, policies in agency],
        "norm_provinces": norm_provinces,
        # reports and the dashboard read an area: a user who reads none (an agency officer) gets 404 there
        "reads_area": visible_unit_ids(request.user) != set(),
    }
    return render(request, "web/home.html", context)


def _status_words(latest: tuple[str, dt.date] | None) -> tuple[str, dt.date | None]:
    """(category in the reader's words, since when) of a recognised status; "not recognised" without one."""
    if latest is None:
        return _("Chưa công nhận"), None
    return pick(*CATEGORY_LABELS[latest[0]]), latest[1]


def _standard_title(standard) -> str:
    """ "chuẩn nghèo đa chiều giai đoạn 2027-2030", to follow "Phân loại theo" in a sentence."""
    title = pick(standard.title_vi, standard.title_en)
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


STATUS_CHOICES = (("", "Mọi hiện trạng", "Any status"), *((c, *CATEGORY_LABELS[c]) for c in CATEGORY_LABELS))


def _status_choices() -> list[tuple[str, str]]:
    """The status filter's choices in the reader's words, "not recognised" last."""
    return [(code, pick(vi, en)) for code, vi, en in STATUS_CHOICES] + [
        (review_selectors.NOT_RECOGNISED, _("Chưa công nhận"))
    ]


def _listed_households(request, unit_id: int):
    """The list's households as its filters keep them: (households, query, village, status, error, http status)."""
    query = request.GET.get("q", "")
    village, status = request.GET.get("thon", ""), request.GET.get("tinh_trang", "")
    if status not in {code for code, _ in _status_choices()}:
        status = ""
    search_error, http_status = None, 200
    try:
        households = registry.household_list(request.user, unit_id=unit_id, query=query, village=village)
    except ServiceError as exc:  # an id search by a masked role, too many of them, an overlong text
        search_error, http_status = exc.text(), (429 if isinstance(exc, RateLimited) else 400)
        households = registry.household_list(request.user, unit_id=unit_id, village=village)
        query = query[:100]
    households = review_selectors.households_by_status(households, status, clock.today())
    return households, query, village, status, search_error, http_status


@login_required
def household_list(request, unit_id: int):
    if not can_read_unit(request.user, unit_id):
        raise Http404
    unit = unit_get(unit_id)
    households, query, village, status, search_error, http_status = _listed_households(request, unit_id)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = registry.with_heads(page.object_list)
    recognised = latest_by_household([h.pk for h in page.object_list], clock.today())
    for h in page.object_list:
        h.status_label, h.status_since = _status_words(recognised.get(h.pk))  # type: ignore[attr-defined]
    template = "web/_household_rows.html" if request.htmx else "web/household_list.html"
    filters = urlencode({k: v for k, v in (("q", query), ("thon", village), ("tinh_trang", status)) if v})
    return render(
        request,
        template,
        {
            "unit": unit,
            "page": page,
            "q": query,
            "village": village,
            "status": status,
            "filters": filters,
            "status_choices": _status_choices(),
            "villages": villages_of(unit),
            "show_income": sees_incomes(request.user),
            "can_write": can_write_unit(request.user, unit),
            "can_change": can_change_registry(request.user, unit),
            "search_error": search_error,
        },
        status=http_status,
    )


@login_required
def household_list_download(request, unit_id: int, fmt: str):
    """The household list as its filters keep it, every row, as .xlsx or .csv (text that looks like a
    formula stays text; incomes only for those who see them); who downloaded what is audited."""
    if fmt not in ("xlsx", "csv") or not can_read_unit(request.user, unit_id):
        raise Http404
    unit = unit_get(unit_id)
    households, *_ = _listed_households(request, unit_id)
    frame = review_selectors.household_list_frame(households, clock.today(), with_income=sees_incomes(request.user))
    audit(request.user, "household_list.download", unit, rows=frame.height, filters=request.GET.urlencode()[:200])
    return frame_download(frame, f"danh-sach-ho-{unit.code}.{fmt}", sheet="Danh sach ho")


@login_required
@require_POST
def village_add(request, unit_id: int):
    if not can_write_unit(request.user, unit_id):
        raise Http404
    try:
        village = village_create(
            actor=request.user,
            commune=unit_get(unit_id),
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", "village"),
        )
        messages.success(request, _("Đã thêm %(village)s") % {"village": village.name})
    except ServiceError as exc:
        messages.error(request, exc.text())
    return redirect("household_list", unit_id=unit_id)


@login_required
def household_detail(request, household_id: str):
    household = registry.household_get(request.user, household_id)
    lang = "en" if request.LANGUAGE_CODE == "en" else "vi"
    show_ids = request.GET.get("so-dinh-danh") == "1" and sees_personal_ids(request.user)
    if show_ids:
        audit(request.user, "national_id.view", household, via="web")
    # explained under the standard of the round behind the status shown, so the two agree (#13)
    status = review_selectors.latest_status_of(household, clock.today())
    status_round = status.review_round if status else None
    standard = review_selectors.round_standard_of(status_round).standard if status_round else None
    explanation = explain_household(household, standard=standard.id if standard else "auto", lang=lang)
    latest = (status.category, status.valid_from) if status else None
    members = registry.household_members(household)
    return render(
        request,
        "web/household_detail.html",
        {
            "show_ids": show_ids,
            "may_show_ids": sees_personal_ids(request.user),
            "show_income": sees_incomes(request.user),
            "household": household,
            "members": members,
            "can_change": household.is_active and can_change_registry(request.user, household.unit_id),
            "can_edit": household.is_active and can_write_unit(request.user, household.unit_id),
            "can_read_commune": can_read_unit(request.user, household.unit_id),  # a helper reads no commune list
            "can_visit": household.is_active and can_record_visit(request.user, household),
            "departures": registry.household_departures(household),
            "history": registry.household_history(household),
            "explanation": explanation,
            "status_round": status_round,
            "explained_under": _standard_title(standard or load_standard(explanation.standard_id)),
            "status": _status_words(latest),
            # the register's facts today may no longer give the recognised category (a decision brought in
            # with no Form B, or facts edited since): said, so the page does not contradict itself silently
            "differs_from_status": bool(latest and explanation.category and explanation.category != latest[0]),
            "benefits": (benefits := benefits_of(household)),
            "benefits_total": benefits_total(household) if len(benefits) >= SHOWN else len(benefits),
            "can_record_benefit": household.is_active and can_record_benefit(request.user, household.unit_id),
            **_support_findings(household, members),
            "status_from_decision": status is not None and status.from_decision,
        },
    )


def _support_findings(household, members) -> dict:
    """The household's policies eligible today and not received in their period, and its flags (wrong
    target, overlap), as the unit's lists read them (`policies.selectors.household_findings`)."""
    found = household_findings(household, clock.today())
    names = {m.member_id: m.full_name or m.member_id for m in members}

    def rows(frame, *fields):
        return [
            {**{f: r.get(f) for f in fields}, "member": names.get(r.get("member_id") or "", r.get("member_id") or "")}
            for r in frame.to_dicts()
        ]

    missing: dict[str, dict] = {}  # by policy: its name, who is missing it, and why for each
    for row in rows(found.missing, "policy_id", "reason"):
        entry = missing.setdefault(row["policy_id"], {"policy_name": policy_name(row["policy_id"]), "rows": []})
        entry["rows"].append(row)
    wrong = rows(found.wrong_target, "policy_id", "delivered_on", "reason")
    overlaps = rows(found.overlaps, "first_policy", "first_on", "second_policy", "second_on", "group")
    for row in wrong:
        row["policy_name"] = policy_name(row["policy_id"])
    for row in overlaps:
        row["first_name"], row["second_name"] = policy_name(row["first_policy"]), policy_name(row["second_policy"])
    return {
        "missing": list(missing.values()),
        "wrong_targets": wrong,
        "overlaps": overlaps,
        "reasons_shown": reasons_shown(),
    }


@login_required
def household_edit(request, household_id: str):
    """Edit a household's facts; a save based on an old version is refused, never merged silently."""
    household = registry.household_get(request.user, household_id)
    if not can_write_unit(request.user, household.unit_id):
        raise Http404
    if request.method == "POST":
        form = HouseholdForm(request.POST, instance=registry.household_get(request.user, household_id))
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                household_update(
                    actor=request.user, household=household, expected_version=form.cleaned_data["version"], **changes
                )
            except ServiceError as exc:
                messages.error(request, exc.text())
                fresh = registry.household_get(request.user, household_id)
                form = HouseholdForm(instance=fresh, initial={"version": fresh.version})
            else:
                messages.success(request, _("Đã lưu"))
                return redirect("household_detail", household_id=household_id)
    else:
        form = HouseholdForm(instance=household, initial={"version": household.version})
    return render(request, "web/household_edit.html", {"household": household, "form": form})


@login_required
def household_audit(request, household_id: str):
    """Who changed, viewed or exported this household, and when (read-only)."""
    household = registry.household_get(request.user, household_id)
    events = list(events_for_object(household))
    for event in events:  # province and national viewers see incomes and ids masked here too
        event.data = mask_event_data(
            event.data, show_ids=sees_personal_ids(request.user), show_incomes=sees_incomes(request.user)
        )
    return render(
        request,
        "web/audit.html",
        {
            "title": _("Nhật ký hộ %(id)s") % {"id": household.household_id},
            "events": events,
            "history": registry.household_history(household),
            "household": household,
        },
    )


@login_required
def user_audit(request, username: str):
    """A user's own actions: for that user, and for administrators."""
    subject = active_user(username)
    if subject is None or not is_self_or_admin(request.user, subject):
        raise Http404
    return render(
        request,
        "web/audit.html",
        {
            "title": _("Nhật ký người dùng %(name)s") % {"name": subject.username},
            "events": events_by_actor(subject),
            "history": [],
        },
    )
