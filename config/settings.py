"""Settings for the plan tracker, read from the environment.

Every difference between a developer's machine and a bureau's intranet server is an
environment variable; nothing else changes. The defaults are safe for development
(SQLite, DEBUG on); production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_json_object(name: str) -> dict:
    value = os.environ.get(name, "")
    try:
        parsed = json.loads(value) if value else {}
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {value!r}") from exc
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {value!r}")
    return parsed


def cache_from_url(url: str) -> dict:
    """CACHES["default"] from CACHE_URL: the database (empty, or db://), redis:// or rediss://
    (Redis, `pip install redis`), or locmem:// (each process its own: one server only)."""
    scheme = url.split("://", 1)[0] if url else "db"
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "keji_cache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be db://, redis://, rediss:// or locmem://, not {url!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "accounts.apps.AxesConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "departments",
    "accounts",
    "plans",
    "tracking",
    "outputs",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here and pass through nothing below (no session, no no-store).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "departments.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the demo's and the developer's database; production runs PostgreSQL (README).
    # Several people saving at once must queue, not fail with "database is locked": WAL lets
    # readers go on while one writer writes, the busy timeout makes a writer wait its turn, and
    # IMMEDIATE transactions take the write lock at BEGIN, so that a transaction that read first
    # never has to upgrade its lock mid-way (an upgrade that SQLite refuses at once, timeout or not).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds a writer waits for the lock before giving up
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Logins, passwords and sessions (README "Security") ---------------------------------------

# Passwords a bureau's security review (等保 2.0) accepts: long enough (PASSWORD_MIN_LENGTH, at
# least 8), of at least two kinds of characters, not all digits, not a common password, not close
# to the user's own names. Messages in Chinese: Django's own catalog, ours where it falls short.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
if PASSWORD_MIN_LENGTH < 8:
    raise ImproperlyConfigured("PASSWORD_MIN_LENGTH must be at least 8")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterKindsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"

# django-axes counts wrong passwords per account (whatever the address: many offices reach the
# intranet through one NAT address, and an attacker may change addresses) and refuses even the
# right password once the limit is reached, until the lock times out or a coordinator releases it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
if not 1 <= LOGIN_FAILURE_LIMIT <= 12:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT must be between 1 and 12 wrong passwords")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock addresses too, because lockouts keyed on a user agent or a cookie can be
# dodged by changing them. Ours are keyed on the username alone, summed over every address and
# browser, so nothing is dodged; locking an address would lock out a whole office behind one
# NAT address after a few typing mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False  # no banner on every manage.py command; failures are still logged
# Every failure is kept (AccessFailureLog), every login and logout too (AccessLog): the login log.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client's address for the log: REMOTE_ADDR, or behind the bureau's reverse proxies the
# address the outermost of them saw (TRUSTED_PROXY_COUNT=1 for one nginx in front of gunicorn).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"

# --- Shared by every app server (README "From one server to several") ----------------------------
# Sessions are rows in the database, so any server behind the proxy answers any signed-in request.
# The cache is a table of the same database (created by `migrate`: accounts/migrations/
# 0002_cache_table.py) unless CACHE_URL names Redis. django-axes counts wrong passwords in the
# database too, so a lock holds on every server.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# A session ends after SESSION_IDLE_MINUTES without a request (sliding), and with the browser.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Only the database's clean-up horizon: the idle timeout ends sessions long before.
SESSION_COOKIE_AGE = 12 * 60 * 60

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "dashboards.finders.PlotlyFinder",
]
# Uploads (evidence, Excel sheets waiting for their confirm) are written and read only through
# Django's storage API. One server: a folder, MEDIA_ROOT. Several servers: that folder shared by
# all of them (an NFS mount), or an S3-compatible bucket, e.g.
# MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage (pip install "django-storages[s3]") with
# MEDIA_STORAGE_OPTIONS={"bucket_name": "keji", "endpoint_url": "http://10.1.2.9:9000"}.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json_object("MEDIA_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development static files come straight from the apps; production serves the collected,
# compressed, hashed copies from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# In development mail goes to the console; in production to the SMTP relay (EMAIL_HOST), so that a
# reminder recorded as sent was sent. check --deploy refuses a backend that sends nothing.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "keji-plans@localhost")
# The address people open the app at, for links in reminder emails (http://keji.xx.gov.cn).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Production over HTTPS is the default. A bureau whose intranet server has no certificate sets
# INTRANET_PLAIN_HTTP=1 instead of turning the HTTPS settings off one by one.
INTRANET_PLAIN_HTTP = env_bool("INTRANET_PLAIN_HTTP", False)

