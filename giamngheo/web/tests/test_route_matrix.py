"""Every URL and API route, for every role: what is allowed and what is denied (403/404/401, never data).

Adding a route without a line here fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
ROLES = {
    "anonymous": None,
    "reviewer_A": (Role.REVIEWER, A),
    "village_head_A": (Role.VILLAGE_HEAD, A),
    "official_A": (Role.COMMUNE_OFFICIAL, A),
    "chair_A": (Role.COMMUNE_CHAIR, A),
    "official_B": (Role.COMMUNE_OFFICIAL, B),
    "province_14": (Role.PROVINCE_OFFICIAL, "14"),
    "province_01": (Role.PROVINCE_OFFICIAL, "01"),
    "national": (Role.NATIONAL_VIEWER, None),
    "admin": (Role.ADMIN, None),
    "helper_A": (Role.HELPER, A),  # a helper of commune A with household HA1 assigned (issue #17), not HA2
    "agency_A": (Role.AGENCY_OFFICER, A, ["bhyt"]),  # health insurance cards in commune A, nothing else
}
COMMUNE_A_STAFF = {"reviewer_A", "village_head_A", "official_A", "chair_A"}
READERS_OF_A = COMMUNE_A_STAFF | {"province_14", "national", "admin"}
WRITERS_OF_A = COMMUNE_A_STAFF | {"admin"}
REGISTRY_OF_A = {"official_A", "chair_A", "admin"}  # who keeps the register: not reviewers, not village heads
DECISION_OF_A = {"official_A", "chair_A", "province_14", "admin"}  # bringing in a decision taken before giamngheo
BENEFIT_OF_A = {"official_A", "admin"}  # who keeps the commune's benefit ledger (access.require_record_benefit)
LOGGED_IN = set(ROLES) - {"anonymous"}
READERS_OF_14 = {"province_14", "national", "admin"}  # a report covers the whole unit: part of it would mislead
READERS_OF_HA1 = READERS_OF_A | {"helper_A"}  # a household's own pages: also its helper's (plans)
BHYT_OF_A = READERS_OF_A | {"agency_A"}  # eligibility and ledger of bhyt in A: its readers and its agency officer
RECORDERS_OF_BHYT_IN_A = {"official_A", "admin", "agency_A"}  # recording or importing a bhyt delivery in A

# route name -> (method, path template, roles allowed); everyone else must be denied.
MATRIX = {
    "home": ("get", "/", LOGGED_IN),
    "household_list": ("get", "/xa/{unit_a}/ho/", READERS_OF_A),
    "household_list_download": ("get", "/xa/{unit_a}/ho/tai-ve.csv", READERS_OF_A),
    "household_detail": ("get", "/ho/HA1/", READERS_OF_HA1),
    "household_edit": ("get", "/ho/HA1/sua/", WRITERS_OF_A),
    "household_audit": ("get", "/ho/HA1/nhat-ky/", READERS_OF_HA1),
    "visit_add": ("get", "/ho/HA1/tham-ho/", {"helper_A", "official_A", "chair_A", "admin"}),  # plans: a visit
    "helper_households": ("get", "/giup-do/", LOGGED_IN),  # what the user follows (empty for most)
    "visits_overdue": ("get", "/xa/{unit_a}/chua-tham/", READERS_OF_A),
    "household_add": ("get", "/xa/{unit_a}/ho/them/", REGISTRY_OF_A),
    "member_add": ("get", "/ho/HA1/thanh-vien/them/", REGISTRY_OF_A),
    "member_leave": ("get", "/ho/HA1/thanh-vien/HA1-2/roi-ho/", REGISTRY_OF_A),
    "household_split": ("get", "/ho/HA1/tach/", REGISTRY_OF_A),
    "household_merge": ("get", "/ho/HA1/nhap/", REGISTRY_OF_A),
    "user_audit": ("get", "/nguoi-dung/system/nhat-ky/", {"admin"}),
    "rounds": ("get", "/xa/{unit_a}/ra-soat/", READERS_OF_A),
    "round_detail": ("get", "/ra-soat/{round}/", READERS_OF_A),
    "round_advance": ("post", "/ra-soat/{round}/chuyen-buoc/", WRITERS_OF_A),
    "round_standard": ("post", "/ra-soat/{round}/chuan-ngheo/", {"province_14", "admin"}),
    "form_a": ("post", "/ra-soat/{round}/ho/{listed}/phieu-a/", WRITERS_OF_A),
    "form_b": ("get", "/ra-soat/{round}/ho/{listed}/phieu-b/", WRITERS_OF_A),
    "meeting": ("get", "/ra-soat/{round}/hop-dan/", WRITERS_OF_A),
    "recognise": ("post", "/ra-soat/{round}/cong-nhan/", WRITERS_OF_A),
    "documents": ("post", "/ra-soat/{round}/tai-lieu/", WRITERS_OF_A),
    "job_progress": ("get", "/tai-lieu/{job}/", READERS_OF_A),
    "job_download": ("get", "/tai-lieu/{job}/tai-ve/", WRITERS_OF_A),  # papers with full ids: not masked roles
    "review_progress": ("get", "/tien-do-ra-soat/", LOGGED_IN),
    "template_download": ("get", "/mau-nhap-lieu/", LOGGED_IN),
    "import_upload": ("get", "/xa/{unit_a}/nhap-du-lieu/", WRITERS_OF_A),
    "import_job": ("get", "/nhap-du-lieu/{import_job}/", {"admin"}),
    "delivery_import": ("get", "/don-vi/{unit_a}/nhap-chi-tra/", RECORDERS_OF_BHYT_IN_A),
    "province_norms": ("get", "/tinh/{province_14}/dinh-muc/", READERS_OF_14),
    "decision_import": ("get", "/xa/{unit_a}/ghi-quyet-dinh/", DECISION_OF_A),
    "import_marked": ("get", "/nhap-du-lieu/{import_job}/tep-loi/", {"admin"}),
    "register": ("get", "/xa/{unit_a}/so-theo-doi/", READERS_OF_A),
    "register_download": ("get", "/xa/{unit_a}/so-theo-doi/tai-ve.xlsx", READERS_OF_A),
    "request_add": ("post", "/ho/HA1/de-nghi/", WRITERS_OF_A),
    "complaints": ("get", "/ra-soat/{round}/ho/{listed}/khieu-nai/", READERS_OF_A),  # posting: WRITERS_OF_A below
    "my_households": ("get", "/ra-soat/{round}/viec-cua-toi/", WRITERS_OF_A),
    "round_assign": ("post", "/ra-soat/{round}/giao-viec/", {"official_A", "chair_A", "admin"}),  # the office
    "complaint_recheck": ("post", "/ra-soat/{round}/khieu-nai/{complaint}/phuc-tra/", WRITERS_OF_A),
    "village_add": ("post", "/xa/{unit_a}/thon/", WRITERS_OF_A),
    # an agency officer reads its own policy in its units, as the API lets it (access.policy_unit_ids)
    "policy_eligible": ("get", "/don-vi/{unit_a}/ho-tro/doi-tuong/?chinh_sach=bhyt", BHYT_OF_A),
    "policy_eligible_download": ("get", "/don-vi/{unit_a}/ho-tro/doi-tuong/tai-ve.csv?chinh_sach=bhyt", BHYT_OF_A),
    "policy_findings": ("get", "/don-vi/{unit_a}/ho-tro/sai-doi-tuong/?chinh_sach=tien-dien", READERS_OF_A),
    "policy_findings_download": ("get", "/don-vi/{unit_a}/ho-tro/chua-nhan/tai-ve.xlsx?chinh_sach=bhyt", BHYT_OF_A),
    "benefit_ledger": ("get", "/don-vi/{unit_a}/ho-tro/so/", BHYT_OF_A),  # the agency's: its policy's rows only
    "benefit_ledger_download": ("get", "/don-vi/{unit_a}/ho-tro/so/tai-ve.csv", BHYT_OF_A),
    "benefit_add": ("get", "/ho/HA1/ho-tro/ghi/", RECORDERS_OF_BHYT_IN_A),  # its policy only in the picker
    "benefit_reverse": ("get", "/ho/HA1/ho-tro/{benefit}/dao/", BENEFIT_OF_A),
    "loan_check": ("get", "/ho/HA1/ho-tro/{loan}/kiem-tra-vay/", BENEFIT_OF_A),
    "login": ("get", "/dang-nhap/", set(ROLES)),
    "health": ("get", "/suc-khoe/", set(ROLES)),  # states and counts only, for the operator's monitor
    "metrics": ("get", "/chi-so/", set()),  # only with the operator's token, which no role carries
    "reports": ("get", "/bao-cao/", LOGGED_IN),
    "report_job": ("get", "/bao-cao/tep/{report_job}/", set()),  # only the one who asked (not a role here)
    "report_job_download": ("get", "/bao-cao/tep/{report_job}/tai-ve/", set()),
    "report": ("get", "/bao-cao/ket-qua/?unit=14&period=2026", READERS_OF_14),
    "whatif": ("get", "/bao-cao/chay-thu/?unit=14&run=1", READERS_OF_14),
    "unit_search": ("get", "/bao-cao/don-vi/?unit=son", LOGGED_IN),  # open to all; the answers are filtered
    "dashboard": ("get", "/bang-dieu-khien/?unit=14&period=2026", READERS_OF_14),
    "api:report_table": ("get", "/api/reports/table/ket-qua?unit=14&period=2026", READERS_OF_14),
    "api:report_whatif": ("get", "/api/reports/whatif?unit=14", READERS_OF_14),
    "set_language": ("post", "/i18n/setlang/", set(ROLES)),
    "admin": ("get", "/admin/", {"admin"}),
    "api:list_households": ("get", "/api/households", LOGGED_IN),
    "api:get_household": ("get", "/api/households/HA1", READERS_OF_HA1),
    "api:list_members": ("get", "/api/households/HA1/members", READERS_OF_HA1),
    "api:get_classification": ("get", "/api/households/HA1/classification", READERS_OF_HA1),
    "api:get_unit": ("get", "/api/units/00001?on=2024-01-01", LOGGED_IN),
    "api:list_rounds": ("get", "/api/rounds", LOGGED_IN),
    "api:round_households": ("get", "/api/rounds/{round}/households", READERS_OF_A),
    "api:stored_classifications": ("get", "/api/households/HA1/classifications", READERS_OF_HA1),
    "api:report_summary": ("get", "/api/reports/summary?unit=14", READERS_OF_14),
    "api:report_deprivations": ("get", "/api/reports/deprivations?unit=14", READERS_OF_14),
    "api:list_policies": ("get", "/api/policies", LOGGED_IN),  # the catalogue is law
    "api:get_policy": ("get", "/api/policies/bhyt?province=14", LOGGED_IN),
    "api:policy_eligible": ("get", "/api/policies/bhyt/eligible?unit=03880", BHYT_OF_A),
    "api:policy_findings": ("get", "/api/policies/bhyt/findings/gaps?unit=03880", BHYT_OF_A),
    "api:list_benefits": ("get", "/api/benefits?household=HA1", BHYT_OF_A),
    "api:create_benefit": ("post", "/api/benefits", RECORDERS_OF_BHYT_IN_A),
    # the schema and its docs are for the API's users: signed in (session or token)
    "api:openapi-json": ("get", "/api/openapi.json", LOGGED_IN),
    "api:openapi-view": ("get", "/api/docs", LOGGED_IN),
    "api:api-root": ("get", "/api/", set()),
    # every signed-in user changes their own password; anonymous is sent to the login page
    "password_change": ("get", "/doi-mat-khau/", LOGGED_IN),
    "password_change_done": ("get", "/doi-mat-khau/xong/", LOGGED_IN),
    # the second sign-in step: shown before the code; after it, both send a signed-in user on
    "two_factor": ("get", "/xac-thuc/", LOGGED_IN),
    "two_factor_enrol": ("get", "/xac-thuc/dang-ky/", LOGGED_IN),
    "logout": ("post", "/dang-xuat/", set(ROLES)),  # last: it ends the session
}
CSRF_TOKEN = re.compile(r'(?:value="|csrftoken=)[A-Za-z0-9]{32,64}')


def _shown(response) -> str:
    """What a response shows, its random CSRF tokens taken out: one held "HA1" and failed a denial."""
    return CSRF_TOKEN.sub("", response.content.decode(errors="replace"))


NEEDS_TWO_FACTOR = {"province_14", "province_01", "national", "admin"}  # accounts.access.needs_two_factor
OPEN_BEFORE_THE_CODE = {"login", "logout", "health", "metrics", "set_language", "two_factor", "two_factor_enrol"}


def _route_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                names.add("admin")
                continue
            ns = f"{entry.namespace}:" if entry.namespace else prefix
            names |= _route_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_route_is_in_the_matrix():
    assert _route_names() == set(MATRIX)


@pytest.fixture
def world(settings, tmp_path):
    import datetime as dt

    from giamngheo.review.models import Complaint, DocumentJob, Listed, ReviewRound

    settings.DATA_DIR = tmp_path
    admin = system_user()
    ha1 = household(admin, "HA1", A)
    household(admin, "HA2", A)  # a neighbour of HA1 that the helper does not follow
    household(admin, "HB1", B)
    review_round = ReviewRound.objects.create(
        commune=unit_by_code(A), kind="periodic", reference_date=dt.date(2025, 9, 1), opened_by=admin, step="closed"
    )
    listed = Listed.objects.create(review_round=review_round, household=ha1, reason="on_list")
    archive = tmp_path / "r.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    job = DocumentJob.objects.create(review_round=review_round, created_by=admin, state="done", file=str(archive))
    complaint = Complaint.objects.create(listed=listed, received_on=dt.date(2025, 9, 5), content="x", recorded_by=admin)
    from giamngheo.exchange.models import ImportJob

    import_job = ImportJob.objects.create(
        commune=unit_by_code(A), households_path="x.csv", created_by=admin, state="rejected", marked_file=str(archive)
    )
    from giamngheo.reports.models import ReportJob

    report_job = ReportJob.objects.create(
        name="ket-qua", unit_code="14", period="2026", created_by=admin, state="done", file=str(archive)
    )
    from giamngheo.policies.services import LoanTerms, benefit_record

    paid = benefit_record(
        actor=admin, household=ha1, policy_id="tien-dien", delivered_on=dt.date(2026, 3, 31), amount_vnd=147_000
    )
    terms = LoanTerms(term_months=60, interest_percent_year=6.6, declared_purpose="nuôi bò")
    lent = benefit_record(
        actor=admin,
        household=ha1,
        policy_id="vay-ho-ngheo",
        delivered_on=dt.date(2026, 4, 1),
        amount_vnd=50_000_000,
        loan=terms,
    )
    return {
        "benefit": paid.pk,
        "loan": lent.pk,
        "report_job": report_job.token,
        "unit_a": unit_by_code(A).pk,
        "round": review_round.pk,
        "listed": listed.pk,
        "job": job.token,
        "complaint": complaint.pk,
        "import_job": import_job.pk,
        "province_14": unit_by_code("14").pk,
    }


def _assign_ha1(user):
    """The helper's person, of commune A's Women's Union, follows HA1 from 2020."""
    import datetime as dt

    from giamngheo.plans.services import assignment_add, organisation_add, person_add
    from giamngheo.registry.selectors import household_get

    admin = system_user()
    union = organisation_add(actor=admin, unit=unit_by_code(A), kind="womens_union", name=f"Hội Phụ nữ {user.pk}")
    person = person_add(actor=admin, organisation=union, full_name="Lò Thị Giúp", user=user)
    assignment_add(actor=admin, person=person, household=household_get(admin, "HA1"), valid_from=dt.date(2020, 1, 1))


