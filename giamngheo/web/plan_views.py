"""The helpers' pages (issue #17 item 3): the households a helper follows, a visit recorded on a phone,
and a commune's households not visited for N days.

Thin: reads through `plans.selectors`, writes through `plans.services.visit_record`; who may record a
visit is `accounts.access.can_record_visit` (anyone else gets 404, as for a household they may not see).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..accounts.access import can_read_unit, can_record_visit
from ..core import clock
from ..core.errors import AccessDenied, ServiceError
from ..geo.selectors import unit_get
from ..plans import selectors
from ..plans.services import visit_record
from ..registry import selectors as registry
from .forms import VietnameseDateField
from .registry_forms import show_service_error


class VisitForm(forms.Form):
    visited_on = VietnameseDateField(label=gettext_lazy("Ngày thăm (dd/mm/yyyy)"))
    difficulties = forms.CharField(
        label=gettext_lazy("Khó khăn của hộ"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    actions = forms.CharField(
        label=gettext_lazy("Việc đã làm"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(
        label=gettext_lazy("Bước tiếp theo"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    benefit = forms.TypedChoiceField(
        label=gettext_lazy("Hỗ trợ đã trao trong lần thăm (nếu có)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, benefits: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["benefit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *benefits]


@login_required
def helper_households(request):
    """The households the signed-in user follows as a helper, the last visit of each, the overdue marked."""
    today = clock.today()
    mine = selectors.followed_households(request.user, on=today)
    late, days = selectors.overdue(mine, today)
    late_ids = set(late.values_list("pk", flat=True))
    rows = list(mine[:200])
    for h in rows:
        h.overdue = h.pk in late_ids
    return render(request, "web/helper_households.html", {"rows": rows, "days": days, "late": len(late_ids)})


@login_required
def visit_add(request, household_id: str):
    try:
        household = registry.household_get(request.user, household_id)
    except AccessDenied as exc:
        raise Http404 from exc
    if not (household.is_active and can_record_visit(request.user, household)):
        raise Http404
    form = VisitForm(
        request.POST or None,
        initial={"visited_on": clock.today().strftime("%d/%m/%Y")},
        benefits=selectors.benefit_choices(household),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        benefit = selectors.benefit_get(household, data["benefit"]) if data["benefit"] else None
        try:
            visit_record(
                actor=request.user,
                household=household,
                visited_on=data["visited_on"],
                difficulties=data["difficulties"],
                actions=data["actions"],
                next_step=data["next_step"],
                benefit=benefit,
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("Đã ghi lần thăm hộ %(id)s") % {"id": household.household_id})
            return redirect("helper_households")
    return render(
        request,
        "web/visit_form.html",
        {"form": form, "household": household, "visits": selectors.visits_of(request.user, household, limit=5)},
    )


@login_required
def visits_overdue(request, unit_id: int):
    """A commune's followed households with no visit for N days (`plans/data/theo-doi.yaml`)."""
    if not can_read_unit(request.user, unit_id):
        raise Http404
    today = clock.today()
    late, days = selectors.overdue(selectors.followed_households(request.user, on=today, unit_id=unit_id), today)
    return render(
        request,
        "web/visits_overdue.html",
        {"unit": unit_get(unit_id), "rows": list(late[:500]), "count": late.count(), "days": days},
    )
