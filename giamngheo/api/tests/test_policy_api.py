"""The policy endpoints (issue #16 item 7): the catalogue, eligibility, the ledger, findings and recording
one benefit, scoped as the web and the CLI are (an agency officer: its own policies in its own units)."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.models import Benefit
from giamngheo.policies.services import benefit_record, province_norm_set
from giamngheo.registry.services import member_update
from giamngheo.review.models import ReviewRound, Status

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
D = dt.date


@pytest.fixture
def data():
    admin = system_user()
    home = household(admin, "HA1", A, members=2)
    member_update(actor=admin, member=home.members.get(member_id="HA1-1"), national_id="014080001234")
    household(admin, "HB1", B)
    rnd = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=D(2025, 9, 1), opened_by=admin
    )
    Status.objects.create(
        household=home, category="poor", valid_from=D(2025, 12, 12), review_round=rnd, decision_number="45/QĐ-UBND"
    )
    official = user_with_role("commune_official", A)
    benefit_record(
        actor=official, household=home, policy_id="tien-dien", delivered_on=D(2026, 3, 31), amount_vnd=147_000
    )
    card = home.members.get(member_id="HA1-1")
    benefit_record(actor=official, household=home, member=card, policy_id="bhyt", delivered_on=D(2026, 1, 5))
    return home


def bearer(role, unit=None, policies=None):
    user = user_with_role(role, unit, policies=policies)
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=system_user(), user=user)}"}


def test_the_catalogue_and_one_policy_with_a_provinces_norms(client, data):
    auth = bearer("reviewer", A)
    listed = client.get("/api/policies", **auth).json()
    assert {"bhyt", "tien-dien", "vay-hssv"} <= {p["id"] for p in listed}
    province_norm_set(
        actor=system_user(),
        province=unit_by_code("14"),
        policy_id="bhyt",
        norm="state_share_percent_near_poor",
        valid_from=D(2026, 1, 1),
        value=100,
        reference="NQ 12/2025/NQ-HĐND",
        confidence="S",
    )
    one = client.get("/api/policies/bhyt?province=14&on=2026-02-01", **auth).json()
    near = next(n for n in one["norms"] if n["name"] == "state_share_percent_near_poor")
    assert near["national"][0]["value"] == 70 and near["applies"]["value"] == 100
    assert (near["applies"]["source"], near["applies"]["verified"]) == ("province_set", False)
    assert one["eligibility"][0]["name"] == "categories" and one["eligibility"][0]["values"][0]["confidence"] == "S"
    assert client.get("/api/policies/bhyt", **auth).json()["norms"][1]["applies"]["value"] == 70
    missing = client.get("/api/policies/khong-co", **auth)
    assert missing.status_code == 404 and "Không có chính sách" in missing.json()["detail"]
    assert "no policy" in client.get("/api/policies/khong-co?lang=en", **auth).json()["detail"]
    assert client.get("/api/policies/bhyt?province=03880", **auth).status_code == 404  # a commune is no province


def test_eligibility_masks_ids_unless_the_role_sees_them(client, data):
    url = f"/api/policies/bhyt/eligible?unit={A}&on=2026-01-05"
    full = client.get(url, **bearer("commune_official", A)).json()
    assert full["count"] >= 1 and "014080001234" in {r["national_id"] for r in full["items"]}
    assert AuditEvent.objects.filter(verb="national_id.view").exists()
    for auth in (bearer("province_official", "14"), bearer("agency_officer", A, ["bhyt"])):
        rows = client.get(url, **auth).json()["items"]
        assert rows and "014080001234" not in {r["national_id"] for r in rows}
        assert rows[0]["reason"].startswith("hộ nghèo theo QĐ 45/QĐ-UBND")
    for denied_url, auth in (
        (url, bearer("commune_official", B)),
        (url.replace("bhyt", "tien-dien"), bearer("agency_officer", A, ["bhyt"])),
        (url, bearer("agency_officer", B, ["bhyt"])),
    ):
        response = client.get(denied_url, **auth)
        assert response.status_code == 404 and "HA1" not in response.content.decode()
    future = client.get(url.replace("2026-01-05", "2999-01-01"), **bearer("commune_official", A))
    assert future.status_code == 400 and "tương lai" in future.json()["detail"]


def test_findings_by_kind(client, data):
    auth = bearer("agency_officer", A, ["tien-dien"])
    found = client.get(f"/api/policies/tien-dien/findings/wrong_target?unit={A}&on=2026-03-31", **auth).json()
    assert found["kind"] == "wrong_target" and found["note_vi"] and isinstance(found["rows"], list)
    gaps = client.get(f"/api/policies/tien-dien/findings/gaps?unit={A}&on=2026-03-31", **auth).json()
    assert all(r["household_id"] != "HA1" for r in gaps["rows"])  # paid this quarter: no gap
    assert client.get(f"/api/policies/tien-dien/findings/nope?unit={A}", **auth).status_code == 404
    assert client.get(f"/api/policies/bhyt/findings/gaps?unit={A}", **auth).status_code == 404


def test_the_ledger_of_a_household_or_a_unit_as_far_as_the_caller_reads(client, data):
    official = client.get("/api/benefits?household=HA1", **bearer("commune_official", A)).json()
    assert official["count"] == 2 and {r["policy_id"] for r in official["items"]} == {"bhyt", "tien-dien"}
    assert official["items"][0]["delivered_on"] == "2026-01-05"  # oldest first
    agency = client.get(f"/api/benefits?unit={A}", **bearer("agency_officer", A, ["bhyt"])).json()
    assert [r["policy_id"] for r in agency["items"]] == ["bhyt"]  # not the electricity payment
    for url, auth in (
        ("/api/benefits?household=HA1", bearer("commune_official", B)),
        ("/api/benefits?household=HA1", bearer("agency_officer", B, ["bhyt"])),
        (f"/api/benefits?unit={A}", bearer("commune_official", B)),
        ("/api/benefits?unit=14", bearer("commune_official", A)),  # a province is more than a commune
        ("/api/benefits?household=NOPE", bearer("national_viewer")),
    ):
        response = client.get(url, **auth)
        assert response.status_code == 404 and "HA1" not in response.content.decode(), url
    assert client.get("/api/benefits", **bearer("national_viewer")).status_code == 400


def test_recording_one_benefit(client, data):
    body = {"household_id": "HA1", "policy_id": "tien-dien", "delivered_on": "2026-06-30", "amount_vnd": 147000}
    made = client.post("/api/benefits", body, content_type="application/json", **bearer("commune_official", A))
    assert made.status_code == 201 and made.json()["eligible_at_delivery"] is True
    card = {"household_id": "HA1", "member_id": "HA1-2", "policy_id": "bhyt", "delivered_on": "2026-01-05"}
    agency = bearer("agency_officer", A, ["bhyt"])
    assert client.post("/api/benefits", card, content_type="application/json", **agency).status_code == 201
    assert Benefit.objects.get(member__member_id="HA1-2").recorded_by.username.endswith("agency_officer")
    before = Benefit.objects.count()
    refused = [
        (body, agency, 404),  # its commune, another policy: the household is not in its reach for it
        (card, bearer("agency_officer", B, ["bhyt"]), 404),
        (body, bearer("commune_official", B), 404),
        (body, bearer("province_official", "14"), 403),  # reads the household, may not record
        (body, bearer("reviewer", A), 403),
    ]
    for payload, auth, status in refused:
        response = client.post("/api/benefits", payload, content_type="application/json", **auth)
        assert response.status_code == status, (payload, response.content)
    future = client.post(
        "/api/benefits?lang=en",
        {**body, "delivered_on": "2999-01-01"},
        content_type="application/json",
        **bearer("commune_official", A),
    )
    assert future.status_code == 400 and "future" in future.json()["detail"]
    bad = client.post(
        "/api/benefits", {**body, "amount_vnd": -1}, content_type="application/json", **bearer("commune_official", A)
    )
    assert bad.status_code == 422 and "amount_vnd: phải lớn hơn hoặc bằng 0" in bad.json()["detail"]
    assert Benefit.objects.count() == before


def test_an_idempotency_key_makes_a_retried_post_write_one_row(client, data):
    body = {"household_id": "HA1", "policy_id": "tien-dien", "delivered_on": "2026-06-30", "amount_vnd": 147000}
    auth = bearer("commune_official", A)
    before = Benefit.objects.count()
    sent = [
        client.post("/api/benefits", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **auth)
        for _ in range(2)
    ]
    assert [r.status_code for r in sent] == [201, 201] and sent[0].json()["id"] == sent[1].json()["id"]
    assert Benefit.objects.count() == before + 1
    other = client.post("/api/benefits", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2", **auth)
    assert other.status_code == 201 and other.json()["id"] != sent[0].json()["id"]
    stolen = client.post(  # another caller's key is not answered with its row
        "/api/benefits?lang=en",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **bearer("commune_official", A),
    )
    assert stolen.status_code == 400 and "submission key" in stolen.json()["detail"]
    huge = client.post("/api/benefits?lang=en", {**body, "amount_vnd": 10**15}, content_type="application/json", **auth)
    assert huge.status_code == 422
    loan = {
        **body,
        "policy_id": "vay-ho-ngheo",
        "amount_vnd": 10_000_000,
        "loan": {"term_months": 12, "interest_percent_year": 6.615, "declared_purpose": "bò"},
    }
    rate = client.post("/api/benefits?lang=en", loan, content_type="application/json", **auth)
    assert rate.status_code == 400 and "2 decimal places" in rate.json()["detail"]
    assert Benefit.objects.count() == before + 2
