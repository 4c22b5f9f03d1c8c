"""The commune's household list at a real commune's size: filtered by village and by recognised
status, the filters kept while paging, and the whole filtered list as Excel or CSV (it could only be
searched, and nothing of it could be taken away to print or file)."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import Household
from giamngheo.review.models import Status

from ...review.tests.test_round import people  # noqa: F401 (fixture)
from .test_register_page import FORMULA, register  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ROW = '<td data-label="Mã hộ">'


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _expected_poor(households) -> set[str]:
    """Poor in 12/2025 (every third), less the first hundred, who became average in 06/2026."""
    return {h.household_id for i, h in enumerate(households) if i % 3 == 0 and i >= 100}


def test_the_list_is_filtered_by_village_and_by_status_and_pages_keep_the_filters(client, people, register):  # noqa: F811
    commune, households = register
    Status.objects.filter(household=households[5]).delete()  # never recognised
    client.force_login(people["official"])
    url = f"/xa/{commune.pk}/ho/"
    village = households[0].village_name
    in_village = Household.objects.filter(unit=commune, village_name=village).count()
    html = _get(client, url, thon=village).content.decode()
    assert f"{in_village:,}".replace(",", ".") + " hộ" in html and 0 < in_village < len(households)
    poor = _get(client, url, tinh_trang="poor").content.decode()
    assert f"{len(_expected_poor(households)):,}".replace(",", ".") + " hộ" in poor
    assert "?tinh_trang=poor&amp;page=2" in poor  # the next page keeps the filter
    second = _get(client, url, tinh_trang="poor", page=2).content.decode()
    assert second.count(ROW) == 50 and "Hộ cận nghèo" not in second.split("<tbody>")[1]
    never = _get(client, url, tinh_trang="chua").content.decode()
    assert "1 hộ" in never and households[5].household_id in never
    both = _get(client, url, thon=village, tinh_trang="poor").content.decode()
    expected = {
        h for h in _expected_poor(households) if h in {x.household_id for x in households if x.village_name == village}
    }
    assert f"{len(expected):,}".replace(",", ".") + " hộ" in both


def test_a_filtered_page_costs_the_same_queries_on_page_1_and_page_20(client, people, register):  # noqa: F811
    commune, _ = register
    client.force_login(people["official"])
    url = f"/xa/{commune.pk}/ho/"
    with CaptureQueriesContext(connection) as first:
        _get(client, url, tinh_trang="near_poor")
    with CaptureQueriesContext(connection) as twentieth:
        _get(client, url, tinh_trang="near_poor", page=20)
    assert len(first) == len(twentieth)


def test_the_whole_filtered_list_downloads_with_formulas_as_text_and_incomes_only_for_those_who_see_them(
    client,
    people,  # noqa: F811
    register,  # noqa: F811
):
    commune, households = register
    client.force_login(people["official"])
    book = _get(client, f"/xa/{commune.pk}/ho/tai-ve.xlsx", tinh_trang="poor")
    assert f"danh-sach-ho-{commune.code}.xlsx" in book["Content-Disposition"]
    frame = pl.read_excel(io.BytesIO(b"".join(book.streaming_content)), schema_overrides={"Mã hộ": pl.String})
    assert set(frame["Mã hộ"]) == _expected_poor(households) and set(frame["Hiện trạng"]) == {"Hộ nghèo"}
    assert frame["Từ ngày"][0] == "20/12/2025" and "Thu nhập BQ/tháng (đ)" in frame.columns
    everything = _get(client, f"/xa/{commune.pk}/ho/tai-ve.csv")
    rows = list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode("utf-8"))))
    assert rows[0][:2] == ["Mã hộ", "Chủ hộ"] and len(rows) == 1 + len(households)
    formula = next(r for r in rows if r[0] == households[8].household_id)
    assert formula[1] != FORMULA and formula[1].endswith(FORMULA)  # neutralised: not read as a formula
    assert AuditEvent.objects.filter(verb="household_list.download", actor=people["official"]).count() == 2
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    client.force_login(province)
    masked = b"".join(_get(client, f"/xa/{commune.pk}/ho/tai-ve.csv").streaming_content).decode("utf-8")
    assert "Thu nhập" not in masked.splitlines()[0]


def test_another_communes_chair_and_an_unknown_format_get_nothing(client, people, register):  # noqa: F811
    commune, _ = register
    client.force_login(people["other_chair"])
    assert client.get(f"/xa/{commune.pk}/ho/tai-ve.csv").status_code == 404
    client.force_login(people["official"])
    assert client.get(f"/xa/{commune.pk}/ho/tai-ve.pdf").status_code == 404
