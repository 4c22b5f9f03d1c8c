"""Every review form rendered and posted in process, as a browser would (names and values read from
the page), on the realistic commune: 3,000 households in 8 villages, every id past 1,000."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings

from giamngheo.core import clock
from giamngheo.review.models import (
    Complaint,
    Listed,
    MeetingVote,
    Request,
    ReviewRound,
    RoundStep,
    Status,
    VillageMeeting,
)
from giamngheo.testing.html_forms import HtmlForm, form_with

from ...review.tests.test_round import people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _post(client, url: str, form: HtmlForm, **changes):
    data = {**form.data, **changes}
    return client.post(form.action or url, data)


def _fill_required_selects(form: HtmlForm) -> dict[str, str]:
    """A member's required codes left blank in the registry get the first real option."""
    return {
        name: next(v for v in form.options[name] if v)
        for name, value in form.data.items()
        if value == "" and name in form.options and name.endswith(("__highest_education", "__employment"))
    }


def _villages(realistic_commune, n_villages: int, per_village: int) -> dict[str, list[str]]:
    hh = realistic_commune.households
    return {
        v: hh.filter(hh["village"] == v)["household_id"].head(per_village).to_list()
        for v in realistic_commune.villages[:n_villages]
    }


def test_every_review_form_rendered_and_posted_with_realistic_ids(client, people, realistic_commune):  # noqa: F811
    commune = realistic_commune.commune
    chosen = _villages(realistic_commune, 3, 4)
    households = [h for ids in chosen.values() for h in ids]
    # Mẫu 01 from each household's page
    client.force_login(people["reviewer"])
    with clock.fixed(dt.date(2025, 9, 11)):
        for household_id in households:
            url = f"/ho/{household_id}/"
            form = form_with(_html(client.get(url)), action="/de-nghi/")
            assert client.post(form.action, {**form.data, "received_on": "10/09/2025"}).status_code == 302
    assert Request.objects.filter(household__household_id__in=households, form="01").count() == 12
    # the official opens the round from the commune's page and moves it to surveying
    client.force_login(people["official"])
    with clock.fixed(dt.date(2025, 9, 12)):
        rounds_url = f"/xa/{commune.pk}/ra-soat/"
        form = form_with(_html(client.get(rounds_url)), button="Mở đợt")
        opened = _post(client, rounds_url, form, kind="periodic", reference_date="10/09/2025")
        review_round = ReviewRound.objects.get(commune=commune)
        assert opened.status_code == 302 and review_round.listed.count() == 12 and review_round.pk > 1000
        page = f"/ra-soat/{review_round.pk}/"
        form = form_with(_html(client.get(page)), action="/chuyen-buoc/")
        assert form.data["step"] == "listing"
        _post(client, page, form, xac_nhan="1")  # the confirmation box, ticked
        # Form A from the round's page: one household is screened out, the rest pass
        client.force_login(people["reviewer"])
        html = _html(client.get(page))
        listed = list(review_round.listed.order_by("household__household_id"))
        assert all(item.pk > 1000 for item in listed)
        for i, item in enumerate(listed):
            form = form_with(html, action=f"/ho/{item.pk}/phieu-a/")
            _post(client, page, form, passes="0" if i == 0 else "1")
    screened = listed[0]
    screened.refresh_from_db()
    assert screened.state == Listed.State.SCREENED_OUT
    # Form B for each of the others, as rendered (member codes blank in the registry are filled in)
    with clock.fixed(dt.date(2025, 9, 16)):
        for item in listed[1:]:
            url = f"/ra-soat/{review_round.pk}/ho/{item.pk}/phieu-b/"
            form = form_with(_html(client.get(url)), button="Lưu và phân loại")
            assert int(form.data["version"]) >= 1
            saved = _post(
                client,
                url,
                form,
                water_source="surface_water",
                latrine="none",
                uses_telecom="false",
                surveyed_on="16/09/2025",
                **_fill_required_selects(form),
            )
            assert "Kết quả phân loại" in _html(saved), item.household.household_id
    assert review_round.listed.filter(state=Listed.State.SURVEYED).count() == 11
    # meetings: one per village, each form listing only that village's households
    client.force_login(people["official"])
    with clock.fixed(dt.date(2025, 9, 20)):
        _post(client, page, form_with(_html(client.get(page)), action="/chuyen-buoc/"), xac_nhan="1")
        meeting_url = f"/ra-soat/{review_round.pk}/hop-dan/"
        index = _html(client.get(meeting_url))
        links = re.findall(r'href="[^"]*\?thon=(\d+)"', index)
        assert len(links) == 3 and all(int(pk) > 1000 for pk in links)
        posted: dict[str, int] = {}
        for village_pk in links:
            html = _html(client.get(meeting_url, {"thon": village_pk}))
            form = form_with(html, button="Lưu kết quả họp")
            agree_names = [n for n in form.names if n.startswith("agree_")]
            own = set(
                Listed.objects.filter(
                    review_round=review_round, household__village_id=int(village_pk), state=Listed.State.SURVEYED
                ).values_list("pk", flat=True)
            )
            assert {int(n.removeprefix("agree_")) for n in agree_names} == own  # raw ids, this village only
            votes = {name: str(12 + i) for i, name in enumerate(agree_names)}  # 12, 13, ... of 20
            first = next(iter(votes))
            votes[first] = "9"  # below half: back to survey
            saved = _post(
                client,
                meeting_url,
                form,
                held_on="20/09/2025",
                chair="Lò Văn Tư",
                front_supervisor="Cầm Thị Hoa",
                attendance="20",
                **votes,
            )
            assert saved.status_code == 302
            for name, value in votes.items():
                posted[Listed.objects.get(pk=int(name.removeprefix("agree_"))).household.household_id] = int(value)
        recorded = {
            v.listed.household.household_id: v.agree for v in MeetingVote.objects.select_related("listed__household")
        }
        assert recorded == posted
        meetings = VillageMeeting.objects.filter(review_round=review_round)
        assert sorted(m.village_name for m in meetings) == sorted(chosen)
        assert all(m.village.commune_id == commune.pk for m in meetings)
        back = review_round.listed.filter(state=Listed.State.TO_SURVEY)
        assert back.count() == 3
        # the three sent back are surveyed again and approved at a second meeting of their village
        client.force_login(people["reviewer"])
        for item in back:
            url = f"/ra-soat/{review_round.pk}/ho/{item.pk}/phieu-b/"
            form = form_with(_html(client.get(url)), button="Lưu và phân loại")
            _post(client, url, form, surveyed_on="20/09/2025", **_fill_required_selects(form))
        client.force_login(people["official"])
        for village_pk in re.findall(r'href="[^"]*\?thon=(\d+)"', _html(client.get(meeting_url))):
            form = form_with(_html(client.get(meeting_url, {"thon": village_pk})), button="Lưu kết quả họp")
            votes = {n: "20" for n in form.names if n.startswith("agree_")}
            _post(
                client,
                meeting_url,
                form,
                held_on="20/09/2025",
                chair="Lò Văn Tư",
                front_supervisor="Cầm Thị Hoa",
                attendance="25",
                **votes,
            )
    assert review_round.listed.filter(state=Listed.State.APPROVED).count() == 11
    with clock.fixed(dt.date(2025, 9, 22)):
        form = form_with(_html(client.get(page)), action="/chuyen-buoc/")
        assert form.data["step"] == "meetings"
        _post(client, page, form, posting_start="22/09/2025", xac_nhan="1")
    review_round.refresh_from_db()
    assert review_round.step == RoundStep.POSTING and review_round.posting_end == dt.date(2025, 9, 24)
    # a complaint during posting and its re-check, on the household's complaint page opened from the list
    target = listed[1]
    with clock.fixed(dt.date(2025, 9, 23)):
        link = re.search(rf'href="([^"]*/ho/{target.pk}/khieu-nai/[^"]*)"', _html(client.get(page))).group(1)
        complaint_page = link.replace("&amp;", "&")
        form = form_with(_html(client.get(complaint_page)), button="Ghi khiếu nại")
        _post(client, complaint_page, form, received_on="23/09/2025", content="Hộ có xe máy mới")
    complaint = Complaint.objects.get(listed=target)
    assert complaint.pk > 1000
    with clock.fixed(dt.date(2025, 9, 24)):
        form = form_with(_html(client.get(complaint_page)), action=f"/khieu-nai/{complaint.pk}/phuc-tra/")
        _post(client, page, form, recheck_on="24/09/2025", outcome="Xe mượn của người thân", upheld="0")
    complaint.refresh_from_db()
    assert complaint.upheld is False and complaint.recheck_on == dt.date(2025, 9, 24)
    with clock.fixed(dt.date(2025, 9, 26)):
        _post(client, page, form_with(_html(client.get(page)), action="/chuyen-buoc/"), xac_nhan="1")
        review_round.refresh_from_db()
        assert review_round.step == RoundStep.RECOGNITION
        client.force_login(people["chair"])
        form = form_with(_html(client.get(page)), action="/cong-nhan/")
        _post(client, page, form, decision_number="45/QĐ-UBND", decision_date="26/09/2025", xac_nhan="1")
    review_round.refresh_from_db()
    assert review_round.step == RoundStep.CLOSED and review_round.decision_date == dt.date(2025, 9, 26)
    statuses = {s.household.household_id: s.category for s in Status.objects.filter(review_round=review_round)}
    expected = {
        item.household.household_id: Listed.objects.get(pk=item.pk).classification.category for item in listed[1:]
    }
    assert statuses == expected and len(statuses) == 11


