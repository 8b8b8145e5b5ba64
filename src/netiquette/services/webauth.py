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
WELCOME_TOKEN_TTL = timedelta(days=7)
LOGIN, WELCOME = "login", "welcome"
API_PREFIX = "nq_"
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_login_token(member: User, ttl: timedelta = LOGIN_TOKEN_TTL,
                      now: datetime | None = None, purpose: str = LOGIN) -> str:
    """A new single-use token for ``member``, valid for ``ttl``: a sign-in link's, or with
    ``purpose=WELCOME`` a link to choose a password."""
    now = now or clock.now()
    raw = secrets.token_urlsafe(32)
    LoginToken.objects.create(member=member, digest=digest(raw), created_at=now,
                              expires_at=now + ttl, purpose=purpose)
    return raw


def _live_token(raw: str, purpose: str, now: datetime) -> LoginToken | None:
    if not raw or len(raw) > 200:
        return None
    return (LoginToken.objects.filter(digest=digest(raw), purpose=purpose, used_at__isnull=True,
                                      expires_at__gt=now)
            .select_related("member", "member__profile").first())


def _use_up(token: LoginToken, now: datetime) -> bool:
    """Mark ``token`` used; False when another request used it first."""
    return LoginToken.objects.filter(id=token.id, used_at__isnull=True,
                                     expires_at__gt=now).update(used_at=now) == 1


def redeem_login_token(raw: str, now: datetime | None = None) -> User | None:
    """The member a valid, unused, unexpired sign-in token names (the token is used up),
    else None."""
    now = now or clock.now()
    with transaction.atomic():
        token = _live_token(raw, LOGIN, now)
        return token.member if token is not None and _use_up(token, now) else None


def invite_member(name: str, username: str = "", signature: str = "",
                  ttl: timedelta = WELCOME_TOKEN_TTL) -> tuple[User, str]:
    """An administrator invites a member (there is no self sign-up): an account without a
    password, and a single-use welcome token with which they choose one."""
    with transaction.atomic():
        user = _new_member(name, username, signature)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user, password_link_token(user, ttl)


def _new_member(name: str, username: str, signature: str) -> User:
    """A new member; a ``username`` asked for and already taken is an error (call inside a
    transaction: the member made meanwhile is then undone)."""
    user = create_member(name, signature=signature, username=username or None)
    if username and user.username != username:
        raise UserError(f"--username: '{username}' is taken")
    return user


def password_link_token(member: User, ttl: timedelta = WELCOME_TOKEN_TTL) -> str:
    """A fresh welcome token for an existing member (a forgotten password)."""
    return issue_login_token(member, ttl, purpose=WELCOME)


def welcome_member(raw: str, now: datetime | None = None) -> User | None:
    """The member a live welcome token names, without using it up (so that a link preview
    does not spend it), else None."""
    token = _live_token(raw, WELCOME, now or clock.now())
    return token.member if token is not None else None


def accept_welcome(raw: str, password: str, again: str, now: datetime | None = None) -> User:
    """Set the password of the member a live welcome token names, using the token up.
    A weak or mistyped password is a :class:`UserError`; the token then stays usable."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    now = now or clock.now()
    with transaction.atomic():
        token = _live_token(raw, WELCOME, now)
        if token is None:
            raise UserError("this link is used up or has expired: ask your administrator "
                            "for a new one")
        if password != again:
            raise UserError("the two passwords differ")
        try:
            validate_password(password, token.member)
        except ValidationError as exc:
            raise UserError(" ".join(exc.messages)) from None
        if not _use_up(token, now):
            raise UserError("this link was just used")
        token.member.set_password(password)
        token.member.save(update_fields=["password"])
        return token.member


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
    """A member with a password set by the administrator (tests and scripted set-ups;
    people get :func:`invite_member`'s link and choose their own)."""
    if len(password) < 10:
        raise UserError("--password: use at least 10 characters")
    with transaction.atomic():
        user = _new_member(name, username, signature)
        user.set_password(password)
        user.save(update_fields=["password"])
        return user


def member_accounts() -> list[dict[str, object]]:
    """Every member with what an administrator needs to know about their account."""
    return [{"id": u.pk, "username": u.username, "name": u.profile.display_name,  # type: ignore[attr-defined]
             "password": u.has_usable_password(),
             "last_login": u.last_login.isoformat() if u.last_login else None}
            for u in User.objects.filter(profile__isnull=False).select_related("profile")
            .order_by("id")]


def api_tokens(member: User) -> list[dict[str, object]]:
    """The member's API tokens, as far as they can be shown (name, prefix, dates)."""
    rows = (ApiToken.objects.filter(member=member).order_by("id")
            .values("name", "prefix", "created_at", "last_used_at"))
    return [dict(row) for row in rows]
