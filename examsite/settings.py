"""examsite settings, read from the environment (see the README's configuration table)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(s: str, default: str) -> bool:
    v = os.getenv(s, default=default)
    if v not in ("", "True", "False", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{s} is {v!r}; use True or False.")
    return v in ("True", "true", "1")


def envint(s: str, default: str) -> int:
    v = os.getenv(s, default)
    try:
        return int(v)
    except ValueError:
        raise ImproperlyConfigured(f"{s} is {v!r}; use a whole number.") from None


def mailer(url: str) -> dict:
    """Django's MAILERS entry for EMAIL_URL: smtp://, smtp+tls:// (STARTTLS), smtps://
    (TLS from the start) with user:password@host:port, or console:// to print mail."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtp+tls", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL takes smtp://, smtp+tls:// or smtps://user:password@host:port, "
            "or console://."
        )
    options = {
        "host": parts.hostname,
        "port": parts.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme],
        "use_tls": parts.scheme == "smtp+tls",
        "use_ssl": parts.scheme == "smtps",
        "timeout": 10,
    }
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


def envlist(s: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(s, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Good enough for a laptop; never used with DEBUG off (see above).
    SECRET_KEY = "django-insecure-development-key-examsite-do-not-use-in-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY is too short to be secret; use 50 or more random characters, such as "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))" prints.'
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "examsite",
    "accounts",
    "questions",
    "exams",
    "study",
    "readiness",
]

MIDDLEWARE = [
    # First, so a load balancer's probe needs no Host header or HTTPS (see the module).
    "examsite.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are gzipped for clients that accept it (static files come precompressed from
    # WhiteNoise, above, and skip this). BREACH: the CSRF token in a page is masked afresh
    # for every response and Django pads each gzipped body with random bytes; no other
    # secret is ever in a page. See docs/scaling.md.
    "django.middleware.gzip.GZipMiddleware",
    # Before the session is read: see the module.
    "examsite.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session and the user: times are shown in the candidate's zone.
    "accounts.zones.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "examsite.urls"
CSRF_FAILURE_VIEW = "examsite.errors.csrf_failure"
WSGI_APPLICATION = "examsite.wsgi.application"

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
                "django.template.context_processors.csp",
                "examsite.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'examsite.sqlite3'}"),
        # Each worker keeps its connection across requests (a new one costs a few ms of
        # the ~10 ms a request takes); see docs/scaling.md for why not a pool.
        conn_max_age=envint("DB_CONN_MAX_AGE", "600"),
        # A kept connection is checked (one round trip) before a request's first query, so
        # a database restart or a killed backend costs no request: it is simply reopened.
        conn_health_checks=True,
    )
}
if envbool("DB_POOL", "False") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg's pool instead of a kept connection (Django refuses both at once). Measured
    # against kept connections in docs/scaling.md: with sync workers it buys nothing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": envint("DB_POOL_MAX_SIZE", "4"),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take the write lock up front, so an answer
    # saved while the attempt is being submitted waits instead of slipping past it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Checks the lockout before the password is even looked at.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Production hardening. Cookies are HttpOnly by default; over HTTPS they are also Secure,
# and the site redirects to HTTPS and sends HSTS. The proxy header is trusted only when
# the operator says a TLS proxy sits in front, since a client could otherwise forge it.
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", "False")
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = BEHIND_HTTPS_PROXY
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", "31536000") if BEHIND_HTTPS_PROXY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "True")
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "True")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BEHIND_HTTPS_PROXY
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# Pages carry no inline script or style. A nonce is still offered, for a template that
# ever needs one ({{ csp_nonce }}); django-htmx adds it to its script tag.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Login throttling (django-axes): an account, or an address, with LOGIN_FAILURE_LIMIT
# failed logins is locked for LOGIN_COOLOFF_MINUTES. Failures live in the database, so
# every app container sees the same count.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # see accounts.throttle.forget_own_failures
# The lock lasts its time from when it began; tries during it do not extend it, or anyone
# could keep an account locked with a request every few minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Successful logins are not logged: the failures are all throttling needs.
AXES_DISABLE_ACCESS_LOG = True
# How many proxies (each appending to X-Forwarded-For) stand between clients and the app;
# 0 means clients connect directly and REMOTE_ADDR is theirs.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
# A username longer than the column, or with a NUL byte, must be a failed login, not a 500.
AXES_USERNAME_CALLABLE = "accounts.throttle.username"

# Sign-up throttling: at most SIGNUP_LIMIT accounts per client address per window.
SIGNUP_LIMIT = envint("SIGNUP_LIMIT", "20")
SIGNUP_WINDOW_MINUTES = envint("SIGNUP_WINDOW_MINUTES", "60")

# Mail, for password reset: EMAIL_URL such as smtp+tls://user:password@mail.example.org:587.
# Without it, a developer's DEBUG site prints mail to the console and a production site
# offers no reset at all rather than promising mail that never comes.
EMAIL_URL = os.getenv("EMAIL_URL", "")
if EMAIL_URL or DEBUG:
    MAILERS = {"default": mailer(EMAIL_URL or "console://")}
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "examsite <noreply@localhost>")
PASSWORD_RESET_ENABLED = bool(EMAIL_URL) or DEBUG

# Errors and warnings go to stderr, where a container's logs are read.
LOG_LEVEL = os.getenv("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django sets its own logger to INFO; it follows LOG_LEVEL here like everything else.
    "loggers": {"django": {"level": LOG_LEVEL}},
}

# examsite itself
SIGNUP_ENABLED = envbool("SIGNUP_ENABLED", "True")
DEFAULT_EXAM_CODE = os.getenv("DEFAULT_EXAM_CODE", "MLS-C01")
# Whether `manage.py bootstrap` (the container's start) loads the bundled blueprint and bank.
LOAD_BANK = envbool("LOAD_BANK", "True")
# Bank and blueprint files larger than this are refused before they are parsed.
BANK_FILE_MAX_KB = envint("BANK_FILE_MAX_KB", "5120")
# Seconds after the deadline during which a request already in flight is still accepted.
EXAM_GRACE_SECONDS = envint("EXAM_GRACE_SECONDS", "0")
# Readiness (see docs/readiness.md): a question's difficulty is estimated from candidates'
# answers once it has this many, and from its author's rating before that.
READINESS_MIN_ANSWERS = envint("READINESS_MIN_ANSWERS", "30")
# An answer this many days old counts half as much as one given today in a candidate's ability.
READINESS_HALF_LIFE_DAYS = envint("READINESS_HALF_LIFE_DAYS", "30")
