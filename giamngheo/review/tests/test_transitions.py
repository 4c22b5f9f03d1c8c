"""The transition table, row by row."""

import pytest

from giamngheo.review.transitions import LABELS, transition


@pytest.mark.parametrize(
    "history, new, expected",
    [
        ([], "poor", "newly_poor"),
        ([], "near_poor", "newly_near_poor"),
        ([], "average", "not_poor"),
        (["poor"], "poor", "remained_poor"),
        (["poor"], "near_poor", "escaped_to_near_poor"),
        (["poor"], "average", "escaped_poverty"),
        (["poor"], "other", "escaped_poverty"),
        (["near_poor"], "near_poor", "remained_near_poor"),
        (["near_poor"], "other", "escaped_near_poverty"),
        (["near_poor"], "poor", "newly_poor"),
        (["poor", "near_poor"], "poor", "relapsed_poor"),
        (["poor", "other"], "poor", "relapsed_poor"),
        (["near_poor", "average"], "near_poor", "relapsed_near_poor"),
        (["average"], "poor", "newly_poor"),
    ],
)
def test_transition(history, new, expected):
    assert transition(history, new) == expected
    assert expected in LABELS
