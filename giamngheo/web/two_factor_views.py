"""The second sign-in step: the code page (/xac-thuc/) and the enrolment page (/xac-thuc/dang-ky/).
Who needs it is `accounts.access.needs_two_factor`; the checks, throttling and audit are in
`accounts.two_factor`; `middleware.TwoFactorMiddleware` keeps every other page closed until then."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import django_otp
import segno
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from ..accounts import two_factor
from ..accounts.access import needs_two_factor
from ..accounts.signals import client_ip
from ..accounts.throttle import RateLimited
from ..core.errors import ServiceError


def _next(request) -> str:
    """Where to go after the step: the page first asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else reverse("home")


def _to(name: str, request) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


def two_factor_page(request):
    """Asks for the six-digit code of the user's app (or a recovery code) after the password."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    if not needs_two_factor(request.user) or request.user.is_verified():
        return HttpResponseRedirect(_next(request))
    if not two_factor.has_device(request.user):
        return _to("two_factor_enrol", request)
    error, status = "", 200
    if request.method == "POST":
        try:
            device = two_factor.code_check(user=request.user, code=request.POST.get("code", ""), ip=client_ip(request))
        except ServiceError as exc:
            error, status = exc.text(), 429 if isinstance(exc, RateLimited) else 400
        else:
            django_otp.login(request, device)
            return HttpResponseRedirect(_next(request))
    return render(request, "web/two_factor.html", {"error": error, "next": _next(request)}, status=status)


def two_factor_enrol(request):
    """Sets up the app: a QR code (drawn here, no outside service) and the secret as text, confirmed
    with a first code; then shows the recovery codes once."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    if not needs_two_factor(request.user):
        return HttpResponseRedirect(_next(request))
    if two_factor.has_device(request.user):
        return _to("two_factor", request)
    try:
        device = two_factor.enrolment_device(user=request.user)
    except two_factor.SelfEnrolClosed as exc:
        return render(request, "web/two_factor_enrol.html", {"closed": exc.text()}, status=403)
    error, status = "", 200
    if request.method == "POST":
        try:
            codes = two_factor.enrolment_confirm(
                user=request.user, device=device, code=request.POST.get("code", ""), ip=client_ip(request)
            )
        except ServiceError as exc:
            error, status = exc.text(), 429 if isinstance(exc, RateLimited) else 400
        else:
            device.refresh_from_db()
            django_otp.login(request, device)
            return render(request, "web/two_factor_codes.html", {"codes": codes, "next": _next(request)})
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        # segno draws the modules only (no text, no script), so the SVG is safe to put in the page
        "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)),  # noqa: S308
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "error": error,
        "next": _next(request),
    }
    return render(request, "web/two_factor_enrol.html", context, status=status)
