"""What signing in needs: single-use login links, API tokens (both stored hashed) and a
counter of failed password attempts for throttling."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LoginToken(models.Model):
    """A one-time link: ``/login?token=…`` as ``netiquette serve`` prints it (purpose
    ``login``), or ``/welcome?token=…`` where an invited member chooses a password (purpose
    ``welcome``, from ``netiquette member invite``)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    purpose = models.CharField(max_length=10, default="login")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A member's bearer token for ``/api``; only its SHA-256 digest is kept."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="api_tokens")
    name = models.CharField(max_length=100, default="")
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)


class LoginFailure(models.Model):
    """Failed password attempts per key (a username or an address) in the current window."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.IntegerField(default=0)
    window_start = models.DateTimeField()
