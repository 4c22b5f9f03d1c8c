"""`--as USER` can do exactly what USER can do in the web app; administrative commands need an
administrator (#12.11), retention included (#12.7)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from giamngheo.accounts.models import ApiToken, Role, User
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.cli.main import main
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import Member

pytestmark = pytest.mark.django_db
A = "03880"
NID = "014085000123"


@pytest.fixture
def people():
    return {
        "reviewer": user_with_role(Role.REVIEWER, A, username="ra_soat_vien"),
        "official": user_with_role(Role.COMMUNE_OFFICIAL, A, username="can_bo_xa"),
        "province": user_with_role(Role.PROVINCE_OFFICIAL, "14", username="can_bo_tinh"),
        "admin": user_with_role(Role.ADMIN, username="quan_tri"),
    }


def _run(argv) -> int:
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


@pytest.mark.parametrize("as_user", ["ra_soat_vien", "can_bo_xa", "can_bo_tinh"])
def test_a_non_administrator_cannot_add_users(people, as_user, capsys):
    assert _run(["--as", as_user, "users", "add", "evil", "--role", "admin", "--password", "Mat-khau-rat-dai-9"]) == 2
    assert "quản trị" in capsys.readouterr().err
    assert not User.objects.filter(username="evil").exists()


@pytest.mark.parametrize("as_user", ["ra_soat_vien", "can_bo_tinh"])
def test_a_non_administrator_cannot_get_a_token(people, as_user, capsys):
    for target in ("quan_tri", as_user):
        assert _run(["--as", as_user, "token", target]) == 2
        assert capsys.readouterr().out == ""
    assert not ApiToken.objects.exists()


def test_the_administrator_still_can(people, capsys):
    assert _run(["--as", "quan_tri", "token", "can_bo_xa"]) == 0
    assert len(capsys.readouterr().out.strip()) >= 40 and ApiToken.objects.filter(user=people["official"]).exists()
    assert _run(["--as", "quan_tri", "users", "add", "moi", "--role", "reviewer", "--unit", A]) == 0


@pytest.mark.parametrize("as_user", ["", " "])
def test_an_empty_as_names_no_one(people, as_user):
    assert _run(["--as", as_user, "users", "add", "evil", "--role", "admin"]) == 2
    assert _run(["--as", as_user, "token", "quan_tri"]) == 2
    assert not User.objects.filter(username="evil").exists() and not ApiToken.objects.exists()


@pytest.mark.parametrize("argv", [["retention", "--days", "1"], ["retention", "--purge"]])
def test_retention_is_for_administrators_only(people, argv):
    assert _run(["--as", "can_bo_xa", *argv]) == 2
    assert not AuditEvent.objects.filter(verb__startswith="retention.").exists()


@pytest.mark.parametrize("days", ["3000000", "-1", "36601"])
def test_retention_days_are_bounded(people, days, capsys):
    assert _run(["retention", "--days", days]) == 2
    assert _run(["retention", "--purge"]) == 0  # the next purge still works


def test_backup_and_restore_need_an_administrator(people, tmp_path):
    assert _run(["--as", "can_bo_xa", "backup", "--output", str(tmp_path / "b.bak")]) == 2
    assert not (tmp_path / "b.bak").exists()
    assert _run(["--as", "can_bo_xa", "restore", str(tmp_path / "b.bak")]) == 2


def test_purge_clears_the_history_too(people):
    from giamngheo.review.models import Listed, ReviewRound

    hh = household(system_user(), "HA1", A)
    review_round = ReviewRound.objects.create(
        commune=hh.unit,
        kind="periodic",
        reference_date=dt.date(2015, 9, 1),
        opened_by=system_user(),
        step="closed",
        decision_date=dt.date(2015, 10, 1),
    )
    listed = Listed.objects.create(review_round=review_round, household=hh, reason="on_list", gps="21.3,103.9")
    listed.gps = "21.4,103.8"
    listed.save()
    assert _run(["--as", "quan_tri", "retention", "--days", "30", "--purge"]) == 0
    assert Listed.objects.get(pk=listed.pk).gps == ""
    assert not Listed.history.filter(id=listed.pk).exclude(gps="").exists()


@pytest.mark.parametrize("kind, name", [("registry", "members.csv"), ("population", "p.csv")])
def test_export_as_a_province_official_masks_ids_and_incomes(people, tmp_path, kind, name):
    household(system_user(), "HA1", A)
    Member.objects.filter(member_id="HA1-1").update(national_id=NID)
    out = tmp_path / ("out" if kind == "registry" else name)
    assert (
        _run(["--as", "can_bo_tinh", "export", "--unit", A, "--kind", kind, "--output", str(out), "--reason", "thử"])
        == 0
    )
    path = out / name if kind == "registry" else out
    text = path.read_text(encoding="utf-8")
    assert NID not in text and "0123" in text
    if kind == "registry":
        incomes = pl.read_csv(out / "households.csv", infer_schema_length=0)["income_per_capita_month"]
        assert incomes.null_count() == incomes.len()
    official = tmp_path / "official"
    assert (
        _run(
            [
                "--as",
                "can_bo_xa",
                "export",
                "--unit",
                A,
                "--kind",
                kind,
                "--output",
                str(official / name),
                "--reason",
                "thử",
            ]
        )
        == 0
    )
    assert NID in (official / name / name if kind == "registry" else official / name).read_text(encoding="utf-8")
