"""The second sign-in step (django-otp): a TOTP device per user, confirmed with a first code, and a
few single-use recovery codes (a static device). Who needs it is `access.needs_two_factor`.

Every code tried is audited (`otp.verify`, `otp.failed`, `otp.refused`), as logins are. Wrong codes
are throttled by django-otp on the device itself: each failure doubles the wait before the next try
(1, 2, 4... seconds, OTP_TOTP_THROTTLE_FACTOR), so a million six-digit codes cannot be tried, and
the wait is said in the message. A TOTP code is accepted once (django-otp keeps the last step used).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..core.audit import audit
from ..core.errors import ServiceError
from .access import require_admin
from .throttle import RateLimited

RECOVERY_CODES = 8


class SelfEnrolClosed(ServiceError):
    """Enrolment at sign-in is turned off (GIAMNGHEO_TWO_FACTOR_SELF_ENROL=0): devices are issued."""


TOTP_NAME, RECOVERY_NAME = "ung-dung", "ma-du-phong"  # device names shown in the admin


def has_device(user) -> bool:
    """A confirmed authenticator: the user is asked for a code, not sent to enrol."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def enrolment_device(*, user) -> TOTPDevice:
    """The authenticator being set up (its secret shown as a QR code and as text), made once and kept
    until confirmed, so reloading the page shows the same secret. Refused once a device is confirmed:
    a stolen password must not be enough to bind a new authenticator."""
    if has_device(user):
        raise ServiceError(
            "Tài khoản đã có ứng dụng xác thực; hãy nhờ quản trị đặt lại nếu bị mất",
            "This account already has an authenticator; ask an administrator to reset it if lost",
        )
    if not settings.TWO_FACTOR_SELF_ENROL:
        raise SelfEnrolClosed(
            "Tài khoản chưa có ứng dụng xác thực. Máy chủ này không cho tự cài khi đăng nhập: "
            "hãy gặp quản trị viên để được cài (giamngheo users issue-2fa).",
            "This account has no authenticator yet. This server does not allow setting one up at sign-in: "
            "see an administrator to have one issued (giamngheo users issue-2fa).",
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def enrolment_confirm(*, user, device: TOTPDevice, code: str, ip: str = "") -> list[str]:
    """Confirm the authenticator with its first code; returns the new recovery codes (shown once).
    A failure is kept (its audit event, the device's throttle): no transaction rolls it back."""
    device = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False).first()
    if device is None:  # confirmed meanwhile (another tab), or reset by an administrator
        raise ServiceError("Hãy tải lại trang và thử lại", "Reload the page and try again", field="code")
    _require_allowed(user, device, ip)
    if not device.verify_token(_digits(code)):
        audit(user, "otp.failed", user, ip=ip, device="totp", step="enrol")
        raise _wrong_code()
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit(user, "otp.enrol", user, ip=ip, recovery_codes=len(codes))
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def code_check(*, user, code: str, ip: str = ""):
    """The confirmed device that accepts `code` (six digits: the app; otherwise a recovery code, which
    is then used up), or ServiceError; refused without trying while the device's wait runs. Not in
    a transaction: a failure's audit event and the throttle's count must stay."""
    text = code.strip().replace(" ", "").replace("-", "").lower()
    if text.isdigit():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        kind = "totp"
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        kind = "recovery"
    if device is None:
        audit(user, "otp.failed", user, ip=ip, device=kind)
        raise _wrong_code()
    _require_allowed(user, device, ip)
    if not device.verify_token(text):
        audit(user, "otp.failed", user, ip=ip, device=kind)
        raise _wrong_code()
    audit(
        user, "otp.verify", user, ip=ip, device=kind, **({"left": device.token_set.count()} if kind != "totp" else {})
    )
    return device


@transaction.atomic
def devices_reset(*, actor, user) -> int:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): the user
    enrols again at the next sign-in. Audited; returns how many devices were removed."""
    require_admin(actor)
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
    audit(actor, "otp.reset", user, devices=removed)
    return removed


@transaction.atomic
def devices_issue(*, actor, user) -> tuple[TOTPDevice, list[str]]:
    """An administrator issues a user's authenticator (its secret and recovery codes handed over in
    person), so that whoever first types a new account's password cannot bind a device of their
    own. Any earlier device is replaced. Audited (`otp.issue`); returns the device and the codes."""
    require_admin(actor)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    codes = _new_recovery_codes(user)
    audit(actor, "otp.issue", user, recovery_codes=len(codes))
    return device, codes


def _digits(code: str) -> str:
    return code.strip().replace(" ", "")


def _wrong_code() -> ServiceError:
    return ServiceError("Mã không đúng, đã dùng hoặc đã hết hạn", "The code is wrong, used or expired", field="code")


def _require_allowed(user, device, ip: str) -> None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return
    until = (info or {}).get("locked_until")
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
    audit(user, "otp.refused", user, ip=ip, seconds=seconds)
    raise RateLimited(
        f"Nhập sai mã nhiều lần. Hãy thử lại sau {seconds} giây.",
        f"Too many wrong codes. Try again in {seconds} seconds.",
        field="code",
    )
