"""Reports of a period, a unit or a registry with nothing recognised yet answer zeros and say why.

Every report x {no decision yet, a period before any decision, a unit with no household} x {page,
xlsx, pdf, csv, API}. Inside a test's transaction the reads take the cursor path; the Arrow path's
typing of empty columns (the 500 on a server) is tested in core/tests/test_bulk_read.py.
"""

from __future__ import annotations

import fastexcel
import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.registry.models import Household
from giamngheo.reports.selectors import NO_DECISION, NO_HOUSEHOLDS, report_names
from giamngheo.reports.tests.registry import synthetic_registry

pytestmark = pytest.mark.django_db
NAMES = [n for n, _, _ in report_names()]
LIVE = {"mpi", "mpi-chi-so"}


def _check_every_output(client, unit: str, period: str, note: str):
    for name in NAMES:
        query = {"unit": unit, "period": period}
        page = client.get(f"/bao-cao/{name}/", query)
        assert page.status_code == 200, (name, page.content[:300])
        api = client.get(f"/api/reports/table/{name}", query)
        assert api.status_code == 200, (name, api.content[:300])
        table = api.json()
        total = next((r for r in table["rows"] if r["level"] == "total"), {})
        for key in ("poor", "near", "end", "both"):
            if key in total and name not in LIVE:
                assert total[key] == 0, (name, key, total)
        if name not in LIVE or note == NO_HOUSEHOLDS:
            assert note in table["notes"], (name, table["notes"])
            assert note.split(" / ")[0] in page.content.decode(), name
        csv = client.get(f"/bao-cao/{name}/", {**query, "format": "csv"})
        assert csv.status_code == 200 and csv.content.decode("utf-8-sig").splitlines()[0].startswith("level"), name
        xlsx = client.get(f"/bao-cao/{name}/", {**query, "format": "xlsx"})
        assert xlsx.status_code == 200, name
        assert fastexcel.read_excel(xlsx.content).load_sheet(0, header_row=None).height > 4
        pdf = client.get(f"/bao-cao/{name}/", {**query, "format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), name
    dash = client.get("/bang-dieu-khien/", {"unit": unit, "period": period})
    assert dash.status_code == 200 and note.split(" / ")[0] in dash.content.decode()


def test_a_registry_with_no_decision_yet(client, province_official):
    synthetic_registry(30, seed=5, decisions=False)
    client.force_login(province_official)
    _check_every_output(client, "14", "2026", NO_DECISION)


def test_a_period_before_any_decision(client, province_official):
    synthetic_registry(30, seed=5)
    client.force_login(province_official)
    _check_every_output(client, "14", "2024", NO_DECISION)  # units of 2024: provinces, districts, communes
    for period in ("2023", "2025-06"):
        for name in ("ket-qua", "dien-bien-ngheo", "danh-sach-ngheo", "mpi", "dan-toc"):
            assert client.get(f"/bao-cao/{name}/", {"unit": "14", "period": period}).status_code == 200


def test_a_unit_with_no_household(client):
    synthetic_registry(10, seed=5, decisions=False)  # Sơn La has some; Hà Nội none
    national = user_with_role(Role.NATIONAL_VIEWER, username="tw")
    client.force_login(national)
    _check_every_output(client, "01", "2026", NO_HOUSEHOLDS)
    assert client.get("/bang-dieu-khien/").status_code == 200  # the national viewer's default dashboard
    assert client.get("/bao-cao/ket-qua/", {"unit": "01"}).status_code == 200


def test_a_household_without_members_does_not_break_the_live_reports(client, province_official):
    """Another check may refuse member-less households at import; the reports survive them anyway."""
    synthetic_registry(20, seed=6, decisions=False)
    empty = household(system_user(), "KHONG-NGUOI", "03880", members=0)  # through the registry service
    assert not empty.members.exists()
    client.force_login(province_official)
    for name in ("mpi", "mpi-chi-so"):
        for query in ({"unit": "14", "period": "2026"}, {"unit": "03880", "period": "2026"}):
            assert client.get(f"/bao-cao/{name}/", query).status_code == 200, (name, query)
            assert client.get(f"/api/reports/table/{name}", query).status_code == 200, (name, query)
    for unit in ("14", "03880"):
        page = client.get("/bao-cao/chay-thu/", {"unit": unit, "run": "1", "income_line.rural": "2000000"})
        assert page.status_code == 200, page.content[:300]
        api = client.get("/api/reports/whatif", {"unit": unit, "income_line_rural": 2_000_000})
        assert api.status_code == 200, api.content[:300]
        total = next(r for r in api.json()["rows"] if r["level"] == "total")
        registered = Household.objects.filter(is_active=True, **({} if unit == "14" else {"unit__code": unit}))
        assert total["households"] == registered.count() - 1  # counted: every household with a member
        assert any(n.startswith("1 hộ không tính được") for n in api.json()["notes"])  # and the one left out said
