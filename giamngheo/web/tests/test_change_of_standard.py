"""Key pages on both sides of the change of standard (1 January 2027), whatever day CI runs: the
last day of vn-2022-2025 and a day of January 2027, when the default report period (2027) has no
decision yet and the standard in force is vn-2027-2030 (#11.18). A synthetic part of Sơn La with
the demo's two recognised decisions (12/2025 periodic, 06/2026 regular)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.core import clock
from giamngheo.reports.tables import REPORTS
from giamngheo.reports.tests.registry import synthetic_registry
from giamngheo.review.models import ReviewRound

pytestmark = pytest.mark.django_db
DAYS = {dt.date(2026, 12, 31): "vn-2022-2025", dt.date(2027, 1, 5): "vn-2027-2030"}


def _text(response) -> str:
    html = response.content.decode()
    html = html[html.find("<main") :] if "<main" in html else html  # a page, or a fragment (htmx)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("day", list(DAYS))
def test_reports_dashboard_and_what_if_answer_on_both_sides_of_the_change(client, day):
    synthetic_registry(120, seed=12)
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    in_force = DAYS[day]
    with clock.fixed(day):
        index = client.get("/bao-cao/", {"unit": "14"})
        assert index.status_code == 200 and f'value="{day.year}"' in index.content.decode()  # today's year
        for period in ("2026", "2027"):
            for name in [*REPORTS, "mpi", "mpi-chi-so"]:
                page = client.get(f"/bao-cao/{name}/", {"unit": "14", "period": period})
                assert page.status_code == 200, (day, period, name, _text(page)[:300])
            assert client.get("/bang-dieu-khien/", {"unit": "14", "period": period}).status_code == 200
        assert client.get("/bang-dieu-khien/", {"unit": "14"}).status_code == 200  # the default period
        mpi = _text(client.get("/bao-cao/mpi/", {"unit": "14", "period": str(day.year)}))
        assert f"Chuẩn {in_force}, ngày {day:%d/%m/%Y}" in mpi
        # 2027 holds no decision yet: the 2026 list carries over, nobody moved
        changes = _text(client.get("/bao-cao/dien-bien-ngheo/", {"unit": "14", "period": "2027"}))
        assert re.search(r"Tổng cộng 120 (\d+) 0 0 0 0 \1 ", changes), changes[:500]
        for other in ("vn-2022-2025", "vn-2027-2030"):  # what-if across the change, either way
            run = client.get(
                "/bao-cao/chay-thu/", {"unit": "14", "run": "1", "standard": other}, HTTP_HX_REQUEST="true"
            )
            assert run.status_code == 200
            assert f"Hiện hành: chuẩn {in_force}; chạy thử: chuẩn {other}." in _text(run)


@pytest.mark.parametrize("day", list(DAYS))
def test_the_recorded_rounds_and_the_register_read_the_same_on_both_sides(client, day):
    synthetic_registry(120, seed=12)
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    rounds = {r.kind: r for r in ReviewRound.objects.order_by("reference_date")}
    with clock.fixed(day):
        periodic = _text(client.get(f"/ra-soat/{rounds['periodic'].pk}/"))
        regular = _text(client.get(f"/ra-soat/{rounds['regular'].pk}/"))
        progress = client.get("/tien-do-ra-soat/")
    # the demo's 2025 periodic review prepared the 2026 list; the June 2026 monthly one ran in 2026
    assert (
        "cho năm 2026, nên phân loại theo chuẩn áp dụng năm 2026: Chuẩn nghèo đa chiều giai đoạn 2022-2025" in periodic
    )
    assert "ngày tham chiếu 15/06/2026: Chuẩn nghèo đa chiều giai đoạn 2022-2025" in regular
    assert progress.status_code == 200
