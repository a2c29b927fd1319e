"""Settings, read from the environment. docs/operations.md lists every variable.

Safe by default: DEBUG is off unless DEBUG=true, the secret key is never in the
repository, and HTTPS=true switches on the cookie and transport settings that
``manage.py check --deploy`` asks for.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.embedded_db import embedded_databases
from config.env import env_bool, env_int, env_list, env_str, secret_key
from config.media import media_origins, media_storages

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SECRET_KEY = secret_key(BASE_DIR, https=HTTPS, debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
# Old keys still accepted for sessions and signed links while the new one takes over.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Shown in an X-Served-By header, to tell app nodes apart behind the proxy.
NODE_NAME = env_str("NODE_NAME")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    # Second factor for privileged accounts (TOTP apps and recovery codes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The audit trail of privileged changes, written by PostgreSQL triggers.
    "pgtrigger",
    "pghistory",
    # The job queue's tables and worker (`manage.py procrastinate worker`), in PostgreSQL.
    "procrastinate.contrib.django",
    "common",
    "jobs",
    "corridors",
    "funds",
    "consultations",
    # Reads the other three: the dashboards and the year-end report (issue 15).
    "dashboards",
]

MIDDLEWARE = [
    "common.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A stored public page for an anonymous visitor is answered here, before the session,
    # locale, CSRF and authentication work it does not need (common/pagecache.py).
    "common.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the verified device only when a page asks (common/otp.py).
    "common.otp.LazyOTPMiddleware",
    # Who made a change through a page, for the audit trail's rows.
    "pghistory.middleware.HistoryMiddleware",
    "common.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # District and city users change nothing: their POSTs are refused with the reason.
    "corridors.readonly.ReadOnlyOversightMiddleware",
    # A create form sent twice creates once (its {% submit_once %} token).
    "common.submitonce.SubmitOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "common.middleware.ContentSecurityPolicyMiddleware",
    # Axes last, as its documentation asks.
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
                # The same ``perms``, asked once per page and without Django's model-permission
                # queries for the rules' own permissions (common/permissions.py).
                "common.context_processors.perms",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "common.context_processors.site",
                "corridors.context_processors.inbox",
            ],
        },
    },
]

# --- Database: PostgreSQL only ------------------------------------------------------
# Two roles (docs/operations.md "Database roles"): the site connects as the least-privileged
# app role (DATABASE_URL); migrations run as the owner (DATABASE_OWNER_URL, the "owner" alias,
# which `manage.py migrate` uses by default when it is set).
# The quick start: no DATABASE_URL, so an embedded PostgreSQL (and the demo's conveniences,
# such as `manage.py otp_code`, are allowed).
QUICK_START = not env_str("DATABASE_URL")
if not QUICK_START:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
    if env_str("DATABASE_OWNER_URL"):
        DATABASES["owner"] = {**dj_database_url.parse(env_str("DATABASE_OWNER_URL")), "TEST": {"MIRROR": "default"}}
else:
    DATABASES = embedded_databases(
        Path(env_str("PGDATA_DIR", str(BASE_DIR / ".pgdata"))), env_str("DATABASE_NAME", "corridors")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------
AUTH_USER_MODEL = "corridors.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Ours: the messages are in the site's catalogue (Django's length message has no Chinese).
    {"NAME": "common.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "common.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Street staff, finance approvers and the superuser sign in with a TOTP code as well
# (corridors.views.auth); the name their authenticator app shows for this site.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "楼道微自治")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public:home"

# Login throttling: lock a username + IP pair after 5 failures, for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Reverse proxies in front (nginx: 1); the throttle locks per client address, read from
# X-Forwarded-For behind them (common.middleware.client_ip).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "common.middleware.client_ip"

# --- Personal data (个人信息保护法) ---------------------------------------------------
# How long personal data is kept after the record is done with, in days; then
# `manage.py anonymise_expired` (a daily job) anonymises it. The money log is never changed.
RETENTION_DAYS = {
    # Closed consultation requests: the residents' words, names and attachments.
    "resolved_requests": env_int("RETAIN_RESOLVED_REQUESTS_DAYS", 3 * 365),
    # Campaigns with nothing recorded for this long: owners' names, phones, consent notes and scans.
    "campaign_owners": env_int("RETAIN_CAMPAIGN_OWNERS_DAYS", 5 * 365),
}

# --- Language and time --------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by the app itself; no CDN) -------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
# Single files out of node_modules (dashboards/staticfinders.py): ECharts' one built file.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "dashboards.staticfinders.NodeModulesFileFinder",
]

# --- Uploaded files: a public and a private store (config/media.py) -----------------
# MEDIA_STORAGE=disk: folders under MEDIA_ROOT; MEDIA_STORAGE=s3: two buckets (S3_* variables).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "disk")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
PUBLIC_MEDIA_URL = "/media/public/"
# Let the app itself serve /media/public/ (the quick start); behind nginx, nginx does.
SERVE_PUBLIC_MEDIA = env_bool("SERVE_PUBLIC_MEDIA", MEDIA_STORAGE == "disk")
# Private files on disk: answer with X-Accel-Redirect to nginx's internal location
# instead of streaming them through the app.
PRIVATE_MEDIA_ACCEL = env_bool("PRIVATE_MEDIA_ACCEL", False)
PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
# Pictures may come from the object store's own address (public bucket, presigned links).
MEDIA_ORIGINS = media_origins(MEDIA_STORAGE)
STORAGES = {
    # Nothing should use the default store; if something does, its files stay private.
    "default": {"BACKEND": "common.storage.PrivateDiskStorage"},
    **media_storages(MEDIA_STORAGE),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Cache: shared by every app node (Redis), or this process's memory (quick start) ---
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's, reusing one Redis client per connection pool (common/rediscache.py).
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "corridors"),
            "TIMEOUT": 3600,
        }
    }
else:
    # One process's memory: `make run` runs one gunicorn worker (with threads) for this reason.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 3600}}
# How long browsers may keep an anonymous public page (the server's copy is invalidated
# the moment what it shows changes; a browser's is not, so this stays short).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 60)
# Sessions stay in PostgreSQL (signing in on one node is signing in on all of them), read
# through the shared cache: a page reads its session from Redis, not the database. Every write
# goes to both; signing out deletes both; a session the cache lost is read from PostgreSQL.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Forms --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
# How people are told (corridors/channels.py): the inbox, e-mail, and optionally a 企业微信
# group robot (WECOM_WEBHOOK_URL) and text messages (SMS_ADAPTER, the operator's adapter).
NOTIFICATION_CHANNELS = [
    {"BACKEND": "corridors.channels.InboxChannel"},
    {"BACKEND": "corridors.channels.EmailChannel"},
]
if env_str("WECOM_WEBHOOK_URL"):
    NOTIFICATION_CHANNELS.append(
        {
            "BACKEND": "corridors.channels.WeComWebhookChannel",
            "OPTIONS": {"url": env_str("WECOM_WEBHOOK_URL"), "roles": env_list("WECOM_WEBHOOK_ROLES")},
        }
    )
if env_str("SMS_ADAPTER"):
    NOTIFICATION_CHANNELS.append(
        {"BACKEND": "corridors.channels.SmsChannel", "OPTIONS": {"adapter": env_str("SMS_ADAPTER")}}
    )
# Seconds a mail server may take to answer; mail is sent by the job worker, never in a request.
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "10"))
# Where the site is reached from outside, for the links in e-mails (no trailing slash).
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
# The corridor poster's QR code refuses a loopback or private SITE_URL unless this is set
# (a demo on one laptop); see corridors/poster_address.py.
POSTER_ALLOW_LOCAL_ADDRESS = env_bool("POSTER_ALLOW_LOCAL_ADDRESS", False)

# --- Security -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.middleware.RequestIDLogFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
