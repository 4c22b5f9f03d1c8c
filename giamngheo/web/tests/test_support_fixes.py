"""The tester's findings on the support pages (06/12/2026, issue #16): amounts of đồng read by one parser,
norms refused when absurd, national ids masked on the lists, the agency officer's pages, the reversal's
reason shown, the ledger downloadable."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client

from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.models import ProvinceNorm
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
