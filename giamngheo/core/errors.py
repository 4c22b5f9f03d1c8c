"""Errors raised by services, with a Vietnamese and an English message."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule refused the action; the message says why, in both languages."""

    def __init__(self, message_vi: str, message_en: str, field: str | None = None):
        self.message_vi = message_vi
        self.message_en = message_en
        self.field = field
        super().__init__(f"{message_vi} / {message_en}")

    def text(self) -> str:
        """The message in the reader's language (pages); `str()` keeps both for the command line and logs."""
        from .words import pick

        return pick(self.message_vi, self.message_en)


class AccessDenied(ServiceError):
    """The acting user's role or units do not cover this record."""

    def __init__(self, message_vi: str = "Không có quyền truy cập", message_en: str = "Access denied"):
        super().__init__(message_vi, message_en)
