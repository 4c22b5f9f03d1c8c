"""Pages of the commune's review: thin over review.services (writes) and review.selectors (reads)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from giamngheo.core import clock

from ..accounts.access import (
    can_assign_reviewers,
    can_read_unit,
    can_recognise,
    can_record_decision,
    can_survey,
    can_write_unit,
    may_choose_round_standard,
)
from ..accounts.selectors import reviewers_of, user_label
from ..core.errors import ServiceError
from ..core.words import language, pick
from ..geo.selectors import unit_get, villages_of
from ..registry.classify import explain_household
from ..registry.selectors import head_of, household_members, with_heads
from ..registry.services.households import StaleEditError
from ..review import selectors, services
from ..review.models import STEP_ORDER, RoundStep
from ..standards.asked import AGE_BOUND_QUESTIONS, asked_questions
from ..standards.contract import BOOL, CODE, COLUMN_LABELS_EN, FORM_B_MEMBER_FACTS, MEMBER_BY_NAME, label_en, label_vi
from ..standards.formats import number_vi, parse_date_vi
from ..standards.procedure import review_law
from ..standards.rounds import round_standard_choices
from .filters import ListedFilter, RegisterFilter
from .forms import MEETING_FORM_MAX, HouseholdForm, VietnameseDateField, meeting_form
from .tables import PER_PAGE, ListedTable, RegisterTable, WorklistTable

# Each member's Form B facts, from the contract (codes first on the page, then yes/no questions)
MEMBER_BOOLS = tuple(c.name for c in FORM_B_MEMBER_FACTS if c.kind == BOOL)
MEMBER_CODES = {c.name: c.codes for c in FORM_B_MEMBER_FACTS if c.kind == CODE}


def _round(request, round_id: int, write: bool = False):
    """The round if the user may see it (and change it, for `write`); otherwise 404, no hint."""
    review_round = selectors.round_get(request.user, round_id)
    if write and not can_write_unit(request.user, review_round.commune_id):
        raise Http404
    return review_round


def _fail(request, exc: ServiceError) -> None:
    messages.error(request, exc.text())


@login_required
def rounds(request, unit_id: int):
    if not can_read_unit(request.user, unit_id):
        raise Http404
    commune = unit_get(unit_id)
    if request.method == "POST":
        try:
            reference = parse_date_vi(request.POST.get("reference_date", ""))
            created = services.round_open(
                actor=request.user, commune=commune, kind=request.POST.get("kind", ""), reference_date=reference
            )
            return redirect("round_detail", round_id=created.pk)
        except ValueError:
            messages.error(request, _("Ngày tham chiếu không hợp lệ (dd/mm/yyyy)"))
        except ServiceError as exc:
            _fail(request, exc)
    return render(
        request,
        "web/review/rounds.html",
        {
            "commune": commune,
            "rounds": selectors.rounds_of(request.user, unit_id),
            "can_open": can_write_unit(request.user, unit_id),
            "can_record_decision": can_record_decision(request.user, unit_id),
            "today": clock.today(),
            "window": review_law().periodic_window(clock.today()),
            "regular_day": review_law().regular_review_day(clock.today()),
        },
    )


def _back(request) -> str:
    """The list's query string (filters, sort, page) a page opened from the list returns to: read from
    `tu` and re-encoded, so it can only ever be a query string of the round's own page."""
    return QueryDict(request.GET.get("tu") or request.POST.get("tu") or "").urlencode()


def _to_list(round_id: int, back: str):
    return redirect(reverse("round_detail", args=[round_id]) + (f"?{back}" if back else "") + "#listed")


def _next_step_label(review_round) -> str:
    index = STEP_ORDER.index(review_round.step)
    return RoundStep(STEP_ORDER[index + 1]).label if index + 1 < len(STEP_ORDER) else ""


CONFIRM = "xac_nhan"


def _confirmed(request) -> bool:
    """Irreversible steps need the confirmation box ticked (the page says what will happen)."""
    if request.POST.get(CONFIRM) == "1":
        return True
    messages.error(request, _("Cần đánh dấu ô xác nhận trước khi làm bước không quay lại được"))
    return False