if not DEBUG and INTRANET_PLAIN_HTTP:
    # Plain HTTP: there is no HTTPS to redirect to, no secure channel to keep cookies to and no
    # HSTS to pin, so those are off, and exactly the four checks that ask for them are silenced
    # (security.W004 HSTS, W008 SSL redirect, W012 secure session cookie, W016 secure CSRF
    # cookie). Everything else (lockout, idle timeout, CSP, no-store, HttpOnly) applies as over HTTPS.
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]
elif not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # An intranet host can never be on the browsers' public preload list; the check that
        # asks for it does not apply unless a bureau serves the app on a public domain.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer may probe each app server's gunicorn directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Background jobs (README "Background jobs") ---------------------------------------------------

# Exports of a region and the reminder run are django-tasks tasks. TASKS_BACKEND=database (the
# default) queues them in the database, where `manage.py db_worker` picks them up: no other server
# is needed. TASKS_BACKEND=immediate runs each task at once inside the request that starts it (the
# tests; a trial install that runs no worker), so a page waits for its export instead of polling.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# A queued export that no worker has started after this many seconds is shown with a hint that the
# worker may not be running.
EXPORT_WAIT_HINT_SECONDS = env_int("EXPORT_WAIT_HINT_SECONDS", 30)
# An export still running this many minutes after it started was interrupted (its worker stopped:
# killed, restarted, the server rebooted): it is shown as failed, and may be started again.
EXPORT_STALE_MINUTES = env_int("EXPORT_STALE_MINUTES", 30)
# `manage.py prune_exports` deletes finished exports (the row and the file) older than this.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 30)

# Reporting "today" for demos and training only: the demo plans are of 2024, so `make run`
# sets this to a day in June 2024. Leave it unset in production.
REPORTING_TODAY = os.environ.get("REPORTING_TODAY", "")

# No uploaded file is kept past UPLOAD_MAX_MB: the first upload handler stops keeping its bytes
# as they stream in, and the form says so in Chinese with what was typed kept (config/uploads.py).
# nginx's client_max_body_size is set a little above it (deploy/nginx/keji.conf).
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20)
if UPLOAD_MAX_MB < 1:
    raise ImproperlyConfigured("UPLOAD_MAX_MB must be at least 1")
FILE_UPLOAD_HANDLERS = [
    "config.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Evidence files (佐证材料) that a report may carry; at most the upload limit.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", UPLOAD_MAX_MB * 1024 * 1024)
if EVIDENCE_MAX_BYTES > UPLOAD_MAX_MB * 1024 * 1024:
    raise ImproperlyConfigured("EVIDENCE_MAX_BYTES cannot exceed UPLOAD_MAX_MB: raise UPLOAD_MAX_MB too")
EVIDENCE_EXTENSIONS = env_list("EVIDENCE_EXTENSIONS", ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ofd,.zip")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Response headers ---------------------------------------------------------------------------

# Scripts only from our own static files: no inline script, no eval, no CDN. Styles may be inline
# because plotly.js writes <style> elements and style attributes as it draws (and htmx's own
# indicator style is turned off in base.html). Images may be data: URIs (plotly's "download as
# PNG" and its pattern fills).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Nothing in the app uses the camera, the microphone, the location or other devices.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"not_health_check": {"()": "config.health.NotHealthCheck"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["not_health_check"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
