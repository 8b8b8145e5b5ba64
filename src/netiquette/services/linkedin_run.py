"""One LinkedIn export applied to the store (inside the import's transaction).

The export says who the owner knows (connections), what waits for triage (incoming
invitations from non-connections), and who talked with whom (messages). A message from the owner
to a pending inviter after the invitation is the inquiry sent; one back is their reply.

Tables are read in order (connections, invitations, messages). People and history
invitations are written as plain rows in batches (:mod:`.import_sql`); pending invitations are
judged together once read, and open their cases in one :class:`CaseBatch` while the messages
are still being read. Messages are counted per conversation and person
(:mod:`.import_threads`); the text of a message is stored only when it is between the owner
and someone with a pending invitation or an open case. The messages are read by
:mod:`netiquette.importers.message_scan`, in a second process when they are large, while this
one reads the other tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection

from netiquette import second_process
from netiquette.core.models import Case, EmailAddress, Invitation, Message, Person, Thread
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.importers import message_scan
from netiquette.importers.base import external_key, give_back_memory
from netiquette.importers.identity import forget_names, full_name
from netiquette.importers.linkedin import LinkedInExport
from netiquette.importers.message_scan import Scan, Wanted
from netiquette.importers.records import BadRow, ConnectionRecord, InvitationRecord
from netiquette.importers.sources import size_of
from netiquette.services.import_checks import Constraints
from netiquette.services.import_people import People, Who
from netiquette.services.import_sql import (
    Adapt,
    Rows,
    beside,
    column,
    select,
    table,
)
from netiquette.services.import_threads import Threads
from netiquette.services.members import Actor
from netiquette.services.people import name_key

if TYPE_CHECKING:
    from netiquette.classifier import Verdict
    from netiquette.services.bulk_cases import CaseBatch, NewCase
    from netiquette.services.imports import Summary

BATCH = 5000
TICK = 1000
INVITATION_FIELDS = ("member", "person", "direction", "note", "sent_at", "channel", "source",
                     "external_key", "status", "verdict", "verdict_score", "verdict_reasons",
                     "verdict_label")


#: marks on a Who: a connection, a pending inviter, who wrote to whom, to be made acquainted
CONNECTION, PENDING, THEY_WROTE, OWNER_WROTE, RAISED = 1, 2, 4, 8, 16
TWO_WAY = THEY_WROTE | OWNER_WROTE
#: a pending invitation: note, sender, sent at, external key, the inviter
_Pending = tuple[str, str, datetime, str, Who]


class LinkedInRun:
    def __init__(self, actor: Actor, summary: Summary, at: datetime) -> None:
        self.actor, self.summary, self.at = actor, summary, at
        self.member_id: int = actor.member.pk
        self.people = People(actor, at, self._added, self._updated)
        self.idx = self.people.idx
        self.adapt = Adapt()
        self.owner_names: set[str] = {name_key(actor.profile.display_name)}
        #: connections with a two-way message history, not yet raised to acquainted
        self.two_way: list[int] = []
        self.pending: list[_Pending] = []
        self.history: list[tuple[Who, list[Any]]] = []
        self.history_rows = Rows(Invitation, INVITATION_FIELDS, ignore_conflicts=True)
        self.no_reasons = self.adapt.json(Invitation, "verdict_reasons", [])
        self.threads = Threads(self.member_id)
        self.case_messages: list[tuple[datetime, int, bool, str, str]] = []
        self.batch: CaseBatch | None = None  # once the pending invitations' cases are open
        self.open_case_people = {pid for (pid,) in select(
            f"SELECT {column(Case, 'person')} FROM {table(Case)} "
            f"WHERE {column(Case, 'member')} = %s AND state <> %s", [self.member_id, sm.CLOSED])}
        self.invitation_keys = {key for (key,) in select(
            f"SELECT external_key FROM {table(Invitation)} "
            f"WHERE {column(Invitation, 'member')} = %s AND external_key IS NOT NULL",
            [self.member_id])}

    def _added(self) -> None:
        self.summary.people_added += 1

    def _updated(self) -> None:
        self.summary.people_updated += 1

    # -- reading ------------------------------------------------------------------------

    def apply(self, export: LinkedInExport, tick: Callable[[int], None],
              apart: message_scan.Apart | None = None,
              checks: Constraints | None = None) -> None:
        """Apply every table of ``export``, ticking ``tick`` every thousand records.

        The messages are scanned by a second process (``apart`` when the caller started
        it, by :func:`message_scan.start` on the same export) when their tables hold
        :data:`second_process.APART_FROM` bytes or more, while this one reads the connections
        and invitations; else (or when no process can be started) here, after them. The
        scan's counts are stored as they come (new threads at once). Once the tables are
        read, while the scan goes on, the pending invitations' notes are judged (the
        classifier's 22 MB beside the second process: see :data:`message_scan.CHUNK`) and
        their cases opened and written; when the scan is done, the cases its messages move
        are read back and moved. ``checks`` (those of the import's transaction) checks some
        tables early."""
        if apart is None and self._message_bytes() >= second_process.APART_FROM:
            apart = message_scan.start(export.path, export.limits)
        if apart is not None:
            apart.begin(self.owner_names, self._wanted())
            apart.keep = self._keep_early
        try:
            self._read_tables(export, tick, apart)
            self.invitation_keys = set()  # 4 MB: all invitations are read, and judging needs room
            self._flush_people()
            if apart is not None:
                apart.take(tick, self._count)  # the counts that came while the tables were read
            # while the scan goes on: the cases are written and let go until it is done
            verdicts = self._judge_pending()
            give_back_memory()  # what judging freed (or the import holds it to its end)
            batch = self.batch = self._open_pending_cases(verdicts)
            checks = checks or Constraints(off=False)
            # no more people, invitations or cases are written: checked while the scan ends
            with beside(checks.early([Person, EmailAddress, Invitation, Case])):
                if apart is not None:
                    # what the counts and messages that came so far call for, done now
                    self._raise_two_way()
                    batch.resume({m[1] for m in self.case_messages})
                    scan = apart.result(tick, self._count_and_raise)
                else:
                    scan = self._scan_here(export, tick)
                    for chunk in scan.hand_over():
                        self._count(chunk)
        finally:
            if apart is not None:
                apart.stop()
        self._keep(scan)
        self.summary.messages_new += self.threads.write()
        two_way, self.two_way = self.two_way, []
        self._forget()  # every record is read: the look-ups make room for what follows
        self._finish(batch, two_way, checks)

    def _finish(self, batch: CaseBatch, two_way: list[int], checks: Constraints) -> None:
        """Move the cases the messages move, raise the two-way connections' familiarity, and
        write what is left. When every case moved was opened by this import, the moves are
        computed in memory while a second thread (:func:`beside`: SQLite works meanwhile)
        raises the familiarity and checks the threads: the moves read nothing from the store
        (the people raised are connections, whom no case opened here is about), and nothing
        more is written to that table. Moves of cases stored before go through the services
        and come first, as they always did."""
        raise_two_way = self._acquainted(two_way)
        check_early = checks.early([Thread])

        def raise_and_check(cursor: Any) -> int:
            raised = raise_two_way(cursor)
            check_early(cursor)
            return raised

        moved = {m[1] for m in self.case_messages}  # the people whose cases move
        # what they read first (beside the second thread, they would wait for it)
        batch.resume(moved)
        stored = self._stored_keys()
        in_memory = moved <= batch.written.keys()  # every one opened by this import
        if not in_memory:
            self._apply_case_messages(batch, stored)  # (through the services: they read)
        with beside(raise_and_check) as done:
            if in_memory:
                self._apply_case_messages(batch, stored)
            self.summary.people_updated += done()
        batch.write()

    def _read_tables(self, export: LinkedInExport, tick: Callable[[int], None],
                     apart: message_scan.Apart | None) -> None:
        """The connections and invitations, as ``apart`` read them (it reads them anyway, to
        learn what its scan needs), else read here."""
        handlers: dict[str, Callable[[Any], None]] = {
            "connections": self._connection, "invitations": self._invitation}
        assert set(handlers) == set(message_scan.SHARED)
        skip = self.summary.skip
        for t in export.tables:
            handle = handlers.get(t.kind)
            if handle is None:
                continue  # the profile and the messages are the scan's
            count = 0
            for item in t.stream() if apart is None else apart.rows(t.source.name):
                if type(item) is BadRow:
                    skip(item)
                else:
                    handle(item)
                count += 1
                if count == TICK:
                    tick(count)
                    count = 0
            tick(count)

    def _message_bytes(self) -> int:
        return sum(size_of(t["fingerprint"]) for t in self.summary.tables
                   if t["kind"] == "messages")

    def _wanted(self) -> Wanted:
        """The people with an open case, whose messages the scan keeps whole (it adds the
        export's pending inviters itself)."""
        wanted = Wanted()
        for slug, key in select(
                f"SELECT p.profile_slug, p.name_key FROM {table(Case)} c JOIN {table(Person)} p "
                f"ON c.{column(Case, 'person')} = p.id WHERE c.{column(Case, 'member')} = %s "
                f"AND c.state <> %s", [self.member_id, sm.CLOSED]):
            wanted.add(slug, key)
        return wanted

    def _scan_here(self, export: LinkedInExport, tick: Callable[[int], None]) -> Scan:
        if not any(t.kind == "messages" for t in export.tables):
            return Scan()
        owner_names, wanted = set(self.owner_names), self._wanted()
        slugs = message_scan.learn(export, owner_names, wanted)
        return message_scan.scan(export, owner_names, slugs, wanted, tick)

    def _who(self, name: str, slug: str | None) -> Who | None:
        """The person a message is with, as the people index matches."""
        who = self.idx.by_slug.get(slug) if slug else None
        return who if who is not None else self.idx.find(name, slug)

    def _count(self, chunk: list[message_scan.Count]) -> None:
        """Count the scan's conversations for the people they are with, and store the
        threads new to the store."""
        who_of, add, two_way = self._who, self.threads.add, self.two_way
        for conversation, slug, name, sent, received, first, last in chunk:
            who = who_of(name, slug or None)
            if who is None or who.id is None:
                continue
            marks = who.marks | (OWNER_WROTE if sent else 0) | (THEY_WROTE if received else 0)
            if marks & (CONNECTION | TWO_WAY | RAISED) == CONNECTION | TWO_WAY:
                marks |= RAISED  # a connection with a two-way history: made acquainted
                two_way.append(who.id)
            who.marks = marks
            add(conversation, who.id, sent, received, first, last)
        self.threads.write_new()  # while the scan goes on

    def _count_and_raise(self, chunk: list[message_scan.Count]) -> None:
        """:meth:`_count`, then :meth:`_raise_two_way`."""
        self._count(chunk)
        self._raise_two_way()

    def _raise_two_way(self) -> None:
        """Make the connections counted two-way so far acquainted now: while this process
        mostly waits for a second one's last counts, rather than after them."""
        if self.two_way:
            raise_two_way = self._acquainted(self.two_way)
            self.two_way = []
            with connection.cursor() as cursor:
                self.summary.people_updated += raise_two_way(cursor)

    def _acquainted(self, ids: list[int]) -> Callable[[Any], int]:
        """The step that makes the connections ``ids`` (a two-way message history) at least
        acquainted (see :meth:`People.raise_familiarity`)."""
        return self.people.raise_familiarity(ids, v.ACQUAINTED, (v.STRANGER, v.RECOGNIZED))

    def _keep(self, scan: Scan) -> None:
        """Keep the scan's whole messages with people who have a pending invitation or an
        open case (for the cases), and report its bad rows."""
        for bad in scan.bad:
            self.summary.skip(bad)
        self._keep_messages(scan.kept)

    def _keep_messages(self, kept: list[message_scan.Kept]) -> set[int]:
        """Keep those of ``kept`` with people who have a pending invitation or an open case;
        returns those people."""
        people: set[int] = set()
        for at, name, slug, from_owner, text, key in kept:
            who = self._who(name, slug)
            if who is None or who.id is None:
                continue
            if who.marks & PENDING or who.id in self.open_case_people:
                self.case_messages.append((at, who.id, from_owner, text, key))
                people.add(who.id)
        return people

    def _keep_early(self, kept: list[message_scan.Kept]) -> None:
        """Messages kept whole that a second process hands over before its scan ends: kept
        as :meth:`_keep` does and, once the cases are open, the cases they move read back
        now (this process mostly waits meanwhile) rather than after the scan."""
        people = self._keep_messages(kept)
        if self.batch is not None and people:
            self.batch.resume(people)

    def _connection(self, r: ConnectionRecord) -> None:
        who = self.people.upsert(
            name=full_name(r.first_name, r.last_name), slug=r.slug, url=r.url, email=r.email,
            company=r.company, position=r.position, familiarity=v.RECOGNIZED,
            first=r.first_name, last=r.last_name)
        if who is not None:
            who.marks |= CONNECTION

    def _invitation(self, r: InvitationRecord) -> None:
        incoming = r.direction == v.INCOMING
        key = external_key(r)
        if key in self.invitation_keys:
            return
        self.invitation_keys.add(key)
        name, slug = r.counterpart_name, r.counterpart_slug
        url = r.inviter_url if incoming else r.invitee_url
        existing = self.idx.find(name, slug)
        connected = existing is not None and bool(existing.marks & CONNECTION)
        if incoming and not connected:
            who = self.people.upsert(name=name, slug=slug, url=url, email=None, company=None,
                                     position=None, familiarity=v.STRANGER)
            if who is not None:
                self.pending.append((r.message or "", r.sender, r.sent_at, key, who))
                who.marks |= PENDING
            return
        who = existing or self.people.upsert(name=name, slug=slug, url=url, email=None,
                                             company=None, position=None,
                                             familiarity=v.STRANGER)
        if who is None:
            return
        self.history.append((who, [
            self.member_id, None, r.direction, r.message or "", self.adapt.stamp(r.sent_at),
            v.LINKEDIN, "linkedin", key, "accepted" if connected else "pending", "", None,
            self.no_reasons, ""]))
        self.summary.invitations_history += 1
        if len(self.history) >= BATCH:
            self._flush_people()

    def _flush_people(self) -> None:
        """Write the new people, then the invitations that name them."""
        self.people.flush()
        if self.history:
            rows = []
            for who, row in self.history:
                row[1] = who.id
                rows.append(row)
            self.history_rows.insert(rows)
            self.history = []

    # -- after the last record ------------------------------------------------------------

    def _forget(self) -> None:
        self.idx.forget()
        self.people.addresses = set()
        forget_names()

    def _judge_pending(self) -> list[Verdict]:
        """The verdicts on the pending invitations' notes, judged as one batch (templates
        across senders count)."""
        if not self.pending:
            return []
        from netiquette.services.invitations import judge_notes  # loads the classifier

        return judge_notes(self.actor, [p[0] for p in self.pending],
                           [p[1] for p in self.pending])

    def _open_pending_cases(self, verdicts: list[Verdict]) -> CaseBatch:
        """Open the pending invitations' cases, with their ``verdicts``, and write them: the
        batch lets them go (:meth:`CaseBatch.resume` brings back those to move)."""
        from netiquette.services.bulk_cases import CaseBatch, NewInvitation, load_people

        batch = CaseBatch(self.actor, movable=set())
        pending, self.pending = self.pending, []
        for start in range(0, len(pending), 1000):
            chunk = pending[start:start + 1000]
            people = load_people(self.member_id, [p[4].id for p in chunk if p[4].id])
            for (note, _sender, sent_at, key, who), verdict in zip(
                    chunk, verdicts[start:start + 1000], strict=True):
                pid: int = who.id  # type: ignore[assignment]  # written by now
                if pid in self.open_case_people:
                    continue  # one open case per person; the newer invitation is a duplicate
                batch.open(NewInvitation(people[pid], note, sent_at, v.LINKEDIN, "linkedin",
                                         key, verdict.label, verdict.score,
                                         list(verdict.reasons)))
                self.open_case_people.add(pid)
                self.summary.invitations_new += 1
                self.summary.cases_opened += 1
        batch.write()
        return batch

    def _stored_keys(self) -> set[str]:
        """Which of the case messages' keys are already stored (for the member)."""
        keys = sorted({m[4] for m in self.case_messages})
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            found.update(k for (k,) in select(
                f"SELECT external_key FROM {table(Message)} WHERE "
                f"{column(Message, 'member')} = %s AND external_key IN "
                f"({', '.join(['%s'] * len(chunk))})", [self.member_id, *chunk]))
        return found

    def _apply_case_messages(self, batch: CaseBatch, stored: set[str]) -> None:
        """Move the cases by the messages kept for them, in time order, but for those whose
        keys are ``stored`` (:meth:`_stored_keys`): in memory for cases opened by this
        import (the caller writes them), through the services for others."""
        from netiquette.services.cases import complete_action, open_case_of, record_reply

        if not self.case_messages:
            return
        new_cases = {case.person.pk: case for case in batch.opened}
        for at, pid, from_owner, text, key in sorted(self.case_messages, key=lambda m: m[0]):
            if key in stored:
                continue
            new_case = new_cases.get(pid)
            if new_case is not None:  # opened by this import: moved along in memory
                if self._apply_to_new_case(batch, new_case, at, from_owner, text, key):
                    stored.add(key)
                continue
            if batch.pending:
                batch.write()  # keep the order of rows as the services would write them
            case = open_case_of(self.actor.member, pid)
            if case is None or at < case.opened_at:
                self._store_message(pid, from_owner, text, at, key, case)
                stored.add(key)
                continue
            if from_owner:
                action = case.actions.filter(status="open", kind=v.SEND_INQUIRY).first()
                if action is not None:
                    complete_action(self.actor, action.id, text=text, at=at,
                                    external_key=key)
                    if text.strip():  # an empty message is not stored
                        stored.add(key)
                    self.summary.inquiries_matched += 1
                else:
                    self._store_message(pid, True, text, at, key, case)
                    stored.add(key)
            else:
                record_reply(self.actor, case, text, at, external_key=key)
                stored.add(key)
                self.summary.replies_matched += 1
        self.case_messages = []

    def _apply_to_new_case(self, batch: CaseBatch, case: NewCase, at: datetime,
                           from_owner: bool, text: str, key: str) -> bool:
        """As the loop above does for a stored case; True when a message with ``key`` is
        stored."""
        if at < case.opened_at:
            batch.store_message(case.person, case, from_owner, text, at, key)
            return True
        stored = True
        if from_owner:
            action = batch.open_inquiry(case)
            if action is not None:
                stored = batch.inquiry_sent(case, action, text, at, key)
                self.summary.inquiries_matched += 1
            else:
                batch.store_message(case.person, case, True, text, at, key)
        else:
            batch.reply(case, text, at, key)
            self.summary.replies_matched += 1
        return stored

    def _store_message(self, pid: int, from_owner: bool, text: str, at: datetime, key: str,
                       case: Case | None) -> None:
        Message.objects.create(member=self.actor.member, person_id=pid, case=case,
                               direction=v.OUTGOING if from_owner else v.INCOMING, text=text,
                               at=at, channel=v.LINKEDIN, external_key=key)
