"""Plain words for one household's result, in Vietnamese or English.

Reads a classification row (as returned by `classify`) and the standard, so the CLI, the web
app and the PDFs say the same thing. Every threshold not read in the legal text is marked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .contract import CATEGORY_LABELS
from .formats import date_vi, number_vi, vnd
from .params import Indicator, Parameter, Standard, source_in

WORDS: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Hộ {hid}: kết quả rà soát theo {std}, ngày tham chiếu {date}.",
        "result": "Kết luận: {cat}.",
        "area": {"rural": "nông thôn", "urban": "thành thị"},
        "income": "Thu nhập bình quân {income}/người/tháng, {cmp} chuẩn nghèo khu vực {area} ({line}){mark}.",
        "score": "Điểm thu nhập (điểm A của Phiếu B) {score}, {cmp} ngưỡng khu vực {area} ({line} điểm){mark}.",
        "at_or_below": "thấp hơn hoặc bằng",
        "above": "cao hơn",
        "near_line": "Chuẩn cận nghèo khu vực {area}: {line}{mark}.",
        "avg_line": "Mức trên của hộ có mức sống trung bình khu vực {area}: {line}{mark}.",
        "no_avg": "Chuẩn này chưa có mức sống trung bình đã kiểm chứng: hộ trên chuẩn được xếp là hộ khác.",
        "count": "Hộ thiếu hụt {n} trong {total} chỉ số (hộ nghèo thiếu hụt từ {cut} chỉ số trở lên){mark}:",
        "count_none": "Hộ không thiếu hụt chỉ số nào trong {total} chỉ số (hộ nghèo thiếu hụt từ {cut} chỉ số "
        "trở lên){mark}.",
        "ref": "Căn cứ",
        "unknown": "Chưa đủ thông tin để xác định: {names}.",
        "multi": "Hộ thiếu hụt đa chiều (thu nhập trên chuẩn cận nghèo và thiếu hụt từ {cut} chỉ số trở lên).",
        "unverified": "chưa kiểm chứng",
        "legend": "[chưa kiểm chứng]: ngưỡng hoặc chỉ số chưa được đối chiếu với văn bản pháp luật.",
    },
    "en": {
        "title": "Household {hid}: review result under the {std}, reference date {date}.",
        "result": "Result: {cat}.",
        "area": {"rural": "rural", "urban": "urban"},
        "income": "Income per person {income} a month, {cmp} the {area} poverty line ({line}){mark}.",
        "score": "Income score (Form B score A) {score}, {cmp} the {area} cut-off ({line} points){mark}.",
        "at_or_below": "at or below",
        "above": "above",
        "near_line": "Near-poor line, {area}: {line}{mark}.",
        "avg_line": "Upper bound of an average living standard, {area}: {line}{mark}.",
        "no_avg": "This standard has no verified average-living band: households above the line are 'other'.",
        "count": "The household is deprived in {n} of {total} indicators (a poor household in {cut} or more){mark}:",
        "count_none": "The household is deprived in none of the {total} indicators (a poor household in {cut} or "
        "more){mark}.",
        "ref": "Source",
        "unknown": "Not enough information to decide: {names}.",
        "multi": "Multidimensionally deprived (income above the near-poor line and {cut} or more deprivations).",
        "unverified": "unverified",
        "legend": "[unverified]: a threshold or indicator not yet checked against the legal text.",
    },
}


def _mark(item: Parameter | Indicator | None, lang: str) -> str:
    """The one marker a reader sees for a value not read in the legal text (no internal notes)."""
    if item is None or item.verified:
        return ""
    return f" [{WORDS[lang]['unverified']}]"


def _title(standard: Standard, lang: str) -> str:
    """The standard's title as it reads inside a sentence ("theo chuẩn nghèo ...")."""
    title = standard.title_vi if lang == "vi" else standard.title_en
    return title[:1].lower() + title[1:]


def explain_row(
    row: dict[str, Any],
    standard: Standard,
    lang: str = "vi",
    member_names: dict[str, str] | None = None,
) -> str:
    """Explain one classification row in words fit for the household and a posting board: the
    conclusion first, then the facts and the rule, each threshold not read in the law marked.
    `member_names` maps member_id to a full name when known."""
    w = WORDS[lang]
    when: dt.date = row["as_of"]
    area = row["area"]
    area_word = w["area"][area]
    names = member_names or {}
    label = CATEGORY_LABELS[row["category"]][0 if lang == "vi" else 1]
    lines = [
        w["title"].format(
            hid=row["household_id"],
            std=f"{_title(standard, lang)} ({source_in(standard.legal_basis, standard.legal_basis_en, lang)})",
            date=date_vi(when),
        ),
        w["result"].format(cat=label),
    ]
    value_line = standard.param("income_line", area)
    if row["income_basis"] == "income":
        below = row["income_per_capita_month"] <= row["income_line"]
        lines.append(
            w["income"].format(
                income=vnd(row["income_per_capita_month"]),
                area=area_word,
                line=vnd(row["income_line"]),
                cmp=w["at_or_below" if below else "above"],
                mark=_mark(value_line, lang),
            )
        )
    else:
        score_param = standard.param("income_score_cutoff", area)
        cut = score_param.at(when) if score_param else None
        below = cut is not None and row["income_score"] <= cut
        lines.append(
            w["score"].format(
                score=number_vi(row["income_score"]),
                area=area_word,
                line=number_vi(cut),
                cmp=w["at_or_below" if below else "above"],
                mark=_mark(score_param, lang),
            )
        )
    near = standard.param("near_poor_line", area)
    if near is not None and row["income_basis"] == "income":
        lines.append(w["near_line"].format(area=area_word, line=vnd(near.at(when)), mark=_mark(near, lang)))
    avg = standard.param("average_upper", area)
    if avg is not None:
        lines.append(w["avg_line"].format(area=area_word, line=vnd(avg.at(when)), mark=_mark(avg, lang)))
    else:
        lines.append(w["no_avg"])
    cutoff = standard.param("deprivation_cutoff")
    cut_value = cutoff.at(when) if cutoff else 3
    deprived = [i for i in standard.indicators if row.get(f"deprived_{i.id}") == 1]
    count_words = w["count"] if deprived else w["count_none"]
    lines.append(
        count_words.format(
            n=row["deprivation_count"], total=len(standard.indicators), cut=cut_value, mark=_mark(cutoff, lang)
        )
    )
    for ind in deprived:
        name = ind.name_vi if lang == "vi" else ind.name_en
        description = (ind.description_vi if lang == "vi" else ind.description_en).rstrip(".")
        text = f"  - {name}: {description}"
        who = row.get(f"members_{ind.id}")
        if who:
            text += f" ({', '.join(f'{names[m]} ({m})' if m in names else m for m in who.split(','))})"
        lines.append(f"{text}. {w['ref']}: {source_in(ind.reference, ind.reference_en, lang)}{_mark(ind, lang)}.")
    if row.get("unknown_indicators"):
        lines.append(w["unknown"].format(names=row["unknown_indicators"]))
    if row.get("multidimensional_deprived") == 1:
        lines.append(w["multi"].format(cut=cut_value))
    marked = [value_line, near, avg, cutoff, *deprived]
    if any(item is not None and not item.verified for item in marked):
        lines.append(w["legend"])
    return "\n".join(lines)
