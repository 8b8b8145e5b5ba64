"""The JSON API under ``/api`` (django-ninja, OpenAPI at ``/api/openapi.json``): the same
service functions as the command line, signed in with a member's bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.security import HttpBearer

from netiquette import clock
from netiquette.errors import NotFound, UserError
from netiquette.services import browse, webauth
from netiquette.services.cases import (
    complete_action,
    decide_case,
    edit_draft,
    get_case,
    record_reply,
)
from netiquette.services.history import case_history
from netiquette.services.members import Actor
from netiquette.services.verdicts import set_verdict
from netiquette.web import api_schemas as s

MAX_ID = 2**62
Id = Path(..., ge=1, le=MAX_ID)
PageNo = Query(1, ge=1, le=browse.MAX_PAGE)
Search = Query("", max_length=100)
PER_PAGE = 50


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if "\x00" in token:
            return None
        return webauth.member_for_api_token(token)


api = NinjaAPI(title="netiquette API", version="1", auth=TokenAuth(), docs_url=None,
               urls_namespace="api",
               description="Your invitations, cases, agenda and people. Authenticate with "
               "`Authorization: Bearer <token>` (create one on the settings page).")


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _actor(request: HttpRequest) -> Actor:
    return Actor(request.auth)  # type: ignore[attr-defined]


def _page(page: browse.Page) -> dict[str, Any]:
    return {"page": page.number, "per_page": page.per_page, "total": page.total,
            "pages": page.pages, "items": page.items}


def _clean_query(text: str) -> str:
    return text.replace("\x00", "")


ERRORS: dict[int, type] = {400: s.Error, 404: s.Error}


@api.get("/agenda", response=s.AgendaPage, summary="The actions due now")
def agenda(request: HttpRequest, page: int = PageNo) -> dict[str, Any]:
    return _page(browse.agenda_page(_actor(request).member, clock.now(), page, PER_PAGE))


@api.get("/cases", response=s.CasePage, summary="Cases, newest first")
def cases(request: HttpRequest, state: str = Query("open", max_length=20),
          q: str = Search, page: int = PageNo) -> dict[str, Any]:
    return _page(browse.cases_page(_actor(request).member, state=_clean_query(state),
                                   q=_clean_query(q), number=page, per_page=PER_PAGE))


@api.get("/cases/{case_id}", response={200: s.CaseDetail, 404: s.Error},
         summary="A case with its timeline")
def case(request: HttpRequest, case_id: int = Id) -> dict[str, Any]:
    return case_history(_actor(request), case_id)


@api.post("/cases/{case_id}/reply", response={200: s.CaseDetail, **ERRORS},
          summary="Record the person's reply")
def reply(request: HttpRequest, body: s.ReplyIn, case_id: int = Id) -> dict[str, Any]:
    a = _actor(request)
    record_reply(a, get_case(a.member, case_id), body.text, clock.now())
    return case_history(a, case_id)


@api.post("/cases/{case_id}/decide", response={200: s.CaseDetail, **ERRORS},
          summary="Set the case's path")
def decide(request: HttpRequest, body: s.DecideIn, case_id: int = Id) -> dict[str, Any]:
    a = _actor(request)
    decide_case(a, get_case(a.member, case_id), body.path, clock.now(), body.reason)
    return case_history(a, case_id)


@api.post("/cases/{case_id}/verdict", response={200: s.CaseDetail, **ERRORS},
          summary="Label the note generic or personal (the classifier learns from it)")
def verdict(request: HttpRequest, body: s.VerdictIn, case_id: int = Id) -> dict[str, Any]:
    a = _actor(request)
    set_verdict(a, get_case(a.member, case_id), body.label, clock.now())
    return case_history(a, case_id)


@api.post("/actions/{action_id}/done", response={200: s.ActionOut, **ERRORS},
          summary="Mark an action done (with the text actually sent)")
def done(request: HttpRequest, body: s.DoneIn, action_id: int = Id) -> dict[str, Any]:
    action = complete_action(_actor(request), action_id, text=body.text)
    return {"id": action.id, "kind": action.kind, "status": action.status,
            "case": action.case_id}


@api.post("/actions/{action_id}/draft", response={200: s.ActionOut, **ERRORS},
          summary="Replace an open action's draft")
def draft(request: HttpRequest, body: s.DraftIn, action_id: int = Id) -> dict[str, Any]:
    action = edit_draft(_actor(request), action_id, body.text)
    return {"id": action.id, "kind": action.kind, "status": action.status,
            "case": action.case_id}


@api.get("/people", response=s.PeoplePage, summary="People, by name")
def people(request: HttpRequest, q: str = Search,
           familiarity: str = Query("", max_length=20), page: int = PageNo) -> dict[str, Any]:
    return _page(browse.people_page(_actor(request).member, q=_clean_query(q),
                                    familiarity=_clean_query(familiarity), number=page,
                                    per_page=PER_PAGE))


@api.get("/people/{person_id}", response={200: s.PersonDetail, 404: s.Error},
         summary="A person with private notes and cases")
def person(request: HttpRequest, person_id: int = Id) -> dict[str, Any]:
    return browse.person_detail(_actor(request).member, person_id)
