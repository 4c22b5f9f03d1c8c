"""The page that brings a commune's current register in: upload, preview, confirm; and how the
register and the household page show a status recorded from a decision."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import ReviewRound, Status

pytestmark = pytest.mark.django_db
A = "03880"


@pytest.fixture
def official():
    for hid in ("001001", "001002", "001003"):
        household(system_user(), hid, A, members=0)
    client = Client()
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, A))
    return client


def _confirm(client, preview):
    """Press the confirmation under `preview` (the page the upload answered), as the browser would."""
    found = re.search(r'name="token" value="([0-9a-f]*)"', preview.content.decode())
    token = found.group(1) if found else ""
    return client.post(f"/xa/{unit_by_code(A).pk}/ghi-quyet-dinh/", {"step": "confirm", "token": token})


def _upload(client, content: str, number="15/QĐ-UBND"):
    unit = unit_by_code(A).pk
    upload = SimpleUploadedFile("quyet-dinh.csv", content.encode(), content_type="text/csv")
    data = {"number": number, "date": "15/12/2025", "kind": "periodic", "file": upload}
    return client.post(f"/xa/{unit}/ghi-quyet-dinh/", data)


def test_the_preview_counts_then_the_confirmation_records(official):
    response = _upload(official, "Mã hộ,Phân loại\n001001,Hộ nghèo\n001002,hộ nghèo\n001003,Hộ cận nghèo\n")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="decision-preview"' in page
    assert '<td data-label="Phân loại">Hộ nghèo</td><td class="num" data-label="Số hộ">2</td>' in page.replace("\n", "")
    assert not Status.objects.exists()  # the preview writes nothing
    preview = response
    response = _confirm(official, preview)
    assert 'id="decision-done"' in response.content.decode()
    assert Status.objects.filter(source="decision").count() == 3
    review_round = ReviewRound.objects.get()
    assert review_round.history.get().history_user.username.endswith("commune_official")  # who, in history
    round_page = official.get(f"/ra-soat/{review_round.pk}/").content.decode()
    assert 'id="from-decision"' in round_page and "3 hộ vào sổ theo dõi" in round_page
    again = _confirm(official, preview)
    assert Status.objects.count() == 3 and "decision-done" not in again.content.decode()  # the upload is gone


def test_every_error_is_shown_and_nothing_can_be_confirmed(official):
    response = _upload(official, "household_id,category\n001001,poor\n009999,poor\n001002,giàu\n")
    page = response.content.decode()
    assert 'id="decision-problems"' in page and "decision-confirm" not in page
    assert "không có hộ này trong sổ" in page and "phân loại không hợp lệ (&#x27;giàu&#x27;)" in page
    # each cell labelled, for the phone layout that stacks a row's cells (it showed bare "3", "household_id")
    assert (
        '<td data-label="Tệp">quyet-dinh.csv</td><td data-label="Dòng">3</td><td data-label="Cột">household_id</td>'
        in page
    )
    official.post(f"/xa/{unit_by_code(A).pk}/ghi-quyet-dinh/", {"step": "confirm"})
    assert not Status.objects.exists() and not ReviewRound.objects.exists()


def test_a_status_from_a_decision_says_so_on_the_register_and_the_household_page(official):
    _confirm(official, _upload(official, "household_id,category\n001001,poor\n"))
    register = official.get(f"/xa/{unit_by_code(A).pk}/so-theo-doi/").content.decode()
    assert "Ghi từ quyết định, không có Phiếu B" in register
    download = official.get(f"/xa/{unit_by_code(A).pk}/so-theo-doi/tai-ve.csv")
    text = (
        b"".join(download.streaming_content).decode("utf-8-sig")
        if download.streaming
        else download.content.decode("utf-8-sig")
    )
    assert "Ghi chú" in text.splitlines()[0] and "001001" in text and "Ghi từ quyết định, không có Phiếu B" in text
    detail = official.get("/ho/001001/").content.decode()
    assert "Ghi từ quyết định, không có Phiếu B" in detail
    official.post("/i18n/setlang/", {"language": "en"})
    assert "recorded from a decision, no form b" in official.get("/ho/001001/").content.decode().lower()


def test_the_rounds_page_links_to_it_for_the_office_only(official):
    rounds = f"/xa/{unit_by_code(A).pk}/ra-soat/"
    assert 'id="decision-import"' in official.get(rounds).content.decode()
    reviewer = Client()
    reviewer.force_login(user_with_role(Role.REVIEWER, A))
    assert 'id="decision-import"' not in reviewer.get(rounds).content.decode()


def test_the_household_page_says_when_its_facts_give_another_category_than_the_decision():
    """A decision brought in with no Form B may recognise a household its register facts place
    elsewhere; the page said "Hiện trạng: Hộ nghèo" above "Kết luận: Hộ khác" with no word."""
    from giamngheo.registry.classify import explain_household

    for hid in ("002001", "002002"):
        household(system_user(), hid, A, members=2)
    client = Client()
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, A))
    from giamngheo.registry.models import Household

    computed = explain_household(Household.objects.get(household_id="002001")).category
    assert computed is not None
    other = "poor" if computed != "poor" else "other"
    _confirm(client, _upload(client, f"household_id,category\n002001,{computed}\n002002,{other}\n"))
    assert 'id="differs-from-status"' not in client.get("/ho/002001/").content.decode()
    page = client.get("/ho/002002/").content.decode()
    assert 'id="differs-from-status"' in page and "khác hiện trạng đã công nhận" in page


def test_the_confirmation_records_the_preview_it_sits_under_not_another_tabs_later_one(official):
    """Two tabs: a preview of two poor households, then one of another 'other'; confirming the first
    recorded the second (the session kept only the last upload), the wrong decision in the register."""
    first = _upload(official, "household_id,category\n001001,poor\n001002,poor\n", number="1/QĐ-UBND")
    second = _upload(official, "household_id,category\n001003,other\n", number="2/QĐ-UBND")
    assert 'id="decision-done"' in _confirm(official, first).content.decode()
    assert sorted(Status.objects.values_list("household__household_id", "category", "decision_number")) == [
        ("001001", "poor", "1/QĐ-UBND"),
        ("001002", "poor", "1/QĐ-UBND"),
    ]
    assert _confirm(official, first).status_code == 302 and Status.objects.count() == 2  # once only
    assert 'id="decision-done"' in _confirm(official, second).content.decode()  # the other tab's, its own
    assert Status.objects.filter(decision_number="2/QĐ-UBND").count() == 1


def test_in_english_the_kind_of_round_is_not_the_form_a_exclusion(official):
    """ "Loại" (kind) shared its msgid with Form A's "Loại" (screen out): English pages read "Screen out"."""
    official.post("/i18n/setlang/", {"language": "en"})
    for path in (f"/xa/{unit_by_code(A).pk}/ghi-quyet-dinh/", f"/xa/{unit_by_code(A).pk}/ra-soat/"):
        page = official.get(path).content.decode()
        assert "Kind of round" in page and "Screen out" not in page, path


def test_a_file_of_many_mistakes_shows_the_first_ones_and_how_many_there_are(official):
    """200,000 bad rows rendered a 22.8 MB page."""
    rows = "".join(f"{900000 + i},poor\n" for i in range(250))  # households not in the register
    page = _upload(official, "household_id,category\n" + rows).content.decode()
    assert "Không ghi gì: 250 lỗi" in page and "200 lỗi đầu tiên" in page
    assert page.count('<td data-label="Lỗi">') == 200
