"""The recognition's confirmation counts the households a complaint's re-check approved apart from those
the village meeting agreed (#13: they were all "họp dân nhất trí")."""

import datetime as dt
import re

import pytest

from giamngheo.core import clock
from giamngheo.review import services as review
from giamngheo.review.tests.test_complaints_and_requests import _at_posting
from giamngheo.review.tests.test_round import RICH_FACTS

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _confirmation(client, review_round) -> str:
    html = client.get(f"/ra-soat/{review_round.pk}/").content.decode()
    labels = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]
    found = [t for t in labels if t.startswith(("Tôi xác nhận công nhận", "I confirm recognising"))]
    assert len(found) == 1, labels
    return found[0]


def test_the_confirmation_counts_the_rechecked_household_apart(client, people, households):  # noqa: F811
    r = _at_posting(people, households)
    poor = r.listed.get(household__household_id="H0")
    with clock.fixed(dt.date(2025, 9, 11)):
        complaint = review.complaint_record(
            actor=people["reviewer"], listed=poor, received_on=dt.date(2025, 9, 11), content="Hộ mới mua ô tô"
        )
        review.complaint_recheck(
            actor=people["official"], complaint=complaint, recheck_on=dt.date(2025, 9, 11), outcome="Đúng", upheld=True
        )
    with clock.fixed(dt.date(2025, 9, 12)):
        review.form_b_record(
            actor=people["reviewer"], listed=poor, household_facts=RICH_FACTS, member_facts={}, causes=[], needs=[]
        )
    r = review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=dt.date(2025, 9, 15))
    client.force_login(people["chair"])
    text = _confirmation(client, r)
    assert "3 hộ: 2 hộ họp dân nhất trí, 1 hộ phúc tra có cơ sở (đã rà soát lại)" in text, text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _confirmation(client, r)
    assert "3 households: 2 approved by their village meeting, 1 by the re-check of an upheld complaint" in english


def test_without_a_recheck_the_confirmation_names_the_meetings_only(client, people, households):  # noqa: F811
    r = _at_posting(people, households)
    r = review.round_advance(actor=people["official"], review_round=r, from_step="posting", today=dt.date(2025, 9, 15))
    client.force_login(people["chair"])
    text = _confirmation(client, r)
    assert "công nhận 3 hộ họp dân nhất trí" in text and "phúc tra" not in text, text
