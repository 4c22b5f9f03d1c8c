"""A table handed to the browser as a file: one writer (`core.spreadsheets.write_frame`, so text that
looks like a formula stays text) for every list a page offers to download."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.http import FileResponse

from ..core.spreadsheets import write_frame


def frame_download(frame, name: str, *, sheet: str) -> FileResponse:
    """`frame` as the .xlsx or .csv file `name` (its suffix decides), sent as an attachment."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write_frame(frame, path, sheet=sheet)
        content = path.read_bytes()
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)
