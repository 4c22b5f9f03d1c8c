"""Login and password change: Django's views with our templates. Throttling (django-axes) sits in the
authentication backend and middleware, so the same limit covers this form, /admin/login/ and the
current password asked on /doi-mat-khau/ (see accounts/throttle.py). A new password goes through
the accounts service: the same rules as `users add` and the admin, audited."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy

from ..accounts.access import needs_two_factor
from ..accounts.services import password_change
from ..core.errors import ServiceError
from .forms import PasswordChangeForm


class LoginView(auth_views.LoginView):
    """After the password, a user who needs the second step (`access.needs_two_factor`) goes to the
    code page (or enrolment), then on to the page they asked for."""

    def get_success_url(self):
        url = super().get_success_url()
        if needs_two_factor(self.request.user):
            return f"{reverse('two_factor')}?{urlencode({'next': url})}"
        return url

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demo": settings.DEMO}


class PasswordChangeView(auth_views.PasswordChangeView):
    """/doi-mat-khau/ for every signed-in user: the old password, the new one twice; this session
    stays signed in, the user's other sessions end."""

    form_class = PasswordChangeForm
    template_name = "web/password_change_form.html"  # registration/…: the admin's own, found first
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        try:
            password_change(actor=self.request.user, user=form.user, password=form.cleaned_data["new_password1"])
        except ServiceError as exc:
            form.add_error("new_password2", exc.text())
            return self.form_invalid(form)
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"
