"""Report pages: the report set with downloads, dashboards and what-if runs (thin over reports.selectors)."""

from __future__ import annotations

from contextlib import nullcontext

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from giamngheo.core import clock

from ..accounts.access import pickable_units
from ..accounts.picker import unit_picker
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from ..core.words import language
from ..policies.report_tables import coverage_tiles
from ..reports import pdf_jobs, selectors
from ..reports.render import FORMATS, PDF_BACKGROUND_ROWS, TooLargeForPdfError, check_pdf_size, table_context
from ..reports.render import render as render_file
from ..standards.params import UnknownStandardError, available_standards, resolve_standard, tunable_values


def _whatif_fields(standard: str) -> list:
    """The chosen standard's numeric thresholds (label, YAML name, value today, verified): picked, not typed."""
    try:
        chosen = resolve_standard(standard, clock.today())
    except UnknownStandardError:
        return []  # the run says why; the form offers nothing to edit
    return [t for t in tunable_values(chosen, clock.today()) if _is_number(t.value)]


def _standard_title(standard_id: str) -> str:
    """A standard as its title names it, in the reader's language ("Chuẩn nghèo đa chiều 2022-2025")."""
    from ..core.words import pick
    from ..standards.params import load_standard

    chosen = load_standard(standard_id)
    return pick(chosen.title_vi, chosen.title_en)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _choice(request) -> tuple[str, str]:
    units = selectors.report_units(request.user)
    code = request.GET.get("unit") or (units[0][0] if units else "")
    return code, request.GET.get("period") or str(clock.today().year)


_lang = language  # the reader's language, from core.words


def _index(request, code: str, period: str, error: ServiceError | None = None):
    """The report menu; with `error`, the menu again with the reason the request was refused (400)."""
    return render(
        request,
        "web/reports/index.html",
        {
            "reports": selectors.report_cards(),
            "picker": _picker(request, code, period),
            "unit": code,
            "period": period,
            "error": error,
        },
        status=400 if error else 200,
    )


def _on(period: str | None):
    """The day a period's units are read on (old units before 1 July 2025); today without a period."""
    from ..reports.period import parse_period

    try:
        return parse_period(period).reference_date if period else clock.today()
    except ValueError:
        return clock.today()  # the report itself says why the period is refused


def _picker(request, code: str, period: str | None):
    """The unit picker for the page: province, then its units, the code in the query string chosen."""
    return unit_picker(
        request.user,
        on=_on(period),
        province=request.GET.get("province", ""),
        unit=code,
        query=request.GET.get("q", ""),
    )


@login_required
def unit_search(request):
    """The unit picker's parts (htmx), units the user may report on in force on the period's date:
    `part=picker` the whole picker (the period changed), `province=` the unit select's options for
    that province, filtered by `q` (the name without diacritics). Without either, the units whose name
    holds `unit` anywhere (the older search, kept for links)."""
    period = request.GET.get("period")
    if request.GET.get("part") == "picker" or "province" in request.GET:
        template = (
            "web/reports/_unit_input.html" if request.GET.get("part") == "picker" else "web/reports/_unit_choices.html"
        )
        picker = _picker(request, request.GET.get("unit", ""), period)
        return render(request, template, {"picker": picker, "period": period})
    units = pickable_units(request.user, on=_on(period), query=request.GET.get("unit", ""))
    return render(request, "web/reports/_unit_options.html", {"options": units})


@login_required
def report_index(request):
    return _index(request, *_choice(request))


