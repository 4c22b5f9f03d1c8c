"""Categories and their labels come from one table (standards/contract.py): the stored choices, the
explanations, the CLI and the papers say the same words."""

from __future__ import annotations

from giamngheo.classification.models import Category
from giamngheo.standards.contract import CATEGORIES, CATEGORY_LABELS


def test_the_models_categories_are_the_contracts_with_the_same_labels():
    assert tuple(Category.values) == CATEGORIES == tuple(CATEGORY_LABELS)
    assert dict(Category.choices) == {code: vi for code, (vi, _en) in CATEGORY_LABELS.items()}
    assert all(en for _vi, en in CATEGORY_LABELS.values())
