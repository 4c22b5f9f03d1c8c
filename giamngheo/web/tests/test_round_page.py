"""The round's pages at a real commune's size (3,000 households in 8 villages, ids past 1,000): a
summary with the controls first, a paged, filtered, searchable list with head names, each reviewer's
worklist with "save and next", and complaints on a page of their own; every page under 300 KB."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from giamngheo.core import clock
from giamngheo.core.text import fold
from giamngheo.registry.models import Household, Member
from giamngheo.review.models import Complaint, Listed, Request, ReviewRound, RoundStep
from giamngheo.testing.html_forms import form_with

from ...review.tests.test_round import people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
MAX_PAGE = 300_000
ROWS = re.compile(r'<td data-label="Mã hộ">')


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    assert len(response.content) < MAX_PAGE, (url, len(response.content))
    return response.content.decode()


def _surveying_round(people, commune):  # noqa: F811
    """Every household listed by request and past Form A; 600 of them surveyed by the reviewer."""
    from giamngheo.review import services as review

    Request.objects.bulk_create(
        [
            Request(
                household=h, form="01", received_on=dt.date(2025, 9, 10), channel="post", recorded_by=people["reviewer"]
            )
            for h in Household.objects.filter(unit=commune)
        ]
    )
    with clock.fixed(dt.date(2025, 9, 12)):
        r = review.round_open(
            actor=people["official"], commune=commune, kind="periodic", reference_date=dt.date(2025, 9, 10)
        )
        review.round_advance(actor=people["official"], review_round=r, from_step="listing")
    r.listed.update(form_a_passed=True)
    surveyed = list(r.listed.order_by("household__household_id").values_list("pk", flat=True)[:600])
    Listed.objects.filter(pk__in=surveyed).update(state=Listed.State.SURVEYED, reviewer=people["reviewer"])
    r.refresh_from_db()
    return r


def test_the_round_page_of_3000_households_is_a_summary_with_a_paged_filtered_list(
    client,
    people,  # noqa: F811
    realistic_commune,
    django_assert_max_num_queries,
):
    commune = realistic_commune.commune
    r = _surveying_round(people, commune)
    assert r.listed.count() == 3000
    client.force_login(people["official"])
    url = f"/ra-soat/{r.pk}/"
    with django_assert_max_num_queries(40):
        html = _page(client, url)
    # the controls come first, then the counts, then the list
    assert html.index('id="controls"') < html.index('id="summary"') < html.index('id="listed"')
    assert html.index("Chuyển bước tiếp theo") < html.index('id="listed"')
    assert 'name="xac_nhan"' in html  # the irreversible step asks for confirmation
    assert len(ROWS.findall(html)) == 50 and "3.000 hộ" in html and "trang 1/60" in html
    # counts per state and per village, each linking to the filtered list
    assert "<strong>2.400</strong> Chờ rà soát" in html and "<strong>600</strong> Đã rà soát Phiếu B" in html
    village_links = set(re.findall(r'href="\?thon=(\d+)#listed"', html))
    assert len(village_links) == 8
    # head names are on the list
    first = r.listed.order_by("household__household_id").first()
    head = Member.objects.get(household=first.household, relation_to_head="head", is_active=True)
    assert head.full_name in html
    # filtered by village and state: only that village's surveyed households, the filter kept in the pager
    village = int(sorted(village_links)[0])
    in_village = r.listed.filter(household__village_id=village)
    html = _page(client, url, thon=village, trang_thai="surveyed")
    expected = in_village.filter(state="surveyed").count()
    assert f"{expected} hộ" in html and 0 < expected < 100
    ids = set(re.findall(r">(03880\d{6})</a>", html))
    assert ids and ids <= set(in_village.values_list("household__household_id", flat=True))
    html = _page(client, url, thon=village)
    assert f"thon={village}&amp;trang=2" in html or f"trang=2&amp;thon={village}" in html
    # page 2 of the filtered list, sorted by head name
    html = _page(client, url, thon=village, trang=2, sap_xep="head_name")
    assert len(ROWS.findall(html)) == 50
    # searched without diacritics: a head's name typed plainly finds the household
    target = Member.objects.filter(household__unit=commune, relation_to_head="head", is_active=True).order_by("pk")[
        1234
    ]
    plain = fold(target.full_name)
    assert plain != target.full_name.lower()
    html = _page(client, url, q=plain)
    assert target.household.household_id in html
    html = _page(client, url, q=target.household.household_id[-6:])
    assert target.household.household_id in html
    # by reviewer: the 600 surveyed
    html = _page(client, url, nguoi_ra_soat=people["reviewer"].pk)
    assert "600 hộ" in html


def test_a_reviewer_works_from_my_households_and_saves_and_goes_to_the_next(
    client,
    people,  # noqa: F811
    realistic_commune,
):
    commune = realistic_commune.commune
    r = _surveying_round(people, commune)
    client.force_login(people["reviewer"])
    html = _page(client, f"/ra-soat/{r.pk}/viec-cua-toi/")
    assert "Còn <strong>2.400</strong> hộ cần rà soát" in html and "đã rà soát 600 hộ" in html
    assert len(re.findall(r'<td data-label="Mã hộ">', html)) == 50 and "Phiếu B" in html
    # one village's worklist
    village = Listed.objects.filter(review_round=r, state="to_survey").order_by("household__household_id").first()
    village_id = village.household.village_id
    html = _page(client, f"/ra-soat/{r.pk}/viec-cua-toi/", thon=village_id)
    waiting = r.listed.filter(state="to_survey", household__village_id=village_id).order_by("household__household_id")
    assert f"Còn <strong>{waiting.count()}</strong>" in html
    first, second = list(waiting[:2])
    url = f"/ra-soat/{r.pk}/ho/{first.pk}/phieu-b/"
    form = form_with(_page(client, url), button="Lưu và sang hộ tiếp theo")
    filled = {
        name: next(v for v in form.options[name] if v)
        for name, value in form.data.items()
        if value == "" and name in form.options and name.endswith(("__highest_education", "__employment"))
    }
    with clock.fixed(dt.date(2025, 9, 16)):
        saved = client.post(url, {**form.data, **filled, "surveyed_on": "16/09/2025", "tiep": "1"})
    assert saved.status_code == 302
    assert saved["Location"] == f"/ra-soat/{r.pk}/ho/{second.pk}/phieu-b/"  # the next of the same village
    first.refresh_from_db()
    assert first.state == Listed.State.SURVEYED and first.reviewer == people["reviewer"]
    html = _page(client, saved["Location"])
    assert f"Đã lưu Phiếu B hộ {first.household.household_id}" in html
    assert html.index('class="flash flash-ok"') < html.index('enctype="multipart/form-data"')  # at the top


def test_complaints_have_a_page_per_household_and_the_list_keeps_its_filter(
    client,
    people,  # noqa: F811
    realistic_commune,
):
    commune = realistic_commune.commune
    r = _surveying_round(people, commune)
    r.listed.update(state=Listed.State.APPROVED)
    ReviewRound.objects.filter(pk=r.pk).update(
        step=RoundStep.POSTING, posting_start=dt.date(2025, 9, 22), posting_end=dt.date(2025, 9, 24)
    )
    client.force_login(people["official"])
    village = Listed.objects.filter(review_round=r).order_by("household__household_id").first().household.village_id
    html = _page(client, f"/ra-soat/{r.pk}/", thon=village, trang=2)
    assert "<form" in html and html.count('name="received_on"') == 0  # no inline complaint forms
    link = re.findall(r'href="([^"]*/khieu-nai/\?tu=[^"]*)"', html)[0].replace("&amp;", "&")
    target = Listed.objects.get(pk=int(re.search(r"/ho/(\d+)/khieu-nai/", link).group(1)))
    page = _page(client, link)
    form = form_with(page, button="Ghi khiếu nại")
    with clock.fixed(dt.date(2025, 9, 23)):
        refused = client.post(link, {**form.data, "received_on": "23/09/2025", "content": " "})
        assert refused.status_code == 400 and "Cần nội dung khiếu nại" in refused.content.decode()
        saved = client.post(link, {**form.data, "received_on": "23/09/2025", "content": "Hộ có xe máy mới"})
    assert saved.status_code == 302
    assert saved["Location"] == f"/ra-soat/{r.pk}/?thon={village}&trang=2#listed"  # back where the list was
    complaint = Complaint.objects.get(listed=target)
    html = _page(client, saved["Location"].split("#")[0])
    assert f"Đã ghi khiếu nại của hộ {target.household.household_id}" in html
    assert html.index('class="flash flash-ok"') < html.index('id="controls"')
    # the re-check, upheld: the household goes back to survey
    page = _page(client, link)
    form = form_with(page, action=f"/khieu-nai/{complaint.pk}/phuc-tra/")
    with clock.fixed(dt.date(2025, 9, 24)):
        done = client.post(form.action, {**form.data, "recheck_on": "24/09/2025", "outcome": "Đúng", "upheld": "1"})
    assert done.status_code == 302 and done["Location"].startswith(f"/ra-soat/{r.pk}/ho/{target.pk}/khieu-nai/")
    target.refresh_from_db()
    assert target.state == Listed.State.TO_SURVEY
    html = _page(client, done["Location"])
    assert "có cơ sở, hộ được rà soát lại" in html and "Rà soát lại (Phiếu B)" in html
    html = _page(client, f"/ra-soat/{r.pk}/", khieu_nai="co-co-so")
    assert "1 hộ" in html and "Phúc tra: Phiếu B" in html
