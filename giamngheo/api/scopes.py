"""Who may read what through each endpoint, in words, for the API docs page: the rules themselves live in
accounts/access.py and the selectors; a test holds every route to having its sentence here."""

from __future__ import annotations

_HOUSEHOLD = (
    "the household must lie in a unit the caller's assignment covers; any other id answers 404, exactly as an "
    "unknown one (no hint that it exists). National ids are masked for roles that do not see them in full."
)
_REPORT = (
    "the unit must lie wholly within the caller's area on the period's date (accounts.access.area_scope, the "
    "same rule as the web pages and the command line); a larger unit answers 404 with no numbers, never the "
    "visible part."
)

_POLICY = (
    "the unit must lie wholly within the caller's area (accounts.access.area_scope with the policy): the communes "
    "they read, or an agency officer's units for that policy; else 404. National ids masked for roles that do not "
    "see them in full; full ids are an audited view."
)

SCOPES = {
    "/households": (
        "households of the units the caller's assignment covers (the whole country for national roles); "
        "searching by national id only for roles that see ids in full, rate-limited and audited."
    ),
    "/households/{household_id}": _HOUSEHOLD,
    "/households/{household_id}/members": _HOUSEHOLD,
    "/households/{household_id}/classification": _HOUSEHOLD + " Incomes only for roles that see them.",
    "/households/{household_id}/classifications": _HOUSEHOLD,
    "/units/{code}": "every signed-in user (administrative units are public).",
    "/rounds": "review rounds of the communes the caller's assignment covers.",
    "/rounds/{round_id}/households": "the round's commune must be covered by the caller's assignment; else 404.",
    "/reports/summary": _REPORT,
    "/reports/deprivations": _REPORT,
    "/reports/table/{name}": _REPORT,
    "/reports/whatif": _REPORT,
    "/policies": "every signed-in user (the catalogue is law: values, references and confidence).",
    "/policies/{policy_id}": (
        "every signed-in user; with `province`, that province's own values (the catalogue's and those the "
        "province set), which are its published decisions."
    ),
    "/policies/{policy_id}/eligible": _POLICY,
    "/policies/{policy_id}/findings/{kind}": _POLICY,
    "/benefits": (
        "GET: a unit the caller reads whole, or one household they read; an agency officer reads the rows of its "
        "own policies in its own units only; any other unit or household answers 404. POST (one benefit): the "
        "commune's poverty-reduction official of the household's commune, or an agency officer whose assignment "
        "names the policy and covers the commune; a household out of reach answers 404, one the caller reads but "
        "may not record for 403."
    ),
}


def scope_of(path: str) -> str:
    """The docs page's sentence for `path` (a KeyError for a route nobody described stops the start)."""
    return f"Phạm vi / scope: {SCOPES[path]}"
