"""Nobody sees another member's data; CSRF, CSP, escaping and cookies hold."""

from __future__ import annotations

import pytest

XSS = "<img src=x onerror=alert(1)>"

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def _get_urls(s) -> list[str]:
    return [f"/cases/{s.case.id}", f"/people/{s.person.id}"]


def _post_urls(s) -> list[tuple[str, dict[str, str]]]:
    c, a, p = s.case.id, s.action.id, s.person.id
    return [
        (f"/cases/{c}/verdict", {"label": "personal"}),
        (f"/cases/{c}/decide", {"path": "decline"}),
        (f"/cases/{c}/known", {}),
        (f"/cases/{c}/close", {}),
        (f"/cases/{c}/reply", {"text": "hello"}),
        (f"/actions/{a}/draft", {"draft": "mine", "op": "save"}),
        (f"/actions/{a}/draft", {"draft": "mine", "op": "done"}),
        (f"/actions/{a}/done", {"draft": "mine"}),
        (f"/people/{p}/notes", {"how_we_met": "stolen", "familiarity": "known"}),
    ]


def test_neither_member_sees_or_touches_the_others_data(web):
    from netiquette.core.models import Action, Case, Person

    ann, bob = web
    for me, other in ((ann, bob), (bob, ann)):
        for url in _get_urls(other):
            assert me.client.get(url).status_code == 404, url
        for url, data in _post_urls(other):
            assert me.client.post(url, data).status_code == 404, url
        for url in ("/", "/agenda", "/people", "/stats", "/settings", "/people?q=stranger"):
            html = me.client.get(url).content.decode()
            assert other.person.display_name not in html, url
            assert other.actor.profile.display_name not in html, url
    # nothing of the other member changed
    for s in (ann, bob):
        case = Case.objects.get(id=s.case.id)
        assert (case.path, case.state) == ("inquire", "to_inquire")
        assert Action.objects.get(id=s.action.id).status == "open"
        assert Person.objects.get(id=s.person.id).how_we_met == ""


def test_every_page_needs_a_signed_in_member(db):
    from django.test import Client

    c = Client()
    for url in ("/", "/agenda", "/cases/1", "/people", "/people/1", "/stats", "/import",
                "/settings"):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login?next="), url
    assert c.post("/cases/1/close").status_code == 302
    assert c.get("/login").status_code == 200


def test_a_post_without_a_csrf_token_is_refused(web):
    from django.test import Client

    ann, _ = web
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ann.actor.member)
    for url, data in _post_urls(ann):
        assert strict.post(url, data).status_code == 403, url
    for url, data in (("/settings/profile", {"display_name": "X"}),
                      ("/settings/protocol", {"overrides": ""}), ("/logout", {}),
                      ("/login", {"username": "a", "password": "b"}), ("/import", {})):
        assert strict.post(url, data).status_code == 403, url
    # with the token from the page, the same POST goes through
    strict.get("/")
    token = strict.cookies["netiquette_csrftoken"].value
    r = strict.post(f"/cases/{ann.case.id}/known", {"csrfmiddlewaretoken": token})
    assert r.status_code == 302


def test_csp_header_allows_no_inline_script(web):
    ann, _ = web
    r = ann.client.get("/")
    csp = r["Content-Security-Policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in csp
    assert "<script>" not in r.content.decode()
    assert r["X-Frame-Options"] == "DENY"


def test_stranger_text_is_escaped_everywhere(web):
    from netiquette.core.models import Person

    ann, _ = web
    evil = Person.objects.get(member=ann.actor.member, display_name__startswith="<img")
    ann.client.post(f"/people/{evil.id}/notes", {"how_we_met": XSS, "can_say": "</textarea>"
                                                 + XSS})
    case = evil.cases.get()
    ann.client.post(f"/cases/{case.id}/reply", {"text": XSS})
    for url in ("/", "/agenda", "/people", f"/people/{evil.id}", f"/cases/{case.id}",
                "/?q=img"):
        html = ann.client.get(url).content.decode()
        assert XSS not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url


def test_session_cookie_is_httponly_and_lax(db):
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_huge_ids_are_404_not_500(web):
    ann, _ = web
    assert ann.client.get("/cases/99999999999999999999999").status_code == 404
    assert ann.client.post("/cases/99999999999999999999999/close").status_code == 404