@login_required
def round_detail(request, round_id: int):
    """The round's summary: what to do at this step first, counts per state and per village, then the
    list, paged, filtered and searchable."""
    review_round = _round(request, round_id)
    law, when = review_law(), review_round.reference_date
    can_write = can_write_unit(request.user, review_round.commune_id)
    may_assign = can_assign_reviewers(request.user, review_round.commune_id) and review_round.step in ASSIGN_STEPS
    reviewers = reviewers_of(review_round.commune_id)
    villages = villages_of(review_round.commune)
    filters = ListedFilter(request.GET or None, review_round=review_round, villages=villages, assignable=reviewers)
    table = ListedTable(filters.qs, exclude=() if may_assign else ("chon",))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    back = request.GET.urlencode()
    return render(
        request,
        "web/review/round.html",
        {
            "round": review_round,
            "table": table,
            "filters": filters,
            "filtered": any(v for k, v in request.GET.items() if k in filters.filters),
            "back": back,
            "counts": selectors.round_counts(review_round),
            "from_decision": selectors.decision_statuses_of(review_round)
            if review_round.step == RoundStep.CLOSED
            else 0,
            "can_write": can_write,
            "is_chair": can_recognise(request.user, review_round.commune_id),
            "is_surveyor": can_survey(request.user, review_round.commune_id),
            "job": selectors.latest_job(review_round),
            "steps": RoundStep.choices,
            "next_step": _next_step_label(review_round),
            "may_download": selectors.may_download_papers(request.user),
            "complaints": selectors.complaints_of(review_round),
            "posting_days": law.posting_working_days(when),
            "posting_verified": law.verified("posting_working_days"),
            "form_a_reasons": law.form_a_reasons(when),
            "form_a_verified": law.verified("form_a_criteria"),
            "standard_use": selectors.round_standard_of(review_round),
            "standard_choices": round_standard_choices(review_round.reference_date),
            "may_choose_standard": may_choose_round_standard(request.user, review_round.commune_id)
            and review_round.step in (RoundStep.LISTING, RoundStep.SURVEYING),
            "confirm": CONFIRM,
            "may_assign": may_assign,
            "reviewers": [(u.pk, user_label(u)) for u in reviewers],
            "villages": villages,
        },
    )


ASSIGN_STEPS = (RoundStep.LISTING, RoundStep.SURVEYING, RoundStep.MEETINGS, RoundStep.POSTING)


@login_required
@require_POST
def round_assign(request, round_id: int):
    """The commune's office gives a village's households, or the ones ticked on the list, to a reviewer
    (or takes them back: no reviewer chosen); back to the list as it was filtered."""
    review_round = _round(request, round_id)
    if not can_assign_reviewers(request.user, review_round.commune_id):
        raise Http404
    back = request.POST.get("tu", "")
    chosen, village = request.POST.get("nguoi", ""), request.POST.get("thon", "")
    reviewers = {str(u.pk): u for u in reviewers_of(review_round.commune_id)}
    try:
        if chosen and chosen not in reviewers:
            raise ServiceError("Hãy chọn một rà soát viên của xã", "Choose a reviewer of the commune", field="nguoi")
        ids = [int(v) for v in request.POST.getlist("ho") if v.isdigit()]
        by_village = request.POST.get("cach") == "thon"
        if by_village and not village.isdigit():
            raise ServiceError("Hãy chọn thôn", "Choose a village", field="thon")
        if not by_village and not ids:
            raise ServiceError("Hãy đánh dấu các hộ cần giao trong danh sách", "Tick the households to assign")
        done = services.listed_assign(
            actor=request.user,
            review_round=review_round,
            assignee=reviewers.get(chosen),
            village_id=int(village) if by_village else None,
            listed_ids=None if by_village else ids,
        )
        messages.success(request, _("Đã giao %(n)s hộ") % {"n": number_vi(done)})
    except ServiceError as exc:
        _fail(request, exc)
    url = reverse("round_detail", args=[round_id])
    return redirect(f"{url}?{QueryDict(back).urlencode()}#listed" if back else f"{url}#listed")


