"""The what-if form offers the standard's named thresholds (label, current value, unverified mark)
instead of raw keys typed by hand, and a name the standard does not have is refused with a message,
also when the form is sent by htmx (the page marks it so a 400's message is swapped in)."""

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client):
    client.force_login(user_with_role(Role.PROVINCE_OFFICIAL, "14"))


def test_the_form_lists_the_standards_values_with_labels_and_current_values(client, official):
    page = client.get("/bao-cao/chay-thu/", {"unit": "14", "standard": "vn-2022-2025"}).content.decode()

    assert "Chuẩn nghèo về thu nhập (đồng/người/tháng), nông thôn" in page
    assert "<td>1.500.000</td>" in page  # the rural line in force, with Vietnamese separators
    assert 'name="income_line.rural"' in page and 'name="deprivation_cutoff"' in page
    assert 'name="housing_area.min_m2_per_person"' in page  # an indicator's own threshold too
    upper = page.index("Mức trên của hộ có mức sống trung bình (đồng/người/tháng), nông thôn")
    assert "chưa kiểm chứng" in page[upper : upper + 200]  # S confidence: marked
    line = page.index("Chuẩn nghèo về thu nhập (đồng/người/tháng), nông thôn")
    assert "chưa kiểm chứng" not in page[line : line + 120]  # V: not marked
    share = page.index('name="dependants.share_above"')
    assert "<td>0,5</td>" in page[share - 200 : share]  # a share keeps its decimals (it printed 0)
    assert 'name="water.safe_sources"' not in page  # lists are not numbers to edit here
    assert "data-show-refusals" in page


def test_a_picked_value_is_used_in_the_run(client, official):
    response = client.get("/bao-cao/chay-thu/", {"unit": "14", "run": "1", "income_line.rural": "-5"})
    assert response.status_code == 400  # the picked name reaches the checks: a negative line is refused
    assert 'class="error"' in response.content.decode()


def test_an_unknown_name_is_refused_with_a_message(client, official):
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(
            "/bao-cao/chay-thu/", {"unit": "14", "run": "1", "more": "income_line.moon=5"}, headers=headers
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "Không có ngưỡng &#x27;income_line.moon&#x27;" in body and 'role="alert"' in body


def test_the_refusal_names_the_thresholds_that_exist_in_the_readers_language(client, official):
    params = {"unit": "14", "run": "1", "more": "income_line.moon=5"}
    vi = client.get("/bao-cao/chay-thu/", params, headers={"HX-Request": "true"}).content.decode()
    assert "các ngưỡng có: " in vi and "income_line.rural" in vi and "deprivation_cutoff" in vi
    assert "no threshold" not in vi and "known" not in vi  # one language a screen
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/bao-cao/chay-thu/", params, headers={"HX-Request": "true"}).content.decode()
    assert "no threshold &#x27;income_line.moon&#x27;" in en and "the thresholds are: " in en
    assert "income_line.rural" in en and "Không có" not in en and "có:" not in en


def test_a_run_speaks_english_in_english(client, official):
    from giamngheo.accounts.tests.factories import household, system_user
    from giamngheo.standards.contract import CATEGORY_LABELS

    admin = system_user()
    household(admin, "W0", "03880", members=2, income_per_capita_month=900_000)
    household(admin, "W1", "03880", members=2, income_per_capita_month=5_000_000)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    params = {"unit": "14", "run": "1", "income_line.rural": "1000000"}
    page = client.get("/bao-cao/chay-thu/", params, headers={"HX-Request": "true"}).content.decode()
    moves = page[page.index("<tbody>") : page.index("</tbody>")]
    assert CATEGORY_LABELS["near_poor"][1] in moves or CATEGORY_LABELS["poor"][1] in moves
    assert not any(vi in moves for vi, _ in CATEGORY_LABELS.values())  # the moves named categories in Vietnamese
    notes = page[page.index('<ul class="notes">') :]
    assert "Current: standard" in notes and "Edited thresholds (a what-if, not law)" in notes
    assert "Hiện hành" not in notes and "Ngưỡng đã sửa" not in notes
    assert "Total" in page and "Tổng cộng" not in page


def test_the_standards_are_offered_by_their_titles(client, official):
    from giamngheo.standards.params import load_standard

    standard = load_standard("vn-2022-2025")
    page = client.get("/bao-cao/chay-thu/", {"unit": "14"}).content.decode()
    assert f'<option value="vn-2022-2025">{standard.title_vi} (vn-2022-2025)</option>' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/bao-cao/chay-thu/", {"unit": "14"}).content.decode()
    assert f"{standard.title_en} (vn-2022-2025)" in page and standard.title_vi not in page
