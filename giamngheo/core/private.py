"""The data folder holds personal data (the SQLite file and its WAL, uploads, exports, documents,
photos): readable by the service's own user only, like the backups and the secret key."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077  # new files 0600, new folders 0700


def private_umask() -> None:
    """Called at process start (every command, the WSGI app), before any file is created."""
    os.umask(PRIVATE_UMASK)


def make_private(folder: Path) -> None:
    """Close up a data folder made before this rule (or copied in): folders 0700, files 0600."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    folder.chmod(0o700)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(0o700)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode & 0o700 | 0o600)
