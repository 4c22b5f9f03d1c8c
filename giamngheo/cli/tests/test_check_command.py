"""`giamngheo check --deploy` passes with the documented production settings, and says why not otherwise."""

from .subprocess_helpers import run

PRODUCTION = {
    "SECRET_KEY": "x9Qz!7vL2pT$mN4wR8eY6uI0oA3sD5fG1hJkk-Lp0_Zq3Wv8Bn2Mx6Cc4Dd1Ee9Ff7Gg",
    "GIAMNGHEO_HTTPS": "1",
    "GIAMNGHEO_ALLOWED_HOSTS": "giamngheo.example.gov.vn",
    "GIAMNGHEO_TRUSTED_ORIGINS": "https://giamngheo.example.gov.vn",
    "GIAMNGHEO_TRUSTED_PROXY": "127.0.0.1",
}


def test_production_settings_pass_the_deployment_checks(subprocess_database):
    env = {**subprocess_database, **PRODUCTION}
    assert run(env, "init").returncode == 0
    done = run(env, "check", "--deploy")
    if env["DATABASE_URL"].startswith("sqlite"):  # warned on purpose: a province server uses PostgreSQL
        assert done.returncode == 1 and "giamngheo.W002" in done.stderr and "security." not in done.stderr
    else:
        assert done.returncode == 0, done.stderr


def test_without_https_the_check_fails_and_says_why(subprocess_database):
    assert run(subprocess_database, "init").returncode == 0
    done = run(subprocess_database, "check", "--deploy")
    assert done.returncode == 1
    assert "giamngheo.W001" in done.stderr and "security.W004" in done.stderr
