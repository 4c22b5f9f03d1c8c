"""Plain words for one household's result, in Vietnamese or English.

Reads a classification row (as returned by `classify`) and the standard, so the CLI, the web
app and the PDFs say the same thing. Every threshold not read in the legal text is marked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .contract import CATEGORY_LABELS
from .formats import date_vi, number_vi, vnd
from .params import CONFIDENCE_WORDS, Parameter, Standard

WORDS: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Kết quả rà soát hộ {hid} theo {std} (ngày tham chiếu {date})",
        "area": {"rural": "nông thôn", "urban": "thành thị"},
        "income": "Thu nhập bình quân: {income}/người/tháng; chuẩn nghèo khu vực {area}: {line} → {cmp}.",
        "score": "Điểm thu nhập (điểm A): {score}; ngưỡng khu vực {area}: {line} điểm → {cmp}.",
        "at_or_below": "thấp hơn hoặc bằng chuẩn",
        "above": "cao hơn chuẩn",
        "near_line": "Chuẩn cận nghèo (mức sống tối thiểu) khu vực {area}: {line}.",
        "avg_line": "Mức trên của hộ có mức sống trung bình khu vực {area}: {line}.",
        "no_avg": "Chuẩn này chưa có mức sống trung bình đã kiểm chứng: hộ trên chuẩn được xếp 'hộ khác'.",
        "count": "Số chỉ số thiếu hụt: {n}/{total} (hộ nghèo cần từ {cut} chỉ số trở lên).",
        "deprived": "Thiếu hụt",
        "members": "thành viên",
        "ref": "Căn cứ",
        "unknown": "Chưa đủ thông tin để xác định: {names}.",
        "result": "Kết luận: {cat}.",
        "multi": "Hộ thiếu hụt đa chiều (thu nhập trên chuẩn cận nghèo và thiếu hụt từ {cut} chỉ số).",
        "unverified": "chưa kiểm chứng",
        "unverified_head": "Các ngưỡng được dùng chưa đối chiếu văn bản pháp luật:",
        "none": "Hộ không thiếu hụt chỉ số nào.",
    },
    "en": {
        "title": "Review result of household {hid} under {std} (reference date {date})",
        "area": {"rural": "rural", "urban": "urban"},
        "income": "Income per person: {income} a month; {area} poverty line: {line} → {cmp}.",
        "score": "Income score (score A): {score}; {area} cut-off: {line} points → {cmp}.",
        "at_or_below": "at or below the line",
        "above": "above the line",
        "near_line": "Near-poor line (minimum living standard), {area}: {line}.",
        "avg_line": "Upper bound of average living standard, {area}: {line}.",
        "no_avg": "This standard has no verified average-living band: households above the line are 'other'.",
        "count": "Deprivations: {n} of {total} (a poor household has {cut} or more).",
        "deprived": "Deprived",
        "members": "members",
        "ref": "Source",
        "unknown": "Not enough information to decide: {names}.",
        "result": "Result: {cat}.",
        "multi": "Multidimensionally deprived (income above the near-poor line and {cut} or more deprivations).",
        "unverified": "unverified",
        "unverified_head": "Thresholds used that were not read in the legal text:",
        "none": "The household is not deprived in any indicator.",
    },
}


def _mark(parameter: Parameter | None, lang: str) -> str:
    if parameter is None or parameter.verified:
        return ""
    return f" [{WORDS[lang]['unverified']}: {CONFIDENCE_WORDS[parameter.confidence][0 if lang == 'vi' else 1]}]"


def explain_row(
    row: dict[str, Any],
    standard: Standard,
    lang: str = "vi",
    member_names: dict[str, str] | None = None,
) -> str:
    """Explain one classification row. `member_names` maps member_id to a full name when known."""
    w = WORDS[lang]
    when: dt.date = row["as_of"]
    area = row["area"]
    area_word = w["area"][area]
    names = member_names or {}
    lines = [w["title"].format(hid=row["household_id"], std=f"{standard.id} ({standard.legal_basis})",
                               date=date_vi(when) if lang == "vi" else when.isoformat())]
    value_line = standard.param("income_line", area)
    if row["income_basis"] == "income":
        below = row["income_per_capita_month"] <= row["income_line"]
        lines.append(w["income"].format(income=vnd(row["income_per_capita_month"]), area=area_word,
                                        line=vnd(row["income_line"]),
                                        cmp=w["at_or_below" if below else "above"]) + _mark(value_line, lang))
    else:
        score_param = standard.param("income_score_cutoff", area)
        cut = score_param.at(when) if score_param else None
        below = cut is not None and row["income_score"] <= cut
        lines.append(w["score"].format(score=number_vi(row["income_score"]), area=area_word, line=cut,
                                       cmp=w["at_or_below" if below else "above"]) + _mark(score_param, lang))
    near = standard.param("near_poor_line", area)
    if near is not None and row["income_basis"] == "income":
        lines.append(w["near_line"].format(area=area_word, line=vnd(near.at(when))) + _mark(near, lang))
    avg = standard.param("average_upper", area)
    if avg is not None:
        lines.append(w["avg_line"].format(area=area_word, line=vnd(avg.at(when))) + _mark(avg, lang))
    else:
        lines.append(w["no_avg"])
    cutoff = standard.param("deprivation_cutoff")
    cut_value = cutoff.at(when) if cutoff else 3
    lines.append(w["count"].format(n=row["deprivation_count"], total=len(standard.indicators), cut=cut_value)
                 + _mark(cutoff, lang))
    deprived = [i for i in standard.indicators if row.get(f"deprived_{i.id}") == 1]
    for ind in deprived:
        name = ind.name_vi if lang == "vi" else ind.name_en
        description = ind.description_vi if lang == "vi" else ind.description_en
        text = f"  - {w['deprived']}: {name}. {description}"
        who = row.get(f"members_{ind.id}")
        if who:
            people = [f"{names[m]} ({m})" if m in names else m for m in who.split(",")]
            text += f" ({w['members']}: {', '.join(people)})"
        text += f". {w['ref']}: {ind.reference}"
        if not ind.verified:
            text += f" [{w['unverified']}: {CONFIDENCE_WORDS[ind.confidence][0 if lang == 'vi' else 1]}]"
        lines.append(text)
    if not deprived:
        lines.append("  " + w["none"])
    if row.get("unknown_indicators"):
        lines.append(w["unknown"].format(names=row["unknown_indicators"]))
    label = CATEGORY_LABELS[row["category"]][0 if lang == "vi" else 1]
    lines.append(w["result"].format(cat=label))
    if row.get("multidimensional_deprived") == 1:
        lines.append(w["multi"].format(cut=cut_value))
    unverified = [p for p in (value_line, near, avg, cutoff) if p is not None and not p.verified]
    if unverified:
        lines.append(w["unverified_head"])
        lines += [f"  - {p.name} = {number_vi(p.at(when))}: {p.reference}{_mark(p, lang)}" for p in unverified]
    return "\n".join(lines)
