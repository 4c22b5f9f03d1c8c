"""Files mask national ids by the same rule as pages: the frame helper agrees with mask_national_id."""

from __future__ import annotations

import polars as pl

from giamngheo.core.masking import mask_national_id, masked_frame

IDS = ["014085000123", "123456789", "12345", "1234", "12", "", None]


def test_masked_frame_agrees_with_the_page_rule_for_every_length():
    frame = pl.DataFrame({"national_id": IDS, "income_per_capita_month": [1_500_000] * len(IDS)})
    shown = masked_frame(frame, show_ids=False, show_incomes=False)
    assert shown["national_id"].to_list() == [mask_national_id(v) if v is not None else None for v in IDS]
    assert shown["national_id"][0] == "••••••••0123" and shown["national_id"][1] == "•••••6789"
    assert shown["income_per_capita_month"].null_count() == len(IDS)


def test_a_role_that_sees_everything_gets_the_frame_unchanged():
    frame = pl.DataFrame({"national_id": IDS, "income_score": [3.5] * len(IDS)})
    assert masked_frame(frame, show_ids=True, show_incomes=True).equals(frame)
