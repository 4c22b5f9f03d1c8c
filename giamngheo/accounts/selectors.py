"""Reads of accounts for administrators (the CLI, the admin)."""

from __future__ import annotations

from ..core.errors import ServiceError
from .access import require_admin
from .models import ApiToken, User


def token_list(*, actor, user: User | None = None) -> list[ApiToken]:
    """Every API token, or one user's, newest first: owner, dates and prefix, never the secret
    (only its hash is stored). An administrator's list: tokens act as their users."""
    require_admin(actor)
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if user is not None:
        tokens = tokens.filter(user=user)
    return list(tokens)


TOKEN_REF_MIN = 4  # a prefix shorter than this names too many tokens to be meant


def token_find(*, actor, reference: str) -> ApiToken:
    """The one token a reference names: its id, or the beginning of its prefix (as `token --list` shows)."""
    require_admin(actor)
    reference = reference.strip().rstrip("…")
    matches = ApiToken.objects.none()
    if reference.isdigit():
        matches = ApiToken.objects.filter(pk=int(reference))
    if len(reference) >= TOKEN_REF_MIN:
        matches = matches | ApiToken.objects.filter(prefix__startswith=reference)
    found = list(matches.select_related("user").order_by("pk")[:5])
    if not found:
        raise ServiceError(
            f"Không có mã truy cập '{reference}' (ghi số hiệu hoặc ít nhất {TOKEN_REF_MIN} ký tự đầu)",
            f"no token '{reference}' (give its id or at least its first {TOKEN_REF_MIN} characters)",
        )
    if len(found) > 1:
        names = ", ".join(f"{t.pk} {t.prefix}… ({t.user.username})" for t in found)
        raise ServiceError(
            f"'{reference}' trùng nhiều mã truy cập: {names}; hãy ghi số hiệu",
            f"'{reference}' matches several tokens: {names}; give the id",
        )
    return found[0]


def reviewers_of(commune_id: int) -> list[User]:
    """The reviewers a commune's households may be given to today (`access.is_reviewer_of`), by name
    in Vietnamese order: for the round page's choice of assignee and its filter."""
    from django.db.models import Q

    from ..core import clock
    from ..core.text import vi_sort_key
    from ..geo.selectors import predecessor_ids
    from .access import is_reviewer_of
    from .models import Role, RoleAssignment

    today = clock.today()
    units = {commune_id} | predecessor_ids({commune_id})
    ids = (
        RoleAssignment.objects.filter(role=Role.REVIEWER, unit_id__in=units, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("user_id")
    )
    users = [u for u in User.objects.filter(pk__in=ids, is_active=True) if is_reviewer_of(u, commune_id)]
    return sorted(users, key=lambda u: (vi_sort_key(u.get_full_name() or u.username), u.username))


def user_label(user) -> str:
    """How a person is named on a list: their full name and username, or the username alone."""
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username
