"""Password rules for every path that sets one (`users add`, the password change page, the admin):
Django's validators with our messages in the reader's language (AUTH_PASSWORD_VALIDATORS).

Django's Vietnamese catalogue lacks the "too short" and "too similar" messages, so we write both; a
page (the password change, the admin) shows the active language's (core/words.pick), and the command
line gets both through the ServiceError, Vietnamese first, like our other errors (core/errors.py).
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError
from django.utils import translation

from ..core.errors import ServiceError
from ..core.words import pick

# the User attributes a password is compared with, as the messages name them
ATTRIBUTE_NAMES = {
    "username": ("tên đăng nhập", "username"),
    "first_name": ("tên", "first name"),
    "last_name": ("họ", "last name"),
    "email": ("địa chỉ email", "email address"),
}


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return pick(
            f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.",
            f"This password is too short. It must contain at least {self.min_length} characters.",
        )

    def get_help_text(self) -> str:
        return pick(
            f"Mật khẩu phải có ít nhất {self.min_length} ký tự.",
            f"Your password must contain at least {self.min_length} characters.",
        )


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def validate(self, password, user=None) -> None:
        for name in self.user_attributes:  # one at a time, so the message can name the attribute
            try:
                django_validators.UserAttributeSimilarityValidator(
                    user_attributes=(name,), max_similarity=self.max_similarity
                ).validate(password, user)
            except ValidationError as exc:
                vi, en = ATTRIBUTE_NAMES.get(name, (name, name))
                raise ValidationError(
                    pick(f"Mật khẩu quá giống {vi}.", f"The password is too similar to the {en}."),
                    code="password_too_similar",
                ) from exc

    def get_help_text(self) -> str:
        return pick(
            "Mật khẩu không được giống tên đăng nhập, họ tên hay email.",
            "Your password can't be too similar to your other personal information.",
        )


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return pick("Mật khẩu này quá phổ biến.", "This password is too common.")

    def get_help_text(self) -> str:
        return pick("Mật khẩu không được là mật khẩu phổ biến.", "Your password can't be a commonly used password.")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return pick("Mật khẩu không được chỉ gồm chữ số.", "This password is entirely numeric.")

    def get_help_text(self) -> str:
        return pick("Mật khẩu không được chỉ gồm chữ số.", "Your password can't be entirely numeric.")


def require_valid_password(password: str, user) -> None:
    """The configured validators' verdict on `password` for `user` (saved or not), as a ServiceError
    listing every problem; the same rules as the web forms and the admin."""
    words: dict[str, str] = {}
    for language in ("vi", "en"):  # the service error carries both; a page shows one (ServiceError.text)
        with translation.override(language):
            try:
                django_validators.validate_password(password, user)
            except ValidationError as exc:
                words[language] = " ".join(exc.messages)
    if not words:
        return
    raise ServiceError(
        f"Mật khẩu không được chấp nhận: {words['vi']}", f"password refused: {words['en']}", field="password"
    )
