"""Settings for Lyon Assos, read from the environment.

Every variable is listed, with its default and meaning, in `.env.example` and the README.
The helpers below fail loudly on a malformed value rather than guessing.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int[D: int | None](name: str, default: D) -> int | D:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: Iterable[str] = ()) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "For local development, set DJANGO_DEBUG=1 (`make run` does)."
        )
    # Development only: DEBUG is on, so this key never signs anything in production.
    SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Public base URL, used in emails and absolute links built outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with the project's site (the moderation pages): directory/moderation/site.py.
    "directory.moderation.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml (directory/opendata/sitemaps.py): the app ships the sitemap templates.
    "django.contrib.sitemaps",
    "django_filters",
    "directory",
]

MIDDLEWARE = [
    # The caches' shared version numbers read once per request (directory/request_memo.py).
    "directory.request_memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for visitors without a session only (BREACH: see the class); before every middleware
    # that reads or writes the body, after whitenoise, which serves static files precompressed.
    "directory.middleware.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "directory.middleware.LocaleMiddleware",  # Django's, with the admin following the visitor
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Permissions-Policy header (Django has none built in): PERMISSIONS_POLICY below.
    "directory.middleware.PermissionsPolicyMiddleware",
    # RATE_LIMITS by URL name and the login lockout (directory/security.py); after auth, so the
    # 429 page has the user's menu.
    "directory.security.RateLimitMiddleware",
]

ROOT_URLCONF = "lyonassos.urls"
WSGI_APPLICATION = "lyonassos.wsgi.application"

TEMPLATES = [
    {
        # Django's engine, each rendered context dropped after rendering (directory/templating.py).
        "BACKEND": "directory.templating.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file in the project by default; PostgreSQL in production
# (DATABASE_URL=postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a write is under way; a busy timeout avoids
    # "database is locked" under the development server's threads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "lyonassos.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lyonassos",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of every page that depend on the language alone (the site's header links, the
# stylesheets, the footer: base.html's {% cache None … current_language %}), rendered once per
# process and language: in the process's memory, never in the shared cache (a round trip would
# cost what the rendering does), forever (they change only with a deployment, which starts new
# processes). 2.8 ms of every HTML page's CPU went to rendering them.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": None,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# The clock of opening statuses and the `ouvert` search (directory/opening/calendar.now): a
# dotted path to a callable returning an aware datetime. Empty (the real clock) outside tests,
# which set it to freeze time in a live server; deliberately not read from the environment.
OPENING_CLOCK = ""

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet's dist from the XStatic-Leaflet package, served by us as static/leaflet/ (no CDN).
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
# Claim documents (IDs, statutes): outside MEDIA_ROOT, never served by the proxy; moderators
# download them through the admin.
PRIVATE_MEDIA_ROOT = Path(env_str("DJANGO_PRIVATE_MEDIA_ROOT") or BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Optional S3-compatible object storage for uploads (logos, photos, claim documents), through
# django-storages, which is then required (`pip install "django-storages[s3]==1.14.6"`); it is
# not in requirements.txt because local storage needs nothing. See README "Uploads".
S3_BUCKET = env_str("DJANGO_S3_BUCKET")
if S3_BUCKET:
    try:
        import storages.backends.s3  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            'DJANGO_S3_BUCKET is set but django-storages is missing: pip install "django-storages[s3]".'
        ) from None
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": env_str("DJANGO_S3_REGION") or None,
        "access_key": env_str("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        "custom_domain": env_str("DJANGO_S3_CUSTOM_DOMAIN") or None,
        "file_overwrite": False,
        "default_acl": None,
    }
    # Public images: plain URLs. Claim documents: same bucket under private/, signed short-lived
    # URLs, and the bucket policy must keep that prefix private.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "media", "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "custom_domain": None,
            "location": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }

# Uploads: logos and photos are re-encoded at upload (directory.images); limits in bytes/pixels.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
CLAIM_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

# Accounts: log in by e-mail (directory.accounts.backends); the admin also accepts a username.
AUTHENTICATION_BACKENDS = ["directory.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "directory:dashboard"
LOGOUT_REDIRECT_URL = "directory:home"
# Links sent by e-mail: account verification and password reset (3 days), e-mail change (2 days),
# manager invitations (7 days). Claim codes expire after 30 minutes, 5 attempts at most.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
EMAIL_CHANGE_MAX_AGE = 2 * 24 * 3600
INVITATION_MAX_AGE = 7 * 24 * 3600
CLAIM_CODE_MAX_AGE = 30 * 60
CLAIM_CODE_MAX_ATTEMPTS = 5

# Email: printed to the console unless an SMTP host is configured.
_email_host = env_str("EMAIL_HOST")
if env_str("DJANGO_EMAIL_BACKEND"):
    _mailer: dict[str, Any] = {"BACKEND": env_str("DJANGO_EMAIL_BACKEND")}
elif _email_host:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 10,
        },
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
# Every message goes through the throttle (directory.security.ThrottledEmailBackend): at most
# EMAIL_PER_RECIPIENT_PER_HOUR to one address and EMAIL_PER_HOUR in all; the rest is dropped and
# logged (address hashed). A form abused to mail-bomb someone, or a loop, stops there.
MAILERS = {
    "default": {
        "BACKEND": "directory.security.ThrottledEmailBackend",
        "OPTIONS": {"backend": _mailer["BACKEND"], "options": _mailer.get("OPTIONS", {})},
    }
}
EMAIL_PER_RECIPIENT_PER_HOUR = env_int("EMAIL_PER_RECIPIENT_PER_HOUR", 10)
EMAIL_PER_HOUR = env_int("EMAIL_PER_HOUR", 500)
# Account e-mails (sign-up, password reset, e-mail change) leave after the response, from this
# many threads per worker (directory.emails.deliver_after_response): their delay must
# not tell whether an address has an account. 0: sent before the response (tests).
EMAIL_BACKGROUND_THREADS = env_int("EMAIL_BACKGROUND_THREADS", 2)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lyon Assos <contact@lyonassos.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admins", addr) for addr in env_list("DJANGO_ADMINS")]

# Security. Production values unless DEBUG is on (local development over plain HTTP).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The header only allows submission to the browsers' preload list; submitting stays a manual step.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Browser features the site may use (directory.middleware.PermissionsPolicyMiddleware): only
# geolocation, on our own origin, for "Près de moi"; everything else is off.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
    "hid": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
    "screen-wake-lock": [],
    "xr-spatial-tracking": [],
    "browsing-topics": [],
    "interest-cohort": [],
}
# Maps (results and listing pages). Tiles are the only thing fetched from another host.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env_str(
    "MAP_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def _tile_source(url: str) -> str | None:
    """The CSP source of the tile host ('https://*.tile.example' for a {s} subdomain), or None."""
    parts = urlsplit(url.replace("{s}", "*"))
    if not parts.netloc:
        return None  # tiles served from our own host
    if parts.scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"MAP_TILE_URL must be an http(s) URL or a path, not {url!r}.")
    return f"{parts.scheme}://{parts.netloc}"


_MAP_TILE_SOURCE = _tile_source(MAP_TILE_URL)

# No inline script or style anywhere: scripts and styles come from our static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # The map's tile host (from MAP_TILE_URL) is the one deliberate external source.
    "img-src": [CSP.SELF, "data:", *([_MAP_TILE_SOURCE] if _MAP_TILE_SOURCE else [])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Abuse protection (directory/security.py). Client address: REMOTE_ADDR, or, behind
# TRUSTED_PROXY_COUNT proxies of ours (nginx: 1), the entry they appended to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATE_LIMITS_ENABLED = env_bool("DJANGO_RATE_LIMITS", True)
# (URL name or "*", methods, per "ip", "user" or "post:<field>", rate "N/[M]unit"): a 429 page with
# Retry-After beyond it. Fixed windows counted in the cache.
RATE_LIMITS = [
    # Any page, per address: scrapers and floods; a person never gets near it.
    ("*", "GET,HEAD", "ip", "300/m"),
    ("*", "POST", "ip", "60/m"),
    # Search and API: the costly reads.
    ("directory:association_list", "GET", "ip", "120/m"),
    ("directory:api_association_list", "GET", "ip", "120/m"),
    ("directory:api_service_list", "GET", "ip", "120/m"),
    ("directory:api_association", "GET", "ip", "240/m"),
    ("directory:api_suggestions", "GET", "ip", "240/m"),  # as-you-type: one per key stroke
    ("directory:api_places", "GET", "ip", "240/m"),  # "Près de" as-you-type, the same
    ("directory:print_list", "GET", "ip", "30/m"),
    # Embeds: one search each, framed on other sites (their visitors count from their own address).
    ("directory:embed_list", "GET", "ip", "120/m"),
    ("directory:embed_builder", "GET", "ip", "60/m"),
    ("directory:volunteer_list", "GET", "ip", "120/m"),
    # Full exports stream every published listing.
    ("directory:opendata_csv", "GET", "ip", "20/h"),
    ("directory:opendata_json", "GET", "ip", "20/h"),
    ("directory:opendata_datainclusion", "GET", "ip", "20/h"),
    ("directory:opendata_datainclusion_services", "GET", "ip", "20/h"),
    # Log-in: per address here, per account through the lockout (LOGIN_FAILURE_*).
    ("accounts:login", "POST", "ip", "30/10m"),
    ("admin:login", "POST", "ip", "30/10m"),
    # Public forms that send e-mail or create rows.
    ("accounts:signup", "POST", "ip", "10/h"),
    ("accounts:password_reset", "POST", "ip", "10/h"),
    ("accounts:password_reset", "POST", "post:email", "3/h"),
    ("accounts:email_change", "POST", "ip", "10/h"),
    ("directory:report", "POST", "ip", "20/h"),
    # Answers to a volunteer need e-mail the association: per address, and per sender's e-mail.
    ("directory:volunteer_need", "POST", "ip", "10/h"),
    ("directory:volunteer_need", "POST", "post:email", "5/h"),
    ("directory:claim", "POST", "ip", "20/h"),
    ("directory:claim_code", "POST", "ip", "20/h"),
    ("directory:claim_request", "POST", "ip", "10/h"),
    ("directory:add", "POST", "ip", "20/h"),
    ("directory:add", "POST", "user", "10/h"),
    # Edits and news posts carry images (up to 7 and 1), decoded at some cost: per account too.
    ("directory:edit_all", "POST", "ip", "60/h"),
    ("directory:edit_all", "POST", "user", "30/h"),
    # The edit form in steps: one POST a step (images on one of them), then the review's.
    ("directory:edit_step", "POST", "ip", "120/h"),
    ("directory:edit_step", "POST", "user", "60/h"),
    ("directory:news", "POST", "ip", "30/h"),
    ("directory:news", "POST", "user", "20/h"),
    ("directory:invite", "POST", "ip", "30/h"),
    # Digital helpers: sign-up and profile changes, offers, invitations (each sends e-mail).
    ("directory:helper_signup", "POST", "ip", "10/h"),
    ("directory:helper_profile", "POST", "ip", "20/h"),
    ("directory:helper_offer", "POST", "ip", "20/h"),
    ("directory:help_request_invite", "POST", "ip", "30/h"),
]
# Never limited: load balancers poll it.
RATE_LIMITS_EXEMPT = ["directory:healthz"]
# Lockout: LOGIN_FAILURE_LIMIT failed log-ins for one identifier from one address (bucket) within
# LOGIN_FAILURE_WINDOW seconds lock that pair LOGIN_LOCKOUT_SECONDS, whether the account exists or
# not; `manage.py unlock_account EMAIL` lifts it from every address.
LOGIN_URL_NAMES = ["accounts:login", "admin:login"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_FAILURE_WINDOW = 15 * 60
LOGIN_LOCKOUT_SECONDS = 15 * 60
# Public forms (directory.security.HumanCheckMixin): sent sooner than this after loading = robot;
# a form older than HUMAN_MAX_AGE asks to be sent again.
HUMAN_MIN_SECONDS = 3
HUMAN_MAX_AGE = 24 * 3600

# Backups (manage.py backup / make backup): where, and how many are kept.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or BASE_DIR / "backups")
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)

# Logs never hold passwords, tokens or e-mail addresses (directory.security.ScrubFilter); the
# gunicorn access log drops query strings (gunicorn.conf.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "directory.security.ScrubFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Directory behaviour.
# Address API used by `manage.py geocode` (BAN search endpoint) and its polite rate (requests/s).
GEOCODER_URL = env_str("GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")
GEOCODER_RATE = env_int("GEOCODER_RATE", 5)
# `manage.py import_datainclusion`: the listings it creates are published at once (1), or wait
# in the moderation queue like a submission (0, the default).
DATAINCLUSION_IMPORT_PUBLISH = env_bool("DATAINCLUSION_IMPORT_PUBLISH", False)
RESULTS_PER_PAGE = 20
# Seconds the facet counts of one set of search parameters are kept in the cache (0: no cache).
# They are keyed by the listings version (directory/cache.py), so a publish shows at once: this
# only bounds memory. As long as the ordered ids (SEARCH_CACHE_SECONDS): a search asked again
# within ten minutes finds both (its rendered region changes every quarter of an hour, since
# each card says whether its listing is open).
FACETS_CACHE_SECONDS = env_int("FACETS_CACHE_SECONDS", 600)
# How long the ordered ids of a search are kept (directory/search/results.py); publishing moves
# the listings version, so this only bounds memory. 0 disables the cache.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 600)
# Time budget of one search, in milliseconds (directory/search/budget.py): past it the database
# cancels the search's query and the visitor gets a 503 with Retry-After, never a held worker.
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 2000)
# Searches a process runs at once (directory/search/budget.py): with threaded workers, the other
# threads stay free for listing pages, cached results and /healthz while searches queue.
SEARCH_CONCURRENCY = env_int("SEARCH_CONCURRENCY", 1)
# PostgreSQL work_mem of a search's statements, in MB (directory/search/budget.py): a broad
# search (every listing matching a common word) sorts and groups tens of thousands of rows, which
# spill to temporary files past the server's default 4 MB. At most SEARCH_CONCURRENCY searches a
# process hold it at once.
SEARCH_WORK_MEM_MB = env_int("SEARCH_WORK_MEM_MB", 32)
# Home page counts and sitemap pages (directory/cache.py): invalidated on publish by a version
# bump; this bounds how long an entry lives (0: not cached).
LISTINGS_CACHE_SECONDS = env_int("LISTINGS_CACHE_SECONDS", 900)
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
