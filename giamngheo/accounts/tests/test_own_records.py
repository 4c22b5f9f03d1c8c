"""A person's own records (audit trail, the imports they started, their password) are theirs and the
administrator's: one rule, `access.is_self_or_admin`, on each path. A colleague of the same commune
or the province above sees the area's data, not the person's records."""

from __future__ import annotations

import pytest

from giamngheo.accounts.access import is_self_or_admin
from giamngheo.accounts.models import Role
from giamngheo.accounts.services import password_change
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.core.errors import AccessDenied
from giamngheo.exchange.models import ImportJob
from giamngheo.exchange.services import import_job_get
from giamngheo.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db
COMMUNE = "03880"
NEW_PASSWORD = "mot-mat-khau-dai-2026"


@pytest.fixture
def people():
    owner = user_with_role(Role.COMMUNE_OFFICIAL, COMMUNE, username="owner")
    colleague = user_with_role(Role.COMMUNE_CHAIR, COMMUNE, username="colleague")
    admin = user_with_role(Role.ADMIN, username="admin")
    province = user_with_role(Role.PROVINCE_OFFICIAL, "14", username="province")
    return owner, colleague, admin, province


def test_own_records_are_the_owners_and_the_administrators(people, client):
    owner, colleague, admin, province = people
    job = ImportJob.objects.create(commune=unit_by_code(COMMUNE), households_path="x.csv", created_by=owner)
    for actor, allowed in ((owner, True), (admin, True), (colleague, False), (province, False)):
        assert is_self_or_admin(actor, owner) is allowed
        if allowed:
            assert import_job_get(actor, job.pk) == job
        else:
            with pytest.raises(AccessDenied):
                import_job_get(actor, job.pk)
            with pytest.raises(AccessDenied):
                password_change(actor=actor, user=owner, password=NEW_PASSWORD)
        client.force_login(actor)
        assert client.get("/nguoi-dung/owner/nhat-ky/").status_code == (200 if allowed else 404)
    owner.refresh_from_db()
    assert owner.check_password("pw-long-enough")  # no refused change went through
    assert not is_self_or_admin(None, owner)
