"""Report numbers from the registry, through the area scope: counts by status, deprivation statistics."""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from giamngheo.core import clock
from giamngheo.core.words import Said, pick

from ..accounts.access import ALL, Scope, area_scope, visible_unit_ids
from ..review.statuses import latest_of
from ..standards.contract import CATEGORY_LABELS
from ..standards.params import Standard
from .alkire_foster import AFResult
from .period import Period


def summary_rows(actor, code: str, period_text: str) -> list[dict]:
    """Per commune with households: resident households, and poor / near-poor households by their latest
    recognised status at the period's end; the commune rows of the report `ket-qua` (one path)."""
    table = report_table(actor, "ket-qua", code, period_text, with_chart=False)
    return [
        {
            "admin_code": row["code"],
            "name": row["name"],
            "households": row["households"],
            "poor": row["poor"],
            "near_poor": row["near"],
            "poor_rate": row["poor"] / row["households"],
            "near_poor_rate": row["near"] / row["households"],
        }
        for row in table.rows
        if row["_level"] == "commune" and row["households"]
    ]


def deprivation_statistics(
    actor, code: str, period_text: str, k: str | None = None
) -> tuple[AFResult, Fraction, list[str]]:
    """(H, A, M0, the k used, indicators) of the engine run on the unit's registry, as the report `mpi`
    computes them: the standard's own cut-off unless `k` is given, equal weights."""
    from .live import af_overall, live_run

    scope, _ = report_scope(actor, code, period_text)
    result, used, _, indicators, _ = af_overall(live_run(scope), k)
    return result, used, indicators


# -- the report set, what-if and dashboards: one entry point for the CLI, the web and the API ------------

LIVE_REPORTS = {
    "mpi": ("Chỉ số nghèo đa chiều (Alkire-Foster)", "Alkire-Foster measures"),
    "mpi-chi-so": ("Đóng góp của từng chỉ số (Alkire-Foster)", "Indicator contributions (Alkire-Foster)"),
}


def report_names() -> list[tuple[str, str, str]]:
    """(name, Vietnamese title, English title) of every report, in menu order."""
    from .tables import REPORTS

    return [(k.name, k.title_vi, k.title_en) for k in REPORTS.values()] + [(n, *t) for n, t in LIVE_REPORTS.items()]


def report_cards() -> list[tuple[str, str, str]]:
    """(name, title, description) of every report in the reader's language, in menu order: the menu's
    cards show the title and the description (where there is one), never the name in the address."""
    from .tables import REPORTS

    described = {k.name: (k.description_vi, k.description_en) for k in REPORTS.values()}
    return [(name, pick(vi, en), pick(*described.get(name, ("", "")))) for name, vi, en in report_names()]


def report_scope(actor, code: str, period_text: str) -> tuple[Scope, Period]:
    """(scope, period) for a code as in force in the period, read on its reference date; errors name what
    is wrong in both languages; a unit the actor cannot read whole is refused (`area_scope`)."""
    from ..core.errors import ServiceError
    from ..geo.selectors import unit_by_code
    from .period import parse_period

    try:
        period = parse_period(period_text)
    except ValueError as exc:
        vi, _, en = str(exc).partition(" / ")
        raise ServiceError(vi, en or vi, field="period") from exc
    unit = unit_by_code(code, period.reference_date)
    if unit is None:
        raise ServiceError(
            f"Không có đơn vị mã {code} ngày {period.reference_date:%d/%m/%Y}",
            f"no unit with code {code} on {period.reference_date.isoformat()}",
            field="unit",
        )
    return area_scope(actor, unit, on=period.reference_date), period


NO_HOUSEHOLDS = Said(
    "Không có hộ nào trong phạm vi này: mọi số liệu bằng 0.", "No household in this scope: every figure is 0."
)
NO_DECISION = Said(
    "Chưa có quyết định công nhận hộ nghèo, hộ cận nghèo nào đến hết kỳ: số hộ nghèo, cận nghèo bằng 0.",
    "No household recognised poor or near-poor by the end of the period: those counts are 0.",
)


