"""Signing in: single-use expiring links, passwords with throttling, sign-out."""

from __future__ import annotations

import json
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


def test_an_invited_member_chooses_a_password_through_the_link(cli, clock):
    """The administrator invites from the command line; the member opens the link, chooses
    a password, is signed in, and later signs in with it. The link works once, and opening
    it (a link preview) does not use it up."""
    r = cli("member", "invite", "Dana Invited", "--username", "dana", "--json")
    assert r.exit_code == 0, r.output
    invitation = json.loads(r.output)
    path = invitation["link"].split("8765", 1)[1]
    token = path.split("token=", 1)[1]
    c = Client()
    page = c.get(path)
    assert page.status_code == 200 and "Dana Invited" in page.content.decode()
    assert Client().get(f"/login?token={token}").status_code == 403  # not a sign-in link
    assert c.get("/").status_code == 302  # not signed in by merely opening the link
    weak = c.post("/welcome", {"token": token, "password": "1234567890",
                               "again": "1234567890"})
    assert weak.status_code == 400 and "entirely numeric" in weak.content.decode()
    differ = c.post("/welcome", {"token": token, "password": "blue canyon river",
                                 "again": "blue canyon rivers"})
    assert differ.status_code == 400 and "differ" in differ.content.decode()
    r = c.post("/welcome", {"token": token, "password": "blue canyon river",
                            "again": "blue canyon river"})
    assert r.status_code == 302 and c.get("/").status_code == 200
    assert Client().get(path).status_code == 403  # used up
    again = Client()
    r = again.post("/login", {"username": "dana", "password": "blue canyon river"})
    assert r.status_code == 302
    listed = json.loads(cli("member", "list", "--json").output)
    assert [(m["username"], m["password"]) for m in listed] == [("dana", True)]


def test_a_reset_link_sets_a_new_password_and_expires(cli, clock):
    from netiquette.services.webauth import add_member_with_password

    add_member_with_password("Eli Member", "eli", "first long passphrase")
    assert cli("member", "reset", "nobody").exit_code == 2
    link = json.loads(cli("member", "reset", "eli", "--json").output)["link"]
    path = link.split("8765", 1)[1]
    clock("2026-03-09T09:00:00+00:00")  # eight days later: past the week a link lives
    assert Client().get(path).status_code == 403
    link = json.loads(cli("member", "reset", "eli", "--json").output)["link"]
    path = link.split("8765", 1)[1]
    token = path.split("token=", 1)[1]
    c = Client()
    assert c.post("/welcome", {"token": token, "password": "second long passphrase",
                               "again": "second long passphrase"}).status_code == 302
    assert Client().post("/login", {"username": "eli", "password": "first long passphrase"}
                         ).status_code == 401
    assert Client().post("/login", {"username": "eli", "password": "second long passphrase"}
                         ).status_code == 302


def test_inviting_a_taken_username_changes_nothing(cli):
    from django.contrib.auth.models import User

    assert cli("member", "invite", "Fay One", "--username", "fay").exit_code == 0
    r = cli("member", "invite", "Fay Two", "--username", "fay")
    assert r.exit_code == 2 and "taken" in r.output
    assert User.objects.count() == 1
