"""Classify a stored household and keep the result with the facts it used."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from ..core.audit import audit
from ..core.errors import ServiceError
from ..registry.classify import engine_run
from ..registry.models import Household
from ..standards import InputError
from ..standards.explain import explain_row
from .models import Classification


def _jsonable(frame) -> list[dict]:
    return json.loads(frame.write_json())


@transaction.atomic
def classification_record(*, actor, household: Household, as_of: dt.date, standard: str = "auto") -> Classification:
    """Run the engine on the household's current facts; store category, indicators, facts, words."""
    try:
        run = engine_run(household, as_of, standard)
    except InputError as exc:
        lines = "\n".join(p.text("vi") for p in exc.problems)
        raise ServiceError(
            f"Chưa đủ thông tin để phân loại:\n{lines}",
            "Not enough information to classify:\n" + "\n".join(p.text("en") for p in exc.problems),
        ) from exc
    std, row = run.standard, run.row
    deprived = {k: v for k, v in row.items() if k.startswith(("deprived_", "members_")) and v is not None}
    result = Classification.objects.create(
        household=household,
        standard_id=std.id,
        standard_version=std.version,
        as_of=as_of,
        category=row["category"],
        income_line=row["income_line"],
        deprivation_count=row["deprivation_count"],
        deprived=deprived,
        facts={"household": _jsonable(run.households)[0], "members": _jsonable(run.members)},
        explanation=explain_row(row, std, "vi", run.names),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(actor, "household.classify", household, standard=std.id, category=row["category"], as_of=str(as_of))
    return result
