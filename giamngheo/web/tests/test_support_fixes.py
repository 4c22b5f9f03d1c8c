"""The tester's findings on the support pages (06/12/2026, issue #16): amounts of đồng read by one parser,
norms refused when absurd, national ids masked on the lists, the agency officer's pages, the reversal's
reason shown, the ledger downloadable."""

from __future__ import annotations

import csv
import datetime as dt
import io

import polars as pl
import pytest
from django import forms
from django.test import Client

from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.models import Benefit, ProvinceNorm
from giamngheo.policies.services import benefit_record, benefit_reverse
from giamngheo.registry.models import Household
from giamngheo.standards.formats import parse_dong_vi
from giamngheo.web.forms import DongField

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u00a0000", 1_500_000),
        ("1.500.000 đ", 1_500_000),
        ("0", 0),
        ("147.000", 147_000),
    ],
)
def test_an_amount_of_dong_is_read_with_its_group_separators(typed, read):
    assert parse_dong_vi(typed) == read
    assert DongField().clean(typed) == read


@pytest.mark.parametrize("typed", ["150000.00", "1.5", "1,5", "1.500.000,00", "15.00.000", "1.5000", "abc", "1 5"])
def test_an_amount_with_a_decimal_or_misplaced_separator_is_refused(typed):
    """ "150000.00" saved 15.000.000 đ and "1.5" saved 15 đ: every dot was deleted."""
    with pytest.raises(ValueError):
        parse_dong_vi(typed)
    with pytest.raises(forms.ValidationError) as refused:
        DongField().clean(typed)
    assert "số nguyên đồng" in str(refused.value)


NORM = "bhyt:state_share_percent_near_poor"


def _norm_post(client, **typed):
    data = {"norm": NORM, "valid_from": "01/01/2026", "value": "100", "reference": "NQ 12/2025", "confidence": "V"}
    return client.post(f"/tinh/{unit_by_code('14').pk}/dinh-muc/", {**data, **typed})


def test_the_norms_form_reads_dong_and_decimals_as_the_record_form_does():
    client = _as(user_with_role("province_official", "14"))
    assert _norm_post(client, norm="bhyt:premium_vnd_year", value="1.500.000").status_code == 302
    assert ProvinceNorm.objects.get(norm="premium_vnd_year").value == 1_500_000
    assert _norm_post(client, norm="bhyt:premium_vnd_year", value="1 600 000").status_code == 302
    assert ProvinceNorm.objects.get(norm="premium_vnd_year").value == 1_600_000
    refused = _norm_post(client, norm="bhyt:premium_vnd_year", value="1.5").content.decode()
    assert "số nguyên đồng" in refused and ProvinceNorm.objects.get(norm="premium_vnd_year").value == 1_600_000
    assert _norm_post(client, value="6,6").status_code == 302
    assert str(ProvinceNorm.objects.get(norm="state_share_percent_near_poor").value.normalize()) == "6.6"
    assert _norm_post(client, value="6.5").status_code == 302
    assert str(ProvinceNorm.objects.get(norm="state_share_percent_near_poor").value.normalize()) == "6.5"


def test_the_norms_form_refuses_absurd_values_and_dates():
    client = _as(user_with_role("province_official", "14"))
    assert "từ 0 đến 100" in _norm_post(client, value="170").content.decode()
    assert "1945" in _norm_post(client, valid_from="01/01/2206").content.decode()
    assert "1945" in _norm_post(client, valid_from="01/01/1026").content.decode()
    assert not ProvinceNorm.objects.exists()


A, B = "03880", "04045"


@pytest.fixture
def ledger_a():
    """HA1 in commune A with a bhyt card and an electricity payment, HB1 in B with a bhyt card."""
    admin = system_user()
    ha1, hb1 = household(admin, "HA1", A), household(admin, "HB1", B)
    card = benefit_record(
        actor=admin,
        household=ha1,
        member=ha1.members.get(member_id="HA1-1"),
        policy_id="bhyt",
        delivered_on=dt.date(2026, 1, 5),
        evidence="BHXH-CARD-1",
    )
    power = benefit_record(
        actor=admin,
        household=ha1,
        policy_id="tien-dien",
        delivered_on=dt.date(2026, 3, 31),
        amount_vnd=147_000,
        evidence="PC-POWER-1",
    )
    benefit_record(
        actor=admin,
        household=hb1,
        member=hb1.members.get(member_id="HB1-1"),
        policy_id="bhyt",
        delivered_on=dt.date(2026, 1, 5),
        evidence="BHXH-CARD-B",
    )
    return {"card": card, "power": power, "a": unit_by_code(A).pk, "b": unit_by_code(B).pk}


