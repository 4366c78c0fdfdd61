"""One settings module; the environment chooses (design.md rule 10).

Embedded default: SQLite in the project folder, Celery tasks run in-process, no Redis.
DATABASE_URL selects PostgreSQL, REDIS_URL selects a real broker with separate worker and beat processes.
Every variable read here is documented in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [part.strip() for part in value.split(",") if part.strip()] or default


DEBUG = env_flag("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    # Only for the embedded default: a stable dev key so sessions survive restarts.
    SECRET_KEY = "npc-tracker-insecure-development-key-change-me-in-production"

# Local names are always allowed so the container's own health check can reach /healthz.
ALLOWED_HOSTS = [*env_list("ALLOWED_HOSTS", []), "localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "npc_tracker",
    "agencies",
    "opinions",
    "notifications",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "npc_tracker.middleware.CommonMiddleware",  # no slash redirect under /api/
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Admin edits are attributed to the signed-in user; services set the actor explicitly.
    "simple_history.middleware.HistoryRequestMiddleware",
    "npc_tracker.security.no_store_when_private",
    "npc_tracker.throttling.rate_limit_headers",
    # Last, as django-axes requires: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "npc_tracker.urls"
WSGI_APPLICATION = "npc_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# The embedded default has web threads and the in-process scheduler writing at once. A transaction that reads
# before it writes would fail at once with "database is locked" (SQLite cannot wait to upgrade a read lock), so
# every transaction takes the write lock when it begins, and waits up to the timeout for it. WAL lets readers
# go on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every authentication (the login page, /admin/login/) before the password is tried.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "npc_tracker" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery: REDIS_URL switches from in-process execution to a real broker (worker + beat processes).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Unacknowledged tasks of a killed worker come back after this many seconds. Our tasks take seconds, and none is
# scheduled ahead (rule 4), so a short timeout redelivers lost work quickly without re-running live tasks.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300"))}
# Publishing to a broker that is down must give up quickly: the sweep re-hands whatever was not queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
# Periodic work; on the embedded default `manage.py serve` runs the same schedule in-process.
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {"task": "opinions.reminders.tasks.sweep_reminders", "schedule": 60},
    "notification-retry": {"task": "notifications.tasks.retry_notifications", "schedule": 60},
    # At the start of the working day, Asia/Shanghai (CELERY_TIMEZONE).
    "staff-daily-digest": {"task": "opinions.tasks.daily_digest", "schedule": crontab(hour=8, minute=0)},
    "calendar-coverage-check": {
        "task": "opinions.tasks.check_calendar_coverage",
        "schedule": 6 * 60 * 60,
    },
    "heartbeat": {"task": "npc_tracker.tasks.heartbeat", "schedule": 60},
}
# /healthz answers 503 when the heartbeat that beat schedules and a worker runs is older than this (seconds).
HEALTH_HEARTBEAT_MAX_AGE = int(os.environ.get("HEALTH_HEARTBEAT_MAX_AGE", "300"))

# E-mail: the console on the embedded default; EMAIL_HOST switches to SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "npc-tracker@localhost")

# Webhooks go only to public addresses; these hosts and networks (CIDR) on the intranet may be reached all the same,
# e.g. "10.12.0.0/16,sms-gateway.gov.example" (notifications/netguard.py).
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS", [])

# The office that signs what goes out, and the prefix of its document numbers (文号: 安人常办〔2026〕12号). A new
# prefix starts its own sequence; numbers given out under the old one are never given again.
NPC_OFFICE_NAME = os.environ.get("NPC_OFFICE_NAME", "").strip() or "安阳市人大常委会办公室"
# The Standing Committee whose office this is, as its documents name it (the year's statistics in Word).
NPC_STANDING_COMMITTEE = os.environ.get("NPC_STANDING_COMMITTEE", "").strip() or "安阳市人大常委会"
DOCUMENT_NUMBER_PREFIX = os.environ.get("DOCUMENT_NUMBER_PREFIX", "安人常办")

# Attachments: size cap per file (bytes).
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The public site (/public/, no login): each address may ask it this often ("120/min"; empty or 0: no limit), and
# shared caches may keep a page this many seconds (taking a case off the site is seen by everyone after that).
PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "120/min")
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
# The dashboard's figures are kept this many seconds per scope and filters (0: computed on every view); the page
# says when they were computed.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))

REST_FRAMEWORK = {
    # The browser's session for the pages' own calls; per-user tokens (knox: hashed, revocable, expiring) for
    # agencies' systems, the big screen and scripts.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",  # first: an anonymous call is answered 401 with WWW-Authenticate: Token
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bodies are JSON; the few operations that take files add multipart themselves (design.md rule 14).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Every query parameter is typed and checked: an unknown one, or a bad value, is a 400 naming it.
    "DEFAULT_FILTER_BACKENDS": ["npc_tracker.api_filters.KnownParametersOnly",
                                "npc_tracker.filters.TypedFilterBackend",
                                "npc_tracker.api_filters.StrictOrderingFilter",
                                "npc_tracker.api_filters.Search"],
    "DEFAULT_PAGINATION_CLASS": "npc_tracker.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "npc_tracker.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "npc_tracker.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["npc_tracker.throttling.AnonRateThrottle", "npc_tracker.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
                               "user": os.environ.get("API_THROTTLE_USER", "2000/hour")},
    "DATETIME_FORMAT": "iso-8601",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),
    "TOKEN_PREFIX": "npc_",
    "AUTH_HEADER_PREFIX": "Token",
}
KNOX_TOKEN_MODEL = "agencies.ApiToken"
# knox's own token table is swapped out for ApiToken; its migrations would still create it, with a foreign key
# to users that breaks flushing the database.
MIGRATION_MODULES = {"knox": None}
SPECTACULAR_SETTINGS = {
    "TITLE": "npc-tracker API",
    "DESCRIPTION": "审议意见跟踪督办 — cases, items, reports, extensions, evaluations, meetings and the inbox. "
                   "Messages follow Accept-Language (zh-hans by default, en).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every choice set named once, for good: generated clients name their classes after these (design.md rule 14).
    "ENUM_NAME_OVERRIDES": {
        "CaseKind": "opinions.choices.CaseKind",
        "CaseStatus": "opinions.choices.CASE_STATUS_CHOICES",
        "ItemStatus": "opinions.choices.ITEM_STATUS_CHOICES",
        "ItemKind": "opinions.choices.ItemKind",
        "MeetingKind": "opinions.choices.MeetingKind",
        "ReportType": "opinions.choices.ReportType",
        "ReportKind": "opinions.choices.ReportKind",
        "ReviewOutcome": "opinions.choices.ReviewOutcome",
        "ExtensionDecision": "opinions.choices.ExtensionDecision",
        "EvaluationResult": "opinions.choices.EvaluationResult",
        "VoteBase": "opinions.choices.VoteBase",
        "AnchorEvent": "opinions.choices.AnchorEvent",
        "ExtensionApprover": "opinions.choices.ExtensionApproverChoice",
        "FurtherSupervision": "opinions.choices.FurtherSupervision",
        "CalendarSource": "opinions.choices.CalendarSource",
        "RectificationType": "opinions.choices.RectificationType",
        "AuditImportState": "opinions.models.AuditImport.State",
        "AuditImportPhase": "opinions.audit_import.PHASES",
        "PublicationPart": "public.models.Part",
        "BodyKind": "agencies.models.BodyKind",
        "CommitteeKind": "agencies.models.CommitteeKind",
        "MembershipRole": "agencies.models.MembershipRole",
        "ErrorCode": "npc_tracker.api_schema.ERROR_CODE_CHOICES",
        "Approval": ["yes", "no"],
        "ApproveEnum": "opinions.forms.EXTENSION_DECISIONS",
        "SignOffDecision": "opinions.forms.SIGNOFF_DECISIONS",
        "DocumentKind": "opinions.choices.DocumentKind",
        "SignoffState": "opinions.choices.SignoffStateChoice",
        "SignoffBy": "opinions.choices.SignoffByChoice",
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Login throttling (django-axes) --------------------------------------------------------------------------------
# Failures are rows in the database, so every web worker sees the same count and the same lock. A user name is
# locked after LOGIN_FAILURE_LIMIT failures whatever the address, and an address whatever the user names it tries
# (password spraying); the lock lifts after LOGIN_LOCKOUT_MINUTES, or at once when an administrator deletes the
# attempt in the admin (访问尝试) or runs `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its start-up banner would print on every manage.py command
AXES_LOCKOUT_CALLABLE = "npc_tracker.security.locked_out"
# Behind a reverse proxy every request comes from the proxy's address: name the header it sets to the client's
# address (e.g. HTTP_X_REAL_IP), or one person's typos would lock everyone out.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "npc_tracker.security.client_ip"

# --- Cache -----------------------------------------------------------------------------------------------------------
# The API throttles count in the cache: with REDIS_URL (several gunicorn workers) it is Redis, shared by all of
# them; the embedded default is one process, whose memory is enough. The prefix keeps its keys apart from Celery's.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": "npc-cache"}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# --- Security headers ------------------------------------------------------------------------------------------------
# No inline script anywhere: a script injected into a page cannot run. Inline style *attributes* are allowed (bar
# widths computed on the server; ECharts' and Swagger UI's elements) — they cannot run code or read the page —
# but style *elements* come only from our own files (the ReDoc page alone widens this, see api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# HTTPS, when a proxy in front terminates it: SECURE_PROXY_SSL_HEADER names the header it sets (e.g.
# HTTP_X_FORWARDED_PROTO, meaning X-Forwarded-Proto: https); never set it without such a proxy.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=False)
# /healthz is asked over plain HTTP by the container's own health check.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
