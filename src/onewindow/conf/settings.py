"""Django settings. Every value comes from `onewindow.conf.env` (environment variables)."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url

from onewindow.conf import env

BASE_DIR = Path(__file__).resolve().parent.parent
PROFILE = env.get("ONEWINDOW_PROFILE")
TESTING = PROFILE == "test" or "pytest" in sys.modules
HOME = Path(env.get("ONEWINDOW_HOME")).resolve()
# The embedded database and materials hold personal data: only the platform's user may read.
HOME.mkdir(mode=0o700, parents=True, exist_ok=True)

if PROFILE == "production":
    env.check_production({v.name: env.get(v.name) for v in env.VARIABLES})

SECRET_KEY = env.get("SECRET_KEY") or env.INSECURE_SECRET
DEBUG = env.get_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env.get("ALLOWED_HOSTS").split(",") if h.strip()]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "huey.contrib.djhuey",
    "onewindow.core",
    "onewindow.accounts",
    "onewindow.catalog",
    "onewindow.cases",
    "onewindow.ledger",
    "onewindow.workflow",
    "onewindow.registries",
    "onewindow.certificates",
    "onewindow.notifications",
    "onewindow.supervision",
    "onewindow.portal",
    "onewindow.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onewindow.core.middleware.RequestIdMiddleware",
    "onewindow.core.middleware.SecurityHeadersMiddleware",
    "onewindow.portal.errors.ApiErrorMiddleware",
]
CSRF_FAILURE_VIEW = "onewindow.portal.errors.csrf_failure"

ROOT_URLCONF = "onewindow.conf.urls"
WSGI_APPLICATION = "onewindow.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_database_url = env.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    HOME.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "onewindow.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["onewindow.accounts.backends.RateLimitedModelBackend"]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGE_PATH = Path(env.get("STORAGE_PATH") or HOME / "materials").resolve()
MAX_UPLOAD_BYTES = int(env.get("MAX_UPLOAD_BYTES"))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(STORAGE_PATH), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PROFILE == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_rate = env.get("LOGIN_RATE_LIMIT").split("/")
LOGIN_RATE_LIMIT = (int(_rate[0]), int(_rate[1]))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "onewindow_cache",
    }
}

JOB_BACKEND = env.get("JOB_BACKEND")
if JOB_BACKEND == "redis":
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "onewindow",
        "url": env.get("REDIS_URL"),
        "immediate": False,
        "store_none": False,
        "results": False,
    }
else:
    HOME.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "onewindow",
        "filename": str(HOME / "jobs.sqlite3"),
        # Tests run jobs inline; a worker process (even one started by a test) really consumes.
        "immediate": JOB_BACKEND == "immediate" or "pytest" in sys.modules,
        "immediate_use_memory": True,
        "results": False,
    }

NINJA_PAGINATION_MAX_LIMIT = 100
NINJA_PAGINATION_MAX_OFFSET = 1_000_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"onewindow": {"level": "INFO"}},
}
