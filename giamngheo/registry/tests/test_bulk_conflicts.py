"""Ids of a file already used elsewhere: listed problems (file, row, column, vi/en), never an
IntegrityError, and never a foreign holder's identity (findings 11.5 and 11.20)."""

import polars as pl
import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import system_user, user_with_role
from giamngheo.core.models import AuditEvent
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.models import Household, Member
from giamngheo.standards import InputError
from giamngheo.synth.population import synthesize

from .snapshot import registry_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """60 households in 6 communes of Sơn La and 20 of Hà Nội, loaded by the administrator."""
    admin = system_user()
    son_la, son_la_members = synthesize("14", 60, seed=7)
    ha_noi, ha_noi_members = synthesize("01", 20, seed=3)
    load_frames(son_la, son_la_members, actor=admin)
    load_frames(ha_noi, ha_noi_members, actor=admin)
    return son_la, son_la_members, ha_noi, ha_noi_members


def _one(households, members, index):
    hid = households.item(index, "household_id")
    return households.filter(pl.col("household_id") == hid), members.filter(pl.col("household_id") == hid)


def _refused(hh, mem, actor) -> list:
    before = registry_rows()
    with pytest.raises(InputError) as caught:
        load_frames(hh, mem, actor=actor)
    assert registry_rows() == before  # nothing written
    return caught.value.problems


def test_a_household_registered_in_another_commune_is_a_listed_problem(registry):
    son_la, members, *_ = registry
    hh, mem = _one(son_la, members, 0)
    home = hh.item(0, "admin_code")
    elsewhere = son_la.filter(pl.col("admin_code") != home).item(0, "admin_code")
    problems = _refused(hh.with_columns(pl.lit(elsewhere).alias("admin_code")), mem, system_user())
    assert [(p.file, p.row, p.column) for p in problems] == [("households", 2, "admin_code")]
    assert home in problems[0].message_vi and f"registered in commune {home}" in problems[0].message_en


def test_a_member_id_of_a_household_not_in_the_file_is_a_listed_problem(registry):
    son_la, members, *_ = registry
    hh, mem = _one(son_la, members, 0)
    other = son_la.filter(pl.col("admin_code") != hh.item(0, "admin_code")).item(0, "household_id")
    taken = members.filter(pl.col("household_id") == other).item(0, "member_id")
    mem = mem.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(taken)).otherwise(pl.col("member_id")).alias("member_id")
    )
    problems = _refused(hh, mem, system_user())
    assert [(p.file, p.row, p.column) for p in problems] == [("members", 2, "member_id")]
    assert other in problems[0].message_en and other in problems[0].message_vi  # the administrator sees it


def test_a_member_id_held_outside_the_actors_scope_is_not_named_and_is_audited(registry):
    son_la, members, ha_noi, ha_noi_members = registry
    hh, mem = _one(son_la, members, 0)
    official = user_with_role(Role.COMMUNE_OFFICIAL, hh.item(0, "admin_code"))
    foreign_hh = ha_noi.item(0, "household_id")
    taken = ha_noi_members.filter(pl.col("household_id") == foreign_hh).item(0, "member_id")
    mem = mem.with_columns(
        pl.when(pl.int_range(pl.len()) == mem.height - 1)
        .then(pl.lit(taken))
        .otherwise(pl.col("member_id"))
        .alias("member_id")
    )
    problems = _refused(hh, mem, official)
    assert [(p.row, p.column) for p in problems] == [(mem.height + 1, "member_id")]
    assert "contact the province" in problems[0].message_en and "liên hệ tỉnh" in problems[0].message_vi
    assert problems[0].message_en == f"member id '{taken}' is already used elsewhere; contact the province"
    assert f"hộ {foreign_hh}" not in problems[0].message_vi  # the id is the file's own; its holder is not named
    event = AuditEvent.objects.get(verb="registry.load_refused_foreign_ids", actor=official)
    assert event.data["held_elsewhere"][0]["holder_household"] == foreign_hh


