"""Database commands as a user runs them: unit lookup, users, load, with the data they leave."""

import pytest

from giamngheo.accounts.models import RoleAssignment, User
from giamngheo.cli.main import main

pytestmark = pytest.mark.django_db


def test_unit_shows_what_an_old_code_is_now(capsys):
    assert main(["unit", "00001", "--on", "2024-05-01"]) == 0
    out = capsys.readouterr().out
    assert "Phường Phúc Xá" in out and "30/06/2025" in out and "00097 Phường Hồng Hà" in out


def test_unit_unknown_code_is_an_error(capsys):
    assert main(["unit", "99999"]) == 2
    assert "99999" in capsys.readouterr().err


def test_users_add_assigns_a_role_in_a_unit():
    assert (
        main(["users", "add", "chi", "--role", "commune_official", "--unit", "03880", "--password", "mat-khau-dai"])
        == 0
    )
    user = User.objects.get(username="chi")
    assert user.check_password("mat-khau-dai")
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.unit.code, assignment.unit.valid_to) == ("commune_official", "03880", None)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["users", "add", "x", "--role", "mayor", "--unit", "03880"], "unknown role"),
        (["users", "add", "x", "--role", "commune_official", "--unit", "99999"], "unknown unit"),
        (["users", "add", "x", "--role", "commune_official"], "needs a unit"),
    ],
)
def test_users_add_refuses_bad_input(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not User.objects.filter(username="x").exists()


def test_acting_as_an_unknown_user_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--as", "nobody", "users", "add", "y", "--role", "national_viewer"])
    assert stop.value.code == 2


def test_synth_then_load_through_the_commands(tmp_path, capsys):
    from giamngheo.registry.models import Household

    assert main(["synth", "--province", "14", "--households", "50", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "households.parquet").exists() and (tmp_path / "members.csv").exists()
    assert main(["load", str(tmp_path)]) == 0
    assert Household.objects.count() == 50
    assert Household.history.first().history_user.username == "system"
