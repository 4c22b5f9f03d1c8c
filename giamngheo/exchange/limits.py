"""The import limits in force (settings IMPORT_MAX_FILE_MB, IMPORT_MAX_UNPACKED_MB)."""

from __future__ import annotations

from django.conf import settings

from ..standards.intake import DEFAULT_LIMITS, MB, Limits


def import_limits() -> Limits:
    return Limits(
        max_file_bytes=int(getattr(settings, "IMPORT_MAX_FILE_MB", DEFAULT_LIMITS.max_file_bytes // MB) * MB),
        max_unpacked_bytes=int(
            getattr(settings, "IMPORT_MAX_UNPACKED_MB", DEFAULT_LIMITS.max_unpacked_bytes // MB) * MB
        ),
    )
