"""One language per screen (#13 item 3): the main pages in Vietnamese carry no English interface
string, and in English no Vietnamese one; statuses, categories, steps and round kinds follow the
language. Vietnamese is the default whatever the browser asks; English only when the user picks it
(docs/adr/0008-default-language.md)."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.classification.models import Category
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import Listed, RoundKind, RoundStep
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round
from giamngheo.review.transitions import LABELS, LABELS_EN
from giamngheo.standards.contract import CATEGORY_LABELS
from scripts.compile_messages import parse_po

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)
from .test_review_pages import _round_at_form_b

pytestmark = pytest.mark.django_db
PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
LONG = 12  # shorter words ("Hộ", "Poor") are too often part of names or of the other language's text


def _label_pairs() -> list[tuple[str, str]]:
    """(Vietnamese, English) of every status, category, step, round kind and transition."""
    pairs = list(CATEGORY_LABELS.values()) + [(vi, LABELS_EN[code]) for code, vi in LABELS.items()]
    for choices in (Category, RoundKind, RoundStep, Listed.State, Listed.Reason):
        for member in choices:
            with translation.override("vi"):
                vi = str(member.label)
            with translation.override("en"):
                en = str(member.label)
            pairs.append((vi, en))
    return pairs


def _pairs() -> list[tuple[str, str]]:
    catalogue = parse_po(PO.read_text(encoding="utf-8"))
    pairs = [(vi, en) for vi, en in catalogue.items() if vi and en and vi != en]
    return pairs + _label_pairs()


class _Text(HTMLParser):
    """What a reader sees: text outside scripts and styles, and the words of titles, placeholders,
    labels and button values."""

    SHOWN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN and value]
        if tag in ("input", "button") and dict(attrs).get("type") in ("submit", "button"):
            self.parts += [value for name, value in attrs if name == "value" and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(html.unescape(p).split()) for p in parser.parts)


def other_language(text: str, language: str) -> list[str]:
    """The known strings of the other language found in `text` (longest first)."""
    index = 1 if language == "vi" else 0
    found = {pair[index] for pair in _pairs() if len(pair[index]) >= LONG and pair[index] in text}
    mine = {pair[1 - index] for pair in _pairs()}
    return sorted((s for s in found if s not in mine), key=len, reverse=True)  # a word both languages share


def _in(client, language: str) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})


def _pages(client, urls: list[str], language: str) -> dict[str, str]:
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        assert f'lang="{language}"' in page, url
        texts[url] = visible(page)
    return texts


@pytest.fixture
def recognised(people, households):  # noqa: F811
    """A commune whose round is recognised: statuses, a register and reports to show."""
    return run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS])


def _main_urls(review_round) -> list[str]:
    unit = unit_by_code("03880").pk
    return [
        "/",
        f"/xa/{unit}/ra-soat/",
        f"/ra-soat/{review_round.pk}/",
        f"/xa/{unit}/ho/",
        "/ho/H0/",
        f"/xa/{unit}/so-theo-doi/",
        "/bao-cao/",
        "/bao-cao/ket-qua/?unit=03880&period=2025",
        "/bang-dieu-khien/?unit=03880&period=2025",
        "/doi-mat-khau/",
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_main_pages_speak_one_language(client, people, recognised, language):  # noqa: F811
    client.force_login(people["official"])
    _in(client, language)
    texts = _pages(client, _main_urls(recognised), language)
    assert {url: other_language(text, language) for url, text in texts.items()} == dict.fromkeys(texts, [])
    labels = dict(vi=0, en=1)[language]
    round_page = texts[f"/ra-soat/{recognised.pk}/"]
    assert ("Đã kết thúc", "Closed")[labels] in round_page
    assert ("Rà soát định kỳ", "Periodic review")[labels] in round_page
    assert ("Đã công nhận", "Recognised")[labels] in round_page
    household = texts["/ho/H0/"]
    assert CATEGORY_LABELS["poor"][labels] in household
    assert ("Tạo mới", "Created")[labels] in household and ("Created", "Tạo mới")[labels] not in household
    register = texts[f"/xa/{unit_by_code('03880').pk}/so-theo-doi/"]
    assert (LABELS, LABELS_EN)[labels]["newly_poor"] in register


@pytest.mark.parametrize("language", ["vi", "en"])
def test_form_b_speaks_one_language(client, people, households, language):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    _in(client, language)
    listed = review_round.listed.get(household__household_id="H0")
    urls = [f"/ra-soat/{review_round.pk}/", f"/ra-soat/{review_round.pk}/ho/{listed.pk}/phieu-b/"]
    texts = _pages(client, urls, language)
    assert {url: other_language(text, language) for url, text in texts.items()} == dict.fromkeys(texts, [])
    assert ("Rà soát, phân loại", "Survey and classification")[dict(vi=0, en=1)[language]] in texts[urls[0]]


def test_a_saved_form_b_says_so_in_one_language(client, people, households):  # noqa: F811
    """The message after saving Form B used to be "Đã lưu Phiếu B hộ …: Hộ nghèo / Form B saved"."""
    from giamngheo.testing.html_forms import form_with

    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    _in(client, "en")
    listed = review_round.listed.get(household__household_id="H0")
    url = f"/ra-soat/{review_round.pk}/ho/{listed.pk}/phieu-b/"
    form = form_with(client.get(url).content.decode(), button="Save and classify")
    page = visible(
        client.post(url, {**form.data, "water_source": "surface_water", "surveyed_on": "16/09/2025"}).content.decode()
    )
    assert "Form B of household H0 saved" in page and "Đã lưu Phiếu B" not in page
    assert other_language(page, "en") == []


def test_vietnamese_whatever_the_browser_asks_until_the_user_picks_english(client, people, recognised):  # noqa: F811
    client.force_login(people["official"])
    url = f"/ra-soat/{recognised.pk}/"
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    page = client.get(url, **english_browser)
    assert 'lang="vi"' in page.content.decode() and page["Content-Language"] == "vi"
    assert "Đã kết thúc" in visible(page.content.decode())
    switch = client.post("/i18n/setlang/", {"language": "en", "next": url}, **english_browser)
    assert switch.status_code == 302 and switch["Location"] == url
    page = client.get(url, **english_browser)
    assert 'lang="en"' in page.content.decode() and page["Content-Language"] == "en"
    assert "Closed" in visible(page.content.decode())
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")  # the choice stays, whatever the browser asks
    assert 'lang="en"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": url})
    assert 'lang="vi"' in client.get(url, **english_browser).content.decode()


def test_a_language_not_offered_is_vietnamese(client, people, recognised):  # noqa: F811
    client.force_login(people["official"])
    client.cookies["django_language"] = "fr"
    page = client.get(f"/ra-soat/{recognised.pk}/")
    assert 'lang="vi"' in page.content.decode()


def test_the_thread_keeps_its_language_after_an_english_page(client, people, recognised):  # noqa: F811
    """A page in English does not leave English behind for what runs next in the same thread (a job,
    a command): the papers and the CLI stay Vietnamese."""
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880"))
    _in(client, "en")
    assert client.get("/").status_code == 200
    assert (translation.get_language() or "vi").startswith("vi")
    assert str(RoundStep.CLOSED.label) == "Đã kết thúc"


def test_every_gettext_string_in_python_has_an_english_translation():
    """Templates are checked in test_pages; the words of views, forms, filters, tables and models too."""
    import re

    root = Path(__file__).resolve().parents[2]
    english = parse_po(PO.read_text(encoding="utf-8"))
    used = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "gettext" in text:
            used |= set(re.findall(r'(?<![\w.])_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', text))
    assert used and sorted(s for s in used if not english.get(s)) == []