def test_a_national_id_registered_in_another_province_names_nobody_and_is_audited(registry):
    son_la, members, ha_noi, ha_noi_members = registry
    hh, mem = _one(son_la, members, 0)
    official = user_with_role(Role.COMMUNE_OFFICIAL, hh.item(0, "admin_code"))
    holder = ha_noi_members.row(0, named=True)
    mem = mem.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(holder["national_id"]))
        .otherwise(pl.col("national_id"))
        .alias("national_id")
    )
    problems = _refused(hh, mem, official)
    assert [(p.file, p.row, p.column) for p in problems] == [("members", 2, "national_id")]
    assert problems[0].message_en.endswith(
        "this national id is already registered to an active member elsewhere; contact the province"
    )
    shown = problems[0].text("vi") + problems[0].text("en")
    assert holder["member_id"] not in shown and holder["household_id"] not in shown
    event = AuditEvent.objects.get(verb="registry.load_refused_foreign_ids", actor=official)
    assert event.data["held_elsewhere"] == [
        {
            "national_id": holder["national_id"],
            "row": 2,
            "holder_member": holder["member_id"],
            "holder_household": holder["household_id"],
        }
    ]


def test_a_national_id_held_inside_the_actors_commune_is_named(registry):
    son_la, members, *_ = registry
    commune = son_la.item(0, "admin_code")
    neighbours = son_la.filter(pl.col("admin_code") == commune).get_column("household_id")
    hh, mem = _one(son_la, members, 0)
    holder = members.filter(pl.col("household_id") == neighbours[1]).row(0, named=True)
    mem = mem.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(holder["national_id"]))
        .otherwise(pl.col("national_id"))
        .alias("national_id")
    )
    problems = _refused(hh, mem, user_with_role(Role.COMMUNE_OFFICIAL, commune))
    assert [(p.row, p.column) for p in problems] == [(2, "national_id")]
    assert holder["household_id"] in problems[0].message_en
    assert not AuditEvent.objects.filter(verb="registry.load_refused_foreign_ids").exists()


def test_a_national_id_of_a_member_the_file_removes_can_be_given_to_a_new_member(registry):
    son_la, members, *_ = registry
    hh, mem = _one(son_la, members, 0)
    leaving = mem.row(-1, named=True)
    newcomer = {**leaving, "member_id": leaving["member_id"] + "-new"}
    mem = pl.concat(
        [mem.filter(pl.col("member_id") != leaving["member_id"]), pl.DataFrame([newcomer], schema=mem.schema)]
    )
    result = load_frames(hh, mem, actor=system_user())
    assert (result.members_deactivated, result.members_created) == (1, 1)
    assert Member.objects.get(national_id=leaving["national_id"], is_active=True).member_id == newcomer["member_id"]
    assert not Member.objects.get(member_id=leaving["member_id"]).is_active


def test_two_members_of_the_file_may_swap_national_ids(registry):
    son_la, members, *_ = registry
    hh, mem = _one(
        son_la.filter(
            pl.col("household_id").is_in(
                members.group_by("household_id").len().filter(pl.col("len") >= 2).get_column("household_id").implode()
            )
        ),
        members,
        0,
    )
    a, b = mem.item(0, "national_id"), mem.item(1, "national_id")
    swapped = mem.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(b))
        .when(pl.int_range(pl.len()) == 1)
        .then(pl.lit(a))
        .otherwise(pl.col("national_id"))
        .alias("national_id")
    )
    result = load_frames(hh, swapped, actor=system_user())
    assert result.members_updated == 2
    assert Member.objects.get(member_id=mem.item(0, "member_id")).national_id == b
    assert (
        Household.objects.get(household_id=hh.item(0, "household_id")).members.filter(is_active=True).count()
        == mem.height
    )


def test_an_id_registered_meanwhile_by_someone_else_is_a_listed_problem(registry, monkeypatch):
    """The race the check cannot see (an id registered after it ran, on PostgreSQL): the database's
    unique index refuses the write, and the import answers with a problem, not an IntegrityError."""
    from giamngheo.registry import bulk

    son_la, members, *_ = registry
    hh, mem = _one(son_la, members, 0)
    elsewhere = son_la.filter(pl.col("admin_code") != hh.item(0, "admin_code")).item(0, "admin_code")
    monkeypatch.setattr(bulk, "_registry_conflicts", lambda *args: bulk._Refusal())
    problems = _refused(hh.with_columns(pl.lit(elsewhere).alias("admin_code")), mem, system_user())
    assert len(problems) == 1 and problems[0].file == "households"
    assert "import the file again" in problems[0].message_en and "hãy nạp lại tệp" in problems[0].message_vi