def empty_notes(data) -> list[str]:
    """Why a report is all zeros (nothing registered, or nothing recognised yet), so a 0 is not read as a fact."""
    counts = data.household_counts
    if counts.is_empty():
        return [NO_HOUSEHOLDS]
    if counts.filter(pl.col("end_category").is_not_null()).is_empty():
        return [NO_DECISION]
    return []


def report_table(
    actor,
    name: str,
    code: str,
    period_text: str,
    *,
    k: str | None = None,
    weighting: str = "equal",
    with_chart: bool = True,
):
    """The named report for a unit and period, as a `Table` (refused unless the actor may read all of it)."""
    from ..core.errors import ServiceError
    from .charts import table_chart
    from .data import ReportData
    from .live import af_table, indicator_table, live_run
    from .tables import REPORTS

    if name not in REPORTS and name not in LIVE_REPORTS:
        known = ", ".join(n for n, _, _ in report_names())
        raise ServiceError(
            f"Không có báo cáo {name!r} (có: {known})", f"no report {name!r} (known: {known})", field="name"
        )
    scope, period = report_scope(actor, code, period_text)
    unit = scope.unit
    if name in LIVE_REPORTS:
        run = live_run(scope)
        build = af_table if name == "mpi" else indicator_table
        try:
            table = build(run, unit.name, k=k, weighting=weighting)
        except (ValueError, ArithmeticError, ZeroDivisionError) as exc:
            raise ServiceError(
                f"k không hợp lệ: {str(k)[:20]}", f"invalid k: {str(k)[:20]} ({exc})", field="k"
            ) from exc
        if run.result.is_empty():
            table.notes.append(NO_HOUSEHOLDS)
    else:
        data = ReportData(actor, scope, period)
        table = REPORTS[name].build(data)
        table.notes += empty_notes(data)
    if with_chart:
        table.chart = table_chart(table)
    return table


def _number(text: str) -> int | float:
    """1.500.000 and 1500000 are 1500000; 0,5 and 0.5 are 0.5 (Vietnamese and English writing)."""
    import re

    text = text.strip().replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        return int(text.replace(".", ""))
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    raise ValueError(text)


def parse_overrides(pairs: list[str]) -> dict:
    """`NAME=VALUE` lines as a dict for `standards.params.with_overrides`."""
    out = {}
    for pair in pairs:
        if not pair.strip():
            continue
        name, sep, value = pair.partition("=")
        try:
            out[name.strip()] = _number(value) if sep else _number("")
        except ValueError:
            raise ValueError(f"cần TÊN=SỐ: {pair!r} / expected NAME=NUMBER: {pair!r}") from None
    return out


MAX_VND = 100_000_000  # a month's income line per person: far above any line, far below an overflow
MAX_AMOUNT = 1_000_000  # any other threshold (m², persons, years): a sane cap


def check_overrides(standard: Standard, overrides: dict) -> None:
    """Every edited threshold within its meaning: an amount in VND from 0 to MAX_VND, the deprivation
    count from 0 to the number of indicators, a share from 0 to 1, anything else from 0 to MAX_AMOUNT."""
    from ..core.errors import ServiceError

    for name, value in overrides.items():
        if name.startswith("income_line") or name.endswith("_vnd"):
            low, high, what = 0, MAX_VND, ("số tiền (đồng)", "an amount in VND")
        elif name == "deprivation_cutoff":
            low, high, what = 0, len(standard.indicators), ("số chỉ số thiếu hụt", "a count of indicators")
        elif "share" in name or "ratio" in name:
            low, high, what = 0, 1, ("tỷ lệ", "a share")
        else:
            low, high, what = 0, MAX_AMOUNT, ("giá trị", "a value")
        integer_only = name == "deprivation_cutoff" or name.startswith("income_line")
        if not isinstance(value, int | float) or not low <= value <= high or (integer_only and value != int(value)):
            raise ServiceError(
                f"{name} = {str(value)[:30]}: cần {what[0]} từ {low} đến {high:,}".replace(",", "."),
                f"{name} = {str(value)[:30]}: expected {what[1]} from {low} to {high:,}",
                field=name,
            )