@login_required
def report_page(request, name: str):
    """The report as a page; ?format=xlsx|pdf|csv downloads the same table."""
    code, period = _choice(request)
    fmt = request.GET.get("format", "")
    files = translation.override("vi") if fmt in FORMATS else nullcontext()  # files are Vietnamese (ADR 0008)
    try:
        with files:
            table = selectors.report_table(
                request.user,
                name,
                code,
                period,
                k=request.GET.get("k") or None,
                weighting="nested" if request.GET.get("weights") == "nested" else "equal",
                with_chart=fmt in ("", "pdf"),
            )
    except AccessDenied:
        raise
    except ServiceError as exc:
        if exc.field == "name":
            raise Http404 from exc
        return _index(request, code, period, exc)
    if fmt in FORMATS:
        try:
            if fmt == "pdf":
                check_pdf_size(table)
            if fmt == "pdf" and len(table.rows) > PDF_BACKGROUND_ROWS:  # minutes of layout: a job, not a request
                job = pdf_jobs.report_pdf_request(
                    actor=request.user,
                    name=name,
                    code=code,
                    period=period,
                    k=request.GET.get("k") or None,
                    weighting="nested" if request.GET.get("weights") == "nested" else "equal",
                    rows=len(table.rows),
                )
                return redirect("report_job", token=job.token)
            with translation.override("vi"):
                data = render_file(table, fmt)
        except TooLargeForPdfError as exc:  # said in the page, never as a text body saved as download.txt
            vi, _, en = str(exc).partition(" / ")
            return _index(request, code, period, ServiceError(vi, en or vi, field="format"))
        audit(request.user, "report.export", None, name=name, unit=code, period=period, format=fmt)
        response = HttpResponse(data, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}-{code}-{period}.{fmt}"'
        return response
    if name.startswith("danh-sach"):  # named people, with national ids for commune staff: every view is logged
        audit(request.user, "report.view", None, name=name, unit=code, period=period)
    shown = table.rows if len(table.rows) <= 2000 else table.rows[:2000]
    truncated = len(table.rows) - len(shown)
    table.rows = shown
    return render(
        request,
        "web/reports/report.html",
        {
            **table_context(table, _lang()),
            "name": name,
            "unit": code,
            "period": period,
            "truncated": truncated,
            "chart": {**table.chart, "width": "container"} if table.chart else None,  # json_script in the page
            "formats": list(FORMATS),
        },
    )


@login_required
def report_job(request, token: str):
    """A background PDF's page: progress (refreshed by htmx), then the download link."""
    job = pdf_jobs.report_job_get(request.user, token)
    template = "web/reports/_job.html" if request.htmx else "web/reports/job.html"
    return render(request, template, {"job": job})


@login_required
def report_job_download(request, token: str):
    try:
        job = pdf_jobs.report_job_download(request.user, token)
    except AccessDenied:
        raise
    except ServiceError as exc:
        return render(
            request,
            "web/reports/job.html",
            {"job": pdf_jobs.report_job_get(request.user, token), "error": exc},
            status=409,
        )
    return FileResponse(open(job.file, "rb"), as_attachment=True, filename=job.filename)  # noqa: SIM115


@login_required
def dashboard(request):
    code, period = _choice(request)
    try:
        context = selectors.dashboard(request.user, code, period)
        context["coverage"] = coverage_tiles(request.user, code, period)
    except AccessDenied:
        raise
    except ServiceError as exc:
        return _index(request, code, period, exc)
    specs = {
        f"vegalite-{k}": {**v, "width": "container"}  # fill the card on any screen; json_script in the page
        for k, v in context.pop("specs").items()
        if v
    }
    return render(
        request,
        "web/reports/dashboard.html",
        {**context, "specs": specs, "code": code, "picker": _picker(request, code, period)},
    )


@login_required
def whatif(request):
    """Pick a standard and edit thresholds; the table shows per commune how many households would change."""
    code, _ = _choice(request)
    standard = request.GET.get("standard") or "auto"
    overrides, error, table, moves = {}, None, None, None
    fields = _whatif_fields(standard)
    lines = [f"{f.name}={request.GET[f.name]}" for f in fields if request.GET.get(f.name, "").strip()]
    try:
        overrides = selectors.parse_overrides(lines + (request.GET.get("more") or "").splitlines())
    except ValueError as exc:
        error = ServiceError(*str(exc).split(" / ", 1))
    if error is None and request.GET.get("run"):
        try:
            table, moves = selectors.whatif(request.user, code, standard=standard, overrides=overrides)
        except AccessDenied:
            raise
        except ServiceError as exc:
            error = exc
    context = {
        "picker": _picker(request, code, None),
        "unit": code,
        "standards": [(s, _standard_title(s)) for s in available_standards()],
        "standard": standard,
        "fields": [(f, request.GET.get(f.name, "")) for f in fields],
        "more": request.GET.get("more", ""),
        "error": error,
        "moves": moves.iter_rows(named=True) if moves is not None else None,
    }
    if table is not None:
        context |= table_context(table, _lang())
    template = "web/reports/_whatif_result.html" if request.htmx else "web/reports/whatif.html"
    return render(request, template, context, status=400 if error else 200)
