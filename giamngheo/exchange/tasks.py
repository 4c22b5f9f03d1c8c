"""Background import from the web app: validate everything, write all or nothing, report back."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from ..standards.problems import InputError
from ..standards.reading import read_table
from .importing import import_files
from .marking import marked_workbook
from .models import ImportJob


def _set(job_id: int, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


@task()
def run_import(job_id: int) -> str:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    _set(job_id, state=ImportJob.State.RUNNING, percent=10)
    households = Path(job.households_path)
    members = Path(job.members_path) if job.members_path else None
    try:
        result = import_files(actor=job.created_by, households=households, members=members)
    except InputError as exc:
        same = members is None
        frames = {
            "households": (read_table(households, "households"), f"{households}[households]" if same else str(households)),
            "members": (read_table(members or households, "members"), f"{households}[members]" if same else str(members)),
        }
        marked = marked_workbook(households.with_name("loi-danh-dau.xlsx"), frames, exc.problems)
        _set(job_id, state=ImportJob.State.REJECTED, percent=100, marked_file=str(marked),
             problems=[{"file": Path(p.file).name, "row": p.row, "column": p.column, "vi": p.message_vi,
                        "en": p.message_en} for p in exc.problems])
        return "rejected"
    except Exception as exc:
        _set(job_id, state=ImportJob.State.FAILED, percent=100, summary=str(exc)[:2000])
        raise
    _set(job_id, state=ImportJob.State.DONE, percent=100, summary=result.summary())
    return "done"
