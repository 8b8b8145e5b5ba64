"""The JSON API: bearer tokens per member, the same services, an OpenAPI schema, and no
server error whatever schemathesis sends."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.store, pytest.mark.django_db]


@pytest.fixture
def tokens(web):
    from netiquette.services.webauth import issue_api_token

    ann, bob = web
    return (ann, {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(ann.actor.member)}"},
            bob, {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(bob.actor.member)}"})


def _json(r):
    return json.loads(r.content)


def test_api_needs_a_token(web):
    from django.test import Client

    c = Client()
    assert c.get("/api/agenda").status_code == 401
    assert c.get("/api/agenda", HTTP_AUTHORIZATION="Bearer nq_wrong").status_code == 401
    ann, _ = web  # a session is not an API token
    assert ann.client.get("/api/agenda").status_code == 401


def test_agenda_cases_people(tokens):
    ann, h, _, _ = tokens
    c = ann.client
    agenda = _json(c.get("/api/agenda", **h))
    assert agenda["total"] == 2 and "send_inquiry" in {i["kind"] for i in agenda["items"]}
    cases = _json(c.get("/api/cases", **h))
    assert {x["id"] for x in cases["items"]} >= {ann.case.id}
    detail = _json(c.get(f"/api/cases/{ann.case.id}", **h))
    assert detail["path"] == "inquire" and detail["events"][0]["kind"] == "opened"
    people = _json(c.get("/api/people?q=stranger", **h))
    assert [p["display_name"] for p in people["items"]] == ["Stranger of Ann"]
    person = _json(c.get(f"/api/people/{ann.person.id}", **h))
    assert person["name"] == "Stranger of Ann" and person["threads"] == []


def test_done_reply_decide_verdict(tokens):
    ann, h, _, _ = tokens
    c, case_id = ann.client, ann.case.id
    post = {"content_type": "application/json", **h}
    r = c.post(f"/api/actions/{ann.action.id}/done", json.dumps({"text": "Have we met?"}),
               **post)
    assert _json(r)["status"] == "done"
    r = c.post(f"/api/cases/{case_id}/reply", json.dumps({"text": "Yes, in Lisbon"}), **post)
    assert _json(r)["state"] == "reply_review"
    r = c.post(f"/api/cases/{case_id}/decide", json.dumps({"path": "converse"}), **post)
    assert _json(r)["path"] == "converse"
    r = c.post(f"/api/cases/{case_id}/verdict", json.dumps({"label": "personal"}), **post)
    assert _json(r)["verdict"] == "personal"
    r = c.post(f"/api/cases/{case_id}/decide", json.dumps({"path": "nowhere"}), **post)
    assert r.status_code == 422
    r = c.post(f"/api/actions/{ann.action.id}/done", json.dumps({}), **post)
    assert r.status_code == 400 and "already done" in _json(r)["detail"]


def test_api_isolation_between_members(tokens):
    ann, ann_h, bob, bob_h = tokens
    post = {"content_type": "application/json"}
    for me, h, other in ((ann, ann_h, bob), (bob, bob_h, ann)):
        c = me.client
        assert c.get(f"/api/cases/{other.case.id}", **h).status_code == 404
        assert c.get(f"/api/people/{other.person.id}", **h).status_code == 404
        for url, body in ((f"/api/cases/{other.case.id}/reply", {"text": "x"}),
                          (f"/api/cases/{other.case.id}/decide", {"path": "decline"}),
                          (f"/api/cases/{other.case.id}/verdict", {"label": "personal"}),
                          (f"/api/actions/{other.action.id}/done", {}),
                          (f"/api/actions/{other.action.id}/draft", {"text": "x"})):
            assert c.post(url, json.dumps(body), **post, **h).status_code == 404, url
        for url in ("/api/agenda", "/api/cases", "/api/people", "/api/cases?state="):
            text = c.get(url, **h).content.decode()
            assert other.person.display_name not in text, url


def test_openapi_schema_lists_the_endpoints(db):
    from django.test import Client

    schema = _json(Client().get("/api/openapi.json"))
    paths = set(schema["paths"])
    assert {"/api/agenda", "/api/cases", "/api/cases/{case_id}", "/api/people",
            "/api/actions/{action_id}/done", "/api/cases/{case_id}/decide",
            "/api/cases/{case_id}/reply", "/api/cases/{case_id}/verdict"} <= paths
