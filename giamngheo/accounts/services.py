"""Writes to users and assignments (from the CLI, the admin, the demo)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from ..core.audit import audit
from ..core.errors import ServiceError
from .access import require_admin
from .models import NATIONWIDE_ROLES, ApiToken, Role, RoleAssignment, User


@transaction.atomic
def user_add(
    *, actor, username: str, role: str, unit=None, password: str | None = None, valid_from: dt.date | None = None
) -> User:
    """Create (or extend) a user with one role in one unit (an administrator's work)."""
    require_admin(actor)
    if role not in Role.values:
        raise ServiceError(f"Vai trò không hợp lệ: {role}", f"unknown role: {role} (use {', '.join(Role.values)})")
    if unit is None and role not in NATIONWIDE_ROLES:
        raise ServiceError("Vai trò này cần một đơn vị (--unit)", "this role needs a unit (--unit)")
    user, created = User.objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    user.save()
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        valid_to=None,
        defaults={"valid_from": valid_from or dt.date(2000, 1, 1)},
    )
    audit(actor, "user.add" if created else "user.assign", user, role=role, unit=getattr(unit, "code", None))
    return user


def system_user() -> User:
    """The account command-line work acts as when no --as is given; it cannot log in."""
    user, created = User.objects.get_or_create(username="system", defaults={"is_staff": True, "is_superuser": True})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def active_user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, user: User) -> str:
    """A new bearer token for `user`; the key is returned once and only its hash is kept.
    Only an administrator issues tokens: a token acts as its user, so issuing one is acting as them."""
    require_admin(actor)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=token_hash(key), prefix=key[:8])
    audit(actor, "token.create", user, prefix=token.prefix)
    return key


def token_user(key: str) -> User | None:
    """The active user behind a bearer token, or None (revoked, unknown, inactive user)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
