"""Every page needs a signed-in member; the API and static files sign in their own way."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect

OPEN_PREFIXES = ("/login", "/welcome", "/api/", "/static/", "/favicon.ico")


class MemberRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(OPEN_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return HttpResponseRedirect(f"{settings.LOGIN_URL}?next={quote(path)}")
            if not hasattr(user, "profile"):
                return HttpResponseForbidden("This account is not a netiquette member.")
        return self.get_response(request)
