"""A province's own norms (issue #16 item 7): set by its official with the decision behind it, merged over
the catalogue's YAML by one reader (`norms.norm_of`); refused to commune roles and other provinces."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.geo.selectors import unit_by_code
from giamngheo.policies.catalogue import load_policy
from giamngheo.policies.models import ProvinceNorm
from giamngheo.policies.norms import NATIONAL, PROVINCE_SET, PROVINCE_YAML, norm_of, province_norm_table
from giamngheo.policies.services import province_norm_set

pytestmark = pytest.mark.django_db
D = dt.date
NEAR = "state_share_percent_near_poor"


def _set(actor, province="14", **over):
    values = dict(
        policy_id="bhyt",
        norm=NEAR,
        valid_from=D(2026, 1, 1),
        value="100",
        reference="Nghị quyết 12/2025/NQ-HĐND tỉnh, Điều 2",
        confidence="V",
    )
    return province_norm_set(actor=actor, province=unit_by_code(province), **{**values, **over})


def test_a_province_value_replaces_the_national_one_from_its_date():
    official = user_with_role("province_official", "14")
    bhyt, son_la = load_policy("bhyt"), unit_by_code("14")
    assert norm_of(bhyt, NEAR, D(2026, 2, 1), son_la).applies.value == 70  # the national value, as the YAML says
    row = _set(official)
    assert (row.set_by, row.history.get().history_user) == (official, official)
    found = norm_of(bhyt, NEAR, D(2026, 2, 1), son_la)
    assert (found.applies.value, found.applies.source, found.applies.set_by) == (100, PROVINCE_SET, official.username)
    assert found.national.value == 70 and found.applies.verified
    before = norm_of(bhyt, NEAR, D(2025, 12, 31), son_la)
    assert (before.applies.value, before.applies.source) == (70, NATIONAL)
    assert norm_of(bhyt, NEAR, D(2026, 2, 1), unit_by_code("01")).applies.value == 70  # another province: national
    again = _set(official, value="95", confidence="S")  # the same date again: that row changes, history keeps both
    assert again.pk == row.pk and again.value == Decimal("95") and again.history.count() == 2
    assert not norm_of(bhyt, NEAR, D(2026, 2, 1), son_la).applies.verified  # S: shown as unverified


def test_a_value_set_replaces_the_yamls_on_its_date():
    ca_mau = unit_by_code("96")
    bhyt = load_policy("bhyt")
    assert norm_of(bhyt, NEAR, D(2026, 1, 1), ca_mau).applies.source == PROVINCE_YAML
    assert norm_of(bhyt, NEAR, D(2025, 12, 9), ca_mau).applies.source == NATIONAL
    _set(system_user(), province="96", valid_from=D(2025, 12, 10), value="90")
    assert norm_of(bhyt, NEAR, D(2026, 1, 1), ca_mau).applies.value == 90


def test_commune_roles_other_provinces_and_national_viewers_may_not_set():
    for user in (
        user_with_role("commune_official", "03880"),  # a commune of Sơn La
        user_with_role("commune_chair", "03880"),
        user_with_role("province_official", "01"),
        user_with_role("national_viewer"),
        user_with_role("agency_officer", "14", policies=["bhyt"]),
    ):
        with pytest.raises(AccessDenied):
            _set(user)
    assert not ProvinceNorm.objects.exists()


def test_what_a_province_may_not_set():
    official = user_with_role("province_official", "14")
    for over, field in (
        ({"norm": "nope"}, "norm"),
        ({"policy_id": "hoc-phi", "norm": "free_public_tuition_from"}, "norm"),  # a date, not an amount
        ({"policy_id": "tien-dien", "norm": "amount_vnd_month", "value": "49000.5"}, "value"),
        ({"value": "-1"}, "value"),
        ({"value": "một trăm"}, "value"),
        ({"reference": "  "}, "reference"),
        ({"confidence": "E"}, "confidence"),
    ):
        with pytest.raises(ServiceError) as caught:
            _set(official, **over)
        assert caught.value.field == field, over
    with pytest.raises(ServiceError):
        province_norm_set(
            actor=official,
            province=unit_by_code("03880"),
            policy_id="bhyt",
            norm=NEAR,
            valid_from=D(2026, 1, 1),
            value=100,
            reference="x",
            confidence="V",
        )
    assert not ProvinceNorm.objects.exists()


def test_the_table_is_for_readers_of_the_whole_province():
    _set(system_user())
    rows = province_norm_table(
        user_with_role("national_viewer"), [load_policy("bhyt")], unit_by_code("14"), D(2026, 2, 1)
    )
    near = next(r for r in rows if r.name == NEAR)
    assert (near.national.value, near.province.value if near.province else None) == (70, 100)
    for user in (user_with_role("commune_official", "03880"), user_with_role("province_official", "01")):
        with pytest.raises(AccessDenied):
            province_norm_table(user, [load_policy("bhyt")], unit_by_code("14"), D(2026, 2, 1))


def test_norms_are_read_only_through_the_one_reader():
    """Nothing but the catalogue and `norms.py` reads a norm's values: a page or a computation reading
    `Policy.norm` would miss what the province set."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"\.norm\(|\bNorm\.at\(|\.norms\[|\.provinces\.get\(")
    readers = {
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts and pattern.search(p.read_text(encoding="utf-8"))
    }
    assert readers == {"policies/catalogue.py", "policies/norms.py"}
