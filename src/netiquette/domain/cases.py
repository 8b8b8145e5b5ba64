"""A case's life as a pure state machine: ``apply(state, event) -> state``.

The state of a case is the fold of its events (:func:`replay`); the store keeps the result in the
case row so queries stay fast. The actions a state wants open follow from the state alone
(:func:`wanted_actions`), so the agenda never disagrees with the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from netiquette.domain import vocabulary as v
from netiquette.errors import IllegalTransition

# states
TO_INQUIRE = "to_inquire"
AWAITING_REPLY = "awaiting_reply"
REPLY_REVIEW = "reply_review"
TO_PROPOSE_CALL = "to_propose_call"
CALL_PROPOSED = "call_proposed"
CALL_SCHEDULED = "call_scheduled"
TO_ACCEPT = "to_accept"
TO_FOLLOW_UP = "to_follow_up"
TO_DECLINE = "to_decline"
TO_REVIEW = "to_review"
CLOSED = "closed"
STATES = (
    TO_INQUIRE, AWAITING_REPLY, REPLY_REVIEW, TO_PROPOSE_CALL, CALL_PROPOSED, CALL_SCHEDULED,
    TO_ACCEPT, TO_FOLLOW_UP, TO_DECLINE, TO_REVIEW, CLOSED,
)
OUTCOMES = ("accepted", "declined", "withdrawn", "closed")

START = {
    v.INQUIRE: TO_INQUIRE,
    v.CONVERSE: TO_PROPOSE_CALL,
    v.ACCEPT: TO_ACCEPT,
    v.DECLINE: TO_DECLINE,
    v.REVIEW: TO_REVIEW,
}

# event kinds
OPENED = "opened"
INQUIRY_SENT = "inquiry_sent"
REPLY_RECEIVED = "reply_received"
DECIDED = "decided"
CALL_PROPOSED_EV = "call_proposed"
CALL_SCHEDULED_EV = "call_scheduled"
CALL_HELD = "call_held"
ACCEPTED = "accepted"
FOLLOWUP_SENT = "followup_sent"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
CLOSED_EV = "closed"
EVENT_KINDS = (
    OPENED, INQUIRY_SENT, REPLY_RECEIVED, DECIDED, CALL_PROPOSED_EV, CALL_SCHEDULED_EV,
    CALL_HELD, ACCEPTED, FOLLOWUP_SENT, DECLINED, WITHDRAWN, CLOSED_EV,
)

#: which event completing an action of each kind records
DONE_EVENT = {
    v.SEND_INQUIRY: INQUIRY_SENT,
    v.PROPOSE_CALL: CALL_PROPOSED_EV,
    v.ACCEPT: ACCEPTED,
    v.SEND_FOLLOWUP: FOLLOWUP_SENT,
    v.DECLINE: DECLINED,
}

_CALL_STATES = (TO_PROPOSE_CALL, CALL_PROPOSED, CALL_SCHEDULED)


@dataclass(frozen=True)
class CaseEvent:
    kind: str
    at: datetime
    path: str | None = None  # for opened / decided
    call_at: datetime | None = None  # for call_scheduled


@dataclass(frozen=True)
class Rules:
    """The protocol's numbers that the state machine needs."""

    reply_window_days: int = 7
    messages_before_accept: int = 0  # > 0: a conversation by messages instead of a call


@dataclass(frozen=True)
class CaseState:
    state: str
    path: str
    outcome: str = ""
    replies: int = 0
    since: datetime | None = None  # when the current state began
    call_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state != CLOSED


def _refuse(state: CaseState | None, event: CaseEvent, hint: str = "") -> IllegalTransition:
    where = "a case not yet opened" if state is None else f"a case in state '{state.state}'"
    msg = f"cannot record '{event.kind}' on {where}"
    return IllegalTransition(msg + (f": {hint}" if hint else ""))


def _enter(state: CaseState, new: str, at: datetime, **changes: object) -> CaseState:
    return replace(state, state=new, since=at, **changes)  # type: ignore[arg-type]


