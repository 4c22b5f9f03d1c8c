"""The registry's full contents, to show an import left every row outside its file as it was."""

from __future__ import annotations

from django.db.models import Count

from giamngheo.registry.models import Household, Member


def registry_rows() -> tuple[dict[str, dict], dict[str, dict]]:
    """(households by household_id, members by member_id): every column as stored, plus the
    number of history rows and, for members, the household's household_id."""
    hh_history = dict(Household.history.values_list("id").annotate(n=Count("history_id")).values_list("id", "n"))
    mem_history = dict(Member.history.values_list("id").annotate(n=Count("history_id")).values_list("id", "n"))
    households = {r["household_id"]: {**r, "history": hh_history.get(r["id"], 0)} for r in Household.objects.values()}
    codes = {r["id"]: r["household_id"] for r in households.values()}
    members = {
        r["member_id"]: {**r, "history": mem_history.get(r["id"], 0), "household": codes[r["household_id"]]}
        for r in Member.objects.values()
    }
    return households, members


def changed_outside(before, after, households_in_file: set[str]) -> list[str]:
    """Rows of households not in the file (and their members) that differ, or appeared or vanished."""
    hh_before, mem_before = before
    hh_after, mem_after = after
    out = [
        f"household {h}"
        for h in set(hh_before) | set(hh_after)
        if h not in households_in_file and hh_before.get(h) != hh_after.get(h)
    ]
    for m in set(mem_before) | set(mem_after):
        old, new = mem_before.get(m), mem_after.get(m)
        touched = {r["household"] for r in (old, new) if r is not None}
        if not touched & households_in_file and old != new:
            out.append(f"member {m}")
    return sorted(out)
