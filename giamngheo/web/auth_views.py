"""Login: Django's view; throttling (django-axes) sits in the authentication backend and middleware,
so the same limit covers this form and /admin/login/ (see accounts/throttle.py)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    pass
