"""Signing in: single-use expiring links, passwords with throttling, sign-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def test_login_link_signs_in_once(member, clock):
    from netiquette.services.webauth import issue_login_token
    from netiquette.web.models import LoginToken

    token = issue_login_token(member)
    assert not LoginToken.objects.filter(digest=token).exists()  # only the digest is kept
    c = Client()
    r = c.get(f"/login?token={token}")
    assert r.status_code == 302 and r["Location"] == "/"
    assert c.get("/").status_code == 200
    assert Client().get(f"/login?token={token}").status_code == 403


def test_login_link_expires(member, clock):
    from netiquette.services.webauth import issue_login_token

    token = issue_login_token(member, ttl=timedelta(minutes=5))
    clock("2026-03-01T09:06:00+00:00")
    c = Client()
    assert c.get(f"/login?token={token}").status_code == 403
    assert c.get("/").status_code == 302


def test_password_login_and_throttling(db, clock):
    from netiquette.services.webauth import MAX_FAILURES, add_member_with_password

    add_member_with_password("Carla Member", "carla", "a long passphrase")
    c = Client()
    for _ in range(MAX_FAILURES):
        assert c.post("/login", {"username": "carla", "password": "wrong"}).status_code == 401
    r = c.post("/login", {"username": "carla", "password": "a long passphrase"})
    assert r.status_code == 429
    clock("2026-03-01T09:20:00+00:00")
    r = c.post("/login", {"username": "carla", "password": "a long passphrase",
                          "next": "/agenda"})
    assert r.status_code == 302 and r["Location"] == "/agenda"
    assert c.get("/agenda").status_code == 200
    c.post("/logout")
    assert c.get("/agenda").status_code == 302


def test_login_next_cannot_leave_the_site(db):
    from netiquette.services.webauth import add_member_with_password

    add_member_with_password("Dan Member", "dan", "another passphrase")
    r = Client().post("/login", {"username": "dan", "password": "another passphrase",
                                 "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_a_user_without_a_member_profile_is_refused(db):
    from django.contrib.auth.models import User

    admin = User.objects.create_user("root", password="x" * 12)
    c = Client()
    c.force_login(admin)
    assert c.get("/").status_code == 403