def test_the_agency_officer_reads_its_policys_pages_in_its_units_only(ledger_a):
    """It got 404 on the web where the API answered it (accounts.access.policy_unit_ids)."""
    client = _as(user_with_role("agency_officer", A, policies=["bhyt"]))
    a, b = ledger_a["a"], ledger_a["b"]
    page = client.get(f"/don-vi/{a}/ho-tro/doi-tuong/").content.decode()
    assert 'value="bhyt"' in page and 'value="tien-dien"' not in page and "Mọi chính sách" not in page
    assert client.get(f"/don-vi/{a}/ho-tro/doi-tuong/?chinh_sach=bhyt").status_code == 200
    assert client.get(f"/don-vi/{a}/ho-tro/doi-tuong/tai-ve.csv?chinh_sach=bhyt").status_code == 200
    assert client.get(f"/don-vi/{a}/ho-tro/doi-tuong/?chinh_sach=tien-dien").status_code == 404
    assert client.get(f"/don-vi/{a}/ho-tro/chua-nhan/?chinh_sach=bhyt").status_code == 200
    overlaps = client.get(f"/don-vi/{a}/ho-tro/trung-lap/").content.decode()
    assert 'id="errors"' not in overlaps and 'value="bhyt" selected' in overlaps  # its own policy's at once
    ledger = client.get(f"/don-vi/{a}/ho-tro/so/").content.decode()
    assert "BHXH-CARD-1" in ledger and "PC-POWER-1" not in ledger and "BHXH-CARD-B" not in ledger
    assert 'href="/ho/HA1/"' not in ledger  # the household page is not its to read
    assert client.get(f"/don-vi/{a}/ho-tro/so/?chinh_sach=tien-dien").status_code == 404
    assert client.get("/ho/HA1/").status_code == 404
    for url in (f"/don-vi/{b}/ho-tro/doi-tuong/?chinh_sach=bhyt", f"/don-vi/{b}/ho-tro/so/", "/ho/HB1/ho-tro/ghi/"):
        assert client.get(url).status_code == 404, url


def test_the_agency_officer_records_and_reverses_its_policy_only(ledger_a):
    client = _as(user_with_role("agency_officer", A, policies=["bhyt"]))
    form = client.get("/ho/HA1/ho-tro/ghi/").content.decode()
    assert 'value="bhyt"' in form and 'value="tien-dien"' not in form
    data = {"member": "HA1-2", "delivered_on": "06/01/2026", "quantity": "1", "amount_vnd": "0", "step": "record"}
    done = client.post("/ho/HA1/ho-tro/ghi/", {**data, "policy_id": "bhyt"})
    assert done.status_code == 302 and done["Location"] == f"/don-vi/{ledger_a['a']}/ho-tro/so/"
    assert Benefit.objects.filter(policy_id="bhyt", member__member_id="HA1-2").exists()
    before = Benefit.objects.count()
    assert client.post("/ho/HA1/ho-tro/ghi/", {**data, "policy_id": "tien-dien"}).status_code == 404
    card, power = ledger_a["card"], ledger_a["power"]
    assert client.get(f"/ho/HA1/ho-tro/{power.pk}/dao/").status_code == 404
    assert client.post(f"/ho/HA1/ho-tro/{power.pk}/dao/", {"reason": "x", "xac_nhan": "on"}).status_code == 404
    assert Benefit.objects.count() == before
    reversed_ = client.post(f"/ho/HA1/ho-tro/{card.pk}/dao/", {"reason": "thẻ cấp trùng", "xac_nhan": "on"})
    assert reversed_.status_code == 302 and Benefit.objects.filter(reverses=card).exists()


def test_a_reversals_reason_is_shown_on_the_household_page_and_the_ledger(ledger_a):
    official = user_with_role("commune_official", A)
    benefit_reverse(actor=official, benefit=ledger_a["power"], reason="ghi nhầm hộ khác")
    client = _as(official)
    assert "ghi nhầm hộ khác" in client.get("/ho/HA1/").content.decode()
    assert "ghi nhầm hộ khác" in client.get(f"/don-vi/{ledger_a['a']}/ho-tro/so/").content.decode()


