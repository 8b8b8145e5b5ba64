"""Django settings for netiquette. The database comes from ``NETIQUETTE_DB`` via
:func:`netiquette.dbconfig.database_config`."""

from __future__ import annotations

import os

from netiquette.dbconfig import database_config

DEBUG = os.environ.get("NETIQUETTE_DEBUG") == "1"
SECRET_KEY = os.environ.get("NETIQUETTE_SECRET_KEY", "netiquette-local-only-secret-key-change-me")
ALLOWED_HOSTS = os.environ.get("NETIQUETTE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "netiquette.core",
    "netiquette.web",
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
    "netiquette.web.middleware.MemberRequiredMiddleware",
]

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
            ]
        },
    }
]

DATABASES = {"default": database_config(os.environ.get("NETIQUETTE_DB"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = True
LANGUAGE_CODE = "en"

STATIC_URL = "/static/"
# WhiteNoise serves the app's static files straight from the package (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
WHITENOISE_MAX_AGE = 3600
# Optional extra static files (collectstatic output, or the benchmark's floor file).
STATIC_ROOT = os.environ.get("NETIQUETTE_STATIC_ROOT") or None

# Each process keeps the rendered rows of recent inbox and agenda pages, under keys made from
# their content (web/common.py: fragment_key), so nothing here can go stale or needs sharing
# between processes. At most ~500 pages of ~40 KB per process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "netiquette-fragments", "OPTIONS": {"MAX_ENTRIES": 500}}}

ROOT_URLCONF = "netiquette.web.urls"
AUTHENTICATION_BACKENDS = ["netiquette.web.auth_backend.MemberBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
WSGI_APPLICATION = "netiquette.wsgi.application"

# Served over https (behind a proxy that says so): cookies only travel encrypted.
_HTTPS = os.environ.get("NETIQUETTE_HTTPS") == "1"
SESSION_COOKIE_NAME = "netiquette_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_NAME = "netiquette_csrftoken"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = _HTTPS
if _HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "object-src": [_NONE],
        "base-uri": [_NONE],
        "frame-ancestors": [_NONE],
        "form-action": [_SELF],
    }
}
EMAIL_BACKEND = os.environ.get(
    "NETIQUETTE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
