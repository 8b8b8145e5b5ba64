"""Opening many cases and moving them along, written in bulk.

An import opens thousands of cases at once and then applies the inquiries and replies its
export shows. Doing that through :func:`services.invitations.open_case` and
:func:`services.cases.advance` costs a handful of queries per step; :class:`CaseBatch` computes
the same steps in memory with the same functions (:func:`domain.cases.apply`,
:func:`domain.cases.wanted_actions`, :func:`services.invitations.facts_of`,
:func:`services.cases.project` and :func:`services.cases.draft_for`) and writes the resulting
rows with a few plain-SQL statements (:mod:`.import_sql`). The rows are the ones the one-by-one
services would write, in the same order (so the same ids).

The rows live in memory as small slotted objects (:class:`NewCase` and friends) with the
attributes those functions read and set, not as model instances (a tenth of the memory and
of the time to make).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model

from netiquette import clock
from netiquette.core.models import Action, Case, Event, Invitation, Message, Person
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.domain.protocol import PathChooser
from netiquette.services.cases import draft_for, project, rules_of, state_of
from netiquette.services.import_sql import Adapt, Rows, column, select, table, update_by_id
from netiquette.services.members import Actor
from netiquette.services.rows import as_datetime, as_json

WRITE_EVERY = 1000  # opened cases held in memory before they are written
_CASE_FIELDS = ["state", "path", "outcome", "replies", "call_at", "updated_at", "since",
                "closed_at"]
class PersonFacts(NamedTuple):
    """A person as a case's path choice and drafts see them (a tuple: one is made for every
    person an import opens a case for)."""

    pk: int
    display_name: str
    first_name: str
    company: str
    position: str
    how_we_met: str
    can_help_them: str
    they_can_help: str
    familiarity: str


#: what drafts and path choice read of a person
PERSON_FACTS = PersonFacts._fields[1:]


def load_people(member_id: int, ids: Sequence[int]) -> dict[int, PersonFacts]:
    """The :class:`PersonFacts` of the member's people ``ids``."""
    found: dict[int, PersonFacts] = {}
    ids = sorted(set(ids))
    cols = ", ".join(column(Person, f) for f in PERSON_FACTS)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        # by id alone, the member checked here: with the member in the query, SQLite (which
        # knows nothing of how many people a member has) read all of them through the
        # member's index for every chunk, 6 ms each
        for pk, member, *facts in select(
                f"SELECT id, {column(Person, 'member')}, {cols} FROM {table(Person)} "
                f"WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk):
            if member == member_id:
                found[pk] = PersonFacts(pk, *facts)
    return found


class NewInvitation:
    __slots__ = ("pk", "person", "note", "sent_at", "channel", "source", "external_key",
                 "status", "verdict", "verdict_score", "verdict_reasons", "verdict_label")
    direction = v.INCOMING

    def __init__(self, person: PersonFacts, note: str, sent_at: datetime, channel: str,
                 source: str, external_key: str | None, verdict: str, verdict_score: float,
                 verdict_reasons: list[str]) -> None:
        self.pk: int | None = None
        self.person, self.note, self.sent_at, self.channel = person, note, sent_at, channel
        self.source, self.external_key, self.status = source, external_key, "pending"
        self.verdict, self.verdict_score = verdict, verdict_score
        self.verdict_reasons, self.verdict_label = verdict_reasons, ""


class NewCase:
    """A case row (as :func:`services.invitations.new_case` makes it)."""

    __slots__ = ("pk", "person", "invitation", "path", "rule", "why", "state", "outcome",
                 "protocol", "opened_at", "since", "updated_at", "closed_at", "call_at",
                 "replies")

    def __init__(self, invitation: NewInvitation, path: str, rule: str, why: str,
                 protocol: str) -> None:
        self.pk: int | None = None
        self.person, self.invitation = invitation.person, invitation
        self.path, self.rule, self.why, self.protocol = path, rule, why, protocol
        self.state, self.outcome, self.replies = "", "", 0
        self.opened_at = self.since = self.updated_at = invitation.sent_at
        self.closed_at: datetime | None = None
        self.call_at: datetime | None = None


class NewAction:
    __slots__ = ("pk", "case", "kind", "due_at", "draft", "status", "done_at", "text")

    def __init__(self, case: NewCase, kind: str, due_at: datetime, draft: str) -> None:
        self.pk: int | None = None
        self.case, self.kind, self.due_at, self.draft = case, kind, due_at, draft
        self.status, self.text = "open", ""
        self.done_at: datetime | None = None


class NewMessage:
    __slots__ = ("pk", "person", "case", "direction", "text", "at", "channel", "external_key")

    def __init__(self, person: PersonFacts, case: NewCase, direction: str, text: str,
                 at: datetime, channel: str, external_key: str) -> None:
        self.pk: int | None = None
        self.person, self.case, self.direction, self.text = person, case, direction, text
        self.at, self.channel, self.external_key = at, channel, external_key


class NewEvent:
    """An event row; ``ref`` names the row (action or message) whose id its data records,
    known once that row is written."""

    __slots__ = ("case", "kind", "at", "recorded_at", "reason", "data", "ref")

    def __init__(self, case: NewCase, kind: str, at: datetime, recorded_at: datetime,
                 reason: str, data: dict[str, Any],
                 ref: tuple[str, NewAction | NewMessage] | None) -> None:
        self.case, self.kind, self.at, self.recorded_at = case, kind, at, recorded_at
        self.reason, self.data, self.ref = reason, data, ref


def _as_case(case: NewCase) -> Case:
    """For the services' helpers, which read and set only the attributes NewCase has."""
    return cast(Case, case)


class CaseBatch:
    """Cases opened (:meth:`open`) and advanced (:meth:`inquiry_sent`, :meth:`reply`,
    :meth:`store_message`) in memory; :meth:`write` stores what is pending. Only for cases
    opened by this batch: their rows are known, so nothing needs reading back, except a case
    let go once written and brought back by :meth:`resume`."""

    def __init__(self, actor: Actor, movable: set[int] | None = None) -> None:
        """``movable``: the people whose cases later steps may move; once written, the other
        cases are let go (None: every case is kept)."""
        self.actor = actor
        self.movable = movable
        self.rules = rules_of(actor)
        self.choose_path = PathChooser(actor.protocol)
        self.member_id: int = actor.member.pk
        self.username: str = actor.member.username
        self.invitations: list[NewInvitation] = []
        self.cases: list[NewCase] = []
        self.opened: list[NewCase] = []  # the (movable) cases this batch opened
        self.messages: list[NewMessage] = []
        self.actions: list[NewAction] = []
        self.events: list[NewEvent] = []
        self.open_action: dict[int, NewAction] = {}  # id(case) -> its open action
        self.written: dict[int, int] = {}  # person's id -> the id of the case opened for them
        self.resumed: set[int] = set()  # the people whose cases resume() read back
        self.dirty_cases: dict[int, NewCase] = {}
        self.dirty_actions: dict[int, NewAction] = {}
        self.dirty_invitations: dict[int, NewInvitation] = {}

    # -- opening (services.invitations.open_case) ---------------------------------------

    def open(self, invitation: NewInvitation) -> NewCase:
        """Open the case of an incoming invitation on the path the protocol chooses (as
        :func:`services.invitations.new_case` and ``open_case`` do)."""
        from netiquette.services.invitations import facts_of  # (which loads the classifier)

        actor, person = self.actor, invitation.person
        facts = facts_of(cast(Invitation, invitation))
        choice = self.choose_path(facts)
        case = NewCase(invitation, choice.path, choice.rule, choice.why, actor.protocol.name)
        self.invitations.append(invitation)
        self.cases.append(case)
        if self.movable is None or person.pk in self.movable:
            self.opened.append(case)
        reasons = "; ".join(invitation.verdict_reasons)
        self._advance(case, sm.CaseEvent(sm.OPENED, invitation.sent_at, path=choice.path),
                      reason=f"rule '{choice.rule}': {choice.why}",
                      data={"rule": choice.rule, "verdict": facts["verdict"],
                            "verdict_reasons": reasons, "familiarity": person.familiarity,
                            "messages_before_accept": actor.protocol.messages_before_accept})
        if len(self.cases) >= WRITE_EVERY:
            self.write()  # all opening comes before any move: the rows keep their order
        return case

    # -- later steps (services.cases.complete_action / record_reply) ----------------------

    def open_inquiry(self, case: NewCase) -> NewAction | None:
        """The case's open ``send_inquiry`` action, if any."""
        action = self.open_action.get(id(case))
        return action if action is not None and action.kind == v.SEND_INQUIRY else None

    def inquiry_sent(self, case: NewCase, action: NewAction, text: str, at: datetime,
                     key: str) -> bool:
        """The owner sent the inquiry (as ``complete_action`` with ``text``, then the message
        gets ``key``). True when a message was stored."""
        action.status, action.done_at, action.text = "done", at, text
        self._touch_action(action)
        del self.open_action[id(case)]
        stored = bool(text.strip())
        if stored:
            self.messages.append(NewMessage(case.person, case, v.OUTGOING, text, at,
                                            case.invitation.channel, key))
        self._advance(case, sm.CaseEvent(sm.DONE_EVENT[action.kind], at),
                      reason=f"{action.kind} done", ref=("action", action))
        return stored

    def reply(self, case: NewCase, text: str, at: datetime, key: str) -> None:
        """An incoming message from the case's person (as ``record_reply``)."""
        message = NewMessage(case.person, case, v.INCOMING, text, at, case.invitation.channel,
                             key)
        self.messages.append(message)
        self._advance(case, sm.CaseEvent(sm.REPLY_RECEIVED, at), reason="a reply came in",
                      ref=("message", message))

    def store_message(self, person: PersonFacts, case: NewCase, outgoing: bool, text: str,
                      at: datetime, key: str) -> None:
        self.messages.append(NewMessage(person, case, v.OUTGOING if outgoing else v.INCOMING,
                                        text, at, v.LINKEDIN, key))

    # -- services.cases.advance, in memory ------------------------------------------------

    def _advance(self, case: NewCase, event: sm.CaseEvent, reason: str,
                 data: dict[str, Any] | None = None,
                 ref: tuple[str, NewAction | NewMessage] | None = None) -> None:
        row = _as_case(case)
        before = state_of(row) if case.state else None
        after = sm.apply(before, event, self.rules)
        payload = dict(data or {})
        payload.setdefault("messages_before_accept", self.rules.messages_before_accept)
        if ref is not None:
            payload[ref[0]] = None  # the row's id, filled in when written
        if event.path:
            payload["path"] = event.path
        if event.call_at:
            payload["call_at"] = event.call_at.isoformat()
        self.events.append(NewEvent(case, event.kind, event.at, clock.now(), reason, payload,
                                    ref))
        changed = project(row, before, after, event)
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
                    action = NewAction(case, wanted.kind, wanted.due_at,
                                       draft_for(self.actor, row, wanted.kind))
                    self.actions.append(action)
                    self.open_action[id(case)] = action

    def _touch_action(self, action: NewAction) -> None:
        if action.pk is not None:
            self.dirty_actions[id(action)] = action

    # -- writing --------------------------------------------------------------------------

    def write(self) -> None:
        """Store everything pending: new rows in creation order per table, then updates."""
        w = _Writer()
        m = self.member_id
        w.insert_with_ids(w.invitations, self.invitations, lambda i: (
            m, i.person.pk, i.direction, i.note, w.stamp(i.sent_at), i.channel, i.source,
            i.external_key, i.status, i.verdict, i.verdict_score,
            w.json(Invitation, "verdict_reasons", i.verdict_reasons), i.verdict_label))
        w.insert_with_ids(w.cases, self.cases, lambda c: (
            m, c.invitation.pk, c.person.pk, c.path, c.rule, c.why, c.state, c.outcome,
            c.protocol, w.stamp(c.opened_at), w.stamp(c.since), w.stamp(c.updated_at),
            w.maybe(c.closed_at), w.maybe(c.call_at), c.replies))
        for case in self.cases:
            self.written[case.person.pk] = case.pk  # type: ignore[assignment]
        w.insert_with_ids(w.messages, self.messages, lambda g: (
            m, g.person.pk, g.case.pk, g.direction, g.text, w.stamp(g.at), g.channel,
            g.external_key))
        w.insert_with_ids(w.actions, self.actions, lambda a: (
            m, a.case.pk, a.kind, w.stamp(a.due_at), a.draft, a.status, w.maybe(a.done_at),
            a.text))
        for action in self.actions:
            action.draft = ""  # stored; later steps only change status, done_at and text
        if self.events:
            for event in self.events:
                if event.ref is not None:
                    event.data[event.ref[0]] = event.ref[1].pk
            w.events.insert([(m, e.case.pk, e.kind, w.stamp(e.at), w.stamp(e.recorded_at),
                              self.username, e.reason, w.json(Event, "data", e.data))
                             for e in self.events])
        update_by_id(Invitation, ["status"],
                     ([i.status, i.pk] for i in self.dirty_invitations.values()))
        update_by_id(Case, _CASE_FIELDS, ([
            c.state, c.path, c.outcome, c.replies, w.maybe(c.call_at), w.stamp(c.updated_at),
            w.stamp(c.since), w.maybe(c.closed_at), c.pk] for c in self.dirty_cases.values()))
        update_by_id(Action, ["status", "done_at", "text"], (
            [a.status, w.maybe(a.done_at), a.text, a.pk] for a in self.dirty_actions.values()))
        self.invitations, self.cases, self.messages, self.actions, self.events = [], [], [], [], []
        self.dirty_invitations, self.dirty_cases, self.dirty_actions = {}, {}, {}
        movable = self.movable
        if movable is not None:  # the others' open actions (and so their cases) are let go
            self.open_action = {k: a for k, a in self.open_action.items()
                                if a.case.person.pk in movable}

    def resume(self, person_ids: Iterable[int]) -> list[NewCase]:
        """The cases this batch opened for ``person_ids`` and let go once written (see
        ``movable``), read back as they were in memory, to be moved on: their invitation,
        person and open action too. They are added to :attr:`opened`. A case read back
        before is not read again."""
        back = {p for p in person_ids if p in self.written and p not in self.resumed}
        self.resumed |= back
        ids = sorted(self.written[p] for p in back)
        resumed: list[NewCase] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            rows = select(f"SELECT {_CASE_COLUMNS} FROM {table(Case)} WHERE id IN ({marks})",
                          chunk)
            invitations = {row[0]: row for row in select(
                f"SELECT {_INVITATION_COLUMNS} FROM {table(Invitation)} WHERE id IN "
                f"({', '.join(['%s'] * len(rows))})", [row[1] for row in rows])}
            people = load_people(self.member_id, [row[2] for row in rows])
            by_pk = {row[0]: self._case_from(row, invitations[row[1]], people) for row in rows}
            resumed += [by_pk[pk] for pk in chunk]
            for a_pk, case_pk, kind, due_at, text in select(
                    f"SELECT id, {column(Action, 'case')}, kind, due_at, text "
                    f"FROM {table(Action)} WHERE {column(Action, 'case')} IN ({marks}) "
                    f"AND status = %s ORDER BY id", [*chunk, "open"]):
                case = by_pk[case_pk]
                action = NewAction(case, kind, as_datetime(due_at), "")
                action.pk, action.text = a_pk, text
                self.open_action[id(case)] = action  # the newest, as kept in memory
        self.opened.extend(resumed)
        if self.movable is not None:  # moved on from now: kept through later writes
            self.movable.update(case.person.pk for case in resumed)
        return resumed

    @staticmethod
    def _case_from(row: tuple[Any, ...], inv: tuple[Any, ...],
                   people: dict[int, PersonFacts]) -> NewCase:
        """A case as read by :meth:`resume` (rows as :func:`select` gives them)."""
        (pk, _inv_pk, person_pk, path, rule, why, state, outcome, protocol, opened_at, since,
         updated_at, closed_at, call_at, replies) = row
        (inv_pk, note, sent_at, channel, source, key, status, verdict, score, reasons,
         label) = inv
        invitation = NewInvitation(people[person_pk], note, as_datetime(sent_at), channel,
                                   source, key, verdict, score, as_json(reasons))
        invitation.pk, invitation.status, invitation.verdict_label = inv_pk, status, label
        case = NewCase(invitation, path, rule, why, protocol)
        case.pk, case.state, case.outcome, case.replies = pk, state, outcome, replies
        case.opened_at, case.since = as_datetime(opened_at), as_datetime(since)
        case.updated_at = as_datetime(updated_at)
        case.closed_at = None if closed_at is None else as_datetime(closed_at)
        case.call_at = None if call_at is None else as_datetime(call_at)
        return case

    @property
    def pending(self) -> bool:
        return bool(self.invitations or self.cases or self.messages or self.actions
                    or self.events or self.dirty_cases or self.dirty_actions
                    or self.dirty_invitations)


#: the columns :meth:`CaseBatch.resume` reads, in :meth:`CaseBatch._case_from`'s order
_CASE_COLUMNS = ", ".join(column(Case, f) for f in (
    "id", "invitation", "person", "path", "rule", "why", "state", "outcome", "protocol",
    "opened_at", "since", "updated_at", "closed_at", "call_at", "replies"))
_INVITATION_COLUMNS = ", ".join(column(Invitation, f) for f in (
    "id", "note", "sent_at", "channel", "source", "external_key", "status", "verdict",
    "verdict_score", "verdict_reasons", "verdict_label"))
_PLAIN = frozenset({str, int, type(None)})  # JSON values: equal values give equal JSON text


class _Writer:
    """The plain-SQL inserts of :meth:`CaseBatch.write`.

    A batch repeats a few values thousands of times (an invitation's time is also its case's
    opening, its event's and often its action's time; verdict reasons and event data come in
    a handful of variants), so each distinct time and JSON value is adapted once."""

    def __init__(self) -> None:
        self.adapt = Adapt()
        self._stamps: dict[datetime, Any] = {}
        self._json: dict[tuple[Any, ...], Any] = {}
        #: the backend stores JSON as json.dumps text (Django's default, SQLite's)
        self._dumps = (type(connection.ops).adapt_json_value
                       is BaseDatabaseOperations.adapt_json_value)
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

    def stamp(self, value: datetime) -> Any:
        """``Adapt.stamp``, once per distinct time (equal aware times are the same instant, so
        the same stored value)."""
        found = self._stamps.get(value)
        if found is None:
            found = self._stamps[value] = self.adapt.stamp(value)
        return found

    def maybe(self, value: datetime | None) -> Any:
        return None if value is None else self.stamp(value)

    def json(self, model: type[Model], field: str, value: list[Any] | dict[str, Any]) -> Any:
        """``Adapt.json``, once per distinct value when the value is a flat list or dict of
        strings, whole numbers and None (then equal values give the same JSON)."""
        keys, values = (tuple(value), tuple(value.values())) if isinstance(value, dict) else (
            None, tuple(value))
        types = tuple(map(type, values))
        if not _PLAIN.issuperset(types):
            return self._adapt_json(model, field, value)
        key = (model, field, keys, values, types)
        found = self._json.get(key)
        if found is None:
            found = self._json[key] = self._adapt_json(model, field, value)
        return found

    def _adapt_json(self, model: type[Model], field: str, value: Any) -> Any:
        if self._dumps and getattr(model._meta.get_field(field), "encoder", None) is None:
            return json.dumps(value)  # what Django's JSONField does on such a backend
        return self.adapt.json(model, field, value)

    @staticmethod
    def insert_with_ids(rows: Rows, objs: Sequence[Any],
                        row_of: Callable[[Any], tuple[Any, ...]]) -> None:
        if objs:
            for obj, pk in zip(objs, rows.insert_returning_ids([row_of(o) for o in objs]),
                               strict=True):
                obj.pk = pk
