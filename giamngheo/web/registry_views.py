"""The register's pages: add a household, add a member, record a member leaving, split, merge.

Thin: the page is for the commune's office (`access.can_change_registry`; anyone else gets 404, as
for a household they may not see), the form checks what was typed, a service decides and writes,
and its refusal is shown on the form.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..accounts.access import can_change_registry
from ..core.errors import AccessDenied, ServiceError
from ..geo.selectors import unit_get, village_choices
from ..registry import selectors as registry
from ..registry import services
from .registry_forms import (
    HouseholdAddForm,
    HouseholdMergeForm,
    HouseholdSplitForm,
    MemberAddForm,
    MemberLeaveForm,
    show_service_error,
)


def _page(request, form, *, title: str, back: str, submit: str, note: str = ""):
    context = {"form": form, "title": title, "back": back, "submit": submit, "note": note}
    return render(request, "web/registry_form.html", context)


def _household(request, household_id: str):
    """An active household the user may see and whose register they keep, else 404."""
    try:
        household = registry.household_get(request.user, household_id)
    except AccessDenied as exc:
        raise Http404 from exc
    if not (household.is_active and can_change_registry(request.user, household.unit_id)):
        raise Http404
    return household


def _write(form, write) -> bool:
    """Run the service; its refusal goes on the form."""
    try:
        write()
    except ServiceError as exc:
        show_service_error(form, exc)
        return False
    return True


@login_required
def household_add(request, unit_id: int):
    if not can_change_registry(request.user, unit_id):
        raise Http404
    unit = unit_get(unit_id)
    form = HouseholdAddForm(request.POST or None, villages=village_choices(unit))
    if request.method == "POST" and form.is_valid():
        fields = form.register_fields()
        if _write(form, partial(services.household_register, actor=request.user, unit=unit, **fields)):
            messages.success(request, _("Đã thêm hộ %(id)s") % {"id": fields["household_id"]})
            return redirect("household_detail", household_id=fields["household_id"])
    back = reverse("household_list", args=[unit.pk])
    return _page(request, form, title=_("Thêm hộ vào %(unit)s") % {"unit": unit.name}, back=back, submit=_("Thêm hộ"))


@login_required
def member_add(request, household_id: str):
    household = _household(request, household_id)
    has_head = any(m.relation_to_head == "head" for m in registry.household_members(household))
    initial = {"member_id": registry.next_member_id(household), "relation_to_head": "" if has_head else "head"}
    form = MemberAddForm(request.POST or None, initial=initial, has_head=has_head)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        if _write(form, partial(services.member_add, actor=request.user, household=household, **fields)):
            messages.success(request, _("Đã thêm thành viên %(id)s") % {"id": fields["member_id"]})
            return redirect("household_detail", household_id=household.household_id)
    title = _("Thêm thành viên vào hộ %(id)s") % {"id": household.household_id}
    back = reverse("household_detail", args=[household.household_id])
    return _page(request, form, title=title, back=back, submit=_("Thêm thành viên"))


@login_required
def member_leave(request, household_id: str, member_id: str):
    household = _household(request, household_id)
    try:
        member = registry.household_member(household, member_id)
    except AccessDenied as exc:
        raise Http404 from exc
    others = [m for m in registry.household_members(household) if m.pk != member.pk]
    successors = others if member.relation_to_head == "head" else []
    form = MemberLeaveForm(request.POST or None, successors=successors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        leave = partial(
            services.member_leave,
            actor=request.user,
            member=member,
            left_on=data["left_on"],
            reason=data["reason"],
            note=data["note"],
            new_head_member_id=data.get("new_head") or None,
        )
        if _write(form, leave):
            messages.success(request, _("Đã ghi nhận %(name)s rời hộ") % {"name": member.full_name or member.member_id})
            return redirect("household_detail", household_id=household.household_id)
    if not others:
        note = _("Đây là thành viên cuối cùng: hộ sẽ ngừng hoạt động (vẫn giữ trong lịch sử).")
    elif successors:
        note = _("Đây là chủ hộ: hãy chọn chủ hộ mới. Quan hệ với chủ hộ của các thành viên khác giữ như cũ.")
    else:
        note = ""
    title = _("%(name)s rời hộ %(id)s") % {"name": member.full_name or member.member_id, "id": household.household_id}
    back = reverse("household_detail", args=[household.household_id])
    return _page(request, form, title=title, back=back, submit=_("Ghi nhận rời hộ"), note=note)


@login_required
def household_split(request, household_id: str):
    household = _household(request, household_id)
    form = HouseholdSplitForm(request.POST or None, members=list(registry.household_members(household)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        split = partial(
            services.household_split,
            actor=request.user,
            household=household,
            member_ids=data["member_ids"],
            new_household_id=data["new_household_id"],
            head_member_id=data["head_member_id"],
        )
        if _write(form, split):
            messages.success(request, _("Đã tách hộ mới %(id)s") % {"id": data["new_household_id"]})
            return redirect("household_detail", household_id=data["new_household_id"])
    note = _("Hộ mới ở cùng xã, thông tin nhà ở ban đầu chép từ hộ này; ít nhất một thành viên phải ở lại.")
    back = reverse("household_detail", args=[household.household_id])
    title = _("Tách hộ %(id)s") % {"id": household.household_id}
    return _page(request, form, title=title, back=back, submit=_("Tách hộ"), note=note)


@login_required
def household_merge(request, household_id: str):
    household = _household(request, household_id)
    form = HouseholdMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target_id = form.cleaned_data["target_household_id"]
        try:
            target = registry.household_get(request.user, target_id)
        except AccessDenied:
            form.add_error("target_household_id", _("Không tìm thấy hộ %(id)s") % {"id": target_id})
        else:
            if _write(form, partial(services.household_merge, actor=request.user, source=household, target=target)):
                messages.success(
                    request, _("Đã nhập hộ %(id)s vào hộ %(target)s") % {"id": household_id, "target": target_id}
                )
                return redirect("household_detail", household_id=target.household_id)
    back = reverse("household_detail", args=[household.household_id])
    title = _("Nhập hộ %(id)s vào hộ khác") % {"id": household.household_id}
    return _page(request, form, title=title, back=back, submit=_("Nhập hộ"))
