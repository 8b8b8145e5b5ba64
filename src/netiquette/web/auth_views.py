"""Signing in: a one-time link from ``netiquette serve``, or a password where there are
several members (throttled). Signing out."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from netiquette.errors import UserError
from netiquette.services import webauth

BACKEND = "netiquette.web.auth_backend.MemberBackend"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                         require_https=request.is_secure())
    return target if ok and target.startswith("/") else "/"


def _client_keys(request: HttpRequest, username: str) -> list[str]:
    return [f"user:{username.casefold()[:150]}",
            f"addr:{request.META.get('REMOTE_ADDR', '')}"]


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token")
    if token is not None:
        member = webauth.redeem_login_token(token)
        if member is None:
            return render(request, "web/login.html", {
                "error": "This sign-in link is used up or has expired. Run netiquette serve "
                "again for a fresh one, or sign in with your password."}, status=403)
        login(request, member, backend=BACKEND)
        return HttpResponseRedirect("/")
    if request.method == "POST":
        return _password_login(request)
    return render(request, "web/login.html", {"next": _next(request)})


def _password_login(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")[:150]
    password = request.POST.get("password", "")[:1000]
    keys = _client_keys(request, username)
    if webauth.throttled(keys):
        return render(request, "web/login.html", {
            "error": "Too many failed attempts. Wait a quarter of an hour and try again.",
            "username": username}, status=429)
    user = authenticate(request, username=username, password=password)
    if user is None or not hasattr(user, "profile"):
        webauth.record_failure(keys)
        return render(request, "web/login.html", {
            "error": "Unknown username or wrong password.", "username": username,
            "next": _next(request)}, status=401)
    webauth.clear_failures(keys[:1])
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect(_next(request))


@never_cache
def welcome_view(request: HttpRequest) -> HttpResponse:
    """An invited member chooses a password through the administrator's single-use link.
    Showing the page does not use the link up; setting the password does."""
    token = (request.POST.get("token") if request.method == "POST"
             else request.GET.get("token")) or ""
    member = webauth.welcome_member(token)
    if member is None:
        return render(request, "web/welcome.html", {
            "error": "This link is used up or has expired. Ask your administrator for a new "
            "one (netiquette member reset)."}, status=403)
    context = {"token": token, "member": member, "name": member.profile.display_name}  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            member = webauth.accept_welcome(token, request.POST.get("password", "")[:1000],
                                            request.POST.get("again", "")[:1000])
        except UserError as exc:
            return render(request, "web/welcome.html", {**context, "error": str(exc)},
                          status=400)
        login(request, member, backend=BACKEND)  # the account with its new password
        return HttpResponseRedirect("/")
    return render(request, "web/welcome.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect("/login")
