"""The report menu's cards: the title, and the description where there is one; never the name in the
address ("ket-qua") as a second line (#13)."""

import dataclasses
import re

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.reports import tables
from giamngheo.reports.selectors import report_names

pytestmark = pytest.mark.django_db


def _cards(client) -> list[str]:
    html = client.get("/bao-cao/", {"unit": "14", "period": "2026"}).content.decode()
    cards = re.findall(r'<li class="card">(.*?)</li>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cards]


def test_the_cards_show_no_url_name(client):
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    cards = _cards(client)
    assert len(cards) == len(report_names())
    for (name, vi, _), card in zip(report_names(), cards, strict=True):
        assert card == vi, (name, card)  # the title alone: "ket-qua" is not written under it


def test_a_description_is_shown_in_the_readers_language(client, monkeypatch):
    described = dataclasses.replace(
        tables.REPORTS["ket-qua"], description_vi="Số hộ theo từng xã", description_en="Households by commune"
    )
    monkeypatch.setitem(tables.REPORTS, "ket-qua", described)
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    assert _cards(client)[0] == "Kết quả rà soát theo đơn vị Số hộ theo từng xã"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _cards(client)[0] == "Review results by unit Households by commune"
