"""Cadre's settings. Everything that differs between installations comes from the environment,
with safe development defaults; see docs/operator-guide.md for each variable."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CADRE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The development key is only used when no SECRET_KEY is given; `check --deploy` rejects it.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-cadre-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "ninja",
    "govuk_frontend_django",
    "auditlog",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tasks",
    "django_tasks_db",
    "cadre.core",
    "cadre.people",
    "cadre.frameworks",
    "cadre.diagnostics",
    "cadre.catalogue",
    "cadre.learning",
    "cadre.programmes",
    "cadre.credentials",
    "cadre.mentoring",
    "cadre.groups",
    "cadre.grouping",
    "cadre.matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "cadre.urls"
WSGI_APPLICATION = "cadre.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Cadre's core templates come first so that its versions of allauth's pages win.
        "DIRS": [BASE_DIR / "cadre" / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cadre.core.context_processors.cadre",
            ],
            "builtins": ["cadre.core.templatetags.govuk"],
        },
    }
]

# SQLite (WAL) for the one-command demo; PostgreSQL in CI and production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cadre.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env_list("PASSWORD_HASHERS") or [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise reads it; `cadre collectstatic` fills it
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production runs `cadre collectstatic` and sets CADRE_MANIFEST_STATIC=1 for cache-busting names.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("CADRE_MANIFEST_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

# Caches hold sign-in rate limits and import progress, so they must be shared between the
# web server and the task worker: files on disk by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Background work: django-tasks with the database backend; the RQ backend on Redis to scale out.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
INSTALLED_APPS.append("django_rq")
if TASK_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email: the demo keeps every message on disk and lists it at /outbox/; production uses SMTP.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "cadre.core.mail.OutboxBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cadre <cadre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CADRE_OUTBOX_DIR = Path(os.environ.get("CADRE_OUTBOX_DIR", VAR_DIR / "outbox"))
# The outbox page shows every email sent, password-reset links included, to anyone who can reach
# it: only ever in a demonstration on this machine (`cadre demo` sets CADRE_DEMO) or with DEBUG.
CADRE_DEMO = env_bool("CADRE_DEMO", False)
CADRE_SHOW_OUTBOX = (DEBUG or CADRE_DEMO) and EMAIL_BACKEND == "cadre.core.mail.OutboxBackend"

# Sign-in: django-allauth, email and password, TOTP with recovery codes, rate-limited failures.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "cadre.core.auth.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "cadre.core.auth.SocialAccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # subjects say "Cadre" themselves, without the server's address
ACCOUNT_MAX_EMAIL_ADDRESSES = 1  # the address on the person's record, nothing else
ACCOUNT_RATE_LIMITS = {
    # A person is locked out for a while after repeated failed sign-ins (per email and address).
    "login_failed": os.environ.get("CADRE_LOGIN_FAILED_LIMIT", "10/m/ip,5/15m/key"),
}
# Behind a proxy, count failures per client (from X-Forwarded-For), not per proxy: otherwise ten
# failures a minute anywhere would lock everyone out.
ALLAUTH_TRUSTED_PROXY_COUNT = int(
    os.environ.get("CADRE_TRUSTED_PROXY_COUNT", "1" if env_bool("CADRE_BEHIND_PROXY", False) else "0")
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Cadre")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# Cadre matches a single sign-on to an imported person itself (cadre.core.auth.SocialAccountAdapter).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_PROVIDERS = {}
MFA_ADAPTER = "cadre.core.auth.MFAAdapter"
ACCOUNT_FORMS = {
    "login": "cadre.core.auth.LoginForm",
    "reset_password": "cadre.core.auth.ResetPasswordForm",
    "reset_password_from_key": "cadre.core.auth.ResetPasswordKeyForm",
    "change_password": "cadre.core.auth.ChangePasswordForm",
    "set_password": "cadre.core.auth.SetPasswordForm",
    "reauthenticate": "cadre.core.auth.ReauthenticateForm",
    "add_email": "cadre.core.auth.AddEmailForm",
}
MFA_FORMS = {
    "authenticate": "cadre.core.auth.AuthenticateForm",
    "reauthenticate": "cadre.core.auth.MFAReauthenticateForm",
    "activate_totp": "cadre.core.auth.ActivateTOTPForm",
}

from cadre.core.sso import form_action_origins, providers_from_environment  # noqa: E402

SOCIALACCOUNT_PROVIDERS.update(providers_from_environment(os.environ))

# Audit: django-auditlog writing to Cadre's own entry model, which carries the organisation.
AUDITLOG_LOGENTRY_MODEL = "core.AuditEntry"
# auditlog's own migrations create its LogEntry table even though core.AuditEntry replaces it; the
# unused table's foreign keys then block TRUNCATE on PostgreSQL. Without its migrations, Django
# creates nothing for the swapped-out model.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_REMOTE_ADDR = True

# Security headers. Pages carry no inline script except the one-line js-enabled flag,
# which is allowed by its hash.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'", *env_list("CADRE_SSO_FORM_ACTIONS"), *form_action_origins(os.environ)],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and env_bool("CADRE_HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("CADRE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))

CSRF_FAILURE_VIEW = "cadre.core.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CADRE_IMPORT_MAX_BYTES = int(os.environ.get("CADRE_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
