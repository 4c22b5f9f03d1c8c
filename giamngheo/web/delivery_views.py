"""The page an agency's delivery list is brought in by (issue #16 items 4 and 7): the same import as
`giamngheo benefits import --unit`, all-or-nothing, every problem by row and column."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..accounts.access import may_import_deliveries_in
from ..core.errors import ServiceError
from ..core.words import pick
from ..geo.selectors import unit_get
from ..policies.catalogue import catalogue
from ..policies.deliveries import deliveries_import
from ..standards.problems import InputError
from .exchange_views import _shown_problems


@login_required
def delivery_import(request, unit_id: int):
    """Choose one of the policies the user imports for this unit, upload the list, see the outcome."""
    try:
        unit = unit_get(unit_id)
    except Exception as exc:  # an unknown id looks like one that is not the user's
        raise Http404 from exc
    policies = [(pid, pick(p.name_vi, p.name_en)) for pid, p in catalogue().items()]
    allowed = [(pid, name) for pid, name in policies if may_import_deliveries_in(request.user, unit, pid)]
    if not allowed:
        raise Http404
    context: dict = {"unit": unit, "policies": allowed, "chosen": allowed[0][0], "problems": [], "done": None}
    if request.method == "POST":
        chosen, upload = request.POST.get("policy", ""), request.FILES.get("file")
        context["chosen"] = chosen
        if chosen not in dict(allowed):
            raise Http404
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None or suffix not in (".csv", ".xlsx"):
            messages.error(request, _("Chọn tệp danh sách (.xlsx hoặc .csv)"))
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"danh-sach{suffix}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    context["done"] = deliveries_import(
                        actor=request.user, policy_id=chosen, path=path, unit=unit, label=upload.name
                    )
                except InputError as exc:
                    context.update(_shown_problems(exc))
                except ServiceError as exc:
                    messages.error(request, exc.text())
    return render(request, "web/delivery_import.html", context)
