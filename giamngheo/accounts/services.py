"""Writes to users and assignments (from the CLI, the admin, the demo)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from giamngheo.core import clock

from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from .access import is_self_or_admin, policies_problem, require_admin
from .models import NATIONWIDE_ROLES, ApiToken, Role, RoleAssignment, User
from .passwords import require_valid_password


@transaction.atomic
def user_add(
    *,
    actor,
    username: str,
    role: str,
    unit=None,
    password: str | None = None,
    valid_from: dt.date | None = None,
    policies: list[str] | None = None,
) -> User:
    """Create (or extend) a user with one role in one unit (an administrator's work); an agency officer's
    assignment also names the catalogue's policies it works on."""
    require_admin(actor)
    if role not in Role.values:
        raise ServiceError(f"Vai trò không hợp lệ: {role}", f"unknown role: {role} (use {', '.join(Role.values)})")
    if unit is None and role not in NATIONWIDE_ROLES:
        raise ServiceError("Vai trò này cần một đơn vị (--unit)", "this role needs a unit (--unit)")
    policies = sorted(set(policies or []))
    problem = policies_problem(role, policies)
    if problem is not None:
        raise ServiceError(*problem, field="policies")
    if password:  # checked before anything is written: a refused password creates no user
        require_valid_password(password, User.objects.filter(username=username).first() or User(username=username))
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
        defaults={"valid_from": valid_from or dt.date(2000, 1, 1), "policies": policies},
    )
    if assignment.policies != policies:  # the same role in the same unit, now for these policies
        assignment.policies = policies
        assignment._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
        assignment.save(update_fields=["policies"])
    audit(
        actor,
        "user.add" if created else "user.assign",
        user,
        role=role,
        unit=getattr(unit, "code", None),
        **({"policies": policies} if policies else {}),
    )
    return user


@transaction.atomic
def password_change(*, actor, user: User, password: str) -> None:
    """Set `user`'s password (their own, or any as an administrator) under the password rules; audited,
    never the password itself. Their other sessions end (Django keys sessions to the password hash)."""
    if not is_self_or_admin(actor, user):
        raise AccessDenied()
    require_valid_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor, "password.change", user)


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


def token_days() -> int:
    """How long a new token works (GIAMNGHEO_TOKEN_DAYS); a setting below one day is refused, not obeyed."""
    days = settings.TOKEN_DAYS
    if days < 1:
        raise ServiceError(
            f"GIAMNGHEO_TOKEN_DAYS phải từ 1 trở lên (đang là {days})",
            f"GIAMNGHEO_TOKEN_DAYS must be 1 or more (it is {days})",
        )
    return days


def token_create(*, actor, user: User) -> str:
    """A new bearer token's key for `user` (see `token_issue`)."""
    return token_issue(actor=actor, user=user)[0]


@transaction.atomic
def token_issue(*, actor, user: User) -> tuple[str, ApiToken]:
    """A new bearer token for `user`, working for GIAMNGHEO_TOKEN_DAYS days; the key is returned once
    and only its hash is kept. Only an administrator issues tokens: a token acts as its user, so
    issuing one is acting as them."""
    require_admin(actor)
    key = secrets.token_urlsafe(32)
    while key.startswith("-"):  # its prefix names it on the command line (`token --revoke PREFIX`)
        key = secrets.token_urlsafe(32)
    expires_at = clock.now() + dt.timedelta(days=token_days())
    token = ApiToken.objects.create(user=user, key_hash=token_hash(key), prefix=key[:8], expires_at=expires_at)
    audit(actor, "token.create", user, token=token.pk, prefix=token.prefix, expires_at=expires_at.isoformat())
    return key, token


def token_user(key: str) -> User | None:
    """The active user behind a bearer token, or None (revoked, expired, unknown, inactive user).
    Each use is recorded (`last_used_at`), so an administrator sees which tokens still serve."""
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Stop a token at once (the API answers 401 to it from the next request); kept in the list."""
    require_admin(actor)
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise ServiceError(
            f"Mã truy cập {token.prefix}… đã bị thu hồi ngày {datetime_vi(token.revoked_at)}",
            f"token {token.prefix}… was already revoked on {datetime_vi(token.revoked_at)}",
        )
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit(actor, "token.revoke", token.user, token=token.pk, prefix=token.prefix)
    return token


def datetime_vi(when: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time (the settings' TIME_ZONE); "" for None."""
    return "" if when is None else timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
