"""Masking personal ids for viewers who may not see them (pages, reports, exports alike)."""


def mask_national_id(value: str | None) -> str:
    """Only the last 4 digits of a national id; '' for none."""
    if not value:
        return ""
    return "•" * (len(value) - 4) + value[-4:]