def whatif(actor, code: str, *, standard: str = "auto", overrides: dict | None = None, when=None):
    """(table, moves) of households changing category if `standard` with `overrides` applied today."""

    from ..core.errors import ServiceError
    from ..geo.selectors import unit_by_code
    from ..standards.params import UnknownStandardError, load_standard, resolve_standard, with_overrides
    from .live import live_run, whatif_table

    when = when or clock.today()
    unit = unit_by_code(code, when)
    if unit is None:
        raise ServiceError(f"Không có đơn vị mã {code}", f"no unit with code {code}", field="unit")
    scope = area_scope(actor, unit, on=when)
    try:
        alternative = resolve_standard("auto", when) if standard == "auto" else load_standard(standard)
        if overrides:
            check_overrides(alternative, overrides)
            alternative = with_overrides(alternative, overrides)
    except UnknownStandardError as exc:
        raise ServiceError(*str(exc).split(" / ", 1), field="standard") from exc
    current = live_run(scope)
    other = live_run(scope, alternative)  # the same shared frames, not only what `current` classified
    return whatif_table(current, other, unit.name)


def report_units(actor) -> list[tuple[str, str]]:
    """(code, name) of the units a user reports on: their assignments, or the 34 provinces for national roles."""

    from ..accounts.access import active_assignments
    from ..geo.selectors import provinces_on

    if visible_unit_ids(actor) is ALL:
        return [(p.code, p.name) for p in provinces_on(clock.today())]
    return [(a.unit.code, a.unit.name) for a in active_assignments(actor) if a.unit is not None]


def trend_rows(data) -> list[dict]:
    """Poor and near-poor households in the scope after each month with a decision (for the trend chart)."""
    statuses = data.statuses.join(data.households.select("household_pk"), on="household_pk", how="semi")
    if statuses.is_empty():
        return []
    months = statuses.get_column("valid_from").dt.month_end().unique().sort().to_list()
    rows = []
    for month_end in months:
        latest = latest_of(statuses.filter(pl.col("valid_from") <= month_end))
        for category in ("poor", "near_poor"):
            label = pick(*CATEGORY_LABELS[category])  # as the chart's legend names it
            rows.append(
                {
                    "date": month_end.isoformat(),
                    "group": label,
                    "households": int((latest.get_column("category") == category).sum()),
                }
            )
    return rows


def dashboard(actor, code: str, period_text: str) -> dict:
    """Everything a commune's or a province's dashboard shows, as numbers and Vega-Lite specs."""
    from ..review.selectors import open_rounds_in
    from . import charts
    from .data import ReportData
    from .tables import by_cause, poor_deprivations, results

    scope, period = report_scope(actor, code, period_text)
    unit = scope.unit
    data = ReportData(actor, scope, period)
    summary = results(data)
    total = summary.total_row()
    communes = [r for r in summary.rows if r["_level"] == "commune"]
    located = data.units.select("commune_code", "lat", "lon").drop_nulls()
    where = {c: (lat, lon) for c, lat, lon in located.iter_rows()}
    dots = [
        {
            "name": r["name"],
            "poor": r["poor"],
            "poor_rate": r["poor_rate"] or 0,
            "lat": where[r["code"]][0],
            "lon": where[r["code"]][1],
        }
        for r in communes
        if r["code"] in where
    ]
    open_rounds = open_rounds_in(scope)
    specs = {
        "trend": charts.trend(
            trend_rows(data),
            pick(
                "Số hộ nghèo, cận nghèo sau mỗi tháng có quyết định",
                "Poor and near-poor households after each month with a decision",
            ),
        ),
        "indicators": charts.table_chart(poor_deprivations(data)),
        "causes": charts.table_chart(by_cause(data)),
    }
    if len(communes) > 1:
        specs["rates"] = charts.table_chart(summary)
        if dots:
            specs["map"] = charts.dots_map(
                dots, pick("Hộ nghèo theo xã (vị trí trung tâm xã)", "Poor households by commune (commune centres)")
            )
    return {
        "unit": unit,
        "period": period,
        "total": total,
        "specs": specs,
        "rounds": list(open_rounds),
        "communes": len(communes),
        "notes": empty_notes(data),
    }
