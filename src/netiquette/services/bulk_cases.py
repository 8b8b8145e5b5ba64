"""Opening many cases and moving them along, written in bulk.

An import opens hundreds of cases at once and then applies the inquiries and replies its export
shows. Doing that through :func:`services.invitations.open_case` and :func:`services.cases.advance`
costs a handful of queries per step; :class:`CaseBatch` computes the same steps in memory with the
same pure functions (:func:`domain.cases.apply`, :func:`domain.cases.wanted_actions`,
:func:`services.cases.draft_for`) and writes the resulting rows with a few bulk statements. The
rows are the ones the one-by-one services would write, in the same order (so the same ids).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from netiquette import clock
from netiquette.core.models import Action, Case, Event, Invitation, Message, Person
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.services.cases import draft_for, project, rules_of, state_of
from netiquette.services.import_sql import Adapt, Rows, update_by_id
from netiquette.services.invitations import new_case
from netiquette.services.members import Actor

_CASE_FIELDS = ["state", "path", "outcome", "replies", "call_at", "updated_at", "since",
                "closed_at"]


class CaseBatch:
    """Cases opened (:meth:`open`) and advanced (:meth:`inquiry_sent`, :meth:`reply`,
    :meth:`store_message`) in memory; :meth:`write` stores what is pending. Only for cases
    opened by this batch: their rows are known, so nothing needs reading back."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.rules = rules_of(actor)
        self.invitations: list[Invitation] = []
        self.cases: list[Case] = []
        self.opened: list[Case] = []  # every case this batch opened, written or not
        self.messages: list[Message] = []
        self.actions: list[Action] = []
        self.events: list[tuple[Event, str | None, Action | Message | None]] = []
        self.open_action: dict[int, Action] = {}  # id(case) -> its open action
        self.dirty_cases: dict[int, Case] = {}
        self.dirty_actions: dict[int, Action] = {}
        self.dirty_invitations: dict[int, Invitation] = {}

    # -- opening (services.invitations.open_case) ---------------------------------------

    def open(self, invitation: Invitation) -> Case:
        actor, person = self.actor, invitation.person
        case, facts, choice = new_case(actor, invitation)
        self.invitations.append(invitation)
        self.cases.append(case)
        self.opened.append(case)
        reasons = "; ".join(invitation.verdict_reasons)
        self._advance(case, sm.CaseEvent(sm.OPENED, invitation.sent_at, path=choice.path),
                      reason=f"rule '{choice.rule}': {choice.why}",
                      data={"rule": choice.rule, "verdict": facts["verdict"],
                            "verdict_reasons": reasons, "familiarity": person.familiarity,
                            "messages_before_accept": actor.protocol.messages_before_accept})
        return case

    # -- later steps (services.cases.complete_action / record_reply) ----------------------

    def open_inquiry(self, case: Case) -> Action | None:
        """The case's open ``send_inquiry`` action, if any."""
        action = self.open_action.get(id(case))
        return action if action is not None and action.kind == v.SEND_INQUIRY else None

    def inquiry_sent(self, case: Case, action: Action, text: str, at: datetime,
                     key: str) -> bool:
        """The owner sent the inquiry (as ``complete_action`` with ``text``, then the message
        gets ``key``). True when a message was stored."""
        action.status, action.done_at, action.text = "done", at, text
        self._touch_action(action)
        del self.open_action[id(case)]
        stored = bool(text.strip())
        if stored:
            self.messages.append(Message(
                member=self.actor.member, person=case.person, case=case,
                direction=v.OUTGOING, text=text, at=at, channel=case.invitation.channel,
                external_key=key))
        self._advance(case, sm.CaseEvent(sm.DONE_EVENT[action.kind], at),
                      reason=f"{action.kind} done", ref=("action", action))
        return stored

    def reply(self, case: Case, text: str, at: datetime, key: str) -> None:
        """An incoming message from the case's person (as ``record_reply``)."""
        message = Message(member=self.actor.member, person=case.person, case=case,
                          direction=v.INCOMING, text=text, at=at,
                          channel=case.invitation.channel, external_key=key)
        self.messages.append(message)
        self._advance(case, sm.CaseEvent(sm.REPLY_RECEIVED, at), reason="a reply came in",
                      ref=("message", message))

    def store_message(self, person: Person, case: Case, outgoing: bool, text: str,
                      at: datetime, key: str) -> None:
        self.messages.append(Message(
            member=self.actor.member, person=person, case=case,
            direction=v.OUTGOING if outgoing else v.INCOMING, text=text, at=at,
            channel=v.LINKEDIN, external_key=key))

    # -- services.cases.advance, in memory ------------------------------------------------

    def _advance(self, case: Case, event: sm.CaseEvent, reason: str,
                 data: dict[str, Any] | None = None,
                 ref: tuple[str, Action | Message] | None = None) -> None:
        before = state_of(case) if case.state else None
        after = sm.apply(before, event, self.rules)
        payload = dict(data or {})
        if ref is not None:
            payload[ref[0]] = None  # the row's id, filled in when written
        if event.path:
            payload["path"] = event.path
        if event.call_at:
            payload["call_at"] = event.call_at.isoformat()
        self.events.append((
            Event(member=self.actor.member, case=case, kind=event.kind, at=event.at,
                  recorded_at=clock.now(), actor=self.actor.member.username, reason=reason,
                  data=payload),
            ref[0] if ref else None, ref[1] if ref else None))
        changed = project(case, before, after, event)
        if not after.is_open:
            inv = case.invitation
            if inv.pk is not None:
                self.dirty_invitations[id(inv)] = inv
        if case.pk is not None:
            self.dirty_cases[id(case)] = case
        if changed:
            old = self.open_action.pop(id(case), None)
            if old is not None:
                old.status = "cancelled"
                self._touch_action(old)
            if after.is_open:
                for wanted in sm.wanted_actions(after, self.rules):
                    action = Action(member=self.actor.member, case=case, kind=wanted.kind,
                                    due_at=wanted.due_at,
                                    draft=draft_for(self.actor, case, wanted.kind))
                    self.actions.append(action)
                    self.open_action[id(case)] = action

    def _touch_action(self, action: Action) -> None:
        if action.pk is not None:
            self.dirty_actions[id(action)] = action

    # -- writing --------------------------------------------------------------------------

    def write(self) -> None:
        """Store everything pending: new rows in creation order per table, then updates."""
        w = _writer()
        if self.invitations:
            w.insert_with_ids(w.invitations, self.invitations, lambda i: (
                i.member_id, i.person.pk, i.direction, i.note, w.stamp(i.sent_at), i.channel,
                i.source, i.external_key, i.status, i.verdict, i.verdict_score,
                w.json(Invitation, "verdict_reasons", i.verdict_reasons), i.verdict_label))
        if self.cases:
            w.insert_with_ids(w.cases, self.cases, lambda c: (
                c.member_id, c.invitation.pk, c.person.pk, c.path, c.rule, c.why, c.state,
                c.outcome, c.protocol, w.stamp(c.opened_at), w.stamp(c.since),
                w.stamp(c.updated_at), w.maybe(c.closed_at), w.maybe(c.call_at), c.replies))
        if self.messages:
            w.insert_with_ids(w.messages, self.messages, lambda m: (
                m.member_id, m.person.pk, m.case.pk if m.case else None, m.direction, m.text,
                w.stamp(m.at), m.channel, m.external_key))
        if self.actions:
            w.insert_with_ids(w.actions, self.actions, lambda a: (
                a.member_id, a.case.pk, a.kind, w.stamp(a.due_at), a.draft, a.status,
                w.maybe(a.done_at), a.text))
        if self.events:
            for event, name, row in self.events:
                if name is not None and row is not None:
                    event.data[name] = row.pk
            w.events.insert([(e.member_id, e.case.pk, e.kind, w.stamp(e.at),
                              w.stamp(e.recorded_at), e.actor, e.reason,
                              w.json(Event, "data", e.data)) for e, _n, _r in self.events])
        update_by_id(Invitation, ["status"],
                     ([i.status, i.pk] for i in self.dirty_invitations.values()))
        update_by_id(Case, _CASE_FIELDS, ([
            c.state, c.path, c.outcome, c.replies, w.maybe(c.call_at), w.stamp(c.updated_at),
            w.stamp(c.since), w.maybe(c.closed_at), c.pk] for c in self.dirty_cases.values()))
        update_by_id(Action, ["status", "done_at", "text"], (
            [a.status, w.maybe(a.done_at), a.text, a.pk] for a in self.dirty_actions.values()))
        self.invitations, self.cases, self.messages, self.actions, self.events = [], [], [], [], []
        self.dirty_invitations, self.dirty_cases, self.dirty_actions = {}, {}, {}

    @property
    def pending(self) -> bool:
        return bool(self.invitations or self.cases or self.messages or self.actions
                    or self.events or self.dirty_cases or self.dirty_actions
                    or self.dirty_invitations)


