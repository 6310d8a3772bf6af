"""Django settings, all from the environment so that one code base serves a laptop and an office.

VANBAN_DATA_DIR   data folder (default ./vanban-data): SQLite database, secret key, static files
DATABASE_URL      e.g. postgres://user:pass@host/db; default SQLite in the data folder
VANBAN_SECRET_KEY the secret key; default: generated once into the data folder
VANBAN_DEBUG=1    Django's debug pages (never on a server others reach)
VANBAN_HTTPS=1    the site is served over HTTPS (behind a proxy): secure cookies, HSTS, redirect
VANBAN_ALLOWED_HOSTS, VANBAN_CSRF_TRUSTED_ORIGINS  comma-separated
VANBAN_EMAIL_REMINDERS=1  progress reminders by e-mail (off by default), through EMAIL_HOST, EMAIL_PORT,
                  EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL, VANBAN_EMAIL_FROM
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("VANBAN_DATA_DIR", "vanban-data")).resolve()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def _secret_key() -> str:
    if os.environ.get("VANBAN_SECRET_KEY"):
        return os.environ["VANBAN_SECRET_KEY"]
    # Generated once and kept: sessions survive restarts, and no key is ever written in the code.
    path = DATA_DIR / "secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = _flag("VANBAN_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _list("VANBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _list("VANBAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "generator.web.apps.WebConfig",
    "generator.web.progress.apps.ProgressConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "generator.web.middleware.ContentSecurityPolicy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "generator.web.middleware.Language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "generator.web.urls"
WSGI_APPLICATION = "generator.web.wsgi.application"

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
                "generator.web.views.membership_context",
            ],
        },
    },
]

_sqlite = f"sqlite:///{DATA_DIR / 'vanban.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _sqlite, conn_max_age=int(os.environ.get("VANBAN_DB_CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # IMMEDIATE: a writing transaction takes the write lock when it begins, so concurrent writers wait
    # (up to the timeout) instead of failing with "database is locked" when they upgrade a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not the shared in-memory database: threads then get real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-vanban.sqlite3")}

# Django's login backend, reading the membership and its committee with the user (one query a request, not three).
# Alone in the list: a failed login then hashes the password once. (Sessions opened under the previous backend,
# django.contrib.auth.backends.ModelBackend, end: their users log in once more.)
AUTHENTICATION_BACKENDS = ["generator.web.auth.MemberBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("VANBAN_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks there first; `collectstatic` is optional
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files straight from the package too: tests and a first start need no collectstatic.
WHITENOISE_USE_FINDERS = True

CSRF_FAILURE_VIEW = "generator.web.views.csrf_failure"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Uploads: YAML documents only, small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# the task table posts 7 fields a row: a plan may have up to 5 000 tasks (generator.model.document.MAX_TASKS)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 40_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
VANBAN_UPLOAD_MAX_BYTES = 1024 * 1024
# Files a unit attaches to its progress report (its own plan, minutes…), kept in the data folder.
MEDIA_ROOT = DATA_DIR / "media"
VANBAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("VANBAN_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
VANBAN_ATTACHMENT_TYPES = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".jpg", ".jpeg", ".png")
VANBAN_PDF_TIMEOUT = float(os.environ.get("VANBAN_PDF_TIMEOUT", "60"))
#: "Tải lên văn bản": the largest received DOCX or PDF accepted (a scanned-looking 9-page plan is ~1 MB)
VANBAN_RECEIVED_MAX_BYTES = 20 * 1024 * 1024

# E-mail reminders of a progress collection: off unless the office turns them on and names its SMTP server.
VANBAN_EMAIL_REMINDERS = _flag("VANBAN_EMAIL_REMINDERS")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = _flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("VANBAN_EMAIL_FROM", "vanban@localhost")
# How often an open progress board asks whether units have reported (seconds).
VANBAN_BOARD_POLL_SECONDS = int(os.environ.get("VANBAN_BOARD_POLL_SECONDS", "30"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _flag("VANBAN_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("VANBAN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False

#: Content-Security-Policy sent by generator.web.middleware: every asset from this server, no inline script.
VANBAN_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
