"""Settings for Relations.

Every setting that differs between machines comes from an environment variable,
read through the small typed helpers below, which fail loudly on nonsense
(``DJANGO_DEBUG=maybe`` is an error, not False). The defaults are safe for
development: an embedded SQLite database next to manage.py and DEBUG on.
Every variable is listed in README.md.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or CIDR ranges (``10.0.0.10, 10.1.0.0/16, fd00::/8``), each checked."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or CIDR range ({error}); use e.g. 10.0.0.10 or 10.0.0.0/24."
            ) from None
    return networks


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: "
            'generate one with python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto,https`` (or Django's own spelling ``HTTP_X_FORWARDED_PROTO,https``) -> SECURE_PROXY_SSL_HEADER.

    Set it only behind a reverse proxy that always sets (or strips) that header itself, or a
    client could claim HTTPS by sending it.
    """
    raw = env_str(name).strip()
    if not raw:
        return None
    header, _, value = (part.strip() for part in raw.partition(","))
    meta = header.upper().replace("-", "_")
    if not meta.startswith("HTTP_"):
        meta = f"HTTP_{meta}"
    if not value or not header or not meta[5:].replace("_", "").isalnum():
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a header and the value that means HTTPS: use e.g. X-Forwarded-Proto,https."
        )
    return (meta, value)


# HTTPS (README "Deploying"). In production (DEBUG off) the defaults are the strict ones that
# `manage.py check --deploy` asks for; each can be turned down by its variable, e.g. to try HSTS
# with a short max-age first. Behind a TLS-terminating proxy, DJANGO_SECURE_PROXY_SSL_HEADER tells
# Django which requests came in over HTTPS, so the redirect does not loop.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
# The health check answers over plain HTTP too: a load balancer probes the workers directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("DJANGO_SECURE_HSTS_SECONDS must be 0 (no HSTS) or a positive number of seconds.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_countries",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "relations.core",
    "relations.contacts",
    "relations.events",
    "relations.agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a paused login into relations.core.lockout's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relations.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "relations.core.context_processors.office",
            ],
        },
    },
]

