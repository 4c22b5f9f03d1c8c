"""The import limits in force (settings IMPORT_MAX_FILE_MB, IMPORT_MAX_UNPACKED_MB) and the check of an upload against them."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ..core.errors import ServiceError
from ..standards.formats import number_vi
from ..standards.intake import DEFAULT_LIMITS, MB, Limits


def import_limits() -> Limits:
    return Limits(
        max_file_bytes=int(getattr(settings, "IMPORT_MAX_FILE_MB", DEFAULT_LIMITS.max_file_bytes // MB) * MB),
        max_unpacked_bytes=int(
            getattr(settings, "IMPORT_MAX_UNPACKED_MB", DEFAULT_LIMITS.max_unpacked_bytes // MB) * MB
        ),
    )


ALLOWED = (".xlsx", ".csv", ".parquet")


def upload_check(upload, field: str) -> None:
    """Type and size of an uploaded file, before anything is written or parsed."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED:
        raise ServiceError(
            f"Tệp {upload.name}: cần .xlsx, .csv hoặc .parquet",
            f"file {upload.name}: use .xlsx, .csv or .parquet",
            field=field,
        )
    limit = import_limits().max_file_bytes
    if upload.size is not None and upload.size > limit:
        raise ServiceError(
            f"Tệp {upload.name} quá lớn ({number_vi(upload.size / MB, 1)} MB, tối đa {number_vi(limit / MB)} MB)",
            f"file {upload.name} is too large ({upload.size / MB:.1f} MB, at most {limit / MB:.0f} MB)",
            field=field,
        )
