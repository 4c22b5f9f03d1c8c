"""Thin views: read through selectors (which scope by area), render, nothing else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from ..accounts.access import can_read_unit, communes_visible_to, roles_of
from ..core.errors import AccessDenied
from ..geo.selectors import unit_get
from ..registry import selectors as registry

PAGE_SIZE = 50


@login_required
def home(request):
    communes = communes_visible_to(request.user)
    return render(request, "web/home.html", {"communes": communes, "roles": roles_of(request.user)})


@login_required
def household_list(request, unit_id: int):
    if not can_read_unit(request.user, unit_id):
        raise Http404
    unit = unit_get(unit_id)
    query = request.GET.get("q", "")
    page = Paginator(registry.household_list(request.user, unit_id=unit_id, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "web/_household_rows.html" if request.htmx else "web/household_list.html"
    return render(request, template, {"unit": unit, "page": page, "q": query})


@login_required
def household_detail(request, household_id: str):
    try:
        household = registry.household_get(request.user, household_id)
    except AccessDenied as exc:
        raise Http404 from exc
    return render(request, "web/household_detail.html", {
        "household": household,
        "members": registry.household_members(household),
        "history": registry.household_history(household),
    })
