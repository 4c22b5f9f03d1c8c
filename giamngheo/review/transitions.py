"""Status transitions across rounds, as an explicit table (names of the official summary forms).

`transition(history, new)`: `history` is the household's earlier recognised categories, oldest
first; `new` the category recognised now. Average-living and other households count as "not
poor" here (their own band matters for benefits, not for these transitions).
"""

from __future__ import annotations

POOR, NEAR = "poor", "near_poor"

LABELS = {
    "remained_poor": "Duy trì hộ nghèo",
    "escaped_poverty": "Thoát nghèo",
    "escaped_to_near_poor": "Thoát nghèo, thành hộ cận nghèo",
    "relapsed_poor": "Tái nghèo",
    "newly_poor": "Nghèo phát sinh",
    "remained_near_poor": "Duy trì hộ cận nghèo",
    "escaped_near_poverty": "Thoát cận nghèo",
    "relapsed_near_poor": "Tái cận nghèo",
    "newly_near_poor": "Cận nghèo phát sinh",
    "not_poor": "Không thuộc diện",
}
LABELS_EN = {
    "remained_poor": "Remained poor",
    "escaped_poverty": "Escaped poverty",
    "escaped_to_near_poor": "Escaped poverty, now near-poor",
    "relapsed_poor": "Fell back into poverty",
    "newly_poor": "Newly poor",
    "remained_near_poor": "Remained near-poor",
    "escaped_near_poverty": "Escaped near-poverty",
    "relapsed_near_poor": "Fell back into near-poverty",
    "newly_near_poor": "Newly near-poor",
    "not_poor": "Not poor or near-poor",
}


def transition_label(code: str) -> str:
    """A transition's name in the reader's language (the official forms keep LABELS, Vietnamese)."""
    from ..core.words import pick

    return pick(LABELS.get(code, code), LABELS_EN.get(code, ""))


def _simple(category: str | None) -> str | None:
    return category if category in (POOR, NEAR) else None


def transition(history: list[str], new: str) -> str:
    before = _simple(history[-1]) if history else None
    now = _simple(new)
    was_ever_poor = POOR in history
    was_ever_near = NEAR in history
    table = {
        (POOR, POOR): "remained_poor",
        (POOR, NEAR): "escaped_to_near_poor",
        (POOR, None): "escaped_poverty",
        (NEAR, NEAR): "remained_near_poor",
        (NEAR, None): "escaped_near_poverty",
        (NEAR, POOR): "relapsed_poor" if was_ever_poor else "newly_poor",
        (None, POOR): "relapsed_poor" if was_ever_poor else "newly_poor",
        (None, NEAR): "relapsed_near_poor" if was_ever_near else "newly_near_poor",
        (None, None): "not_poor",
    }
    return table[(before, now)]