def _client(role_key):
    client = Client()
    spec = ROLES[role_key]
    token = None
    if spec is not None:
        user = user_with_role(spec[0], spec[1], policies=spec[2] if len(spec) > 2 else None)
        if role_key == "helper_A":
            _assign_ha1(user)
        client.force_login(user)
        token = token_create(actor=system_user(), user=user)
    return client, token


POSTS_THAT_REDIRECT = {
    "village_add",
    "round_advance",
    "round_standard",
    "form_a",
    "recognise",
    "documents",
    "request_add",
    "complaint_recheck",
    "round_assign",
}


def _allowed(route: str, response) -> bool:
    if route == "api:create_benefit":
        return response.status_code == 201
    if route.startswith("api:"):
        return response.status_code == 200
    if route in ("logout", "set_language"):
        return response.status_code in (200, 302)
    if route in POSTS_THAT_REDIRECT:
        return response.status_code == 302 and "/dang-nhap/" not in response["Location"]
    if route == "login":
        return response.status_code == 200
    if route in ("two_factor", "two_factor_enrol"):  # verified (or not needed): on to the page asked for
        return response.status_code == 302 and "/dang-nhap/" not in response["Location"]
    return response.status_code == 200


def _denied(route: str, response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return (
        response.status_code == 302
        and "/dang-nhap/" in response.get("Location", "")
        or (route == "admin" and response.status_code == 302 and "/admin/login/" in response.get("Location", ""))
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_route_matrix(world, role):
    client, token = _client(role)
    for route, (method, template, allowed_roles) in MATRIX.items():
        path = template.format(**world)
        if route == "api:create_benefit":  # one bhyt card for HA1's first member
            body = {"household_id": "HA1", "member_id": "HA1-1", "policy_id": "bhyt", "delivered_on": "2026-01-05"}
            auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            response = Client().post(path, body, content_type="application/json", **auth)
        elif route.startswith("api:") and token:  # machine clients: bearer token, no session
            response = getattr(Client(), method)(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        elif route.startswith("api:"):
            response = getattr(Client(), method)(path)
        else:
            data = {"name": f"Thôn {role}", "kind": "village"} if route == "village_add" else {}
            response = getattr(client, method)(path, data)
        body = (
            b"".join(response.streaming_content).decode(errors="replace")
            if response.streaming
            else response.content.decode(errors="replace")
        )
        body = CSRF_TOKEN.sub("", body)  # a random token once held "HA1" and failed a denial that gave nothing
        if role in allowed_roles:
            assert _allowed(route, response), (route, role, response.status_code)
        else:
            assert _denied(route, response), (route, role, response.status_code)
            assert "HA1" not in body or route == "login", (route, role)  # no data in a denial
        if role not in READERS_OF_A:  # nor a neighbour's (member ids, links: a CSRF token may hold "HA2")
            assert "HA2-1" not in body and "/ho/HA2/" not in body and '"HA2"' not in body, (route, role)


def test_denied_writes_change_nothing(world):
    from giamngheo.geo.models import Village

    for role in set(ROLES) - WRITERS_OF_A:
        client, _ = _client(role)
        client.post(f"/xa/{world['unit_a']}/thon/", {"name": f"Thôn {role}", "kind": "village"})
    assert not Village.objects.exists()


def test_complaint_posts_of_those_who_may_not_write_are_denied_and_change_nothing(world):
    """The complaint page is readable by the commune's readers; recording one is for its writers only."""
    from giamngheo.review.models import Complaint

    before = Complaint.objects.count()
    path = f"/ra-soat/{world['round']}/ho/{world['listed']}/khieu-nai/"
    for role in set(ROLES) - WRITERS_OF_A:
        client, _ = _client(role)
        response = client.post(path, {"received_on": "05/09/2025", "content": f"khiếu nại {role}"})
        assert _denied("complaints", response), (role, response.status_code)
        assert "HA1" not in _shown(response), role
    assert Complaint.objects.count() == before


def test_register_posts_of_those_who_do_not_keep_the_register_are_denied_and_change_nothing(world):
    """Adding a household or a member, a member leaving, a split and a merge: for the commune's office only.
    Another commune's official, a reviewer, a village head, the province and national viewers are refused."""
    from giamngheo.registry.models import Household, Member

    posts = {
        f"/xa/{world['unit_a']}/ho/them/": {"household_id": "HNEW", "walls_durable": "true"},
        "/ho/HA1/thanh-vien/them/": {"member_id": "HA1-9", "full_name": "Lò Văn Mới"},
        "/ho/HA1/thanh-vien/HA1-2/roi-ho/": {"left_on": "01/01/2025", "reason": "died"},
        "/ho/HA1/tach/": {"new_household_id": "HNEW", "member_ids": ["HA1-2"], "head_member_id": "HA1-2"},
        "/ho/HA1/nhap/": {"target_household_id": "HB1", "confirm": "on"},
    }
    before = (Household.objects.filter(is_active=True).count(), Member.objects.filter(is_active=True).count())
    for role in set(ROLES) - REGISTRY_OF_A:
        client, _ = _client(role)
        for path, data in posts.items():
            response = client.post(path, data)
            assert _denied("member_add", response), (role, path, response.status_code)
            assert "HA1" not in _shown(response), (role, path)
    after = (Household.objects.filter(is_active=True).count(), Member.objects.filter(is_active=True).count())
    assert after == before and not Household.objects.filter(household_id="HNEW").exists()


def test_decision_posts_of_those_who_may_not_record_one_are_denied_and_change_nothing(world):
    """Bringing in a decision taken on paper: a reviewer, a village head, another commune's official,
    another province's official and the national viewer are refused before the file is read."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giamngheo.review.models import ReviewRound, Status

    before = (ReviewRound.objects.count(), Status.objects.count())
    path = f"/xa/{world['unit_a']}/ghi-quyet-dinh/"
    for role in set(ROLES) - DECISION_OF_A:
        client, _ = _client(role)
        upload = SimpleUploadedFile("qd.csv", b"household_id,category\nHA1,poor\n", content_type="text/csv")
        data = {"number": f"1/{role}", "date": "15/12/2025", "kind": "periodic", "file": upload}
        response = client.post(path, data)
        assert _denied("decision_import", response), (role, response.status_code)
        response = client.post(path, {"step": "confirm"})
        assert _denied("decision_import", response), (role, response.status_code)
    assert (ReviewRound.objects.count(), Status.objects.count()) == before


@pytest.mark.unverified_logins
@pytest.mark.parametrize("role", sorted(NEEDS_TWO_FACTOR))
def test_before_the_second_step_no_route_opens_but_the_sign_in_pages(world, role):
    """Signed in with the password only: every page (the admin too) sends to the code page, the API
    by session answers 401; the sign-in, code, enrolment and sign-out pages stay open."""
    from giamngheo.testing.two_factor import confirmed_device

    user = user_with_role(*ROLES[role])
    confirmed_device(user)
    client = Client()
    client.force_login(user)
    for route, (method, template, _allowed_roles) in MATRIX.items():
        path = template.format(**world)
        data = {"name": f"Thôn {role}", "kind": "village"} if route == "village_add" else {}
        response = getattr(client, method)(path, data)
        body = _shown(response) if not response.streaming else ""
        if route == "metrics":  # the token, not the session, opens it: off without one, before the code too
            assert response.status_code == 404, (route, role, response.status_code)
        elif route in OPEN_BEFORE_THE_CODE:
            assert response.status_code in (200, 302) and "HA1" not in body, (route, role)
            if route != "two_factor_enrol":  # which, with a confirmed device, rightly sends to the code page
                assert "/xac-thuc/?next=" not in response.get("Location", ""), (route, role)
        elif route.startswith("api:") and route != "api:api-root":
            assert response.status_code == 401, (route, role, response.status_code)
        elif route.startswith("api:"):
            assert response.status_code in (401, 404), (route, role, response.status_code)
        else:
            assert response.status_code == 302, (route, role, response.status_code)
            assert response["Location"].startswith("/xac-thuc/?next="), (route, role)
            assert "HA1" not in body, (route, role)


POLICY_REPORTS = ("chinh-sach-ket-qua", "chinh-sach-bao-phu", "chinh-sach-vay-von")  # policies.report_tables


@pytest.mark.parametrize("role", list(ROLES))
def test_policy_reports_by_role(world, role):
    """The policy reports ride the report routes (`report`, `api:report_table`); each is refused, with no
    data, to every role that may not read the whole unit: a province's, and a commune's."""
    client, token = _client(role)
    for name in POLICY_REPORTS:
        for path, readers in (
            (f"/bao-cao/{name}/?unit=14&period=2026", READERS_OF_14),
            (f"/bao-cao/{name}/?unit=14&period=2026&format=csv", READERS_OF_14),
            (f"/bao-cao/{name}/?unit={A}&period=2026", READERS_OF_A),
        ):
            response = client.get(path)
            if role in readers:
                assert response.status_code == 200, (path, role, response.status_code)
            else:
                assert _denied("report", response), (path, role, response.status_code)
                assert "HA1" not in _shown(response), (path, role)
        api = f"/api/reports/table/{name}?unit=14&period=2026"
        response = Client().get(api, **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}))
        if role in READERS_OF_14:
            assert response.status_code == 200, (api, role, response.status_code)
        else:
            assert _denied("api:report_table", response), (api, role, response.status_code)


def test_ledger_posts_of_those_who_do_not_keep_it_are_denied_and_change_nothing(world):
    """Recording a benefit, reversing one and checking a loan's use: the commune's official only. The
    chair, reviewers, village heads, another commune's official and the province and national viewers
    are refused before anything is read from the form."""
    from giamngheo.policies.models import Benefit, LoanCheck

    posts = {
        "/ho/HA1/ho-tro/ghi/": {
            "policy_id": "tien-dien",
            "delivered_on": "01/04/2026",
            "quantity": "1",
            "amount_vnd": "1",
        },
        f"/ho/HA1/ho-tro/{world['benefit']}/dao/": {"reason": "ghi nhầm", "xac_nhan": "on"},
        f"/ho/HA1/ho-tro/{world['loan']}/kiem-tra-vay/": {
            "checked_on": "01/05/2026",
            "observed_use": "mua bò",
            "conforms": "yes",
        },
    }
    before = (Benefit.objects.count(), LoanCheck.objects.count())
    for role in set(ROLES) - BENEFIT_OF_A:
        client, _ = _client(role)
        for path, data in posts.items():
            response = client.post(path, data)
            assert _denied("benefit_add", response), (role, path, response.status_code)
            assert "HA1" not in _shown(response), (role, path)
    assert (Benefit.objects.count(), LoanCheck.objects.count()) == before


@pytest.mark.parametrize("role", list(ROLES))
def test_a_provinces_support_pages_are_for_those_who_read_it_whole(world, role):
    """The lists and the ledger of a province: its officials, the national viewer and the administrator;
    a commune's staff (who read part of it) and another province are refused."""
    from giamngheo.geo.selectors import unit_by_code

    province = unit_by_code("14").pk
    client, _ = _client(role)
    for path in (
        f"/don-vi/{province}/ho-tro/doi-tuong/?chinh_sach=bhyt",
        f"/don-vi/{province}/ho-tro/trung-lap/",
        f"/don-vi/{province}/ho-tro/so/",
    ):
        response = client.get(path)
        if role in READERS_OF_14:
            assert response.status_code == 200, (role, path)
        else:
            assert _denied("policy_eligible", response), (role, path, response.status_code)


def test_norm_and_delivery_posts_of_those_who_may_not_are_denied_and_change_nothing(world):
    """A province's norm is set by its official (or an administrator); a bhyt delivery list in A is
    brought in by A's official, an administrator or the bhyt agency officer of A. Everyone else is
    refused before anything is read or written."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giamngheo.policies.models import Benefit, ProvinceNorm

    norm = {
        "norm": "bhyt:state_share_percent_near_poor",
        "valid_from": "01/01/2026",
        "value": "100",
        "reference": "NQ 1/2026",
        "confidence": "V",
    }
    benefits = Benefit.objects.count()  # the world's own deliveries
    for role in set(ROLES) - {"province_14", "admin"}:
        client, _ = _client(role)
        response = client.post(f"/tinh/{world['province_14']}/dinh-muc/", norm)
        assert _denied("province_norms", response), (role, response.status_code)
    for role in set(ROLES) - {"official_A", "admin", "agency_A"}:
        client, _ = _client(role)
        upload = SimpleUploadedFile("t.csv", b"member_id,date\nHA1-1,05/01/2026\n", content_type="text/csv")
        response = client.post(f"/don-vi/{world['unit_a']}/nhap-chi-tra/", {"policy": "bhyt", "file": upload})
        assert _denied("delivery_import", response), (role, response.status_code)
        assert "HA1" not in _shown(response), role
    assert not ProvinceNorm.objects.exists() and Benefit.objects.count() == benefits
