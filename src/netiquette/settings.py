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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
EMAIL_BACKEND = os.environ.get(
    "NETIQUETTE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
