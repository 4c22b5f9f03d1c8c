"""Signing test clients in past the second step, as a real user who enrolled would be.

The root conftest wraps every test client's login (`Client.login`, `Client.force_login`) with
`verify_session`, so the route matrix and the page tests keep testing access, not enrolment. Tests of
the second step itself mark themselves `unverified_logins` and get the plain login."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..accounts.access import needs_two_factor


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="thu-nghiem", confirmed=True)


def verify_session(client, user) -> None:
    """Mark the client's session as past the second step (a confirmed device), if the user needs it."""
    if not needs_two_factor(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