def test_the_ledger_downloads_as_filtered_with_formulas_neutralised(ledger_a):
    official = user_with_role("commune_official", A)
    benefit_record(
        actor=official,
        household=Household.objects.get(household_id="HA1"),
        policy_id="tien-dien",
        delivered_on=dt.date(2026, 4, 30),
        amount_vnd=1,
        evidence="=HYPERLINK(1)",
    )
    client = _as(official)
    page = client.get(f"/don-vi/{ledger_a['a']}/ho-tro/so/?chinh_sach=tien-dien").content.decode()
    assert "/ho-tro/so/tai-ve.csv?chinh_sach=tien-dien" in page
    response = client.get(f"/don-vi/{ledger_a['a']}/ho-tro/so/tai-ve.csv?chinh_sach=tien-dien")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["chinh_sach"] for r in rows} == {"tien-dien"} and len(rows) == 2
    assert {r["chung_tu"] for r in rows} == {"PC-POWER-1", "'=HYPERLINK(1)"}
    assert AuditEvent.objects.filter(verb="policies.ledger_export").exists()
    xlsx = client.get(f"/don-vi/{ledger_a['a']}/ho-tro/so/tai-ve.xlsx")
    sheet = pl.read_excel(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert sheet.schema["ma_ho"] == pl.String and sheet["ma_ho"].to_list() == ["HA1"] * 3  # HB1 is in B


def test_the_lists_mask_national_ids_unless_asked_and_audit_the_showing():
    """The eligible list showed full 12-digit ids to the commune official with no audit entry."""
    from giamngheo.core import clock
    from giamngheo.policies.tests.histories import register_histories
    from giamngheo.policies.tests.test_findings import ON
    from giamngheo.registry.models import Member

    with clock.fixed(ON):
        register_histories({"P": [(dt.date(2025, 12, 12), "poor", "45/QĐ-UBND")]}, opened=dt.date(2025, 9, 1))
        Member.objects.filter(member_id="HH-P-1").update(national_id="001204004729")
        url = f"/don-vi/{unit_by_code(A).pk}/ho-tro/doi-tuong/?chinh_sach=bhyt"
        client = _as(user_with_role("commune_official", A))
        page = client.get(url).content.decode()
        assert "001204004729" not in page and "••••••••4729" in page and 'id="show-ids"' in page
        assert not AuditEvent.objects.filter(verb="national_id.view").exists()
        shown = client.get(f"{url}&so-dinh-danh=1").content.decode()
        assert "001204004729" in shown
        event = AuditEvent.objects.get(verb="national_id.view")
        assert "HH-P" in event.data["households"]
        province = _as(user_with_role("province_official", "14"))  # masked roles: no link, no ids
        other = province.get(f"{url}&so-dinh-danh=1").content.decode()
        assert "001204004729" not in other and 'id="show-ids"' not in other


def test_the_norms_page_names_norms_with_units_dates_and_the_values_scheduled_later():
    client = _as(user_with_role("province_official", "14"))
    assert _norm_post(client, value="90", valid_from="01/01/2030").status_code == 302
    page = client.get(f"/tinh/{unit_by_code('14').pk}/dinh-muc/").content.decode()
    table = page.split('id="province-norms"')[1].split("</table>")[0]
    assert "Tỷ lệ ngân sách hỗ trợ cho người thuộc hộ cận nghèo" in table and "<code>" not in table
    assert (
        "· premium_vnd_year<" not in page
        and ">state_share_percent_poor<" not in table
        and "(%)" in table
        and "(đ)" in table
        and "(kWh)" in table
    )
    assert "01/09/2025" in table and "2025-09-01" not in table  # free_public_tuition_from as dd/mm/yyyy
    assert "90 % (từ 01/01/2030)" in table  # set for later: listed, not vanished


def test_long_evidence_breaks_in_its_cell_and_badges_stay_whole(ledger_a):
    """DS/2026/BHXH/SONLA/... made the household page 583 px wide at 390 and the ledger 1506 px at 1366
    (measured in Chromium; here: the cells carry the classes the stylesheet breaks or keeps whole)."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static/web/app.css").read_text()
    assert ".tag { white-space:nowrap; }" in css and "td.evidence" in css and "overflow-wrap:anywhere" in css
    client = _as(user_with_role("commune_official", A))
    for url in ("/ho/HA1/", f"/don-vi/{ledger_a['a']}/ho-tro/so/"):
        page = client.get(url).content.decode()
        assert 'class="evidence">PC-POWER-1<' in page and 'class="policy"' in page, url
