"""What the browser walk of a whole round (tests/flows/test_periodic_round_in_browser.py) showed on
the screens, each fixed and held here: the per-village table fits a phone, a category's deprivations
say what the number is, Form B writes money as 1.500.000 đ, Form A from the worklist returns to it,
and a stopped papers job says so in one language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from giamngheo.core import clock
from giamngheo.registry.models import Household
from giamngheo.review.models import DocumentJob, RoundStep
from giamngheo.review.tests.test_round import NEAR_FACTS, POOR_FACTS, RICH_FACTS, run_round
from giamngheo.testing.html_forms import form_with, forms_of

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)
from .test_review_pages import _round_at_form_b

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(people, households):  # noqa: F811
    r = run_round(people, households, [POOR_FACTS, NEAR_FACTS, RICH_FACTS], recognise=False)
    r.step = RoundStep.POSTING
    r.save()
    return r


def _village_table(page: str) -> str:
    return re.search(r'<table class="list compact">.*?</table>', page, re.S).group(0)


def test_the_per_village_table_has_a_column_only_for_states_some_household_is_in(client, people, posting):  # noqa: F811
    """Seven columns were cut off on a 390 px phone; at posting every household is approved."""
    client.force_login(people["official"])
    table = _village_table(client.get(f"/ra-soat/{posting.pk}/").content.decode())
    headers = re.findall(r'<th class="num">([^<]*)</th>', table)
    assert headers == ["Tổng", "Họp dân nhất trí"]
    assert len(re.findall(r'<td class="num"', table)) == 2  # one village: its total and its approved


def test_the_list_says_what_the_number_after_a_category_is(client, people, posting):  # noqa: F811
    client.force_login(people["official"])
    page = client.get(f"/ra-soat/{posting.pk}/").content.decode()
    cells = re.findall(r'<td data-label="Kết quả"[^>]*>([^<]*)</td>', page)
    assert cells and all(re.fullmatch(r"Hộ [^()]+ \(\d+ chỉ số thiếu hụt\)", c) for c in cells), cells


def test_form_b_writes_and_reads_the_income_as_vietnamese_money(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    client.force_login(people["reviewer"])
    listed = review_round.listed.get(household__household_id="H0")
    url = f"/ra-soat/{review_round.pk}/ho/{listed.pk}/phieu-b/"
    Household.objects.filter(pk=listed.household_id).update(income_per_capita_month=1_500_000)
    page = client.get(url).content.decode()
    field = re.search(r'<input[^>]*name="income_per_capita_month"[^>]*>', page).group(0)
    assert 'value="1.500.000"' in field and 'type="text"' in field and 'inputmode="numeric"' in field
    assert re.search(r'name="income_per_capita_month"[^>]*>\s*<span class="unit">đ</span>', page)
    form = form_with(page, button="Lưu và phân loại")
    with clock.fixed(dt.date(2025, 9, 12)):
        refused = client.post(url, {**form.data, "income_per_capita_month": "1,2"})
        assert (
            refused.status_code == 200 and "Số tiền là số nguyên đồng, viết như 1.500.000" in refused.content.decode()
        )
        negative = client.post(url, {**form.data, "income_per_capita_month": "-5"})
        assert "Không được âm" in negative.content.decode()
        saved = client.post(url, {**form.data, "income_per_capita_month": "1.200.000 đ"})
    assert saved.status_code == 200 and "1.200.000 đ" in saved.content.decode()
    assert Household.objects.get(pk=listed.household_id).income_per_capita_month == 1_200_000


def _first_form_a(page: str):
    return next(f for f in forms_of(page) if any("Qua Phiếu A" in b[2] for b in f.buttons))


def test_form_a_from_the_worklist_returns_to_the_worklist_as_filtered(client, people, households):  # noqa: F811
    review_round = _round_at_form_b(people, households)
    review_round.listed.update(form_a_passed=None)
    client.force_login(people["reviewer"])
    worklist = reverse("my_households", args=[review_round.pk])
    page = client.get(worklist, {"trang": "1"}).content.decode()
    form = _first_form_a(page)
    assert form.data["ve"] == "trang=1"
    response = client.post(form.action, {**form.data, "passes": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{worklist}?trang=1"
    assert re.search(r"Hộ H\d qua Phiếu A, chờ Phiếu B", response.content.decode())
    # from the round's list it goes back to the list, as before
    page = client.get(reverse("round_detail", args=[review_round.pk])).content.decode()
    form = _first_form_a(page)
    assert "ve" not in form.data
    response = client.post(form.action, {**form.data, "passes": "0"})
    assert response["Location"] == reverse("round_detail", args=[review_round.pk]) + "#listed"


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [("vi", "bị dừng giữa chừng", "was stopped"), ("en", "was stopped", "bị dừng")],
)
def test_a_stopped_papers_job_says_so_in_the_readers_language(
    client,
    people,  # noqa: F811
    posting,
    monkeypatch,
    settings,
    tmp_path,
    language,
    said,
    not_said,
):
    from giamngheo.review import tasks

    settings.DATA_DIR = tmp_path

    def stop(*args, **kwargs):
        raise SystemExit(0)  # what the worker's signal handler raises mid-job

    monkeypatch.setattr(tasks, "round_documents_zip", stop)
    job = DocumentJob.objects.create(review_round=posting, created_by=people["official"])
    with pytest.raises(SystemExit):
        tasks.generate_round_documents.call(job.pk)
    client.force_login(people["official"])
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(reverse("job_progress", args=[job.token])).content.decode()
    assert said in page and not_said not in page and " / " not in page


def test_a_village_meeting_names_each_household_by_its_head(client, people, households):  # noqa: F811
    """Each line repeated the village's name (it is that village's meeting) and left out the head's."""
    from giamngheo.registry.models import Member
    from giamngheo.review import services as review

    Household.objects.filter(pk__in=[h.pk for h in households]).update(village_name="Bản Tạ Khoa")
    review_round = _round_at_form_b(people, households)
    with clock.fixed(dt.date(2025, 9, 12)):
        for listed in review_round.listed.all():
            review.form_b_record(actor=people["reviewer"], listed=listed, household_facts=POOR_FACTS, member_facts={})
        review.round_advance(actor=people["official"], review_round=review_round, from_step="surveying")
    client.force_login(people["official"])
    url = reverse("meeting", args=[review_round.pk])
    village = re.search(r"\?thon=(\w+)", client.get(url).content.decode()).group(1)
    page = client.get(url, {"thon": village}).content.decode()
    lines = re.findall(r"<label>(H\d) · ([^<]*?) — số đồng ý", page)
    assert len(lines) == 3
    for household_id, rest in lines:
        head = Member.objects.get(household__household_id=household_id, relation_to_head="head", is_active=True)
        assert rest.startswith(f"{head.full_name} · Hộ ")
        assert "Bản Tạ Khoa" not in rest


@pytest.mark.parametrize(("language", "said", "not_said"), [("vi", "Phiếu A", "Form A"), ("en", "Form A", "Phiếu A")])
def test_the_worklist_says_what_is_left_in_the_readers_language(client, people, households, language, said, not_said):  # noqa: F811
    """The "what is left" column stayed Vietnamese in English."""
    review_round = _round_at_form_b(people, households)
    review_round.listed.update(form_a_passed=None)
    client.force_login(people["reviewer"])
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(reverse("my_households", args=[review_round.pk])).content.decode()
    label = "Việc còn lại" if language == "vi" else "What is left to do"
    cells = re.findall(rf'<td data-label="{label}"[^>]*>([^<]*)</td>', page)
    assert cells == [said] * 3, cells
    assert not_said not in " ".join(cells)
