"""Test setup shared by every app: the administrative units are loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from giamngheo.geo.services import units_load

    with django_db_blocker.unblock():
        units_load()
