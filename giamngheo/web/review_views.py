"""Pages of the commune's review: thin over review.services (writes) and review.selectors (reads)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from giamngheo.core import clock

from ..accounts.access import can_read_unit, can_write_unit, may_choose_round_standard, roles_of
from ..accounts.models import Role
from ..core.errors import AccessDenied, ServiceError
from ..geo.selectors import unit_get
from ..registry.selectors import household_members
from ..registry.services.households import StaleEditError
from ..review import selectors, services
from ..review.codes import CAUSES, NEEDS
from ..review.models import RoundStep
from ..standards.contract import DISABILITY, EDUCATION_LEVELS, EMPLOYMENT, MEMBER_BY_NAME, label_vi
from ..standards.formats import parse_date_vi
from ..standards.rounds import round_standard_choices
from .forms import MEETING_FORM_MAX, HouseholdForm, VietnameseDateField, meeting_form

MEMBER_BOOLS = ("in_school", "has_health_insurance", "social_allowance", "stunted", "underweight")
MEMBER_CODES = {"highest_education": EDUCATION_LEVELS, "employment": EMPLOYMENT, "disability": DISABILITY}


def _round(request, round_id: int, write: bool = False):
    """The round if the user may see it (and change it, for `write`); otherwise 404, no hint."""
    review_round = selectors.round_get(request.user, round_id)
    if write and not can_write_unit(request.user, review_round.commune_id):
        raise Http404
    return review_round


def _fail(request, exc: ServiceError) -> None:
    messages.error(request, str(exc))


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
            messages.error(request, "Ngày tham chiếu không hợp lệ (dd/mm/yyyy) / invalid reference date")
        except ServiceError as exc:
            _fail(request, exc)
    return render(
        request,
        "web/review/rounds.html",
        {
            "commune": commune,
            "rounds": selectors.rounds_of(request.user, unit_id),
            "can_open": can_write_unit(request.user, unit_id),
            "today": clock.today(),
        },
    )


@login_required
def round_detail(request, round_id: int):
    review_round = _round(request, round_id)
    roles = roles_of(request.user)
    return render(
        request,
        "web/review/round.html",
        {
            "round": review_round,
            "listed": selectors.listed_of(review_round),
            "can_write": can_write_unit(request.user, review_round.commune_id),
            "is_chair": bool(roles & {Role.COMMUNE_CHAIR, Role.ADMIN}),
            "job": selectors.latest_job(review_round),
            "steps": RoundStep.choices,
            "may_download": selectors.may_download_papers(request.user),
            "complaints": selectors.complaints_of(review_round),
            "posting_verified": services.POSTING_DAYS_VERIFIED,
            "standard_use": selectors.round_standard_of(review_round),
            "standard_choices": round_standard_choices(review_round.reference_date),
            "may_choose_standard": may_choose_round_standard(request.user, review_round.commune_id)
            and review_round.step in (RoundStep.LISTING, RoundStep.SURVEYING),
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
        messages.success(request, "Đã ghi chuẩn nghèo của đợt / the round's standard is recorded")
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def round_advance(request, round_id: int):
    review_round = _round(request, round_id, write=True)
    try:
        start = request.POST.get("posting_start")
        services.round_advance(
            actor=request.user,
            review_round=review_round,
            from_step=request.POST.get("step", ""),
            posting_start=parse_date_vi(start) if start else None,
        )
    except ValueError:
        messages.error(request, "Ngày không hợp lệ (dd/mm/yyyy) / invalid date")
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def form_a(request, round_id: int, listed_id: int):
    review_round = _round(request, round_id, write=True)
    try:
        services.form_a_record(
            actor=request.user,
            listed=selectors.listed_get(review_round, listed_id),
            passes=request.POST.get("passes") == "1",
        )
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


def _form_b_fields(members) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for m in members:
        for name in MEMBER_BOOLS:
            fields[f"{m.member_id}__{name}"] = forms.NullBooleanField(
                required=False, widget=forms.NullBooleanSelect, label=MEMBER_BY_NAME[name].label_vi
            )
        for name, codes in MEMBER_CODES.items():
            fields[f"{m.member_id}__{name}"] = forms.ChoiceField(
                required=name != "disability",
                choices=[("", "—")] + [(c, label_vi(c, name)) for c in codes],
                label=MEMBER_BY_NAME[name].label_vi,
            )
    fields["causes"] = forms.MultipleChoiceField(
        required=False, choices=list(CAUSES.items()), widget=forms.CheckboxSelectMultiple
    )
    fields["needs"] = forms.MultipleChoiceField(
        required=False, choices=list(NEEDS.items()), widget=forms.CheckboxSelectMultiple
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
    members = list(household_members(household))
    extra = type("FormB", (forms.Form,), _form_b_fields(members))
    if request.method == "POST":
        facts = HouseholdForm(request.POST, instance=household)
        details = extra(request.POST, request.FILES)
        if facts.is_valid() and details.is_valid():
            member_facts = {
                m.member_id: {
                    name: details.cleaned_data[f"{m.member_id}__{name}"] for name in (*MEMBER_BOOLS, *MEMBER_CODES)
                }
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
                messages.success(request, "Đã lưu Phiếu B / Form B saved")
                return render(
                    request,
                    "web/review/form_b_result.html",
                    {
                        "round": review_round,
                        "listed": listed,
                        "standard_use": selectors.round_standard_of(review_round),
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
        initial = {
            f"{m.member_id}__{name}": getattr(m, name) for m in members for name in (*MEMBER_BOOLS, *MEMBER_CODES)
        }
        initial.update(causes=listed.causes, needs=listed.needs, gps=listed.gps)
        details = extra(initial=initial)
    rows = [(m, [details[f"{m.member_id}__{name}"] for name in (*MEMBER_CODES, *MEMBER_BOOLS)]) for m in members]
    return render(
        request,
        "web/review/form_b.html",
        {
            "round": review_round,
            "listed": listed,
            "facts": facts,
            "details": details,
            "member_rows": rows,
            "standard_use": selectors.round_standard_of(review_round),
        },
    )


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
            messages.success(request, "Đã lưu kết quả họp dân / meeting recorded")
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
        },
    )


@login_required
@require_POST
def recognise(request, round_id: int):
    review_round = _round(request, round_id, write=True)
    try:
        services.round_recognise(
            actor=request.user,
            review_round=review_round,
            decision_number=request.POST.get("decision_number", ""),
            decision_date=parse_date_vi(request.POST.get("decision_date", "")),
        )
        messages.success(request, "Đã công nhận / recognised")
    except ValueError:
        messages.error(request, "Ngày quyết định không hợp lệ / invalid decision date")
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
    """Sổ theo dõi hộ nghèo: each household's status history, with the transitions."""
    if not can_read_unit(request.user, unit_id):
        raise Http404
    from ..review.transitions import LABELS

    rows = [(s, LABELS.get(s.transition, s.transition)) for s in selectors.register_of(request.user, unit_id)]
    return render(request, "web/review/register.html", {"commune": unit_get(unit_id), "rows": rows})


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
        messages.success(request, "Đã ghi nhận giấy đề nghị / request recorded")
    except ValueError:
        messages.error(request, "Ngày không hợp lệ (dd/mm/yyyy) / invalid date")
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("household_detail", household_id=household_id)


@login_required
@require_POST
def complaint_add(request, round_id: int, listed_id: int):
    review_round = _round(request, round_id, write=True)
    try:
        services.complaint_record(
            actor=request.user,
            listed=selectors.listed_get(review_round, listed_id),
            received_on=parse_date_vi(request.POST.get("received_on", "")),
            content=request.POST.get("content", ""),
        )
    except ValueError:
        messages.error(request, "Ngày không hợp lệ (dd/mm/yyyy) / invalid date")
    except (ServiceError, AccessDenied) as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def complaint_recheck(request, round_id: int, complaint_id: int):
    review_round = _round(request, round_id, write=True)
    complaint = selectors.complaints_of(review_round).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    try:
        services.complaint_recheck(
            actor=request.user,
            complaint=complaint,
            recheck_on=parse_date_vi(request.POST.get("recheck_on", "")),
            outcome=request.POST.get("outcome", ""),
            upheld=request.POST.get("upheld") == "1",
        )
    except ValueError:
        messages.error(request, "Ngày không hợp lệ (dd/mm/yyyy) / invalid date")
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("round_detail", round_id=round_id)
