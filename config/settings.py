"""Django settings, configured by environment.

DATABASE_URL      default: SQLite file in the data folder
DATABASE_REPLICA_URL optional: a read replica the reports' bulk reads go to (docs/deploy.md)
GIAMNGHEO_DATA_DIR default: ./data (the SQLite file, the secret key, uploads, backups)
SECRET_KEY        default: generated on first run and kept in the data folder
GIAMNGHEO_DEBUG   "1" for development only
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GIAMNGHEO_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("GIAMNGHEO_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("GIAMNGHEO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "ninja",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "giamngheo.core",
    "giamngheo.geo",
    "giamngheo.accounts",
    "giamngheo.registry",
    "giamngheo.classification",
    "giamngheo.review",
    "giamngheo.exchange",
    "giamngheo.reports",
    "giamngheo.policies",
    "giamngheo.plans",
    "giamngheo.web",
]

MIDDLEWARE = [
    "giamngheo.core.middleware.MetricsMiddleware",  # first: every answer counted and timed (core.metrics)
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "giamngheo.core.middleware.RejectNulMiddleware",
    "giamngheo.web.middleware.BoundedQueryMiddleware",  # before sessions and the database: a cheap refusal
    "giamngheo.core.middleware.AccessDeniedAsNotFoundMiddleware",
    "giamngheo.web.middleware.DatabaseBusyMiddleware",  # "database is locked" after the busy timeout: a 503 page
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.web.middleware.ChosenLanguageMiddleware",  # Vietnamese unless the user chose English (ADR 0008)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the second step
    "giamngheo.web.middleware.TwoFactorMiddleware",  # no page (admin included) before it, for those who need it
    "giamngheo.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'giamngheo.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA busy_timeout={int(os.environ.get('GIAMNGHEO_SQLITE_BUSY_MS', '30000'))};",  # past an import's lock
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if os.environ.get("DATABASE_REPLICA_URL"):
    # only the reads that say they may lag use it (core.bulk_read); in tests it is the default database
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Every path that sets a password applies these (`users add`, /doi-mat-khau/, the admin): Django's four
# validators with bilingual messages (accounts/passwords.py). At least 10 characters, not Django's 8: the
# password is the only factor and one account opens a commune's or a province's personal data.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "giamngheo.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "giamngheo.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "giamngheo.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "giamngheo.accounts.passwords.NumericPasswordValidator"},
]
# Login throttling on every login path (docs/deploy.md; giamngheo/accounts/throttle.py): 5 failures
# of one username from one client address, each within 15 minutes of the last, wait 1, 5, 15, then
# 60 minutes on the pair's 1st, 2nd, 3rd, later lockouts in 24 hours. REMOTE_ADDR is the real client:
# behind the proxy, waitress rewrites it from the trusted proxy's X-Forwarded-For (GIAMNGHEO_TRUSTED_PROXY).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_HANDLER = "giamngheo.accounts.throttle.BackoffHandler"
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)  # how long a failure counts; the wait itself grows (throttle.WAITS)
AXES_USE_ATTEMPT_EXPIRATION = True  # each attempt expires on its own: a lockout moves its pair's expiry
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # trying during a wait does not lengthen it
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "giamngheo.accounts.throttle.lockout_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
LOGIN_URL = "login"
# Two-factor sign-in (accounts.access.needs_two_factor; docs/adr/0010): TOTP codes from an app, and
# single-use recovery codes. A wrong code doubles the wait before the next (1, 2, 4... seconds).
OTP_TOTP_ISSUER = "giamngheo"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# GIAMNGHEO_TWO_FACTOR_SELF_ENROL=0: nobody sets up an authenticator at sign-in; an administrator
# issues it (`giamngheo users issue-2fa`), so a leaked first password cannot bind a stranger's phone.
TWO_FACTOR_SELF_ENROL = os.environ.get("GIAMNGHEO_TWO_FACTOR_SELF_ENROL", "1") != "0"
# GIAMNGHEO_DEMO=1 (set by `giamngheo demo`): the demo's own accounts sign in without the second
# step, and the sign-in page says so. Never on a server with real data (`check --deploy` warns).
DEMO = os.environ.get("GIAMNGHEO_DEMO") == "1"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "giamngheo" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Our own formats: Django's `vi` locale reads 05/03/2024 as 3 May.
FORMAT_MODULE_PATH = ["giamngheo.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600  # photos hold personal data (Django's default is 0644)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Production (documented in docs/deploy.md): behind HTTPS set GIAMNGHEO_HTTPS=1.
HTTPS = os.environ.get("GIAMNGHEO_HTTPS") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and os.environ.get("GIAMNGHEO_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The TLS proxy's address: `serve` tells waitress to take the scheme (X-Forwarded-Proto) and the
# client's address (X-Forwarded-For) from it, and from no one else (docs/deploy.md). Django then
# sees https and the real client directly, so it reads no forwarded header itself.
TRUSTED_PROXY = os.environ.get("GIAMNGHEO_TRUSTED_PROXY", "")
# GIAMNGHEO_METRICS_TOKEN: the bearer token an operator's Prometheus sends to /chi-so/ (off when empty)
METRICS_TOKEN = os.environ.get("GIAMNGHEO_METRICS_TOKEN", "").strip()  # spaces alone: off, not a lock
SECURE_PROXY_SSL_HEADER = None
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GIAMNGHEO_TRUSTED_ORIGINS", "").split(",") if o]

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files (no inline script, no eval: charts use Vega's interpreter).
# Styles may be inline: htmx and Vega insert <style> elements; scripts are what an injection would use.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Imports: an upload or file above these is refused before parsing (an xlsx by what its members expand to)
IMPORT_MAX_FILE_MB = int(os.environ.get("GIAMNGHEO_IMPORT_MAX_FILE_MB", "20"))
IMPORT_MAX_UNPACKED_MB = int(os.environ.get("GIAMNGHEO_IMPORT_MAX_UNPACKED_MB", "200"))

# API tokens stop working this many days after they are made (`giamngheo token`; docs/deploy.md)
TOKEN_DAYS = int(os.environ.get("GIAMNGHEO_TOKEN_DAYS", "90"))
