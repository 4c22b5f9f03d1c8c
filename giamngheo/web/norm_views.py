"""A province's norms page (issue #16 item 7): each policy's norms with the national value, the
province's, their source and confidence (not V: unverified), and the form its official sets one with."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..accounts.access import can_read_province_norms, can_set_province_norms
from ..core import clock
from ..core.errors import ServiceError
from ..core.words import pick
from ..geo.selectors import unit_get
from ..policies.catalogue import catalogue
from ..policies.models import ProvinceNorm
from ..policies.norms import NormValue, norm_label, numeric_norm, province_norm_table
from ..policies.services import province_norm_set
from ..standards.formats import date_vi, number_vi, parse_date_vi, parse_decimal_vi, parse_dong_vi
from ..standards.params import CONFIDENCE_WORDS

SOURCES = {
    "national": ("Quy định trung ương", "National rule"),
    "province_yaml": ("Của tỉnh (danh mục)", "The province's (catalogue)"),
    "province_set": ("Của tỉnh (cán bộ tỉnh đặt)", "The province's (set by its official)"),
}


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
UNITS = (("percent", "%"), ("vnd", "đ"), ("kwh", "kWh"), ("months", ("tháng", "months")), ("m2", "m²"))


def unit_of(norm: str) -> str:
    """A norm's unit, read from its name as the catalogue names them (`_percent`, `_vnd`, `_months`…)."""
    for part, unit in UNITS:
        if part in norm.split("_"):
            return unit if isinstance(unit, str) else pick(*unit)
    return ""


def _shown(value: Any, unit: str = "") -> str:
    if value is None:
        return pick("chưa đọc được", "not read")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and ISO_DAY.fullmatch(value):  # a date norm, written in the YAML as text
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.date):
        return date_vi(value)
    if unit:
        return f"{_shown(value)} {unit}"
    if isinstance(value, int):
        return number_vi(value)
    if isinstance(value, float):
        return str(value).replace(".", ",") if pick("vi", "en") == "vi" else str(value)
    return str(value)


def _value(v: NormValue | None, unit: str = "") -> dict | None:
    if v is None:
        return None
    return {
        "value": _shown(v.value, unit),
        "since": date_vi(v.valid_from) if v.valid_from.year > 1900 else "",
        "reference": v.reference,
        "confidence": v.confidence,
        "confidence_words": pick(*CONFIDENCE_WORDS[v.confidence]),
        "verified": v.verified,
        "source": pick(*SOURCES[v.source]),
        "set_by": v.set_by,
    }


FIRST_YEAR, LAST_YEAR = 1945, 2100  # a date outside is a typo (the state's first year; far beyond any plan)


def typed_norm(norm: str, text: str) -> Decimal:
    """A norm's value as typed, read by its kind (the name says it: `_vnd`, `_percent`, `_months`):
    đồng as the record form reads them (1.500.000 or 1 500 000, never a decimal), a rate as 6,6 or
    6.6; a percent above 100 or a part of a month is refused as a typo."""
    if "vnd" in norm:
        try:
            return Decimal(parse_dong_vi(text))
        except ValueError as exc:
            raise ServiceError(
                "Số tiền là số nguyên đồng, viết như 1.500.000", "An amount is whole đồng, as 1.500.000", field="value"
            ) from exc
    try:
        number = parse_decimal_vi(text)
    except ValueError as exc:
        raise ServiceError(
            "Giá trị phải là số, viết như 6,6", "The value must be a number, as 6.6", field="value"
        ) from exc
    if "percent" in norm and not 0 <= number <= 100:
        raise ServiceError("Tỷ lệ phần trăm từ 0 đến 100", "A percentage is between 0 and 100", field="value")
    if "months" in norm and number != number.to_integral_value():
        raise ServiceError("Số tháng là số nguyên", "Months are a whole number", field="value")
    return number


def typed_day(text: str) -> dt.date:
    """The first day of a value (dd/mm/yyyy), between 1945 and 2100."""
    day = parse_date_vi(text)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ServiceError(
            f"Ngày áp dụng phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}",
            f"The first day must lie between {FIRST_YEAR} and {LAST_YEAR}",
            field="valid_from",
        )
    return day


@login_required
def province_norms(request, unit_id: int):
    """Readers of the whole province see the table; its official (or an administrator) sets a value."""
    try:
        province = unit_get(unit_id)
    except Exception as exc:  # an unknown id looks like one that is not the user's
        raise Http404 from exc
    if province.level != "province" or not can_read_province_norms(request.user, province):
        raise Http404
    may_set = can_set_province_norms(request.user, province)
    policies = list(catalogue().values())
    values: dict = {"valid_from": date_vi(clock.today()), "confidence": "V"}
    if request.method == "POST":
        if not may_set:
            raise Http404
        values = {k: request.POST.get(k, "").strip() for k in ("norm", "valid_from", "value", "reference", "note")}
        values["confidence"] = request.POST.get("confidence", "")
        policy_id, _sep, norm = values["norm"].partition(":")
        try:
            province_norm_set(
                actor=request.user,
                province=province,
                policy_id=policy_id,
                norm=norm,
                valid_from=typed_day(values["valid_from"]),
                value=typed_norm(norm, values["value"]),
                reference=values["reference"],
                confidence=values["confidence"],
                note=values["note"],
            )
        except ServiceError as exc:
            messages.error(request, exc.text())
        except ValueError:
            messages.error(request, _("Ngày áp dụng cần dạng dd/mm/yyyy"))
        else:
            messages.success(request, _("Đã ghi định mức của tỉnh."))
            return redirect("province_norms", unit_id=unit_id)
    rows = [
        {
            "policy": pick(r.policy.name_vi, r.policy.name_en),
            "policy_id": r.policy.id,
            "name": r.name,
            "label": pick(*norm_label(r.policy, r.name)),
            "unit": unit_of(r.name),
            "national": _value(r.national, unit_of(r.name)),
            "province": _value(r.province, unit_of(r.name)),
            "later": [_value(v, unit_of(r.name)) for v in r.later],
        }
        for r in province_norm_table(request.user, policies, province, clock.today())
    ]
    choices = [
        (
            f"{p.id}:{name}",
            f"{pick(p.name_vi, p.name_en)} · {pick(*norm_label(p, name))}",
        )
        for p in policies
        for name in p.norms
        if numeric_norm(p, name)
    ]
    context = {
        "province": province,
        "rows": rows,
        "may_set": may_set,
        "choices": choices,
        "values": values,
        "confidences": ProvinceNorm.Confidence.choices,
    }
    return render(request, "web/province_norms.html", context)
