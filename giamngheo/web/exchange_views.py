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

from ..accounts.access import can_write_unit
from ..core.errors import ServiceError
from ..exchange.services import import_job_get, import_request
from ..exchange.template import write_template
from ..geo.selectors import unit_get


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
