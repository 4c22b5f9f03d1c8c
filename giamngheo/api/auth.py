"""Who is calling: a bearer token (machine clients) or the web session (with CSRF)."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from ..accounts.services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]