@login_required
def my_households(request, round_id: int):
    """A reviewer's worklist: the round's households still to survey that are theirs or no one's, with
    what each needs; optionally one village."""
    review_round = _round(request, round_id, write=True)
    rows = selectors.worklist_of(request.user, review_round)
    villages = villages_of(review_round.commune)
    chosen = request.GET.get("thon", "")
    if chosen.isdigit():
        rows = rows.filter(household__village_id=int(chosen))
    table = WorklistTable(rows)
    table.step = review_round.step
    table.form_a_reasons = tuple(review_law().form_a_reasons(review_round.reference_date))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "web/review/my_households.html",
        {
            "round": review_round,
            "table": table,
            "villages": villages,
            "thon": chosen,
            "done": selectors.worklist_done_by(request.user, review_round),
            "can_write": True,
            "back": "",
            "worklist": request.GET.urlencode(),
            "worklist_field": WORKLIST,
            "form_a_reasons": table.form_a_reasons,
        },
    )


@login_required
@require_POST
def round_standard(request, round_id: int):
    """A province official chooses the round's standard, with the reason (others: 404, no hint)."""
    review_round = _round(request, round_id)
    if not may_choose_round_standard(request.user, review_round.commune_id):
        raise Http404
    try:
        services.round_standard_set(
            actor=request.user,
            review_round=review_round,
            standard_id=request.POST.get("standard", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Đã ghi chuẩn nghèo của đợt"))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def round_advance(request, round_id: int):
    review_round = _round(request, round_id, write=True)
    if not _confirmed(request):
        return redirect("round_detail", round_id=round_id)
    try:
        start = request.POST.get("posting_start")
        services.round_advance(
            actor=request.user,
            review_round=review_round,
            from_step=request.POST.get("step", ""),
            posting_start=parse_date_vi(start) if start else None,
        )
    except ValueError:
        messages.error(request, _("Ngày không hợp lệ (dd/mm/yyyy)"))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def form_a(request, round_id: int, listed_id: int):
    """Form A's result, from the round's list or from the reviewer's worklist (`ve`: the worklist's
    query string), back to where it was recorded."""
    review_round = _round(request, round_id, write=True)
    passes = request.POST.get("passes") == "1"
    try:
        listed = services.form_a_record(
            actor=request.user, listed=selectors.listed_get(review_round, listed_id), passes=passes
        )
        words = _("Hộ %(household)s qua Phiếu A, chờ Phiếu B") if passes else _("Hộ %(household)s không qua Phiếu A")
        messages.success(request, words % {"household": listed.household.household_id})
    except ServiceError as exc:
        _fail(request, exc)
    if WORKLIST in request.POST:
        worklist = QueryDict(request.POST[WORKLIST]).urlencode()
        return redirect(reverse("my_households", args=[round_id]) + (f"?{worklist}" if worklist else ""))
    return _to_list(round_id, _back(request))


WORKLIST = "ve"  # a form sent from the worklist carries the worklist's query string (village, page) in it


def _column_label(name: str) -> str:
    return pick(MEMBER_BY_NAME[name].label_vi, COLUMN_LABELS_EN.get(name, ""))


def _member_questions(members, standard, when) -> dict[str, tuple[str, ...]]:
    """Each member's Form B facts (codes, then yes/no): a child's stunting and schooling only for the
    ages the round's standard reads them (`standards.asked`: no stunting asked of a 61-year-old)."""
    bound = asked_questions(standard, when, [(m.birth_date, m.birth_year) for m in members])
    return {
        m.member_id: tuple(n for n in (*MEMBER_CODES, *MEMBER_BOOLS) if n not in AGE_BOUND_QUESTIONS or n in own)
        for m, own in zip(members, bound, strict=True)
    }


def _form_b_fields(members, questions: dict[str, tuple[str, ...]], when) -> dict[str, forms.Field]:
    """Each member's questions, then causes and needs as listed on `when` (the round's date)."""
    fields: dict[str, forms.Field] = {}
    law = review_law()
    for m in members:
        for name in questions[m.member_id]:
            if name in MEMBER_CODES:
                fields[f"{m.member_id}__{name}"] = forms.ChoiceField(
                    required=MEMBER_BY_NAME[name].required,
                    choices=[("", "—")] + [(c, pick(label_vi(c, name), label_en(c, name))) for c in MEMBER_CODES[name]],
                    label=_column_label(name),
                )
            else:
                fields[f"{m.member_id}__{name}"] = forms.NullBooleanField(
                    required=False, widget=forms.NullBooleanSelect, label=_column_label(name)
                )
    fields["causes"] = forms.MultipleChoiceField(
        required=False, choices=list(law.causes(when, language()).items()), widget=forms.CheckboxSelectMultiple
    )
    fields["needs"] = forms.MultipleChoiceField(
        required=False, choices=list(law.needs(when, language()).items()), widget=forms.CheckboxSelectMultiple
    )
    fields["gps"] = forms.CharField(required=False, max_length=40)
    fields["surveyed_on"] = VietnameseDateField(required=False)
    return fields


@login_required
def form_b(request, round_id: int, listed_id: int):
    """Form B on a phone: the household's facts, each member's, causes and needs; then the result."""
    review_round = _round(request, round_id, write=True)
    listed = selectors.listed_get(review_round, listed_id)
    if not can_write_unit(request.user, review_round.commune_id):
        raise Http404
    household = listed.household
    back = _back(request)
    members = list(household_members(household))
    standard_use = selectors.round_standard_of(review_round)
    questions = _member_questions(members, standard_use.standard, review_round.reference_date)
    extra = type("FormB", (forms.Form,), _form_b_fields(members, questions, review_round.reference_date))
    if request.method == "POST":
        facts = HouseholdForm(request.POST, instance=household)
        details = extra(request.POST, request.FILES)
        if facts.is_valid() and details.is_valid():
            member_facts = {
                m.member_id: {name: details.cleaned_data[f"{m.member_id}__{name}"] for name in questions[m.member_id]}
                for m in members
            }
            household_facts = {k: v for k, v in facts.cleaned_data.items() if k != "version"}
            try:
                listed = services.form_b_record(
                    actor=request.user,
                    listed=listed,
                    household_facts=household_facts,
                    member_facts=member_facts,
                    causes=details.cleaned_data["causes"],
                    needs=details.cleaned_data["needs"],
                    surveyed_on=details.cleaned_data["surveyed_on"],
                    gps=details.cleaned_data["gps"],
                    expected_version=facts.cleaned_data["version"],
                )
                if request.FILES.get("photo"):
                    services.photo_attach(actor=request.user, listed=listed, photo=request.FILES["photo"])
                following = selectors.worklist_next(request.user, review_round, listed)
                result = listed.classification.get_category_display() if listed.classification else ""
                saved = _("Đã lưu Phiếu B hộ %(household)s: %(result)s") % {
                    "household": household.household_id,
                    "result": result,
                }
                if request.POST.get("tiep") == "1":
                    messages.success(request, saved)
                    if following is None:
                        messages.success(request, _("Đã hết hộ cần rà soát trong danh sách của bạn"))
                        return redirect("my_households", round_id=round_id)
                    return redirect(_form_b_url(review_round, following, back))
                messages.success(request, saved)
                return render(
                    request,
                    "web/review/form_b_result.html",
                    {
                        "round": review_round,
                        "listed": listed,
                        "following": following,
                        "following_url": _form_b_url(review_round, following, back) if following else "",
                        "back": back,
                        "standard_use": standard_use,
                        "explanation": _explanation(listed),
                    },
                )
            except StaleEditError as exc:
                _fail(request, exc)  # show what is saved now; the surveyor checks it and saves again
                household.refresh_from_db()
                facts = HouseholdForm(instance=household, initial={"version": household.version})
            except ServiceError as exc:
                _fail(request, exc)
    else:
        facts = HouseholdForm(instance=household, initial={"version": household.version})
        initial = {f"{m.member_id}__{name}": getattr(m, name) for m in members for name in questions[m.member_id]}
        initial.update(causes=listed.causes, needs=listed.needs, gps=listed.gps)
        details = extra(initial=initial)
    rows = [(m, [details[f"{m.member_id}__{name}"] for name in questions[m.member_id]]) for m in members]
    return render(
        request,
        "web/review/form_b.html",
        {
            "round": review_round,
            "listed": listed,
            "facts": facts,
            "details": details,
            "member_rows": rows,
            "causes_verified": review_law().verified("causes"),
            "needs_verified": review_law().verified("needs"),
            "back": back,
            "head": head_of(household),
            "left": selectors.worklist_of(request.user, review_round).count(),
            "standard_use": standard_use,
        },
    )


def _explanation(listed) -> str:
    """The saved result in words: as stored (Vietnamese, the record), or the same facts explained in English."""
    stored = listed.classification
    if stored is None or language() == "vi":
        return stored.explanation if stored else ""
    return explain_household(listed.household, when=stored.as_of, standard=stored.standard_id, lang="en").text


def _form_b_url(review_round, listed, back: str) -> str:
    url = reverse("form_b", args=[review_round.pk, listed.pk])
    return f"{url}?tu={QueryDict(back).urlencode()}" if back else url


@login_required
def meeting(request, round_id: int):
    """One village's meeting (`?thon=<village id>`; `thon=khac` for households with no village):
    its form lists only that village's surveyed households. Without `thon`: the villages waiting."""
    review_round = _round(request, round_id, write=True)
    chosen = request.GET.get("thon") or request.POST.get("thon")
    if not chosen:
        return render(
            request,
            "web/review/meeting.html",
            {"round": review_round, "villages": selectors.villages_to_meet(review_round)},
        )
    if chosen == "khac":
        village = None
    elif chosen.isdigit():
        village = selectors.village_get(review_round, int(chosen))
    else:
        raise Http404
    waiting = selectors.meeting_households(review_round, village)
    total = waiting.count()
    listed = list(waiting[:MEETING_FORM_MAX])
    with_heads([item.household for item in listed])  # a meeting knows a family by its head, not its code
    form_class = meeting_form(listed, village_named=village is not None, max_attendance=services.MAX_ATTENDANCE)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                actor=request.user,
                review_round=review_round,
                village=village,
                village_name=data.get("village_name", ""),
                held_on=data["held_on"],
                chair=data["chair"],
                front_supervisor=data["front_supervisor"],
                attendance=data["attendance"],
                agree={item.household.household_id: data[f"agree_{item.pk}"] for item in listed},
            )
            messages.success(request, _("Đã lưu kết quả họp dân"))
            return redirect("round_detail", round_id=round_id)
        except ServiceError as exc:
            _fail(request, exc)
    rows = [(item, form[f"agree_{item.pk}"]) for item in listed]
    return render(
        request,
        "web/review/meeting.html",
        {
            "round": review_round,
            "village": village,
            "thon": chosen,
            "form": form,
            "rows": rows,
            "total": total,
            "shown": len(listed),
            "majority": review_law().meeting_majority_percent(review_round.reference_date, review_round.kind),
            "majority_verified": review_law().verified("meeting_majority_percent", review_round.kind),
        },
    )


@login_required
@require_POST
def recognise(request, round_id: int):
    review_round = _round(request, round_id, write=True)
    if not _confirmed(request):
        return redirect("round_detail", round_id=round_id)
    try:
        services.round_recognise(
            actor=request.user,
            review_round=review_round,
            decision_number=request.POST.get("decision_number", ""),
            decision_date=parse_date_vi(request.POST.get("decision_date", "")),
        )
        messages.success(request, _("Đã công nhận"))
    except ValueError:
        messages.error(request, _("Ngày quyết định không hợp lệ"))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def documents(request, round_id: int):
    review_round = _round(request, round_id, write=True)
    try:
        services.documents_request(actor=request.user, review_round=review_round)
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
def job_progress(request, token: str):
    job = selectors.job_get(request.user, token)
    return render(
        request, "web/review/_job.html", {"job": job, "may_download": selectors.may_download_papers(request.user)}
    )


@login_required
def job_download(request, token: str):
    job = selectors.job_download(request.user, token)
    return FileResponse(
        open(job.file, "rb"),
        as_attachment=True,  # noqa: SIM115 (FileResponse closes it)
        filename=f"ra-soat-{job.review_round_id}.zip",
    )


@login_required
def progress(request):
    """Every commune's rounds the user may see, with progress (the province's overview)."""
    return render(request, "web/review/progress.html", {"rounds": selectors.round_progress(request.user)})


@login_required
def register(request, unit_id: int):
    """Sổ theo dõi hộ nghèo: each household's status history, with the transitions, a page at a time,
    filtered and searched; the whole filtered register downloads as Excel or CSV."""
    if not can_read_unit(request.user, unit_id):
        raise Http404
    filters = RegisterFilter(request.GET or None, actor=request.user, commune_id=unit_id)
    table = RegisterTable(filters.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "web/review/register.html",
        {"commune": unit_get(unit_id), "table": table, "filters": filters, "query": query.urlencode()},
    )


@login_required
def register_download(request, unit_id: int, fmt: str):
    """The register as the filters keep it, every row, as .xlsx or .csv (text that looks like a formula
    stays text); who downloaded what is audited."""
    from ..core.audit import audit
    from .downloads import frame_download

    if fmt not in ("xlsx", "csv") or not can_read_unit(request.user, unit_id):
        raise Http404
    commune = unit_get(unit_id)
    filters = RegisterFilter(request.GET or None, actor=request.user, commune_id=unit_id)
    frame = selectors.register_frame(filters.qs)
    audit(request.user, "register.download", commune, rows=frame.height, filters=request.GET.urlencode()[:200])
    return frame_download(frame, f"so-theo-doi-{commune.code}.{fmt}", sheet="So theo doi")


@login_required
@require_POST
def request_add(request, household_id: str):
    """Record a household's Mẫu 01 / Mẫu 04 request with its date and channel."""
    from ..registry.selectors import household_get

    household = household_get(request.user, household_id)
    if not can_write_unit(request.user, household.unit_id):
        raise Http404
    try:
        services.request_record(
            actor=request.user,
            household=household,
            form=request.POST.get("form", ""),
            received_on=parse_date_vi(request.POST.get("received_on", "")),
            channel=request.POST.get("channel", ""),
        )
        messages.success(request, _("Đã ghi nhận giấy đề nghị"))
    except ValueError:
        messages.error(request, _("Ngày không hợp lệ (dd/mm/yyyy)"))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("household_detail", household_id=household_id)


@login_required
def complaints(request, round_id: int, listed_id: int):
    """One household's complaints in the round, on a page of its own (opened from the list): the
    complaints and their re-checks, a form to record a new one during posting. A saved complaint
    returns to the list as it was filtered, with a message at the top."""
    review_round = _round(request, round_id)
    listed = selectors.listed_row_get(review_round, listed_id)
    can_write = can_write_unit(request.user, review_round.commune_id)
    back = _back(request)
    form_values = {"received_on": "", "content": ""}
    status = 200
    if request.method == "POST":
        if not can_write:
            raise Http404
        form_values = {"received_on": request.POST.get("received_on", ""), "content": request.POST.get("content", "")}
        try:
            services.complaint_record(
                actor=request.user,
                listed=listed,
                received_on=parse_date_vi(form_values["received_on"]),
                content=form_values["content"],
            )
            messages.success(
                request,
                _("Đã ghi khiếu nại của hộ %(household)s; chờ phúc tra") % {"household": listed.household.household_id},
            )
            return _to_list(round_id, back)
        except ValueError:
            messages.error(request, _("Ngày nhận không hợp lệ (dd/mm/yyyy)"))
        except ServiceError as exc:
            _fail(request, exc)
        status = 400
    return render(
        request,
        "web/review/complaints.html",
        {
            "round": review_round,
            "listed": listed,
            "complaints": selectors.complaints_of_listed(listed),
            "can_write": can_write,
            "back": back,
            "values": form_values,
            "today": clock.today(),
        },
        status=status,
    )


@login_required
@require_POST
def complaint_recheck(request, round_id: int, complaint_id: int):
    review_round = _round(request, round_id, write=True)
    complaint = selectors.complaints_of(review_round).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    back = _back(request)
    try:
        upheld = request.POST.get("upheld") == "1"
        services.complaint_recheck(
            actor=request.user,
            complaint=complaint,
            recheck_on=parse_date_vi(request.POST.get("recheck_on", "")),
            outcome=request.POST.get("outcome", ""),
            upheld=upheld,
        )
        household_id = complaint.listed.household.household_id
        messages.success(
            request,
            (
                _("Đã ghi phúc tra hộ %(household)s: có cơ sở, hộ được rà soát lại (Phiếu B)")
                if upheld
                else _("Đã ghi phúc tra hộ %(household)s: không có cơ sở")
            )
            % {"household": household_id},
        )
    except ValueError:
        messages.error(request, _("Ngày không hợp lệ (dd/mm/yyyy)"))
    except ServiceError as exc:
        _fail(request, exc)
    url = reverse("complaints", args=[round_id, complaint.listed_id])
    return redirect(f"{url}?tu={QueryDict(back).urlencode()}" if back else url)