WSGI_APPLICATION = "relations.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The API's compiled queries are prepared once they have run this many times on a connection
    # (relations/core/api/statements.py); "off" never prepares (a pooler without prepared statements).
    _threshold = env_str("DJANGO_DB_PREPARE_THRESHOLD", "5").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if _threshold in _FALSE else env_int("DJANGO_DB_PREPARE_THRESHOLD", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers writing at once (gunicorn, the API fuzz step): a transaction takes SQLite's
    # write lock when it begins and waits up to 20 s for it, instead of failing with "database is
    # locked" when a reading transaction tries to turn into a writing one.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

# Sessions live in the database (Django's default engine, said here on purpose): any worker on any
# host can serve any request. The cache (API throttling counts) is per process unless
# DJANGO_CACHE_BACKEND names a shared one: django.core.cache.backends.db.DatabaseCache with
# DJANGO_CACHE_LOCATION=relations_cache (then `manage.py createcachetable`), or
# django.core.cache.backends.redis.RedisCache with redis://host:6379/0 (needs the redis package).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": env_str("DJANGO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("DJANGO_CACHE_LOCATION", ""),
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Backups (relations/core/backups.py): JSON that keeps microseconds.
SERIALIZATION_MODULES = {"fulljson": "relations.core.backup_format"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a paused username+address before any backend checks the password.
# Then ModelBackend's rules, loading the user with all their permissions in one query per request
# (relations/core/auth.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "relations.core.auth.PermissionsModelBackend",
]

# Failed logins (relations/core/lockout.py): after RELATIONS_LOGIN_FAILURE_LIMIT failures of one
# username from one address, on the web login, the admin login or POST /api/token/, that pair is
# paused for RELATIONS_LOGIN_COOLOFF_MINUTES (each further try restarts the pause); a success clears the count.
# The counts are rows in the database (axes' tables), shared by every worker; `manage.py axes_reset` clears them all.
AXES_FAILURE_LIMIT = env_int("RELATIONS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("RELATIONS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "relations.core.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "relations.core.lockout.client_ip"
AXES_VERBOSE = False
# axes' own admin is off: relations/core/admin.py shows the failed-login counts (not the access logs) to
# managers, who lift a pause by deleting its row; or `manage.py axes_reset_username <name>`, or it expires.
AXES_ENABLE_ADMIN = False
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured(
        "RELATIONS_LOGIN_FAILURE_LIMIT and RELATIONS_LOGIN_COOLOFF_MINUTES must be at least 1."
    )
# The reverse proxies in front of the app (addresses or CIDR ranges). X-Forwarded-For is read only on
# a request that comes from one of them, from the right, past every trusted hop: the first address no
# trusted proxy owns is the client's (relations.core.lockout.client_ip), for the login limit and every
# API throttle alike. Empty: nobody is trusted, the client is REMOTE_ADDR whatever the header says.
RELATIONS_TRUSTED_PROXIES = env_networks("RELATIONS_TRUSTED_PROXIES")
if env_int("RELATIONS_PROXY_COUNT", 0):
    # Counting hops from the right trusted the header whoever sent it: anyone reaching gunicorn
    # directly (another host's port 8000) chose their address on every try.
    raise ImproperlyConfigured(
        "RELATIONS_PROXY_COUNT is replaced by RELATIONS_TRUSTED_PROXIES: list the reverse proxies' addresses "
        "(e.g. RELATIONS_TRUSTED_PROXIES=10.0.0.10 or 10.0.0.0/24) and remove RELATIONS_PROXY_COUNT."
    )

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Qatar")
USE_I18N = True
USE_TZ = True

# Interface languages (issue 6). LocaleMiddleware picks the language from the cookie the
# switcher sets (Django's set_language view), else the browser's Accept-Language, else English.
# Each language is named in its own script so a reader finds theirs. Catalogues: locale/.
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: English dates as "09 Oct 2025", Arabic numbers grouped (relations/formats/).
FORMAT_MODULE_PATH = ["relations.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "DJANGO_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploaded agreement documents
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
RELATIONS_DOCUMENT_MAX_BYTES = env_int("RELATIONS_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

# The office this instance serves; shown in the admin header and page titles.
RELATIONS_OFFICE_NAME = env_str("RELATIONS_OFFICE_NAME", "International Relations Office")

# Form widgets render through TEMPLATES, so templates/django/forms/ can override one (select.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Web pages: filter forms say "Any" for an unset choice.
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

# The REST API. Throttle rates are "<number>/<second|minute|hour|day>".
_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name: str, default: str) -> str:
    raw = env_str(name, default).strip()
    number, _, period = raw.partition("/")
    if not number.isdigit() or period not in _RATE_PERIODS:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a rate: use e.g. 60/minute or 5000/hour.")
    return raw


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "relations.core.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["relations.core.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "relations.core.api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "relations.core.api.renderers.JSONRenderer",  # DRF's output, written by orjson
        "relations.core.api.renderers.CSVRenderer",
    ],
    # DRF's own classes, told the client's address by relations.core.lockout.client_ip (RELATIONS_TRUSTED_PROXIES).
    "DEFAULT_THROTTLE_CLASSES": [
        "relations.core.api.throttling.AnonRateThrottle",
        "relations.core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("RELATIONS_API_ANON_RATE", "60/minute"),
        "user": env_rate("RELATIONS_API_USER_RATE", "5000/hour"),
        # POST /api/token/, per client address (relations.core.api.throttling.TokenRateThrottle).
        "token": env_rate("RELATIONS_API_TOKEN_RATE", "10/minute"),
    },
    "EXCEPTION_HANDLER": "relations.core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "relations.core.api.schema.RelationsAutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Relations API",
    "DESCRIPTION": "Partners, contacts, events and agreements of the international-relations office.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"CountryEnum": "django_countries.countries"},
}

# History: who may see and revert a model's history follows the permissions on its
# historical model (relations/core/roles.py), so a person's past details stay private.
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Spreadsheet import/export in the admin (django-import-export): CSV and XLSX; importing needs the
# model's add permission, exporting its view permission.
from import_export.formats.base_formats import CSV, XLSX  # noqa: E402

from relations.core.spreadsheets import SafeCSV, SafeXLSX  # noqa: E402

IMPORT_FORMATS = [CSV, XLSX]
# Exports defuse cells a spreadsheet would run as formulas (relations/core/spreadsheets.py).
EXPORT_FORMATS = [SafeCSV, SafeXLSX]
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
