"""The province official who reads the report tests' synthetic registry (see registry.py)."""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role


@pytest.fixture
def province_official():
    return user_with_role(Role.PROVINCE_OFFICIAL, "14", username="tinh")
