"""Login with throttling: the form refuses before checking the password when blocked."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from ..accounts.signals import client_ip
from ..accounts.throttle import WINDOW, login_blocked


class ThrottledLoginForm(AuthenticationForm):
    def clean(self):
        username = self.data.get("username", "")
        if login_blocked(username, client_ip(self.request)):
            minutes = int(WINDOW.total_seconds() // 60)
            raise forms.ValidationError(
                f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút. / "
                f"Too many failed logins. Try again in {minutes} minutes.", code="throttled")
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
