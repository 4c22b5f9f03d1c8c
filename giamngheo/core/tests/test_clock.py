"""The app's one clock: fixed dates reach every caller, and nothing else reads the system date."""

import datetime as dt
import pathlib

from giamngheo.core import clock


def test_fixed_date_reaches_today_and_now():
    with clock.fixed(dt.date(2027, 1, 5)):
        assert clock.today() == dt.date(2027, 1, 5)
        assert clock.now().date() == dt.date(2027, 1, 5)
    assert clock.today() != dt.date(1999, 1, 1)


def test_environment_fixes_the_date(monkeypatch):
    monkeypatch.setattr(clock, "_fixed", None)
    monkeypatch.setenv("GIAMNGHEO_TODAY", "2026-12-31")
    assert clock.today() == dt.date(2026, 12, 31)


def test_no_product_code_reads_the_system_date_directly():
    root = pathlib.Path(clock.__file__).resolve().parents[1]
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts
        and "migrations" not in p.parts
        and p.name != "clock.py"
        and "date.today" in p.read_text(encoding="utf-8")  # called, or passed as a model default
    ]
    assert offenders == []
