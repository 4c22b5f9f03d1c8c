"""Which standard a review round classifies under, and why, in words.

The periodic review at the end of a year prepares the list for the next year, so it classifies
under the standard of that next year (a round opened in autumn 2026 uses vn-2027-2030); a regular
(monthly) round uses the standard in force on its reference date. The rule is dated data
(`round_standard` in `data/review/procedure.yaml`) with its source and confidence, like every threshold: it is
not read in a legal text (B), so every place that shows it says it is unverified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .formats import date_vi
from .params import CONFIDENCE_WORDS, Parameter, Standard, UnknownStandardError
from .params import standard_in_force as _in_force
from .procedure import review_law

NEXT_YEAR = "next_year"
REFERENCE_DATE = "reference_date"
KINDS = ("periodic", "regular")


def round_rules() -> dict[str, Parameter]:
    """The rule for each kind of round ("periodic", "regular"), as dated parameters of the review law
    (`round_standard` in data/review/procedure.yaml, checked there for its reference and confidence)."""
    law = review_law()
    rules = {kind: law.param("round_standard", kind) for kind in KINDS}
    for kind, rule in rules.items():
        for _, value in rule.values:
            if value not in (NEXT_YEAR, REFERENCE_DATE):
                raise UnknownStandardError(f"round_standard.{kind}: unknown value {value!r}")
    return rules


@dataclass(frozen=True)
class RoundStandard:
    """The standard a round uses, the date whose standard it is, and the rule that chose it."""

    standard: Standard
    kind: str
    reference_date: dt.date
    basis: str  # NEXT_YEAR or REFERENCE_DATE
    rule: Parameter

    @property
    def verified(self) -> bool:
        return self.rule.verified

    @property
    def fell_back(self) -> bool:
        """The rule said "next year" but no standard covers it yet."""
        return self.basis == REFERENCE_DATE and self.rule.at(self.reference_date) == NEXT_YEAR

    def reason(self, lang: str = "vi") -> str:
        """Why, in plain words, ending with "unverified" while the rule is not read in the law."""
        std, ref = self.standard, self.reference_date
        year = ref.year
        if lang == "vi":
            if self.basis == NEXT_YEAR:
                text = (
                    f"Rà soát định kỳ năm {year} lập danh sách hộ nghèo, hộ cận nghèo cho năm {year + 1}, nên "
                    f"phân loại theo chuẩn áp dụng năm {year + 1}: {std.title_vi}."
                )
            elif self.fell_back:
                text = (
                    f"Chưa có chuẩn nghèo cho năm {year + 1}, nên rà soát định kỳ năm {year} phân loại theo chuẩn "
                    f"có hiệu lực ngày tham chiếu {date_vi(ref)}: {std.title_vi}."
                )
            else:
                who = (
                    "Rà soát thường xuyên công nhận hộ nghèo, hộ cận nghèo trong năm, nên"
                    if self.kind == "regular"
                    else "Rà soát định kỳ"
                )
                text = f"{who} phân loại theo chuẩn có hiệu lực ngày tham chiếu {date_vi(ref)}: {std.title_vi}."
            if not self.verified:
                text += f" Quy tắc chọn chuẩn này {CONFIDENCE_WORDS[self.rule.confidence][0]}."
            return text
        if self.basis == NEXT_YEAR:
            text = (
                f"The periodic review of {year} prepares the list of poor and near-poor households for "
                f"{year + 1}, so it classifies under the standard of {year + 1}: {std.title_en}."
            )
        elif self.fell_back:
            text = (
                f"No standard covers {year + 1} yet, so the periodic review of {year} classifies under the "
                f"standard in force on its reference date {date_vi(ref)}: {std.title_en}."
            )
        else:
            who = (
                "The regular review recognises households during the year, so it"
                if self.kind == "regular"
                else "The periodic review"
            )
            text = f"{who} classifies under the standard in force on its reference date {date_vi(ref)}: {std.title_en}."
        if not self.verified:
            text += f" This rule is {CONFIDENCE_WORDS[self.rule.confidence][1]}."
        return text


def round_standard(kind: str, reference_date: dt.date) -> RoundStandard:
    """The standard a round of `kind` with this reference date classifies under, by the dated rule.

    A periodic round whose next year no standard covers yet (the end of 2030) falls back to the
    standard of its reference date, and says so through `basis`."""
    if kind not in KINDS:
        raise UnknownStandardError(f"unknown kind of round: {kind!r}")
    rule = round_rules()[kind]
    basis = rule.at(reference_date)
    if basis == NEXT_YEAR:
        try:
            standard = _in_force(dt.date(reference_date.year + 1, 1, 1))
            return RoundStandard(standard, kind, reference_date, NEXT_YEAR, rule)
        except UnknownStandardError:
            pass
    return RoundStandard(_in_force(reference_date), kind, reference_date, REFERENCE_DATE, rule)


def round_standard_choices(reference_date: dt.date) -> list[Standard]:
    """The standards a round with this reference date may use: the one in force on that date and
    the one of the next year (a province's choice among them is recorded with its reason)."""
    out: list[Standard] = []
    for day in (reference_date, dt.date(reference_date.year + 1, 1, 1)):
        try:
            standard = _in_force(day)
        except UnknownStandardError:
            continue
        if standard.id not in [s.id for s in out]:
            out.append(standard)
    return out
