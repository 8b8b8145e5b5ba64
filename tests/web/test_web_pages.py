"""Every page renders for its member and shows what it should."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def test_inbox_shows_the_case_verdict_reasons_and_path(web):
    ann, _ = web
    r = ann.client.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Stranger of Ann" in html
    assert "generic" in html and "inquire" in html
    assert ann.case.rule in html
    assert 'data-key="g"' in html


def test_pages_render(web):
    ann, _ = web
    for url in ("/", "/agenda", f"/cases/{ann.case.id}", "/people",
                f"/people/{ann.person.id}", "/stats", "/import", "/settings",
                "/?q=stranger", "/people?q=ann&familiarity=stranger", "/?page=99999999999"):
        r = ann.client.get(url)
        assert r.status_code == 200, url


def test_agenda_edit_then_done(web):
    from netiquette.core.models import Action, Message

    ann, _ = web
    assert "have we met" in ann.client.get("/agenda").content.decode().lower()
    r = ann.client.post(f"/actions/{ann.action.id}/draft", {"draft": "Hello, have we met?",
                                                             "op": "save"})
    assert r.status_code == 302
    ann.action.refresh_from_db()
    assert ann.action.draft == "Hello, have we met?"
    ann.client.post(f"/actions/{ann.action.id}/draft", {"draft": "Hi! Have we met?",
                                                         "op": "done"})
    ann.action.refresh_from_db()
    assert ann.action.status == "done"
    assert Message.objects.filter(case=ann.case, text="Hi! Have we met?").exists()
    assert not Action.objects.filter(case=ann.case, status="open", kind="send_inquiry").exists()


def test_inbox_buttons_move_the_case(web):
    ann, _ = web
    c = ann.case
    ann.client.post(f"/cases/{c.id}/decide", {"path": "converse", "next": "/"})
    c.refresh_from_db()
    assert c.path == "converse"
    ann.client.post(f"/cases/{c.id}/known", {"next": "/"})
    c.person.refresh_from_db()
    assert c.person.familiarity == "known"
    ann.client.post(f"/cases/{c.id}/verdict", {"label": "personal"})
    c.invitation.refresh_from_db()
    assert c.invitation.verdict_label == "personal"
    r = ann.client.post(f"/cases/{c.id}/close", {"next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    c.refresh_from_db()
    assert c.state == "closed"
    assert "Stranger of Ann" not in ann.client.get("/").content.decode()


def test_a_mistake_is_a_message_not_a_crash(web):
    ann, _ = web
    r = ann.client.post(f"/cases/{ann.case.id}/decide", {"path": "nowhere", "next": "/"},
                        follow=True)
    assert r.status_code == 200
    assert "is not a path" in r.content.decode()


def test_unsafe_next_is_ignored(web):
    ann, _ = web
    r = ann.client.post(f"/cases/{ann.case.id}/known", {"next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_person_notes_and_familiarity(web):
    ann, _ = web
    p = ann.person
    ann.client.post(f"/people/{p.id}/notes", {"how_we_met": "Lisbon meetup",
                                              "familiarity": "recognized"})
    p.refresh_from_db()
    assert (p.how_we_met, p.familiarity) == ("Lisbon meetup", "recognized")
    assert "Lisbon meetup" in ann.client.get(f"/people/{p.id}").content.decode()


def test_case_page_records_a_reply(web):
    ann, _ = web
    c = ann.case
    ann.client.post(f"/cases/{c.id}/reply", {"text": "We met in Porto"})
    html = ann.client.get(f"/cases/{c.id}").content.decode()
    assert "We met in Porto" in html and "reply_received" in html


def test_stats_draws_svg_charts(web):
    ann, _ = web
    html = ann.client.get("/stats").content.decode()
    assert html.count("<svg") == 3
    assert "received" in html and "fewer than 10%" in html
    assert "stranger" in html


def test_settings_validate_like_the_cli(web):
    ann, _ = web
    r = ann.client.post("/settings/protocol", {"preset": "have-we-met",
                                               "overrides": "reply_window_days = 'x'"},
                        follow=True)
    assert "reply_window_days" in r.content.decode()
    assert "msg error" in r.content.decode()
    ann.client.post("/settings/protocol", {"preset": "meet-first",
                                           "overrides": "reply_window_days = 10\n"})
    profile = ann.actor.member.profile
    profile.refresh_from_db()
    assert (profile.preset, profile.protocol_overrides) == ("meet-first",
                                                            "reply_window_days = 10\n")
    ann.client.post("/settings/profile", {"display_name": "Ann O.", "signature": "A."})
    profile.refresh_from_db()
    assert (profile.display_name, profile.signature) == ("Ann O.", "A.")


def test_import_page_uploads_an_export_and_shows_its_summary(web):
    from pathlib import Path

    from netiquette.core.models import Case, ImportRun

    ann, bob = web
    html = ann.client.get("/import").content.decode()
    assert 'enctype="multipart/form-data"' in html
    fixture = Path(__file__).parent.parent / "fixtures" / "linkedin" / "modern" / "Invitations.csv"
    before = Case.objects.filter(member=ann.actor.member).count()
    with fixture.open("rb") as f:
        page = ann.client.post("/import", {"file": f, "kind": "linkedin"}).content.decode()
    assert 'id="import-summary"' in page and "<dt>Cases opened</dt>" in page
    assert "Invitations.csv" in page and "netiquette-upload" not in page
    assert Case.objects.filter(member=ann.actor.member).count() > before
    run = ImportRun.objects.filter(member=ann.actor.member).latest("id")
    assert run.source == "Invitations.csv"  # as uploaded, not where the server kept it
    assert not Case.objects.filter(member=bob.actor.member, person__display_name="Dana Fox")


def test_pagination_and_search_filter_in_the_database(web):
    from netiquette import clock
    from netiquette.services.invitations import NewInvitation, receive_invitation

    ann, _ = web
    for i in range(30):
        receive_invitation(ann.actor, NewInvitation(name=f"Zed Number{i:02d}", note="hi",
                                                    at=clock.now()))
    html = ann.client.get("/").content.decode()
    assert "page 1 of 2" in html and "32 open cases" in html
    html = ann.client.get("/?q=number07").content.decode()
    assert "Zed Number07" in html and "Zed Number08" not in html


def test_settings_page_title_is_plain_text(web):
    import re

    ann, _ = web
    html = ann.client.get("/settings").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "<" not in title.group(1) and "Settings" in title.group(1)
    assert html.count('action="/settings/token"') <= 2


def test_rows_cached_by_content_show_a_change_made_elsewhere_at_once(web):
    """The inbox and agenda rows are cached by what they show: a change made outside the web
    app (here by the services the command line uses) is on the very next page."""
    from netiquette import clock
    from netiquette.services.cases import decide_case, edit_draft

    ann, _ = web

    def path_shown() -> str:
        html = ann.client.get("/").content.decode()
        row = html[html.index(f'id="case-{ann.case.id}"'):]
        return row[row.index("Path: <strong>") + 14:row.index("</strong> (")]

    assert "Written in the terminal" not in ann.client.get("/agenda").content.decode()
    assert path_shown() == "inquire"
    edit_draft(ann.actor, ann.action.id, "Written in the terminal")
    assert "Written in the terminal" in ann.client.get("/agenda").content.decode()
    decide_case(ann.actor, ann.case, "converse", clock.now())
    assert path_shown() == "converse"


def test_each_browser_gets_cached_agenda_forms_it_can_post(web):
    """Agenda rows hold forms; two browsers of one member each post with their own token."""
    import re

    from django.test import Client

    ann, _ = web
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for b in browsers:
        b.force_login(ann.actor.member)
        b.get("/agenda")  # the first visit sets the browser's CSRF cookie
    for i, b in enumerate(browsers):
        html = b.get("/agenda").content.decode()
        form = html[html.index(f'action="/actions/{ann.action.id}/draft"'):]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        r = b.post(f"/actions/{ann.action.id}/draft", {
            "csrfmiddlewaretoken": token, "draft": f"draft {i}", "op": "save"})
        assert r.status_code == 302, i
        ann.action.refresh_from_db()
        assert ann.action.draft == f"draft {i}"


def test_long_lists_count_ahead_and_say_there_are_more(web, monkeypatch):
    """Pages count at most COUNT_AHEAD rows past their own; the API counts exactly."""
    from netiquette import clock
    from netiquette.services import browse
    from netiquette.services.invitations import NewInvitation, receive_invitation
    from netiquette.services.webauth import issue_api_token

    ann, _ = web
    for i in range(30):
        receive_invitation(ann.actor, NewInvitation(name=f"Zed Number{i:02d}", note="hi",
                                                    at=clock.now()))
    monkeypatch.setattr(browse, "COUNT_AHEAD", 3)
    html = ann.client.get("/").content.decode()
    assert "25+ open cases" in html and "page 1 of 2+ · 25+ in all" in html
    assert 'rel="next"' in html
    html = ann.client.get("/?page=2").content.decode()
    assert "page 2 of 2" in html and "32 in all" in html and 'rel="next"' not in html
    token = issue_api_token(ann.actor.member)
    body = ann.client.get("/api/cases?state=open",
                          HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["total"] == 32


def test_person_page_shows_counted_conversations_as_text(web):
    from datetime import UTC, datetime

    from netiquette.core.models import Thread

    ann, bob = web
    Thread.objects.create(member=ann.person.member, person=ann.person,
                          external_key="2-abc==", sent=2, received=1,
                          first_at=datetime(2025, 3, 1, tzinfo=UTC),
                          last_at=datetime(2026, 1, 9, tzinfo=UTC))
    html = ann.client.get(f"/people/{ann.person.id}").content.decode()
    assert "3 messages (linkedin): 2 from you, 1 from" in html
    assert "1 Mar 2025" in html and "9 Jan 2026" in html
    assert bob.client.get(f"/people/{ann.person.id}").status_code == 404
