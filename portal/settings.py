"""Settings for the POS help portal.

Every value that differs between machines is read from the environment here,
and only here; README.md lists each variable. Development needs none of them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def mailer_from_url(url: str) -> dict[str, object]:
    """Turn EMAIL_URL (``smtp://user:pass@host:port``, ``console:``, ...) into a MAILERS entry."""
    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL {url!r} is not understood: use smtp://host:port, smtp+tls://, "
            "smtps://, console: or locmem:."
        )
    mailer: dict[str, object] = {"BACKEND": backends[parsed.scheme]}
    if parsed.scheme.startswith("smtp"):
        query = parse_qs(parsed.query)
        mailer["OPTIONS"] = {
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_tls": parsed.scheme == "smtp+tls",
            "use_ssl": parsed.scheme == "smtps",
            "timeout": int(query.get("timeout", ["10"])[0]),
        }
    return mailer


def cache_from_url(url: str) -> dict[str, object]:
    """Turn CACHE_URL (``redis://host:6379/0``, ``file:///path``, ``locmem:``) into a CACHES entry.

    Every web process must share the cache: the page cache and its content version live
    there, and a change seen by one process must reach them all. ``?key_prefix=`` keeps
    several portals apart on one Redis server.
    """
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    prefix = query.pop("key_prefix", [""])[0]
    if parsed.scheme in {"redis", "rediss", "unix"}:
        location = parsed._replace(query=urlencode(query, doseq=True)).geturl()
        cache = {"BACKEND": "portal.cache.RedisCache", "LOCATION": location}
    elif parsed.scheme == "file":
        cache = {
            "BACKEND": "portal.cache.FileBasedCache",
            "LOCATION": unquote(parsed.path),
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
        }
    elif parsed.scheme == "locmem":
        # One process only: for tests that run in-process, never for a server.
        cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url}
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL {url!r} is not understood: use redis://host:6379/0, file:///path "
            "or locmem:."
        )
    cache["KEY_PREFIX"] = prefix
    return cache


DJANGO_ENV = env("DJANGO_ENV", "dev")
if DJANGO_ENV not in {"dev", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'dev' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in env("ALLOWED_HOSTS").split(",") if host.strip()]
if PRODUCTION:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("EMAIL_URL", env("EMAIL_URL")),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "The portal refuses to start in production without "
            + " and ".join(missing)
            + ". Set them in the environment (see README.md, 'Configuration')."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too short for production: use at least 50 random characters."
        )
else:
    # Development only: a key that is obviously not a secret, never used in production.
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production-" + "x" * 20
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SUPPORT_EMAIL = env("SUPPORT_EMAIL", "pos-support@multisafepay.com")
SALES_EMAIL = env("SALES_EMAIL", "sales@multisafepay.com")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "POS Help Portal <noreply@pos-help.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "portal",
    "pagecache",
    "guard",
    "staff",
    "outbox",
    "troubleshooting",
    "guides",
    "support",
    "returns",
    "conversations",
    "photosearch",
    "suggestions",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "guard.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL lets the worker write while the web process reads; the timeout rides out short locks.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that worker and server processes started by tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-portal.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Search's ranking statement is prepared once per connection (troubleshooting/search.py):
    # Django turns psycopg's prepared statements off; its own cursors never prepare anyway.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": cache_from_url(env("CACHE_URL", f"file://{VAR_DIR / 'cache'}"))}

MAILERS = {"default": mailer_from_url(env("EMAIL_URL", "console:"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates the European way (day first, 24-hour clock), like Dutch and French.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600

# No inline script or style anywhere, so the policy needs no 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token is given once on <body hx-headers>.
LANGUAGE_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer or proxy in front terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Outbox: how long to wait before each new delivery attempt, in seconds; the last is repeated.
OUTBOX_RETRY_DELAYS = [
    float(delay) for delay in env("OUTBOX_RETRY_DELAYS", "30,120,600,1800,3600").split(",")
]
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "12"))
# A message claimed by a worker that died is offered again after this many seconds.
OUTBOX_SENDING_LEASE = float(env("OUTBOX_SENDING_LEASE", "300"))
# What the worker (manage.py run_worker) does besides its queue, and every how many seconds.
WORKER_SWEEPS = {
    # E-mails a dead worker left claimed are offered again.
    "outbox.services.outbox_requeue_stalled": 60,
    # Search counters go from the shared cache to the report's table long before they expire.
    "reports.search_counts.search_counts_flush": 3600,
}
# Each web process adds up its searches this many seconds before sending them to the shared
# cache in one trip (reports/search_counts.py); 0 sends each search at once.
SEARCH_COUNT_SEND_SECONDS = 1.0

# --- proof ---
# Validators and CDN-friendly caching for anonymous pages (see portal/middleware.py), and
# compressed HTML (static files are compressed ahead of time by WhiteNoise). GZip runs
# after the ETag is computed; Django's GZipMiddleware pads its output against BREACH.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "django.middleware.gzip.GZipMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.gzip.GZipMiddleware") + 1,
    "portal.middleware.HttpCacheMiddleware",
)
# The shared page cache answers anonymous visitors before any other middleware runs: a stored
# page is kept exactly as it was sent, with the security headers and the Content Security
# Policy the middleware below added to it (the same for every visitor: no nonce).
MIDDLEWARE.insert(0, "pagecache.middleware.PageCacheMiddleware")
# Counts submitted searches before the page cache answers them (reports/search_counts.py).
MIDDLEWARE.insert(0, "reports.search_counts.SearchCountMiddleware")
# `make bench` only: a do-nothing view under the full middleware stack, the floor that
# every page's throughput is compared with. Never on in a real deployment.
PORTAL_BENCH = env_bool("PORTAL_BENCH", default=False)