class _Writer:
    """The raw inserts of :meth:`CaseBatch.write` (see :mod:`services.import_sql`)."""

    def __init__(self) -> None:
        self.adapt = Adapt()
        self.stamp = self.adapt.stamp
        self.json = self.adapt.json
        self.invitations = Rows(Invitation, (
            "member", "person", "direction", "note", "sent_at", "channel", "source",
            "external_key", "status", "verdict", "verdict_score", "verdict_reasons",
            "verdict_label"))
        self.cases = Rows(Case, (
            "member", "invitation", "person", "path", "rule", "why", "state", "outcome",
            "protocol", "opened_at", "since", "updated_at", "closed_at", "call_at", "replies"))
        self.messages = Rows(Message, (
            "member", "person", "case", "direction", "text", "at", "channel", "external_key"))
        self.actions = Rows(Action, (
            "member", "case", "kind", "due_at", "draft", "status", "done_at", "text"))
        self.events = Rows(Event, (
            "member", "case", "kind", "at", "recorded_at", "actor", "reason", "data"))

    def maybe(self, value: datetime | None) -> Any:
        return None if value is None else self.stamp(value)

    @staticmethod
    def insert_with_ids(rows: Rows, objs: Sequence[Any], row_of: Callable[[Any], tuple[Any, ...]],
                        ) -> None:
        for obj, pk in zip(objs, rows.insert_returning_ids([row_of(o) for o in objs]),
                           strict=True):
            obj.pk = pk


def _writer() -> _Writer:
    return _Writer()