def apply(state: CaseState | None, event: CaseEvent, rules: Rules = Rules()) -> CaseState:
    """The state after ``event``; raises IllegalTransition when the step is not allowed."""
    kind, at = event.kind, event.at
    if state is None:
        if kind != OPENED or event.path not in START:
            raise _refuse(state, event)
        return CaseState(state=START[event.path], path=event.path, since=at)
    if not state.is_open:
        raise _refuse(state, event, f"the case is closed ({state.outcome})")
    s = state.state
    if kind == INQUIRY_SENT and s == TO_INQUIRE:
        return _enter(state, AWAITING_REPLY, at)
    if kind == REPLY_RECEIVED:
        return _on_reply(state, at, rules)
    if kind == DECIDED and event.path in START:
        return _enter(state, START[event.path], at, path=event.path, call_at=None)
    if kind == CALL_PROPOSED_EV and s == TO_PROPOSE_CALL:
        return _enter(state, CALL_PROPOSED, at)
    if kind == CALL_SCHEDULED_EV and s in _CALL_STATES and event.call_at is not None:
        return _enter(state, CALL_SCHEDULED, at, call_at=event.call_at)
    if kind == CALL_HELD and s in _CALL_STATES:
        return _enter(state, TO_ACCEPT, at)
    if kind == ACCEPTED and s == TO_ACCEPT:
        return _enter(state, TO_FOLLOW_UP, at)
    if kind == FOLLOWUP_SENT and s == TO_FOLLOW_UP:
        return _enter(state, CLOSED, at, outcome="accepted")
    if kind == DECLINED and s in (TO_DECLINE, AWAITING_REPLY):
        return _enter(state, CLOSED, at, outcome="declined")
    if kind == WITHDRAWN:
        return _enter(state, CLOSED, at, outcome="withdrawn")
    if kind == CLOSED_EV:
        return _enter(state, CLOSED, at, outcome="closed")
    raise _refuse(state, event, _hint(s))


def _on_reply(state: CaseState, at: datetime, rules: Rules) -> CaseState:
    replies = state.replies + 1
    if state.state in (TO_INQUIRE, AWAITING_REPLY):
        return _enter(state, REPLY_REVIEW, at, replies=replies)
    if (
        state.state in _CALL_STATES
        and rules.messages_before_accept
        and replies >= rules.messages_before_accept
    ):
        return _enter(state, TO_ACCEPT, at, replies=replies)
    return replace(state, replies=replies)


def _hint(state: str) -> str:
    return {
        TO_INQUIRE: "the inquiry has not been sent yet",
        AWAITING_REPLY: "waiting for a reply to the inquiry",
        REPLY_REVIEW: "a reply is waiting for your decision (netiquette decide)",
        TO_REVIEW: "the case is waiting for your decision (netiquette decide)",
        TO_PROPOSE_CALL: "propose a call first",
        CALL_PROPOSED: "the call is proposed; schedule it or record it as held",
        CALL_SCHEDULED: "the call is scheduled; record it as held",
        TO_ACCEPT: "the invitation is to be accepted first",
        TO_FOLLOW_UP: "the follow-up is due",
        TO_DECLINE: "the invitation is to be declined",
    }.get(state, "")


def replay(events: Iterable[CaseEvent], rules: Rules = Rules()) -> CaseState | None:
    """The state that follows from a case's events, in order."""
    state: CaseState | None = None
    for event in events:
        state = apply(state, event, rules)
    return state


@dataclass(frozen=True)
class WantedAction:
    kind: str
    due_at: datetime


def wanted_actions(state: CaseState, rules: Rules = Rules()) -> list[WantedAction]:
    """The actions that should be open in ``state`` (at most one)."""
    at = state.since
    assert at is not None
    if state.state == AWAITING_REPLY:
        return [WantedAction(v.DECLINE, at + timedelta(days=rules.reply_window_days))]
    kind = _ACTION_OF.get(state.state)
    return [WantedAction(kind, at)] if kind else []


#: the action each state wants (but awaiting_reply, whose decline waits for the reply window)
_ACTION_OF = {
    TO_INQUIRE: v.SEND_INQUIRY,
    REPLY_REVIEW: v.REVIEW,
    TO_REVIEW: v.REVIEW,
    TO_PROPOSE_CALL: v.PROPOSE_CALL,
    TO_ACCEPT: v.ACCEPT,
    TO_FOLLOW_UP: v.SEND_FOLLOWUP,
    TO_DECLINE: v.DECLINE,
}