def _large_round(people, realistic_commune):  # noqa: F811
    """Every household of the commune listed by request and surveyed (the survey itself is not what
    these tests are about, so the listing rows are marked surveyed directly)."""
    from giamngheo.registry.models import Household
    from giamngheo.review import services as review

    commune = realistic_commune.commune
    Request.objects.bulk_create(
        [
            Request(
                household=h, form="01", received_on=dt.date(2025, 9, 10), channel="post", recorded_by=people["reviewer"]
            )
            for h in Household.objects.filter(unit=commune)
        ]
    )
    with clock.fixed(dt.date(2025, 9, 12)):
        review_round = review.round_open(
            actor=people["official"], commune=commune, kind="periodic", reference_date=dt.date(2025, 9, 10)
        )
        review.round_advance(actor=people["official"], review_round=review_round, from_step="listing")
        review_round.listed.update(state=Listed.State.SURVEYED, form_a_passed=True)
        review.round_advance(actor=people["official"], review_round=review_round, from_step="surveying")
    return review_round


def test_a_village_meeting_of_realistic_size_records_the_votes_as_entered(client, people, realistic_commune):  # noqa: F811
    review_round = _large_round(people, realistic_commune)
    assert review_round.listed.count() == 3000
    client.force_login(people["official"])
    progress = _html(client.get("/tien-do-ra-soat/"))
    assert 'max="3000" value="3000"' in progress  # not max="3.000"
    meeting_url = f"/ra-soat/{review_round.pk}/hop-dan/"
    links = re.findall(r'href="[^"]*\?thon=(\d+)"', _html(client.get(meeting_url)))
    assert len(links) == 8
    village_pk = int(links[0])
    html = _html(client.get(meeting_url, {"thon": village_pk}))
    form = form_with(html, button="Lưu kết quả họp")
    agree_names = [n for n in form.names if n.startswith("agree_")]
    village_listed = Listed.objects.filter(review_round=review_round, household__village_id=village_pk)
    assert len(agree_names) == village_listed.count() == 375
    assert len(form.names) + 2 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # + csrf token and the button
    assert all(re.fullmatch(r"agree_\d{4,}", n) for n in agree_names)
    votes = {name: str(5 if i % 4 == 0 else 15) for i, name in enumerate(agree_names)}
    meeting = dict(held_on="20/09/2025", chair="Lò Văn Tư", front_supervisor="Cầm Thị Hoa", attendance="20")
    with clock.fixed(dt.date(2025, 9, 20)):
        # a missing answer is refused, not counted as 0 votes
        missing = dict(votes)
        missing.pop(agree_names[7])
        form_data = {k: v for k, v in form.data.items() if k != agree_names[7]}
        refused = client.post(meeting_url, {**form_data, **meeting, **missing})
        assert refused.status_code == 200 and "Cần số người đồng ý" in refused.content.decode()
        assert not VillageMeeting.objects.exists()
        # attendance past PostgreSQL's integer is a message, not a 500
        huge = client.post(meeting_url, {**form.data, **meeting, **votes, "attendance": str(2**31)})
        assert huge.status_code == 200 and not VillageMeeting.objects.exists()
        saved = _post(client, meeting_url, form, **meeting, **votes)
    assert saved.status_code == 302
    by_pk = {v.listed_id: v.agree for v in MeetingVote.objects.all()}
    assert by_pk == {int(n.removeprefix("agree_")): int(v) for n, v in votes.items()}
    approved = village_listed.filter(state=Listed.State.APPROVED).count()
    assert approved == sum(1 for v in votes.values() if v == "15") == 281
    assert village_listed.filter(state=Listed.State.TO_SURVEY).count() == 94
    others = Listed.objects.filter(review_round=review_round).exclude(household__village_id=village_pk)
    assert set(others.values_list("state", flat=True)) == {Listed.State.SURVEYED}  # other villages untouched


