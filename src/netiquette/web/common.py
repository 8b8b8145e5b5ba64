"""What every view shares: the acting member, safe redirects, errors as messages or 404s."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.http import url_has_allowed_host_and_scheme

from netiquette import clock
from netiquette.errors import NotFound, UserError
from netiquette.services.members import Actor

View = Callable[..., HttpResponse]


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in member as an :class:`Actor` (cached on the request)."""
    cached = getattr(request, "_netiquette_actor", None)
    if cached is None:
        cached = Actor(request.user)  # type: ignore[arg-type]
        request._netiquette_actor = cached  # type: ignore[attr-defined]
    return cached


def fragment_key(request: HttpRequest, page: Any, *, forms: bool = False) -> str:
    """The cache key of a page's rendered rows, made from the rows themselves.

    A cached fragment is never stale: any change to what the rows show (a verdict, a path, a
    name, a draft) changes the key. The key also holds the URL (the rows' "next" fields) and,
    when ``forms`` says the rows hold their own forms, the browser's CSRF secret, so a fragment
    with a CSRF token is only ever shown to the browser it was made for.
    """
    digest = hashlib.blake2b(repr((page.number, page.total, page.items)).encode(),
                             digest_size=20)
    digest.update(request.get_full_path().encode())
    if forms:
        get_token(request)
        digest.update(str(request.META.get("CSRF_COOKIE", "")).encode())
    return digest.hexdigest()


def now() -> Any:
    return clock.now()


def back(request: HttpRequest, default: str = "/") -> HttpResponseRedirect:
    """Redirect to the form's ``next`` when it is a path on this site, else ``default``."""
    target = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return HttpResponseRedirect(target)


MAX_ID = 2**62


def _check_ids(kwargs: dict[str, Any]) -> None:
    if any(isinstance(x, int) and x > MAX_ID for x in kwargs.values()):
        raise Http404("no such number")


def not_found_is_404(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _check_ids(kwargs)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from None

    return wrapper


def action(view: View) -> View:
    """A state-changing POST: a user's mistake becomes a message on the page it came from,
    an id that is not the member's becomes 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        _check_ids(kwargs)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from None
        except UserError as exc:
            messages.error(request, str(exc))
            return back(request)

    return wrapper
