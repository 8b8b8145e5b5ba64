"""Signing in to the web app and the API: one-time login links, API tokens, password
throttling. Tokens are random, shown once, and stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from netiquette import clock
from netiquette.errors import UserError
from netiquette.services.members import create_member
from netiquette.web.models import ApiToken, LoginFailure, LoginToken

LOGIN_TOKEN_TTL = timedelta(hours=12)
API_PREFIX = "nq_"
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_login_token(member: User, ttl: timedelta = LOGIN_TOKEN_TTL,
                      now: datetime | None = None) -> str:
    """A new single-use sign-in token for ``member``, valid for ``ttl``."""
    now = now or clock.now()
    raw = secrets.token_urlsafe(32)
    LoginToken.objects.create(member=member, digest=digest(raw), created_at=now,
                              expires_at=now + ttl)
    return raw


def redeem_login_token(raw: str, now: datetime | None = None) -> User | None:
    """The member a valid, unused, unexpired token names (the token is used up), else None."""
    if not raw or len(raw) > 200:
        return None
    now = now or clock.now()
    with transaction.atomic():
        token = LoginToken.objects.filter(digest=digest(raw)).select_related("member").first()
        if token is None:
            return None
        used = LoginToken.objects.filter(id=token.id, used_at__isnull=True,
                                         expires_at__gt=now).update(used_at=now)
        return token.member if used == 1 else None


def issue_api_token(member: User, name: str = "", now: datetime | None = None) -> str:
    """A new API token for ``member``; shown once, kept as a digest."""
    raw = API_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(member=member, name=name[:100], prefix=raw[:10],
                            digest=digest(raw), created_at=now or clock.now())
    return raw


def member_for_api_token(raw: str) -> User | None:
    if not raw or not raw.startswith(API_PREFIX) or len(raw) > 200:
        return None
    token = (ApiToken.objects.filter(digest=digest(raw))
             .select_related("member", "member__profile").first())
    return token.member if token is not None else None


def revoke_api_tokens(member: User) -> int:
    return ApiToken.objects.filter(member=member).delete()[0]


# --- password sign-in throttling -----------------------------------------------------------

def throttled(keys: list[str], now: datetime | None = None) -> bool:
    """True when any of ``keys`` (a username, an address) failed too often lately."""
    since = (now or clock.now()) - FAILURE_WINDOW
    return LoginFailure.objects.filter(key__in=keys, window_start__gt=since,
                                       failures__gte=MAX_FAILURES).exists()


def record_failure(keys: list[str], now: datetime | None = None) -> None:
    now = now or clock.now()
    with transaction.atomic():
        for key in keys:
            row, created = LoginFailure.objects.get_or_create(
                key=key[:200], defaults={"failures": 1, "window_start": now})
            if created:
                continue
            if row.window_start <= now - FAILURE_WINDOW:
                LoginFailure.objects.filter(id=row.id).update(failures=1, window_start=now)
            else:
                LoginFailure.objects.filter(id=row.id).update(failures=F("failures") + 1)


def clear_failures(keys: list[str]) -> None:
    LoginFailure.objects.filter(key__in=keys).delete()


def add_member_with_password(name: str, username: str, password: str,
                             signature: str = "") -> User:
    """An administrator invites a member: an account with a password (no self sign-up)."""
    if len(password) < 10:
        raise UserError("--password: use at least 10 characters")
    user = create_member(name, signature=signature, username=username)
    if user.username != username:
        user.delete()
        raise UserError(f"--username: '{username}' is taken")
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def api_tokens(member: User) -> list[dict[str, object]]:
    """The member's API tokens, as far as they can be shown (name, prefix, dates)."""
    rows = (ApiToken.objects.filter(member=member).order_by("id")
            .values("name", "prefix", "created_at", "last_used_at"))
    return [dict(row) for row in rows]
