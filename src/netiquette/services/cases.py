"""Moving cases along their paths. Every transition goes through :func:`advance`, which writes
the event, updates the case row and replaces the open actions with the ones the new state wants."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from netiquette import clock
from netiquette.core.models import Action, Case, Conversation, Event, Message
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.domain.drafts import DraftFacts, render
from netiquette.errors import NotFound, UserError
from netiquette.services.members import Actor
from netiquette.services.people import raise_familiarity

INVITATION_STATUS = {"accepted": "accepted", "declined": "declined", "withdrawn": "withdrawn",
                     "closed": "ignored"}


def rules_of(actor: Actor) -> sm.Rules:
    p = actor.protocol
    return sm.Rules(p.reply_window_days, p.messages_before_accept)


def cases_of(member: User) -> QuerySet[Case]:
    return Case.objects.filter(member=member)


def get_case(member: User, case_id: int | str) -> Case:
    try:
        number = int(case_id)
    except (TypeError, ValueError):
        raise NotFound(f"case '{case_id}' is not a case number") from None
    case = cases_of(member).select_related("person", "invitation").filter(id=number).first()
    if case is None:
        raise NotFound(f"no case {number}")
    return case


def state_of(case: Case) -> sm.CaseState:
    return sm.CaseState(state=case.state, path=case.path, outcome=case.outcome,
                        replies=case.replies, since=case.since, call_at=case.call_at)


def draft_for(actor: Actor, case: Case, kind: str) -> str:
    person = case.person
    facts = DraftFacts(
        name=person.display_name, first_name=person.first_name, company=person.company,
        position=person.position, how_we_met=person.how_we_met, their_note=case.invitation.note,
        can_help_them=person.can_help_them, they_can_help=person.they_can_help,
        familiarity=person.familiarity, my_name=actor.profile.display_name,
        signature=actor.profile.signature,
        call_at=case.call_at.strftime("%A %d %B, %H:%M UTC") if case.call_at else "",
    )
    return render(kind, facts, actor.protocol)


def project(case: Case, before: sm.CaseState | None, after: sm.CaseState,
            event: sm.CaseEvent) -> bool:
    """Copy ``after`` onto the case row (and a closed case's invitation status, unsaved);
    returns whether the state or path changed, i.e. whether the open actions must change."""
    case.state, case.path, case.outcome = after.state, after.path, after.outcome
    case.replies, case.call_at = after.replies, after.call_at
    case.updated_at = event.at
    changed = before is None or (before.state, before.path) != (after.state, after.path)
    if changed:
        case.since = after.since or event.at
    if not after.is_open:
        case.closed_at = event.at
        case.invitation.status = INVITATION_STATUS[after.outcome]
    return changed


def advance(actor: Actor, case: Case, event: sm.CaseEvent, reason: str = "",
            data: dict[str, Any] | None = None) -> Case:
    """Apply ``event`` to ``case`` (refusing illegal steps) and record it."""
    with transaction.atomic():
        before = state_of(case) if case.state else None
        rules = rules_of(actor)
        after = sm.apply(before, event, rules)
        payload = dict(data or {})
        # the rule a replay needs to take this step the same way, should the protocol change
        payload.setdefault("messages_before_accept", rules.messages_before_accept)
        if event.path:
            payload["path"] = event.path
        if event.call_at:
            payload["call_at"] = event.call_at.isoformat()
        Event.objects.create(member=actor.member, case=case, kind=event.kind, at=event.at,
                             recorded_at=clock.now(), actor=actor.member.username,
                             reason=reason, data=payload)
        changed = project(case, before, after, event)
        if not after.is_open:
            case.invitation.save(update_fields=["status"])
        case.save()
        if changed:
            _replace_actions(actor, case, after)
    return case


def _replace_actions(actor: Actor, case: Case, state: sm.CaseState) -> None:
    Action.objects.filter(case=case, status="open").update(status="cancelled")
    if not state.is_open:
        return
    for wanted in sm.wanted_actions(state, rules_of(actor)):
        Action.objects.create(member=actor.member, case=case, kind=wanted.kind,
                              due_at=wanted.due_at, draft=draft_for(actor, case, wanted.kind))


def get_action(member: User, action_id: int | str) -> Action:
    try:
        number = int(action_id)
    except (TypeError, ValueError):
        raise NotFound(f"action '{action_id}' is not an action number") from None
    action = (Action.objects.filter(member=member, id=number)
              .select_related("case__person", "case__invitation").first())
    if action is None:
        raise NotFound(f"no action {number}")
    return action


def edit_draft(actor: Actor, action_id: int | str, text: str) -> Action:
    """Replace an open action's draft with the owner's own words."""
    action = get_action(actor.member, action_id)
    if action.status != "open":
        raise UserError(f"action {action.id} is already {action.status}")
    action.draft = text
    action.save(update_fields=["draft"])
    return action


def complete_action(actor: Actor, action_id: int | str, text: str | None = None,
                    at: datetime | None = None, external_key: str | None = None) -> Action:
    """The owner did ``action`` (perhaps with edited text); the case moves on."""
    at = at or clock.now()
    with transaction.atomic():
        action = get_action(actor.member, action_id)
        if action.status != "open":
            raise UserError(f"action {action.id} is already {action.status}")
        if action.kind == v.REVIEW:
            raise UserError(f"action {action.id} is a review: decide the case with "
                            f"netiquette decide {action.case_id} PATH "
                            f"({', '.join(v.PATHS)})")
        sent = text if text is not None else action.draft
        action.status, action.done_at, action.text = "done", at, sent
        action.save(update_fields=["status", "done_at", "text"])
        case = action.case
        if sent.strip():
            Message.objects.create(member=actor.member, person=case.person, case=case,
                                   direction=v.OUTGOING, text=sent, at=at,
                                   channel=case.invitation.channel,
                                   external_key=external_key)
        # the action row is already done, so advance's cancel leaves it as it is
        advance(actor, case, sm.CaseEvent(sm.DONE_EVENT[action.kind], at),
                reason=f"{action.kind} done", data={"action": action.id})
    return action


def record_reply(actor: Actor, case: Case, text: str, at: datetime,
                 external_key: str | None = None) -> Message:
    """An incoming message from the case's person."""
    if not case.state or case.state == sm.CLOSED:
        raise UserError(f"case {case.id} is closed; a reply no longer moves it")
    with transaction.atomic():
        message = Message.objects.create(member=actor.member, person=case.person, case=case,
                                         direction=v.INCOMING, text=text, at=at,
                                         channel=case.invitation.channel,
                                         external_key=external_key)
        advance(actor, case, sm.CaseEvent(sm.REPLY_RECEIVED, at), reason="a reply came in",
                data={"message": message.id})
    return message


def open_case_of(member: User, person_id: int) -> Case | None:
    return (cases_of(member).filter(person_id=person_id).exclude(state=sm.CLOSED)
            .select_related("person", "invitation").order_by("-opened_at", "-id").first())


def decide_case(actor: Actor, case: Case, path: str, at: datetime, reason: str = "") -> Case:
    """The owner sets the case's path (after a review, or to change course)."""
    if path not in v.PATHS:
        raise UserError(f"'{path}' is not a path (choose one of {', '.join(v.PATHS)})")
    if (path == v.ACCEPT and actor.protocol.accept_requires_conversation
            and case.person.familiarity != v.KNOWN
            and not case.conversations.filter(held_at__isnull=False).exists()):
        raise UserError(f"the {actor.protocol.name} protocol accepts nobody but the known "
                        "without a held conversation: choose converse")
    return advance(actor, case, sm.CaseEvent(sm.DECIDED, at, path=path),
                   reason=reason or f"you chose {path}")


def schedule_call(actor: Actor, case: Case, call_at: datetime, at: datetime) -> Case:
    with transaction.atomic():
        advance(actor, case, sm.CaseEvent(sm.CALL_SCHEDULED_EV, at, call_at=call_at),
                reason="call scheduled")
        Conversation.objects.create(member=actor.member, case=case, person=case.person,
                                    scheduled_at=call_at)
    return case


def record_call_held(actor: Actor, case: Case, at: datetime, notes: str = "") -> Case:
    """The conversation took place: the person is now acquainted, notes kept."""
    with transaction.atomic():
        advance(actor, case, sm.CaseEvent(sm.CALL_HELD, at), reason="call held")
        conv = case.conversations.filter(held_at__isnull=True).order_by("-id").first()
        if conv is None:
            conv = Conversation(member=actor.member, case=case, person=case.person)
        conv.held_at, conv.notes = at, notes
        conv.save()
        person = case.person
        if notes:
            person.can_say = (person.can_say + "\n" + notes).strip()
            person.save(update_fields=["can_say"])
        raise_familiarity(person, v.ACQUAINTED, at)
    return case


def end_case(actor: Actor, case: Case, kind: str, at: datetime, reason: str = "") -> Case:
    """Close a case because the invitation was withdrawn or the owner closed it."""
    if kind not in (sm.WITHDRAWN, sm.CLOSED_EV):
        raise ValueError(kind)
    return advance(actor, case, sm.CaseEvent(kind, at), reason=reason or kind)


def replay_state(case: Case) -> sm.CaseState | None:
    """Rebuild a case's state from its events (the case row must agree). Each event is
    applied under the rules it was recorded with (events from before they were recorded
    take the rules of the case's opening)."""
    state: sm.CaseState | None = None
    mba = 0
    for e in case.events.order_by("id"):
        mba = int(e.data.get("messages_before_accept", mba))
        call_at = e.data.get("call_at")
        event = sm.CaseEvent(e.kind, e.at, path=e.data.get("path"),
                             call_at=clock.parse_time(call_at) if call_at else None)
        state = sm.apply(state, event, sm.Rules(messages_before_accept=mba))
    return state
