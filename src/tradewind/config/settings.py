"""Tradewind settings: one module, driven by environment variables.

SQLite in ``TRADEWIND_DATA_DIR`` (default ``./var``) unless ``DATABASE_URL`` names another
database; PostgreSQL is the path for larger teams. Nothing secret is committed: the secret key
comes from ``TRADEWIND_SECRET_KEY`` or is generated once into the data folder.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("TRADEWIND_DATA_DIR", REPO_DIR / "var")).resolve()
ASSETS_DIR = Path(os.environ.get("TRADEWIND_ASSETS_DIR", REPO_DIR / "node_modules")).resolve()


def load_secret_key() -> str:
    """Take the key from the environment, else create it once in the data folder (mode 600)."""
    from_env = os.environ.get("TRADEWIND_SECRET_KEY", "")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = load_secret_key()
DEBUG = env_flag("TRADEWIND_DEBUG")
ALLOWED_HOSTS = env_list("TRADEWIND_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("TRADEWIND_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "tradewind.core",
    "tradewind.accounts",
    "tradewind.customers",
    "tradewind.customers.dedup",
    "tradewind.customers.icp",
    "tradewind.customers.pool",
    "tradewind.customers.imports",
    "tradewind.outreach",
    "tradewind.catalog",
    "tradewind.quotes",
    "tradewind.contracts",
    "tradewind.contracts.lc",
    "tradewind.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tradewind.accounts.middleware.UserPreferencesMiddleware",
    "tradewind.web.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tradewind.config.urls"
WSGI_APPLICATION = "tradewind.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:my-day"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tradewind.web.context.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "tradewind.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    # Kept open between requests: a new SQLite connection costs each request about 5 ms (set-up,
    # schema, cold page cache) — half the API's time (benchmarks/customer_list.py).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_MAX_AGE": 600,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Workers and web processes share the file: without these, "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DIGEST_LOCAL_TIME = os.environ.get("TRADEWIND_DIGEST_LOCAL_TIME", "07:30")
# Lead imports: the largest file accepted, and rows written per transaction.
IMPORT_MAX_MB = int(os.environ.get("TRADEWIND_IMPORT_MAX_MB", "20"))
IMPORT_BATCH_SIZE = int(os.environ.get("TRADEWIND_IMPORT_BATCH_SIZE", "500"))
# The zone of the nightly public-pool release (02:00 there); empty: DEFAULT_USER_TIME_ZONE.
TRADEWIND_WORKSPACE_TIME_ZONE = os.environ.get("TRADEWIND_WORKSPACE_TIME_ZONE", "")

# --- Auth and security ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = int(os.environ.get("TRADEWIND_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("TRADEWIND_LOGIN_LOCKOUT_MINUTES", "15"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind TLS (a reverse proxy in production) set TRADEWIND_HTTPS=1.
if env_flag("TRADEWIND_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("TRADEWIND_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("TRADEWIND_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_USER_TIME_ZONE = "Asia/Shanghai"

# --- Static files (front-end assets come from node_modules, installed from package.json) ----
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/bootstrap", ASSETS_DIR / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", ASSETS_DIR / "bootstrap-icons" / "font"),
    ("vendor/htmx", ASSETS_DIR / "htmx.org" / "dist"),
    ("vendor/echarts", ASSETS_DIR / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("TRADEWIND_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("TRADEWIND_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TRADEWIND_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRADEWIND_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("TRADEWIND_EMAIL_STARTTLS")
EMAIL_USE_SSL = env_flag("TRADEWIND_EMAIL_SSL")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("TRADEWIND_EMAIL_FROM", "Tradewind <tradewind@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# System mail (digests, password resets) goes out through the workspace mailbox when an admin
# has set one up (outreach/backends.py); until then through the server above, or — with no
# server configured — into the data folder, never lost silently.
EMAIL_BACKEND = "tradewind.outreach.backends.WorkspaceMailboxBackend"
if EMAIL_HOST:
    TRADEWIND_FALLBACK_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    TRADEWIND_FALLBACK_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = DATA_DIR / "sent-mail"

# --- Outreach mail --------------------------------------------------------------------------
# Mailbox passwords are encrypted with this Fernet key (several, comma-separated: the first
# encrypts, any decrypts — for rotation). Unset, a key is derived from SECRET_KEY; then changing
# SECRET_KEY means re-entering every mailbox password (outreach/secrets.py).
TRADEWIND_MAILBOX_KEY = os.environ.get("TRADEWIND_MAILBOX_KEY", "")
# How long a worker holds a claimed outbox message before another worker may take it over.
TRADEWIND_OUTBOX_LEASE_SECONDS = int(os.environ.get("TRADEWIND_OUTBOX_LEASE_SECONDS", "300"))

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRADEWIND_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports each rendering step and fontTools each subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100
TRADEWIND_BASE_URL = os.environ.get("TRADEWIND_BASE_URL", "http://127.0.0.1:8000")
