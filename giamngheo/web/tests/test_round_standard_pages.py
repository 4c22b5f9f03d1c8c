"""The round page and every Form B result say which standard the round uses and why; a province
official chooses another from the round page, commune staff get neither the form nor the route."""

from __future__ import annotations

import pytest

from giamngheo.core import clock
from giamngheo.review.models import ReviewRound
from giamngheo.review.tests.test_round_standard import AUTUMN, FACTS, MEMBER_FACTS, open_round, people  # noqa: F401
from giamngheo.testing.html_forms import form_with

pytestmark = pytest.mark.django_db


def test_the_round_page_says_which_standard_and_why(client, people):  # noqa: F811
    r = open_round(people, "periodic", AUTUMN)
    client.force_login(people["official"])
    with clock.fixed(AUTUMN):
        html = client.get(f"/ra-soat/{r.pk}/").content.decode()
    assert "Chuẩn nghèo của đợt" in html and "Chuẩn nghèo đa chiều giai đoạn 2027-2030" in html
    assert "cho năm 2027" in html and "chưa kiểm chứng" in html and "Quyết định 24/2021/QĐ-TTg" in html
    assert "Ghi chuẩn của đợt" not in html  # commune staff follow the rule
    with clock.fixed(AUTUMN):
        refused = client.post(f"/ra-soat/{r.pk}/chuan-ngheo/", {"standard": "vn-2022-2025", "reason": "x"})
    assert refused.status_code == 404
    assert ReviewRound.objects.get(pk=r.pk).standard_override == ""


def test_a_province_official_chooses_the_standard_on_the_round_page(client, people):  # noqa: F811
    r = open_round(people, "periodic", AUTUMN)
    client.force_login(people["province"])
    with clock.fixed(AUTUMN):
        form = form_with(client.get(f"/ra-soat/{r.pk}/").content.decode(), action="/chuan-ngheo/")
        assert form.options["standard"] == ["auto", "vn-2022-2025", "vn-2027-2030"]
        page = client.post(
            form.action, {**form.data, "standard": "vn-2022-2025", "reason": "Công văn 5/SNNMT"}, follow=True
        )
    html = page.content.decode()
    assert "Chuẩn nghèo đa chiều giai đoạn 2022-2025" in html and "Công văn 5/SNNMT" in html
    assert "Theo quy tắc chung: Chuẩn nghèo đa chiều giai đoạn 2027-2030" in html
    assert ReviewRound.objects.get(pk=r.pk).standard_override == "vn-2022-2025"


def test_the_form_b_result_says_which_standard_and_why(client, people):  # noqa: F811
    r = open_round(people, "periodic", AUTUMN)
    listed = r.listed.get()
    client.force_login(people["reviewer"])
    url = f"/ra-soat/{r.pk}/ho/{listed.pk}/phieu-b/"
    with clock.fixed(AUTUMN):
        client.post(f"/ra-soat/{r.pk}/ho/{listed.pk}/phieu-a/", {"passes": "1"})
        blank = client.get(url).content.decode()
        assert "Chuẩn nghèo của đợt: Chuẩn nghèo đa chiều giai đoạn 2027-2030" in blank  # the surveyor knows before
        form = form_with(blank, button="Lưu và phân loại")
        data = {**form.data, **{k: str(v) for k, v in FACTS.items()}}
        for m in listed.household.members.all():
            data.update({f"{m.member_id}__{k}": str(v) for k, v in MEMBER_FACTS.items()})
        page = client.post(url, data)
    html = page.content.decode()
    assert page.status_code == 200 and "Kết quả phân loại" in html, html[:2000]
    assert "Chuẩn nghèo của đợt" in html and "cho năm 2027" in html and "chưa kiểm chứng" in html
    listed.refresh_from_db()
    assert listed.classification.standard_id == "vn-2027-2030"
