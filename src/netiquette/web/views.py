"""Pages for triage: the inbox, the agenda, cases and people. Views only call services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.services import browse
from netiquette.services.cases import (
    complete_action,
    decide_case,
    edit_draft,
    end_case,
    get_case,
    record_reply,
)
from netiquette.services.history import case_history
from netiquette.services.people import set_familiarity, update_notes
from netiquette.services.verdicts import set_verdict
from netiquette.web.common import (
    action,
    actor_of,
    back,
    fragment_key,
    not_found_is_404,
    now,
)

PATH_KEYS = {"inquire": "i", "converse": "c", "accept": "a", "decline": "d", "review": "r"}
NOTE_LABELS = (("how_we_met", "How we met"), ("can_say", "What I can say about them"),
               ("can_help_them", "How I can help them"),
               ("they_can_help", "How they can help me"), ("notes", "Other notes"))


def inbox(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = browse.inbox_page(request.user, q=q,  # type: ignore[arg-type]
                             number=browse.page_number(request.GET.get("page")),
                             count_ahead=browse.COUNT_AHEAD)
    return render(request, "web/inbox.html", {
        "page": page, "q": q, "paths": [(p, PATH_KEYS[p]) for p in v.PATHS],
        "nav": "inbox", "rows_key": fragment_key(request, page)})


def agenda(request: HttpRequest) -> HttpResponse:
    page = browse.agenda_page(request.user, now(),  # type: ignore[arg-type]
                              number=browse.page_number(request.GET.get("page")),
                              count_ahead=browse.COUNT_AHEAD)
    return render(request, "web/agenda.html", {
        "page": page, "nav": "agenda", "by_hand": {v.LINKEDIN, v.MANUAL},
        "rows_key": fragment_key(request, page, forms=True)})


@not_found_is_404
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    a = actor_of(request)
    history = case_history(a, case_id)
    return render(request, "web/case.html", {
        "c": history, "paths": v.PATHS, "is_open": history["state"] != sm.CLOSED,
        "nav": "inbox"})


def people(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    level = request.GET.get("familiarity", "")
    level = level if level in v.FAMILIARITIES else ""
    page = browse.people_page(request.user, q=q, familiarity=level,  # type: ignore[arg-type]
                              number=browse.page_number(request.GET.get("page")),
                              count_ahead=browse.COUNT_AHEAD)
    return render(request, "web/people.html", {
        "page": page, "q": q, "level": level, "levels": v.FAMILIARITIES, "nav": "people"})


@not_found_is_404
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    p = browse.person_detail(request.user, person_id)  # type: ignore[arg-type]
    notes = [(key, label, p[key]) for key, label in NOTE_LABELS]
    return render(request, "web/person.html", {
        "p": p, "notes": notes, "levels": v.FAMILIARITIES, "nav": "people"})


# --- actions (POST) ------------------------------------------------------------------------

@action
def case_verdict(request: HttpRequest, case_id: int) -> HttpResponse:
    a = actor_of(request)
    set_verdict(a, get_case(a.member, case_id), request.POST.get("label", ""), now())
    return back(request)


@action
def case_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    a = actor_of(request)
    decide_case(a, get_case(a.member, case_id), request.POST.get("path", ""), now(),
                request.POST.get("reason", "")[:500])
    return back(request)


@action
def case_known(request: HttpRequest, case_id: int) -> HttpResponse:
    a = actor_of(request)
    set_familiarity(get_case(a.member, case_id).person, v.KNOWN, now())
    return back(request)


@action
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    a = actor_of(request)
    end_case(a, get_case(a.member, case_id), sm.CLOSED_EV, now(), "closed from the inbox")
    return back(request)


@action
def case_reply(request: HttpRequest, case_id: int) -> HttpResponse:
    a = actor_of(request)
    text = request.POST.get("text", "").strip()
    if text:
        record_reply(a, get_case(a.member, case_id), text, now())
    return back(request, f"/cases/{case_id}")


@action
def action_draft(request: HttpRequest, action_id: int) -> HttpResponse:
    a = actor_of(request)
    text = request.POST.get("draft", "")
    if request.POST.get("op") == "done":
        complete_action(a, action_id, text=text)
    else:
        edit_draft(a, action_id, text)
    return back(request, "/agenda")


@action
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    a = actor_of(request)
    text = request.POST.get("draft")
    complete_action(a, action_id, text=text)
    return back(request, "/agenda")


@action
def person_notes(request: HttpRequest, person_id: int) -> HttpResponse:
    person = browse.get_person_by_id(request.user, person_id)  # type: ignore[arg-type]
    fields = {key: request.POST[key] for key, _ in NOTE_LABELS if key in request.POST}
    update_notes(person, now(), **fields)
    level = request.POST.get("familiarity")
    if level and level != person.familiarity:
        set_familiarity(person, level, now())
    return back(request, f"/people/{person_id}")
