"""Pages to bring data in: the Excel template, an upload, and the import's progress and outcome."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..accounts.access import can_record_decision, can_write_unit
from ..core.errors import ServiceError
from ..core.words import pick
from ..exchange.decisions import (
    decision_file_import,
    decision_upload_discard,
    decision_upload_path,
    decision_upload_save,
)
from ..exchange.services import import_job_get, import_request
from ..exchange.template import write_template
from ..geo.selectors import unit_get
from ..standards.contract import CATEGORY_LABELS
from ..standards.formats import parse_date_vi
from ..standards.problems import InputError


@login_required
def template_download(request):
    """Written in a temporary folder that is removed at once (the workbook is small: sent from memory)."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(Path(folder) / "mau-nhap-lieu-ho-ngheo.xlsx")
        content = path.read_bytes()
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=path.name)


@login_required
def import_upload(request, unit_id: int):
    if not can_write_unit(request.user, unit_id):
        raise Http404
    commune = unit_get(unit_id)
    if request.method == "POST":
        if "households" not in request.FILES:
            messages.error(request, _("Chọn tệp hộ (hoặc một tệp Excel có hai trang)"))
        else:
            try:
                job = import_request(
                    actor=request.user,
                    commune=commune,
                    households_upload=request.FILES["households"],
                    members_upload=request.FILES.get("members"),
                )
                return redirect("import_job", job_id=job.pk)
            except ServiceError as exc:
                messages.error(request, exc.text())
    return render(request, "web/import_upload.html", {"commune": commune})


@login_required
def import_job(request, job_id: int):
    job = import_job_get(request.user, job_id)
    template = "web/_import_job.html" if request.htmx else "web/import_job.html"
    return render(request, template, {"job": job})


@login_required
def import_marked(request, job_id: int):
    job = import_job_get(request.user, job_id)
    if not job.marked_file:
        raise Http404
    return FileResponse(
        open(job.marked_file, "rb"),
        as_attachment=True,  # noqa: SIM115
        filename="loi-danh-dau.xlsx",
    )


SESSION_DECISION = "decision_uploads"  # token -> the preview's number, date, kind, unit and file name
PREVIEWS_KEPT = 5  # previews one session may have open at once (tabs)


def _decision_form(request) -> tuple[dict, str | None]:
    """The decision's number, date and kind as typed, and what is wrong with them (None when fine)."""
    values = {k: request.POST.get(k, "").strip() for k in ("number", "date", "kind")}
    try:
        parse_date_vi(values["date"])
    except ValueError:
        return values, _("Ngày quyết định không hợp lệ (dd/mm/yyyy)")
    if values["kind"] not in ("periodic", "regular"):
        return values, _("Chọn loại đợt rà soát")
    return values, None


PROBLEMS_SHOWN = 200  # a 200,000-row file of mistakes made a 22.8 MB page


def _shown_problems(exc: InputError) -> dict:
    """The first PROBLEMS_SHOWN problems for the page, and how many there are in all."""
    return {"problems": exc.problems[:PROBLEMS_SHOWN], "problems_total": len(exc.problems)}


@login_required
def decision_import(request, unit_id: int):
    """A decision the commune took before giamngheo: upload its list, see what it brings, confirm.

    The upload is kept under the data folder between the preview and the confirmation, named by a
    token this session holds (never a path sent by the browser), and removed when either ends."""
    if not can_record_decision(request.user, unit_id):
        raise Http404
    commune = unit_get(unit_id)
    context: dict = {"commune": commune, "values": {"kind": "periodic"}, "problems": [], "result": None, "done": None}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        # the preview this button sits under, by its token: another tab's later preview must not be
        # what gets recorded (it was: the session kept one upload, the last one previewed)
        token = request.POST.get("token", "")
        previews = dict(request.session.get(SESSION_DECISION) or {})
        kept = previews.pop(token, None) or {}
        if kept.get("unit") != unit_id:
            messages.error(request, _("Tệp tải lên không còn; hãy tải lại"))
            return redirect("decision_import", unit_id=unit_id)
        try:
            result = decision_file_import(
                actor=request.user,
                unit=commune,
                path=decision_upload_path(kept["token"]),
                number=kept["number"],
                date=parse_date_vi(kept["date"]),
                kind=kept["kind"],
                label=kept["name"],
            )
        except InputError as exc:
            context.update(_shown_problems(exc))
        except ServiceError as exc:
            messages.error(request, exc.text())
        else:
            context["done"] = result
        finally:
            decision_upload_discard(token)
            request.session[SESSION_DECISION] = previews
    elif request.method == "POST":
        values, error = _decision_form(request)
        context["values"] = values
        upload = request.FILES.get("file")
        if error or upload is None:
            messages.error(request, error or _("Chọn tệp danh sách (.xlsx hoặc .csv)"))
        else:
            token = ""
            try:
                token = decision_upload_save(actor=request.user, unit=commune, upload=upload)
                context["result"] = decision_file_import(
                    actor=request.user,
                    unit=commune,
                    path=decision_upload_path(token),
                    number=values["number"],
                    date=parse_date_vi(values["date"]),
                    kind=values["kind"],
                    label=upload.name,
                    check_only=True,
                )
            except InputError as exc:
                context.update(_shown_problems(exc))
            except ServiceError as exc:
                messages.error(request, exc.text())
            if context["result"] is not None:
                context["counts"] = [(pick(*CATEGORY_LABELS[c]), n) for c, n in context["result"].counts.items()]
            if context["result"] is not None and not context["result"].already_recorded:
                previews = dict(request.session.get(SESSION_DECISION) or {})
                while len(previews) >= PREVIEWS_KEPT:  # the oldest preview of this session goes, file and all
                    decision_upload_discard(previews.pop(next(iter(previews))).get("token", ""))
                previews[token] = {**values, "token": token, "unit": unit_id, "name": upload.name}
                request.session[SESSION_DECISION] = previews
                context["token"] = token
            elif token:
                decision_upload_discard(token)
    return render(request, "web/decision_import.html", context)