# --- returns ---
# Where merchants send a terminal once support approved its return (in the approval e-mail).
RETURNS_SHIP_TO = env(
    "RETURNS_SHIP_TO",
    "" if PRODUCTION else "POS returns desk (development placeholder: set RETURNS_SHIP_TO)",
)
if PRODUCTION and not RETURNS_SHIP_TO:
    # A merchant must never be told to ship a terminal to an address nobody configured.
    raise ImproperlyConfigured(
        "The portal refuses to start in production without RETURNS_SHIP_TO, the address "
        "merchants send returned terminals to (see README.md, 'Configuration')."
    )
# Filed returns and support requests per client address (django-ratelimit syntax); the limit
# counts submissions that passed validation.
RETURNS_RATE_LIMIT = env("RETURNS_RATE_LIMIT", "10/h")
SUPPORT_RATE_LIMIT = env("SUPPORT_RATE_LIMIT", "10/h")
# A public form sent back sooner than this after it was shown is taken for a robot's; one
# sent back later than the maximum age is shown again with a fresh stamp.
# Votes, missed searches and new guide runs counted per client address and hour.
COUNTER_RATE_LIMIT = env("COUNTER_RATE_LIMIT", "60/h")
# A request body larger than this is refused unread (photos and a video together).
MAX_REQUEST_BYTES = int(float(env("MAX_REQUEST_MB", "60")) * 1024 * 1024)
FORM_MIN_FILL_SECONDS = float(env("FORM_MIN_FILL_SECONDS", "3"))
FORM_MAX_AGE_SECONDS = float(env("FORM_MAX_AGE_SECONDS", str(6 * 3600)))
# django-ratelimit counts in the cache every process shares (CACHE_URL), apart from the pages:
# no database writes for a count (Redis counts atomically).
CACHES["ratelimit"] = CACHES["default"] | {"KEY_PREFIX": f"{CACHES['default']['KEY_PREFIX']}rl"}
RATELIMIT_USE_CACHE = "ratelimit"

# --- admin ---
# Admin sign-in is locked for a while after repeated wrong passwords (django-axes):
# per username and address, so a guesser cannot lock a colleague out from elsewhere.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/signin_locked.html"
AXES_VERBOSE = False
# The address is the client's real one behind the proxies (AXES_CLIENT_IP_CALLABLE, below).

# --- the real client address (guard/client.py) ---
# How many reverse proxies stand in front of the portal, each adding the address it saw
# to X-Forwarded-For: 0 when clients connect to the portal itself (a client's own
# X-Forwarded-For is then ignored), 1 behind the compose deployment's Caddy.
_trusted_proxy_count = env("TRUSTED_PROXY_COUNT", "0")
if not (_trusted_proxy_count.isascii() and _trusted_proxy_count.isdigit()):
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be a whole number of proxies (0, 1, 2, ...), not "
        f"{_trusted_proxy_count!r}: 0 when clients connect to the portal directly, 1 behind "
        "one reverse proxy (see README.md, 'Configuration')."
    )
TRUSTED_PROXY_COUNT = int(_trusted_proxy_count)
# Every consumer of the client's address asks guard.client: rate limits (key=), any
# key="ip" left anywhere, the admin sign-in lock, and gunicorn's access log (Dockerfile).
RATELIMIT_IP_META_KEY = "guard.client.client_ip"
AXES_CLIENT_IP_CALLABLE = "guard.client.client_ip"

# --- photosearch ---
# The Tesseract program that reads photos of the terminal's screen; where it is missing the
# "Take a photo of the screen" button is not shown.
TESSERACT_CMD = env("TESSERACT_CMD", "tesseract")
# Photos of the screen one client may have read per hour.
PHOTOSEARCH_RATE_LIMIT = env("PHOTOSEARCH_RATE_LIMIT", "30/h")
