"""Django settings of the parecon platform, read from the environment.

Everything an operator sets comes from environment variables, so one settings module
serves the demo, a production instance and the tests:

- ``PARECON_DATA_DIR``: where the SQLite database, uploads, the secret key and the
  e-mail spool live (default ``./parecon-data``); created on first start.
- ``DATABASE_URL``: a PostgreSQL URL (``postgres://user:pass@host:port/name``); SQLite
  in the data directory when unset.
- ``PARECON_DEBUG`` (``1`` for development), ``PARECON_HTTPS`` (``1`` behind TLS: secure
  cookies, HSTS, redirect), ``PARECON_ALLOWED_HOSTS`` (comma separated),
  ``PARECON_SECRET_KEY`` (else generated once into the data directory),
  ``PARECON_EMAIL_URL``-style SMTP settings (``EMAIL_HOST`` and friends) and
  ``PARECON_EMAIL_BACKEND`` (default: console, so a verification or reset link appears
  in the server's log).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.utils.translation import gettext_lazy as _

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PARECON_DATA_DIR", "parecon-data")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


def _secret_key() -> str:
    """The instance's secret key: from the environment, or made once and kept."""
    if key := os.environ.get("PARECON_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Made under a private name, then linked into place: of processes starting at
        # once (gunicorn workers, parallel test workers) one wins, all read its key.
        draft = path.with_name(f".secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = _flag("PARECON_DEBUG")
HTTPS = _flag("PARECON_HTTPS")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PARECON_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PARECON_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "parecon.web.site",
    "parecon.web.history",
    "parecon.web.members",
    "parecon.web.chapters",
    "parecon.web.councils",
    "parecon.web.planning",
    "parecon.web.discussion",
    "parecon.web.decisions",
    "parecon.web.treasury",
    "parecon.web.calendars",
    "parecon.web.polls",
    "parecon.web.meetings",
    "parecon.web.projects",
    "parecon.web.evaluations",
    "parecon.web.commons",
    "parecon.web.learn",
    "parecon.web.jobs",
    "parecon.web.effort",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "parecon.web.site.middleware.RefuseNulCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parecon.web.site.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# One cache on disk in the data directory, shared by the server's processes: a page's
# data read after a change is read once, not once per process, and allauth's rate
# limits count every process's requests. Entries are versioned by what they show
# (planning/page_data.py), so they are never stale; culling only costs a re-read.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

ROOT_URLCONF = "parecon.web.urls"
WSGI_APPLICATION = "parecon.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "parecon.web.site.context_processors.csp_nonce",
            ],
        },
    }
]

_sqlite_path = DATA_DIR / "parecon.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_sqlite_path}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE transactions take the write
    # lock up front, so concurrent writers queue on the busy timeout instead of
    # failing with "database is locked" halfway through. Connections persist like
    # PostgreSQL's (each server thread keeps its own): a request then neither reopens
    # the file and reruns these pragmas nor, as the last one out, checkpoints and
    # deletes the WAL that the next write recreates.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "parecon.web.members.hashers.ParticipatoryArgon2Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail addresses are the log-in, verified before first use.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "parecon.web.members.forms.JoinForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[parecon] "
ACCOUNT_ADAPTER = "parecon.web.members.adapter.MemberAccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, plus a cap per address on failed log-ins. A chapter meets in
    # one room behind one address and logs in together, so log-ins as such are capped
    # higher than allauth's 30 a minute per address (failed ones stay capped tightly).
    "login": "100/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
LOGIN_REDIRECT_URL = "site:home"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = os.environ.get(
    "PARECON_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS")
EMAIL_FILE_PATH = DATA_DIR / "mail"
SITE_URL = os.environ.get("PARECON_SITE_URL", "http://localhost:8000")  # links in e-mails
DEFAULT_FROM_EMAIL = os.environ.get("PARECON_FROM_EMAIL", "parecon <noreply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content security: scripts and styles only from this site or with the request's
# nonce; HTMX is configured (base.html) not to inject styles or evaluate code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PARECON_LOG_LEVEL", "WARNING")},
}

# How long the founders of a new chapter hold its admin role, and the default term of
# later grants (days); a chapter's rule set can change the latter.
FOUNDING_TERM_DAYS = 91
DEFAULT_ROLE_TERM_DAYS = 91