def test_a_village_bigger_than_one_form_is_met_in_parts(client, people, realistic_commune, monkeypatch):  # noqa: F811
    from giamngheo.web import review_views

    monkeypatch.setattr(review_views, "MEETING_FORM_MAX", 100)
    review_round = _large_round(people, realistic_commune)
    client.force_login(people["official"])
    meeting_url = f"/ra-soat/{review_round.pk}/hop-dan/"
    village_pk = re.findall(r'href="[^"]*\?thon=(\d+)"', _html(client.get(meeting_url)))[0]
    rounds = 0
    with clock.fixed(dt.date(2025, 9, 20)):
        while True:
            html = _html(client.get(meeting_url, {"thon": village_pk}))
            if "Lưu kết quả họp" not in html:
                break
            form = form_with(html, button="Lưu kết quả họp")
            names = [n for n in form.names if n.startswith("agree_")]
            assert len(names) <= 100
            _post(
                client,
                meeting_url,
                form,
                held_on="20/09/2025",
                chair="Lò Văn Tư",
                front_supervisor="Cầm Thị Hoa",
                attendance="20",
                **dict.fromkeys(names, "20"),
            )
            rounds += 1
    assert rounds == 4  # 375 households: 100 + 100 + 100 + 75
    assert (
        Listed.objects.filter(
            review_round=review_round, household__village_id=int(village_pk), state=Listed.State.APPROVED
        ).count()
        == 375
    )
