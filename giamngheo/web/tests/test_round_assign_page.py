"""The round page: the commune's office gives households to reviewers (a village, or the ticked
rows), the list shows and filters by whom each is given to, and the reviewer's "Hộ của tôi" follows."""

from __future__ import annotations

import re

import pytest

from giamngheo.review.models import Listed

from ...review.tests.test_listed_assign import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<td data-label="Mã hộ"><a [^>]*>(H\d)</a>')


def _rows(html: str) -> list[str]:
    return sorted(ROW.findall(html))


def test_the_office_assigns_a_village_and_ticked_rows_and_the_list_follows(client, world):  # noqa: F811
    r = world["round"]
    client.force_login(world["official"])
    page = client.get(f"/ra-soat/{r.pk}/").content.decode()
    assert 'id="assign"' in page and 'form="assign"' in page and "Giao cả thôn" in page
    assert ">an<" in page and ">xakhac<" not in page  # only the commune's reviewers are offered

    done = client.post(
        f"/ra-soat/{r.pk}/giao-viec/",
        {"nguoi": world["an"].pk, "thon": world["upper"].pk, "cach": "thon", "tu": "trang_thai=to_survey"},
    )
    assert done.status_code == 302 and done["Location"] == f"/ra-soat/{r.pk}/?trang_thai=to_survey#listed"
    ticked = list(r.listed.filter(household__household_id__in=["H4", "H5"]).values_list("pk", flat=True))
    client.post(f"/ra-soat/{r.pk}/giao-viec/", {"nguoi": world["binh"].pk, "ho": ticked, "cach": "chon"})
    assert sorted(r.listed.filter(assignee=world["binh"]).values_list("household__household_id", flat=True)) == [
        "H4",
        "H5",
    ]
    page = client.get(f"/ra-soat/{r.pk}/").content.decode()
    assert '<td data-label="Giao cho">an</td>' in page and '<td data-label="Giao cho">binh</td>' in page
    assert "Đã giao 2 hộ" in page
    assert _rows(client.get(f"/ra-soat/{r.pk}/", {"giao_cho": world["an"].pk}).content.decode()) == ["H0", "H1", "H2"]
    assert _rows(client.get(f"/ra-soat/{r.pk}/", {"giao_cho": "chua"}).content.decode()) == ["H3"]


def test_nothing_ticked_or_a_stranger_chosen_is_refused_with_a_message(client, world):  # noqa: F811
    r = world["round"]
    client.force_login(world["chair"])
    client.post(f"/ra-soat/{r.pk}/giao-viec/", {"nguoi": world["an"].pk, "cach": "chon"})
    client.post(
        f"/ra-soat/{r.pk}/giao-viec/",
        {"nguoi": world["other_reviewer"].pk, "thon": world["upper"].pk, "cach": "thon"},
    )
    page = client.get(f"/ra-soat/{r.pk}/").content.decode()
    assert "Hãy đánh dấu các hộ cần giao" in page and "Hãy chọn một rà soát viên của xã" in page
    assert not Listed.objects.filter(review_round=r).exclude(assignee=None).exists()


@pytest.mark.parametrize("who", ["an", "head", "other_official", "province"])
def test_others_see_no_assign_form_and_their_posts_are_refused(client, world, who):  # noqa: F811
    r = world["round"]
    client.force_login(world[who])
    page = client.get(f"/ra-soat/{r.pk}/")
    if page.status_code == 200:
        assert 'id="assign"' not in page.content.decode() and 'form="assign"' not in page.content.decode()
    response = client.post(
        f"/ra-soat/{r.pk}/giao-viec/", {"nguoi": world["an"].pk, "thon": world["upper"].pk, "cach": "thon"}
    )
    assert response.status_code == 404
    assert not Listed.objects.filter(review_round=r).exclude(assignee=None).exists()


def test_my_households_shows_what_was_given_to_me(client, world):  # noqa: F811
    r = world["round"]
    r.listed.update(form_a_passed=True)
    client.force_login(world["official"])
    client.post(f"/ra-soat/{r.pk}/giao-viec/", {"nguoi": world["binh"].pk, "thon": world["upper"].pk, "cach": "thon"})
    client.force_login(world["an"])
    assert _rows(client.get(f"/ra-soat/{r.pk}/viec-cua-toi/").content.decode()) == ["H3", "H4", "H5"]
    client.force_login(world["binh"])
    assert _rows(client.get(f"/ra-soat/{r.pk}/viec-cua-toi/").content.decode()) == [f"H{i}" for i in range(6)]
