"""What every view shares: the acting member, safe redirects, errors as messages or 404s."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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
