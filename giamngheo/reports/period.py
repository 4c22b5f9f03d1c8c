"""A reporting period (a calendar year, or one month) and the dates that define it.

The period's reference date picks the administrative units: periods ending after 30 June 2025
report by the 34 provinces and their communes, earlier ones by the 63 provinces, districts and
communes in force then.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from giamngheo.core import clock
from giamngheo.core.words import Said

REFORM = dt.date(2025, 7, 1)
FIRST_YEAR, LAST_YEAR = 2016, 2030  # the years a shipped standard covers (vn-2016-2020 to vn-2027-2030)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @property
    def reference_date(self) -> dt.date:
        """The day the units and the standard are read on: the period's end, or today if it is running."""
        return min(self.end, clock.today())

    @property
    def before_reform(self) -> bool:
        return self.reference_date < REFORM

    @property
    def label_vi(self) -> str:
        if len(self.label) == 4:
            return Said(f"năm {self.label}", f"year {self.label}")
        return Said(f"tháng {self.label[5:]}/{self.label[:4]}", f"{self.label[5:]}/{self.label[:4]}")


def parse_period(text: str) -> Period:
    """`2025` (a year) or `2026-03` (a month). Raises ValueError with words in both languages."""
    text = str(text).strip()
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2}))?", text, re.ASCII)  # ASCII digits only (not ２０２４)
    if match and not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise ValueError(
            f"Năm báo cáo phải từ {FIRST_YEAR} đến {LAST_YEAR}: {text!r} / "
            f"the year must be {FIRST_YEAR} to {LAST_YEAR}: {text!r}"
        )
    if match and match.group(2) is None:
        year = int(text)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return Period(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), text)
    raise ValueError(
        f"Kỳ báo cáo không hợp lệ: {text[:20]!r} (cần YYYY hoặc YYYY-MM) / "
        f"invalid period {text[:20]!r} (expected YYYY or YYYY-MM)"
    )
