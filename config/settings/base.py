"""Settings shared by every environment."""

from datetime import timedelta

import dj_database_url
from django.utils.csp import CSP

from . import env

BASE_DIR = env.BASE_DIR

INSTALLED_APPS = [
    "plans.apps.PortalAdminConfig",  # django.contrib.admin with the two-factor login site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "plans",
    "indicators",
    "importers",
    "exports",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the hostile-input check, so that its 400 page carries the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "plans.middleware.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the Japanese page below.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # The public pages (portal/templating.py says why Jinja2); listed first, it is asked
        # first, and it holds only portal/jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "portal" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "portal.templating.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "portal.context_processors.portal",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    """SQLite file by default; PostgreSQL (or any dj-database-url URL) through ``DATABASE_URL``."""
    if not url:
        env.SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.SQLITE_PATH,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # Reusing the connection saves reading the schema again on every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    # No health check: it costs a SELECT 1 round trip on the first query of every request
    # (about 0.3 ms of the two processes' CPU, 5 % of an uncached node page). What it saves is
    # one failed request per worker after the database restarts: Django closes a connection
    # that raised an error when the request ends, and the next request opens a new one.
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=False)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Our backend creates test databases from template0 with a UTF-8 LC_CTYPE: with "C",
        # pg_trgm extracts no trigrams from Japanese text.
        config["ENGINE"] = "config.db_backends.postgresql"
        config["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    return config


DATABASES = {"default": database_config(env.DATABASE_URL)}


def cache_config(url: str) -> dict:
    """The cache of the public pages (``portal.cache``), from ``CACHE_URL``.

    ``locmem://`` (the default): local memory, one cache per process. ``redis://host:port/db``:
    Redis, shared by every worker (production). ``dummy://``: nothing is kept.
    """
    scheme = url.split("://", 1)[0] if url else "locmem"
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ValueError(f"CACHE_URL: unknown scheme {scheme!r} (locmem://, redis://…, dummy://)")


CACHES = {"default": cache_config(env.CACHE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# 年度実績の入力 posts four fields per KPI: 10,000 allows 2,500 KPIs on one page (Django's
# default of 1,000 would refuse a 250-KPI plan with a 400).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# In CI, commands that rewrite committed files (build_sample_fixtures) refuse to run.
CI = env.CI

LOGIN_URL = "admin:login"

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Roles per municipality grant the model permissions (plans.tenancy); see README.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before the others
    "django.contrib.auth.backends.ModelBackend",
    "plans.tenancy.RoleBackend",
]

# Login throttling (django-axes): 5 wrong passwords for one user name from one address lock
# that pair out for 30 minutes; a success resets the count. Behind a proxy, set
# AXES_IPWARE_PROXY_COUNT so the client's address is read from X-Forwarded-For.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"

# Two-factor login (django-otp, plans.admin_site): optional for staff, required for superusers
# where OTP_REQUIRED_FOR_SUPERUSERS is on (production).
OTP_TOTP_ISSUER = "総合計画ポータル"
OTP_REQUIRED_FOR_SUPERUSERS = False
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no TOTP secrets or QR codes on admin pages

# Content-Security-Policy (Django's own middleware), in every environment so that the tests
# and development see what production enforces. No inline script or style: the admin's few
# inline <style> blocks carry the request's nonce; data for scripts travels in data- attributes
# or JSON script elements.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
