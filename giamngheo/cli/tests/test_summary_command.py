"""`giamngheo summary rebuild`: the administrator rebuilds the rows (all, or a unit's); no one else may."""

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.cli.main import main
from giamngheo.core.models import AuditEvent
from giamngheo.registry.models import HouseholdSummary

pytestmark = pytest.mark.django_db


def test_the_administrator_rebuilds_lost_rows(capsys):
    kept = household(system_user(), "H1", "03880", members=2)
    household(system_user(), "H2", "04045", members=1)
    HouseholdSummary.objects.all().delete()
    assert main(["summary", "rebuild", "--unit", "03880"]) == 0
    assert list(HouseholdSummary.objects.values_list("pk", "size")) == [(kept.pk, 2)]
    assert "1 hộ / households" in capsys.readouterr().out
    assert main(["summary", "rebuild"]) == 0
    assert HouseholdSummary.objects.count() == 2
    assert AuditEvent.objects.filter(verb="summary.rebuild").count() == 2


def test_anyone_else_is_refused_and_nothing_changes(capsys):
    household(system_user(), "H1", "03880", members=2)
    HouseholdSummary.objects.all().delete()
    user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
    with pytest.raises(SystemExit) as stopped:
        main(["--as", "tinh", "summary", "rebuild"])
    assert stopped.value.code == 2 and not HouseholdSummary.objects.exists()


def test_an_unknown_unit_is_an_error(capsys):
    assert main(["summary", "rebuild", "--unit", "99999"]) == 2
    assert "99999" in capsys.readouterr().err
