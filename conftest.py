"""Test setup shared by every app: the administrative units are loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> bool:
    """Under a mutation run, start from a saved test database (giamngheo/testing/test_database.py).
    True when this session's database is such a copy."""
    from giamngheo.testing.test_database import template_path, use_template

    template = template_path()
    if template is None or not template.exists():
        return False
    use_template(template)
    return True


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings) -> bool:
    """A copy of the template is used as it is: it is migrated already."""
    return request.config.getvalue("reuse_db") or django_db_modify_db_settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_modify_db_settings):
    from giamngheo.geo.services import units_load
    from giamngheo.testing.realistic import bump_database_ids
    from giamngheo.testing.test_database import save_template, template_path

    from_template = django_db_modify_db_settings
    with django_db_blocker.unblock():
        if not from_template:
            units_load()
        bump_database_ids()
        template = template_path()
        if not from_template and template is not None and not template.exists():
            save_template(template)


@pytest.fixture
def units_again(transactional_db):
    """For a transactional test: the units, loaded again when an earlier transactional test's flush
    emptied the tables (pytest-django runs those tests last, one after another, on each worker)."""
    from giamngheo.geo.models import AdminUnit
    from giamngheo.geo.services import units_load

    if not AdminUnit.objects.exists():
        units_load()


@pytest.fixture(autouse=True)
def _own_data_folder(settings, tmp_path_factory):
    """Each test keeps its uploads, documents, heartbeats and backups in its own folder, so tests run in
    parallel (pytest-xdist) never see each other's files."""
    data = tmp_path_factory.mktemp("data")  # beside the test's tmp_path, which tests list themselves
    data.chmod(0o700)
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "media"


@pytest.fixture
def subprocess_database(tmp_path):
    """A real database for commands run in a subprocess: a throwaway PostgreSQL database when the
    suite runs on PostgreSQL, else an SQLite file. Yields the environment to run them with."""
    import os
    import uuid

    import dj_database_url

    env = {k: v for k, v in os.environ.items() if not k.startswith("GIAMNGHEO_")}
    env["GIAMNGHEO_DATA_DIR"] = str(tmp_path)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
        yield env
        return
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"gn_sub_{uuid.uuid4().hex[:10]}"
    admin = dict(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background jobs run at once in tests (the database worker runs them in production)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def realistic_commune(db):
    """A rural commune of Sơn La with 3,000 households (~10,800 members) in 8 villages, loaded through
    the bulk loader; database ids are past 1,000 (see giamngheo/testing/realistic.py)."""
    from giamngheo.accounts.services import system_user
    from giamngheo.testing.realistic import load_commune

    return load_commune(system_user())


@pytest.fixture(autouse=True)
def _verified_logins(request, monkeypatch):
    """A test client's login also passes the second sign-in step (giamngheo/testing/two_factor.py),
    except in tests marked `unverified_logins`, which test that step itself."""
    if request.node.get_closest_marker("unverified_logins"):
        return
    from django.test.client import ClientMixin

    plain = ClientMixin._login

    def login_and_verify(self, user, backend=None):
        from giamngheo.testing.two_factor import verify_session

        plain(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(ClientMixin, "_login", login_and_verify)
