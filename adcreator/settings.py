"""All configuration comes from the environment, with defaults that are safe for a laptop.

Development needs no variable at all: SQLite under var/, the ORM queue broker, the offline
`local` providers and a generated secret key. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and usually REDIS_URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


VAR_DIR = Path(env_str("ADCREATOR_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: one random key per checkout, kept under var/ so sessions survive restarts.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_q",
    "adcreator.api",
    "adcreator.catalog",
    "adcreator.jobs",
    "adcreator.calls",
    "adcreator.web",
    "templates",
    "review",
    "genome",
    "generation",
    "experiments",
]

MIDDLEWARE = [
    # First: every log line of the request, the 500 included, carries its id.
    "adcreator.web.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "adcreator.web.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "adcreator.web.auth.LoginLockoutMiddleware",
]

ROOT_URLCONF = "adcreator.urls"
WSGI_APPLICATION = "adcreator.wsgi.application"
ASGI_APPLICATION = "adcreator.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "adcreator" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL when DATABASE_URL is set (production, CI); SQLite under var/ otherwise.
SQLITE_PATH = Path(env_str("ADCREATOR_SQLITE_PATH", str(VAR_DIR / "adcreator.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # A worker and the web process write at the same time: WAL lets readers run
                # beside a writer, IMMEDIATE takes the write lock up front (no upgrade
                # deadlocks), and the timeout waits for the lock instead of failing at once.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # A file, not :memory:, so a real qcluster process in the end-to-end tests sees
            # the same test database as the test itself; one per test process, so two test
            # runs in one checkout never share it.
            "TEST": {"NAME": str(VAR_DIR / f"test-adcreator-{os.getpid()}.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Uploads: refuse anything bigger before Pillow ever sees it. Ad templates and product
# photos are at most a few MB; 15 MB leaves room for a high-quality PNG.
ADCREATOR_MAX_UPLOAD_BYTES = env_int("ADCREATOR_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)
# 40 megapixels: above any camera photo we expect, far below a decompression bomb.
ADCREATOR_MAX_IMAGE_PIXELS = env_int("ADCREATOR_MAX_IMAGE_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = ADCREATOR_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = env_str("REDIS_URL")

# --- Cache: shared by every process (login throttle counters) -------------------------------
# Redis when REDIS_URL is set; otherwise a table in the database, which `migrate` creates
# (adcreator.web's post_migrate handler), so every web process and machine counts together.
if REDIS_URL:
    _SHARED_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                     "KEY_PREFIX": "adcreator"}
else:
    _SHARED_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "adcreator_cache"}
CACHES = {
    "default": _SHARED_CACHE,
    # django-q2's cluster statistics, written every guard cycle (0.5 s): kept in the process,
    # as before this project had a shared cache, so they never become database writes.
    "queue-stats": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "queue-stats"},
}

# --- Login throttle (pages, admin, API token) -------------------------------------------------
# How many reverse proxies in front of the app append to X-Forwarded-For. 0: the client is the
# socket address (REMOTE_ADDR) and the header is ignored (a client can write anything in it);
# N: the Nth address from the right of X-Forwarded-For, the one our outermost proxy saw.
ADCREATOR_TRUSTED_PROXIES = env_int("ADCREATOR_TRUSTED_PROXIES", 0)
# Failed logins allowed per account and per client address within the window; then every
# login for that account (or from that address) is refused until the window ends.
ADCREATOR_LOGIN_WINDOW_SECONDS = env_int("ADCREATOR_LOGIN_WINDOW_SECONDS", 15 * 60)
ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT = env_int("ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT", 5)
ADCREATOR_LOGIN_FAILURES_PER_ADDRESS = env_int("ADCREATOR_LOGIN_FAILURES_PER_ADDRESS", 20)

# --- Task queue (django-q2) ---------------------------------------------------------------
# The longest task is one generation job: 50 attempts at a slow model with retries. 30 min
# is generous; `retry` must exceed `timeout`, or the ORM broker hands a still-running task
# to a second worker and it runs twice (DEPENDENCY-NOTES).
ADCREATOR_TASK_TIMEOUT = env_int("ADCREATOR_TASK_TIMEOUT", 1800)
Q_CLUSTER = {
    "name": env_str("ADCREATOR_QUEUE_NAME", "adcreator"),
    "workers": env_int("ADCREATOR_WORKERS", 2),
    "recycle": 200,
    "timeout": ADCREATOR_TASK_TIMEOUT,
    "retry": ADCREATOR_TASK_TIMEOUT + 120,
    # A task whose worker died is delivered again (ORM broker) up to this many times; the
    # job handlers are idempotent (they finish only what is missing), so a redelivery is safe.
    "max_attempts": env_int("ADCREATOR_TASK_MAX_ATTEMPTS", 3),
    # A task that raised is acknowledged: our own JobRun records the failure, and a blind
    # redelivery of a deterministic failure would only burn provider money.
    "ack_failures": True,
    "save_limit": 500,
    "catch_up": False,
    "poll": 0.5,
    "label": "Task queue",
    "cache": "queue-stats",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# A running job beats every STALE/4 seconds; one silent for this long is presumed dead and
# is resumed by the next worker (or failed once it has been started RUN_MAX_ATTEMPTS times).
ADCREATOR_STALE_RUN_SECONDS = env_int("ADCREATOR_STALE_RUN_SECONDS", 180)
ADCREATOR_RUN_MAX_ATTEMPTS = env_int("ADCREATOR_RUN_MAX_ATTEMPTS", 3)
# `manage.py run_worker`: seconds a stopping worker waits for its running tasks before it ends
# them (their runs go back to `pending`, to be resumed). Keep it below the process manager's
# own stop timeout (systemd TimeoutStopSec, a container's stop grace period).
ADCREATOR_WORKER_STOP_SECONDS = env_int("ADCREATOR_WORKER_STOP_SECONDS", 20)

# --- Providers (ARCHITECTURE "Providers") -------------------------------------------------
ADCREATOR_IMAGE_PROVIDER = env_str("ADCREATOR_IMAGE_PROVIDER", "local")
ADCREATOR_REVIEW_PROVIDER = env_str("ADCREATOR_REVIEW_PROVIDER", "local")
# "auto": the other provider than the review's (Claude after Gemini), local after local.
ADCREATOR_SECOND_OPINION_PROVIDER = env_str("ADCREATOR_SECOND_OPINION_PROVIDER", "auto")
ADCREATOR_TEXT_PROVIDER = env_str("ADCREATOR_TEXT_PROVIDER", "local")
ADCREATOR_DETECTION_PROVIDER = env_str("ADCREATOR_DETECTION_PROVIDER", "local")
GEMINI_API_KEY = env_str("GEMINI_API_KEY")
ANTHROPIC_API_KEY = env_str("ANTHROPIC_API_KEY")
GEMINI_BASE_URL = env_str("GEMINI_BASE_URL") or None
ANTHROPIC_BASE_URL = env_str("ANTHROPIC_BASE_URL") or None
GEMINI_IMAGE_MODEL = env_str("GEMINI_IMAGE_MODEL", "gemini-2.5-flash-image")
GEMINI_TEXT_MODEL = env_str("GEMINI_TEXT_MODEL", "gemini-2.5-flash")
# claude-sonnet-4-5 reaches end of life on 2026-11-30 (anthropic SDK DEPRECATED_MODELS).
CLAUDE_MODEL = env_str("CLAUDE_MODEL", "claude-sonnet-4-6")
ADCREATOR_PROVIDER_TIMEOUT_SECONDS = env_float("ADCREATOR_PROVIDER_TIMEOUT_SECONDS", 90.0)
# Concurrent provider calls per job: enough to hide a model's latency, low enough to stay
# under typical per-key rate limits.
ADCREATOR_MAX_CONCURRENCY = env_int("ADCREATOR_MAX_CONCURRENCY", 8)
ADCREATOR_PROVIDER_MAX_ATTEMPTS = env_int("ADCREATOR_PROVIDER_MAX_ATTEMPTS", 4)
ADCREATOR_RETRY_BASE_SECONDS = env_float("ADCREATOR_RETRY_BASE_SECONDS", 1.0)
# Injected latency for the local image provider (benchmarks and crash tests only).
ADCREATOR_LOCAL_IMAGE_LATENCY = env_float("ADCREATOR_LOCAL_IMAGE_LATENCY", 0.0)
# Failure switch of the local image provider: every Nth call fails with a retryable error
# (0 = never). For fault-injection tests and benchmarks; never set in production.
ADCREATOR_LOCAL_IMAGE_FAIL_EVERY = env_int("ADCREATOR_LOCAL_IMAGE_FAIL_EVERY", 0)

# --- Meta performance data (genome) --------------------------------------------------------------
# "simulated" (the offline default: a seeded market, no network) or "graph" (the Marketing API).
ADCREATOR_META_PROVIDER = env_str("ADCREATOR_META_PROVIDER", "simulated")
META_GRAPH_BASE_URL = env_str("META_GRAPH_BASE_URL") or None  # None: the SDK's graph.facebook.com
META_API_VERSION = env_str("META_API_VERSION") or None  # None: the facebook-business SDK's own version
# Days re-synced every time: Meta revises recent days for up to 28 days.
ADCREATOR_META_LOOKBACK_DAYS = env_int("ADCREATOR_META_LOOKBACK_DAYS", 28)
# A Fernet key for the stored access tokens; empty: derived from SECRET_KEY (genome/secrets.py).
ADCREATOR_META_TOKEN_KEY = env_str("ADCREATOR_META_TOKEN_KEY")
# The longest wait Meta's rate-limit estimate may impose before a retry, and the pause when the
# usage headers reach 95 % (both lowered by the tests).
ADCREATOR_META_MAX_WAIT_SECONDS = env_float("ADCREATOR_META_MAX_WAIT_SECONDS", 300.0)
ADCREATOR_META_SLOW_DOWN_SECONDS = env_float("ADCREATOR_META_SLOW_DOWN_SECONDS", 30.0)
ADCREATOR_META_REPORT_POLL_SECONDS = env_float("ADCREATOR_META_REPORT_POLL_SECONDS", 2.0)
# The simulated market's seed: its hidden per-element effects, per installation.
ADCREATOR_SIMULATED_MARKET_SEED = env_int("ADCREATOR_SIMULATED_MARKET_SEED", 20261201)

# Regenerations of a rejected ad before it stays rejected (spec Phase 5 RetryRejected).
ADCREATOR_RETRY_REJECTED_MAX = env_int("ADCREATOR_RETRY_REJECTED_MAX", 1)

# --- Guardrails (spec P1-2, 9b) -----------------------------------------------------------
# Attempts (image-model calls), not approvals, count against the cap.
ADCREATOR_DEFAULT_ATTEMPT_CAP = env_int("ADCREATOR_DEFAULT_ATTEMPT_CAP", 50)

# --- API -------------------------------------------------------------------------------------
# JSON request bodies: refused before decoding when bigger than this or nested deeper than
# ADCREATOR_API_MAX_JSON_DEPTH (a job's parameters are a few hundred bytes, 3 levels deep).
ADCREATOR_API_MAX_BODY_BYTES = env_int("ADCREATOR_API_MAX_BODY_BYTES", 1024 * 1024)
ADCREATOR_API_MAX_JSON_DEPTH = env_int("ADCREATOR_API_MAX_JSON_DEPTH", 64)
# API tokens expire this many hours after they were issued (0: never); a password change
# always revokes them, and DELETE /api/v1/auth/token/ revokes one on request.
ADCREATOR_API_TOKEN_TTL_HOURS = env_int("ADCREATOR_API_TOKEN_TTL_HOURS", 0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "adcreator.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": ["adcreator.api.parsers.BoundedJSONParser"],
    # DRF's own client-address reading (any DRF throttle) trusts the same proxies we do.
    "NUM_PROXIES": ADCREATOR_TRUSTED_PROXIES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "adcreator.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AdCreator API",
    "DESCRIPTION": "Submit ad generation jobs, follow their progress, review and override the results.",
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: the docs page works with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two different `status` enums (ads and runs) need their own names in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AdStatusEnum": "generation.models.AdStatus",
        "RunStatusEnum": "adcreator.jobs.models.RunStatus",
        "AssetStrictnessEnum": "adcreator.catalog.tiers.TIER_NAMES",
        "TemplateSourceEnum": "templates.models.ScrapedTemplate.Source",
    },
}

# --- Production hardening (active when DEBUG is off) ----------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # On by default: a year of HSTS with subdomains is what preload lists require anyway.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "adcreator.web.request_id.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
    },
}
