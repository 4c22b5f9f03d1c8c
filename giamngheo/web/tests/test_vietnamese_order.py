"""Villages and communes listed for people come in Vietnamese alphabetical order (`core.text.vi_sort_key`):
"Bản Dơ" before "Bản Đa" (đ is the letter after d), "Bản Ăn" before "Bản Ba", "Thôn 2" before "Thôn 10".
Before, the round page folded the marks away (Đa before Dơ) and SQL sorted by code point (Ăn after Ba)."""

from __future__ import annotations

import re

import pytest

from giamngheo.geo.models import Village
from giamngheo.geo.selectors import unit_by_code
from giamngheo.registry.models import Household

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)
from .test_review_pages import _round_at_form_b

pytestmark = pytest.mark.django_db
VIETNAMESE_ORDER = ["Bản Ăn", "Bản Ba", "Bản Dơ", "Bản Đa", "Thôn 2", "Thôn 10"]
SAVED_ORDER = ["Thôn 10", "Bản Đa", "Bản Ba", "Thôn 2", "Bản Dơ", "Bản Ăn"]  # neither order


@pytest.fixture
def villages(people, households):  # noqa: F811
    commune = unit_by_code("03880")
    made = {name: Village.objects.create(commune=commune, name=name) for name in SAVED_ORDER}
    for h, name in zip(households, ["Bản Đa", "Thôn 2", "Bản Dơ"], strict=True):  # these are on the round page
        Household.objects.filter(pk=h.pk).update(village=made[name])
    return commune


def _option_names(html: str, select: str) -> list[str]:
    chosen = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [name for value, name in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', chosen)]


def test_the_round_page_counts_and_filter_list_villages_in_vietnamese_order(client, people, households, villages):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["official"])
    html = client.get(f"/ra-soat/{review_round.pk}/").content.decode()
    counted = re.findall(r'<a href="\?thon=\d+#listed">([^<]+)</a>', html)
    assert counted == ["Bản Dơ", "Bản Đa", "Thôn 2"]
    assert _option_names(html, "thon") == VIETNAMESE_ORDER
    client.force_login(people["reviewer"])
    worklist = client.get(f"/ra-soat/{review_round.pk}/viec-cua-toi/").content.decode()
    assert _option_names(worklist, "thon") == VIETNAMESE_ORDER


def test_the_household_list_names_the_villages_in_vietnamese_order(client, people, villages):  # noqa: F811
    client.force_login(people["official"])
    html = client.get(f"/xa/{villages.pk}/ho/").content.decode()
    assert ", ".join(VIETNAMESE_ORDER) in html


def test_a_provinces_communes_on_the_home_page_are_in_vietnamese_order(client):
    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.core.text import vi_sort_key

    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    html = client.get("/").content.decode()
    names = re.findall(r'<a href="/xa/\d+/ho/"><strong>([^<]+)</strong></a>', html)
    assert len(names) > 50  # Sơn La's communes of today (old ones hold no household here)
    assert names == sorted(names, key=vi_sort_key)
