"""One scope on every path (#14): a report of a unit the caller cannot read whole is refused by the API,
the web and the CLI alike, and the API answers a province official with the numbers of `giamngheo report`."""

from __future__ import annotations

import csv
import io

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.cli.main import main
from giamngheo.registry.models import Household
from giamngheo.reports.tests.registry import synthetic_registry

pytestmark = pytest.mark.django_db
PERIOD = "2026"
API_REPORTS = (
    f"/api/reports/summary?unit=14&period={PERIOD}",
    "/api/reports/summary?unit=14",
    f"/api/reports/deprivations?unit=14&period={PERIOD}",
    "/api/reports/deprivations?unit=14&k=0.25",
    f"/api/reports/table/ket-qua?unit=14&period={PERIOD}",
    f"/api/reports/table/mpi?unit=14&period={PERIOD}",
    "/api/reports/whatif?unit=14",
)


@pytest.fixture
def registry():
    return synthetic_registry(120, seed=5)[0]


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=system_user(), user=user)}"}


def _csv_rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]


def _plain(value) -> str:
    return "" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def test_a_commune_official_gets_no_province_report_on_any_path(registry, client, tmp_path):
    code = Household.objects.values_list("unit__code", flat=True).first()
    official = user_with_role(Role.COMMUNE_OFFICIAL, code, username="xa")
    auth = _bearer(official)
    for url in API_REPORTS:
        response = client.get(url, **auth)
        assert response.status_code == 404, url
        assert set(response.json()) == {"detail"}, url  # no rows, no counts: nothing of the part they may see
    client.force_login(official)
    for url in (
        f"/bao-cao/ket-qua/?unit=14&period={PERIOD}",
        f"/bao-cao/mpi/?unit=14&period={PERIOD}",
        f"/bang-dieu-khien/?unit=14&period={PERIOD}",
        "/bao-cao/chay-thu/?unit=14&run=1",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "Tổng cộng" not in response.content.decode(), url
    out = tmp_path / "ket-qua.csv"
    for name in ("ket-qua", "mpi"):
        command = ["--as", "xa", "report", name, "--unit", "14", "--period", PERIOD, "--format", "csv"]
        assert main([*command, "--output", str(out)]) == 2
        assert not out.exists()
    assert main(["--as", "xa", "whatif", "--unit", "14", "--output", str(out)]) == 2 and not out.exists()
    export = ["--as", "xa", "export", "--unit", "14", "--output", str(tmp_path / "x.xlsx"), "--reason", "thử"]
    assert main(export) == 2 and not (tmp_path / "x.xlsx").exists()
    # their own commune: answered on every path
    own = client.get(f"/api/reports/summary?unit={code}&period={PERIOD}", **auth).json()
    assert [r["admin_code"] for r in own] == [code]
    assert own[0]["households"] == Household.objects.filter(unit__code=code, is_active=True).count()
    assert client.get(f"/api/reports/deprivations?unit={code}", **auth).status_code == 200


def test_the_api_gives_a_province_official_the_numbers_of_giamngheo_report(registry, client, tmp_path):
    tinh = user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
    auth = _bearer(tinh)

    def cli_rows(name: str) -> list[list[str]]:
        out = tmp_path / f"{name}.csv"
        command = ["--as", "tinh", "report", name, "--unit", "14", "--period", PERIOD, "--format", "csv"]
        assert main([*command, "--output", str(out)]) == 0
        return _csv_rows(out)

    files = {name: cli_rows(name) for name in ("ket-qua", "thieu-hut-ngheo", "mpi", "mpi-chi-so")}
    for name, rows in files.items():
        api = client.get(f"/api/reports/table/{name}?unit=14&period={PERIOD}", **auth).json()
        assert rows == [[r["level"], *[_plain(r.get(c["key"])) for c in api["columns"]]] for r in api["rows"]], name

    results = files["ket-qua"]
    communes = {r[1]: r for r in results if r[0] == "commune" and r[3] != "0"}  # level, code, name, households
    summary = client.get(f"/api/reports/summary?unit=14&period={PERIOD}", **auth).json()
    assert summary == client.get("/api/reports/summary?unit=14", **auth).json()  # this year by default
    assert {r["admin_code"] for r in summary} == set(communes)
    poor_col = 5  # level, code, name, households, minority households, poor
    near_col = 8
    for row in summary:
        line = communes[row["admin_code"]]
        assert (str(row["households"]), str(row["poor"]), str(row["near_poor"])) == (
            line[3],
            line[poor_col],
            line[near_col],
        )
        assert row["poor_rate"] == row["poor"] / row["households"]
    assert sum(r["poor"] for r in summary) > 0  # the registry does hold recognised poor households

    total = next(r for r in files["mpi"] if r[0] == "total")  # level, code, name, n, poor, share, H, A, M0
    stats = client.get(f"/api/reports/deprivations?unit=14&period={PERIOD}", **auth).json()
    figures = (str(stats["n"]), str(stats["poor"]), *(f"{round(stats[m] * 100, 2):.2f}" for m in ("H", "A")))
    assert figures == (total[3], total[4], total[6], total[7])
    assert f"{round(stats['M0'], 4):.2f}" == total[8]
    assert stats["k"] == "1/4"  # vn-2022-2025: 3 of its 12 indicators (the standard's own cut-off)

    out = tmp_path / "chay-thu.csv"
    assert main(["--as", "tinh", "whatif", "--unit", "14", "--output", str(out)]) == 0
    api = client.get("/api/reports/whatif?unit=14", **auth).json()
    assert _csv_rows(out) == [[r["level"], *[_plain(r.get(c["key"])) for c in api["columns"]]] for r in api["rows"]]


def test_an_export_follows_the_same_scope(tmp_path):
    from giamngheo.accounts.tests.factories import household

    admin = system_user()
    household(admin, "HA1", "03880")
    household(admin, "HB1", "04045")
    user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
    user_with_role(Role.COMMUNE_OFFICIAL, "03880", username="xa")
    out = tmp_path / "tinh"
    # the whole province is theirs to read: exported, with what their role sees (no incomes)
    assert main(["--as", "tinh", "export", "--unit", "14", "--output", str(out), "--reason", "kiểm tra"]) == 0
    header, *rows = csv.reader(io.StringIO((out / "households.csv").read_text(encoding="utf-8-sig")))
    income = header.index("income_per_capita_month")
    assert len(rows) == 2 and all(r[income] == "" for r in rows)
    assert main(["--as", "xa", "export", "--unit", "14", "--output", str(tmp_path / "xa"), "--reason", "x"]) == 2
    assert main(["--as", "xa", "export", "--unit", "03880", "--output", str(tmp_path / "own"), "--reason", "x"]) == 0
    assert len(_csv_rows(tmp_path / "own" / "households.csv")) == 1
