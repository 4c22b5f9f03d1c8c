"""The round's standard card (round page, Form B) cites its sources in the reader's language (#13):
in English the YAML's English, never the Vietnamese prose unmarked."""

import re

import pytest

from giamngheo.web.tests.test_review_pages import _round_at_form_b

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _card(client, url: str) -> str:
    html = client.get(url).content.decode()
    card = re.search(r'<section class="card" id="round-standard">(.*?)</section>', html, re.S)
    assert card, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.group(1)))


def test_the_round_standard_card_cites_in_english_on_an_english_page(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["official"])
    url = f"/ra-soat/{review_round.pk}/"
    vietnamese = _card(client, url)
    assert "Nghị định 07/2021/NĐ-CP, Điều 3" in vietnamese and "Decree" not in vietnamese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _card(client, url)
    assert "Decree 07/2021/NĐ-CP, Article 3 (extended to 31/12/2026 by Decree 351/2025/NĐ-CP)" in english
    assert "Decision 24/2021/QĐ-TTg (the annual review procedure for 2022-2025), Article 3" in english
    assert "Nghị định" not in english and "Quyết định" not in english, english
