"""Who is calling: a bearer token (machine clients) or the web session (with CSRF)."""

from __future__ import annotations

import functools

from django.http import JsonResponse
from ninja.security import HttpBearer, django_auth

from ..accounts.services import token_user
from ..core.words import pick


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]


def signed_in(view):
    """The schema and its docs are for people who use the API: a session or a token, else 401."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user if request.user.is_authenticated else BearerToken()(request)
        if not user:
            return JsonResponse({"detail": pick("Cần đăng nhập", "sign in first")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper
