"""Masking personal ids for viewers who may not see them (pages, reports, exports alike)."""

from typing import Any


def mask_national_id(value: str | None) -> str:
    """Only the last 4 digits of a national id; '' for none."""
    if not value:
        return ""
    return "•" * (len(value) - 4) + value[-4:]


INCOME_FIELDS = frozenset({"income_per_capita_month", "income_score", "income"})
HIDDEN = "•••"


def mask_event_data(data, *, show_ids: bool, show_incomes: bool):
    """An audit event's details as a viewer may see them: incomes hidden, national ids masked,
    at any depth (a change is stored as {"changes": {"income_per_capita_month": [before, after]}})."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key in INCOME_FIELDS and not show_incomes:
                out[key] = HIDDEN
            elif key == "national_id" and not show_ids:
                out[key] = (
                    [mask_national_id(str(v)) for v in value]
                    if isinstance(value, list)
                    else mask_national_id(str(value))
                )
            else:
                out[key] = mask_event_data(value, show_ids=show_ids, show_incomes=show_incomes)
        return out
    if isinstance(data, list):
        return [mask_event_data(v, show_ids=show_ids, show_incomes=show_incomes) for v in data]
    return data
