"""The one clock of the app, so that tests, the demo and a rehearsal can fix the date.

Every "today" and "now" in product code comes from here (a test greps for `date.today()`).
`GIAMNGHEO_TODAY=YYYY-MM-DD` fixes the date for a whole process (the demo, a CI run "as of"
05/01/2027); `fixed(date)` fixes it inside a block (tests).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator

from django.utils import timezone

_fixed: dt.date | None = None


def _pinned() -> dt.date | None:
    if _fixed is not None:
        return _fixed
    env = os.environ.get("GIAMNGHEO_TODAY", "").strip()
    return dt.date.fromisoformat(env) if env else None


def today() -> dt.date:
    """Today in Vietnam's time zone (the settings' TIME_ZONE), or the fixed date."""
    return _pinned() or timezone.localdate()


def now() -> dt.datetime:
    """The current aware datetime; on a fixed date, that date at the current time of day."""
    real = timezone.now()
    day = _pinned()
    if day is None:
        return real
    local = timezone.localtime(real)
    return local.replace(year=day.year, month=day.month, day=day.day)


@contextlib.contextmanager
def fixed(day: dt.date) -> Iterator[None]:
    """Fix today's date inside the block."""
    global _fixed
    before, _fixed = _fixed, day
    try:
        yield
    finally:
        _fixed = before
