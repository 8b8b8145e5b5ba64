"""Applying imported records to the store: one transaction per import, idempotent.

The LinkedIn export says who the owner knows (connections), what waits for triage (incoming
invitations from non-connections), and who talked with whom (messages). A message from the owner
to a pending inviter after the invitation is the inquiry sent; one back is their reply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models.constants import OnConflict

from netiquette import clock
from netiquette.core.models import Case, EmailAddress, ImportRun, Invitation, Message, Person
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.errors import UserError
from netiquette.importers.base import external_key
from netiquette.importers.records import (
    BadRow,
    ConnectionRecord,
    ContactRecord,
    ImportRejected,
    InvitationRecord,
    MessageRecord,
    ProfileRecord,
)
from netiquette.services.bulk_cases import CaseBatch
from netiquette.services.members import Actor
from netiquette.services.people import name_key

Progress = Callable[[int], None]
BATCH = 2000
MAX_REPORTED_SKIPS = 200


@dataclass
class Summary:
    kind: str
    source: str
    people_added: int = 0
    people_updated: int = 0
    invitations_new: int = 0
    invitations_history: int = 0
    cases_opened: int = 0
    messages_new: int = 0
    inquiries_matched: int = 0
    replies_matched: int = 0
    rows_skipped: int = 0
    skipped: list[str] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)

    def skip(self, bad: BadRow) -> None:
        self.rows_skipped += 1
        if len(self.skipped) < MAX_REPORTED_SKIPS:
            self.skipped.append(str(bad))

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class PeopleIndex:
    """The member's people by slug, e-mail and name, loaded once per import."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.by_slug: dict[str, Person] = {}
        self.by_name: dict[str, Person] = {}
        self.by_email: dict[str, Person] = {}
        member = actor.member
        by_id: dict[int, Person] = {}
        for p in Person.objects.filter(member=member).only(*_PERSON_FIELDS):
            by_id[p.id] = p
            if p.profile_slug:
                self.by_slug[p.profile_slug] = p
            self.by_name.setdefault(p.name_key, p)
        for address, pid in EmailAddress.objects.filter(member=member).values_list(
                "address", "person_id"):
            self.by_email[address] = by_id[pid]

    def find(self, name: str, slug: str | None = None, email: str | None = None) -> Person | None:
        if slug and slug in self.by_slug:
            return self.by_slug[slug]
        if email and email.lower() in self.by_email:
            return self.by_email[email.lower()]
        person = self.by_name.get(name_key(name))
        if person is None:
            return None
        if slug and person.profile_slug and person.profile_slug != slug:
            return None  # two different profiles are never the same person
        return person

    def forget(self) -> None:
        """Drop the look-ups (their memory is reused for what follows)."""
        self.by_slug, self.by_name, self.by_email = {}, {}, {}

    def add(self, person: Person) -> None:
        if person.profile_slug:
            self.by_slug[person.profile_slug] = person
        self.by_name.setdefault(person.name_key, person)


#: what imports read of a person (the draft fields too, for the cases they open)
_PERSON_FIELDS = ("id", "profile_slug", "name_key", "familiarity", "company", "position",
                  "profile_url", "display_name", "first_name", "how_we_met", "can_help_them",
                  "they_can_help")


class _People:
    """People and e-mail addresses as an import finds them, new ones written in batches.

    A new person is kept in memory (and in the index) until :meth:`flush`; ``when_saved``
    defers what needs its id. Existing people that change are saved at once."""

    def __init__(self, actor: Actor, summary: Summary, at: datetime) -> None:
        self.actor, self.summary, self.at = actor, summary, at
        self.idx = PeopleIndex(actor)
        self.addresses = set(self.idx.by_email)
        self.new: list[Person] = []
        self.new_emails: list[EmailAddress] = []
        self.waiting: list[tuple[set[int], Person]] = []

    def upsert(self, *, name: str, slug: str | None, url: str | None, email: str | None,
               company: str | None, position: str | None, familiarity: str, first: str = "",
               last: str = "") -> Person | None:
        if not name:
            return None
        idx, summary, at = self.idx, self.summary, self.at
        person = idx.find(name, slug, email)
        if person is None:
            person = Person(
                member=self.actor.member, display_name=name,
                first_name=first or name.split()[0], last_name=last, name_key=name_key(name),
                company=company or "", position=position or "", profile_url=url or "",
                profile_slug=slug or "", familiarity=familiarity, created_at=at, updated_at=at)
            self.new.append(person)
            idx.add(person)
            summary.people_added += 1
        else:
            changed = []
            for attr, value in (("company", company), ("position", position),
                                ("profile_url", url), ("profile_slug", slug)):
                if value and not getattr(person, attr):
                    setattr(person, attr, value)
                    changed.append(attr)
            if v.familiarity_rank(familiarity) > v.familiarity_rank(person.familiarity):
                person.familiarity = familiarity
                changed.append("familiarity")
            if changed:
                person.updated_at = at
                if person.pk is not None:  # a new one is written with its final values
                    person.save(update_fields=[*changed, "updated_at"])
                idx.add(person)
                summary.people_updated += 1
        if email and email.lower() not in idx.by_email:
            self.add_email(person, email)
        if len(self.new) >= BATCH:
            self.flush()
        return person

    def add_email(self, person: Person, email: str) -> None:
        """As :func:`services.people.add_email`, written with the next flush."""
        address = email.strip().lower()
        if "@" not in address:
            raise UserError(f"--email: {email!r} is not an e-mail address")
        if address not in self.addresses:
            self.addresses.add(address)
            self.new_emails.append(EmailAddress(member_id=person.member_id, address=address,
                                                person=person))
        self.idx.by_email[email.lower()] = person

    def when_saved(self, ids: set[int], person: Person) -> None:
        """Add ``person``'s id to ``ids`` now or, for a new person, once written."""
        if person.pk is not None:
            ids.add(person.pk)
        else:
            self.waiting.append((ids, person))

    @property
    def pending(self) -> bool:
        return bool(self.new or self.new_emails)

    def flush(self) -> None:
        if self.new:
            Person.objects.bulk_create(self.new)
            self.new = []
            for ids, person in self.waiting:
                ids.add(person.pk)
            self.waiting = []
        if self.new_emails:
            EmailAddress.objects.bulk_create(self.new_emails)
            self.new_emails = []


def _full(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".split())


def _record(actor: Actor, summary: Summary, started: datetime) -> None:
    ImportRun.objects.create(member=actor.member, kind=summary.kind, source=summary.source,
                             started_at=started, finished_at=clock.now(),
                             counts=summary.as_json())


def import_linkedin(actor: Actor, path: Path, progress: Progress | None = None) -> Summary:
    """Import a LinkedIn export (zip, folder or one CSV). All or nothing: a rejected file
    raises UserError naming it, and nothing is written."""
    try:
        return _import_linkedin(actor, path, progress)
    except ImportRejected as exc:
        raise UserError(str(exc)) from None


def _import_linkedin(actor: Actor, path: Path, progress: Progress | None) -> Summary:
    from netiquette.importers.linkedin import open_export

    export = open_export(path)
    summary = Summary("linkedin", str(path),
                      ignored_files=[f"{n}: {why}" for n, why in export.ignored])
    started = clock.now()
    tick = progress or (lambda n: None)
    with transaction.atomic():
        run = _LinkedInRun(actor, summary, started)
        for item in export.stream():
            run.take(item)
            tick(1)
        run.finish()
        _record(actor, summary, started)
    return summary


class _LinkedInRun:
    def __init__(self, actor: Actor, summary: Summary, at: datetime) -> None:
        self.actor, self.summary, self.at = actor, summary, at
        self.people = _People(actor, summary, at)
        self.idx = self.people.idx
        self.owner_names: set[str] = {name_key(actor.profile.display_name)}
        self.owner_slugs: set[str] = set()
        self.connections: set[int] = set()
        self.pending: list[tuple[InvitationRecord, Person]] = []
        self.pending_people: set[int] = set()
        self.history: list[Invitation] = []
        self.messages = _MessageWriter(actor.member)
        self.talk: dict[int, int] = {}  # person id -> bit 1 they wrote, bit 2 owner wrote
        self.case_messages: list[tuple[datetime, int, bool, str, str]] = []
        self.open_case_people = set(
            Case.objects.filter(member=actor.member).exclude(state=sm.CLOSED)
            .values_list("person_id", flat=True))
        self.messages_before = self._message_count()
        self.invitation_keys = set(
            Invitation.objects.filter(member=actor.member).exclude(external_key=None)
            .values_list("external_key", flat=True))

    def _message_count(self) -> int:
        return Message.objects.filter(member=self.actor.member).count()

    def take(self, item: object) -> None:
        if isinstance(item, MessageRecord):
            self._message(item)
        elif isinstance(item, BadRow):
            self.summary.skip(item)
        elif isinstance(item, ProfileRecord):
            self.owner_names.add(name_key(_full(item.first_name, item.last_name)))
        elif isinstance(item, ConnectionRecord):
            self._connection(item)
        elif isinstance(item, InvitationRecord):
            self._invitation(item)

    def _flush_people(self) -> None:
        """Write the new people, then the invitations that name them."""
        self.people.flush()
        if self.history:
            Invitation.objects.bulk_create(self.history)
            self.history = []

    def _connection(self, r: ConnectionRecord) -> None:
        p = self.people.upsert(name=_full(r.first_name, r.last_name), slug=r.slug, url=r.url,
                               email=r.email, company=r.company, position=r.position,
                               familiarity=v.RECOGNIZED, first=r.first_name, last=r.last_name)
        if p is not None:
            self.people.when_saved(self.connections, p)

    def _is_owner(self, name: str, slug: str | None) -> bool:
        return bool(slug and slug in self.owner_slugs) or name_key(name) in self.owner_names

    def _invitation(self, r: InvitationRecord) -> None:
        key = external_key(r)
        if key in self.invitation_keys:
            return
        self.invitation_keys.add(key)
        incoming = r.direction == v.INCOMING
        if incoming and r.invitee_slug:
            self.owner_slugs.add(r.invitee_slug)
        if not incoming and r.inviter_slug:
            self.owner_slugs.add(r.inviter_slug)
        name = r.counterpart_name
        slug = r.counterpart_slug
        url = r.inviter_url if incoming else r.invitee_url
        existing = self.idx.find(name, slug)
        if existing is not None and existing.pk is None:
            self._flush_people()  # is this new person a connection? their id tells
        connected = existing is not None and existing.id in self.connections
        if incoming and not connected:
            person = self.people.upsert(name=name, slug=slug, url=url, email=None,
                                        company=None, position=None, familiarity=v.STRANGER)
            if person is not None:
                self.pending.append((r, person))
                self.people.when_saved(self.pending_people, person)
            return
        person = existing or self.people.upsert(name=name, slug=slug, url=url, email=None,
                                                company=None, position=None,
                                                familiarity=v.STRANGER)
        if person is None:
            return
        self.history.append(Invitation(
            member=self.actor.member, person=person, direction=r.direction,
            note=r.message or "", sent_at=r.sent_at, channel=v.LINKEDIN, source="linkedin",
            external_key=key, status="accepted" if connected else "pending"))
        self.summary.invitations_history += 1

    def _message(self, r: MessageRecord) -> None:
        if self.people.pending or self.history:
            self._flush_people()
        from_owner = self._is_owner(r.sender, r.sender_slug)
        if from_owner:
            others = [(n, r.recipient_slugs[i] if i < len(r.recipient_slugs) else None)
                      for i, n in enumerate(r.recipients)]
        else:
            others = [(r.sender, r.sender_slug)]
        key = external_key(r)
        for n, (name, slug) in enumerate(others):
            person = self.idx.find(name, slug)
            if person is None:
                continue
            pid = person.id
            msg_key = key if n == 0 else f"{key}:{n}"
            self.talk[pid] = self.talk.get(pid, 0) | (2 if from_owner else 1)
            if pid in self.open_case_people or pid in self.pending_people:
                self.case_messages.append((r.sent_at, pid, from_owner, r.content, msg_key))
                continue
            self.messages.add(pid, v.OUTGOING if from_owner else v.INCOMING, r.content,
                              r.sent_at, msg_key)

    def finish(self) -> None:
        self._flush_people()
        self.messages.flush()
        self.idx.forget()  # every record is read: no more look-ups
        self.people.addresses = set()
        self.summary.messages_new += self._message_count() - self.messages_before
        batch = self._open_pending_cases()
        self._apply_case_messages(batch)
        self._acquaint()

    def _open_pending_cases(self) -> CaseBatch:
        batch = CaseBatch(self.actor)
        if not self.pending:
            return batch
        from netiquette.services.invitations import judge_notes  # loads the classifier

        notes = [r.message or "" for r, _p in self.pending]
        verdicts = judge_notes(self.actor, notes, [r.sender for r, _p in self.pending])
        for (r, person), verdict in zip(self.pending, verdicts, strict=True):
            if person.id in self.open_case_people:
                continue  # one open case per person; the newer invitation is a duplicate
            inv = Invitation(
                member=self.actor.member, person=person, direction=v.INCOMING,
                note=r.message or "", sent_at=r.sent_at, channel=v.LINKEDIN,
                source="linkedin", external_key=external_key(r), verdict=verdict.label,
                verdict_score=verdict.score, verdict_reasons=list(verdict.reasons))
            batch.open(inv)
            self.open_case_people.add(person.id)
            self.summary.invitations_new += 1
            self.summary.cases_opened += 1
        self.pending = []
        return batch  # written with the moves the export's messages make

    def _stored_keys(self) -> set[str]:
        """Which of the case messages' keys are already stored (for the member)."""
        keys = sorted({m[4] for m in self.case_messages})
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            found.update(k for k in Message.objects.filter(
                member=self.actor.member, external_key__in=keys[start:start + 500])
                .values_list("external_key", flat=True) if k)
        return found

    def _apply_case_messages(self, batch: CaseBatch) -> None:
        from netiquette.services.cases import complete_action, open_case_of, record_reply

        if not self.case_messages:
            batch.write()
            return
        stored = self._stored_keys()
        new_cases = {case.person_id: case for case in batch.opened}
        for at, pid, from_owner, text, key in sorted(self.case_messages, key=lambda m: m[0]):
            if key in stored:
                continue
            new_case = new_cases.get(pid)
            if new_case is not None:  # opened by this import: moved along in memory
                stored_now = self._apply_to_new_case(batch, new_case, at, from_owner, text, key)
                if stored_now:
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
            self.summary.messages_new += 1
        batch.write()

    def _apply_to_new_case(self, batch: CaseBatch, case: Case, at: datetime,
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
        self.summary.messages_new += 1
        return stored

    def _store_message(self, pid: int, from_owner: bool, text: str, at: datetime, key: str,
                       case: Case | None) -> None:
        Message.objects.create(member=self.actor.member, person_id=pid, case=case,
                               direction=v.OUTGOING if from_owner else v.INCOMING, text=text,
                               at=at, channel=v.LINKEDIN, external_key=key)

    def _acquaint(self) -> None:
        two_way = [pid for pid, bits in self.talk.items()
                   if bits == 3 and pid in self.connections]
        for start in range(0, len(two_way), 500):
            chunk = two_way[start:start + 500]
            updated = Person.objects.filter(
                member=self.actor.member, id__in=chunk,
                familiarity__in=[v.STRANGER, v.RECOGNIZED]).update(
                familiarity=v.ACQUAINTED, updated_at=self.at)
            self.summary.people_updated += updated


class _MessageWriter:
    """Messages of people without a case, written in batches straight through the database
    cursor (one prepared INSERT for many rows); a message already stored (same member and
    key) is skipped by the database."""

    FIELDS = ("member", "person", "direction", "text", "at", "channel", "external_key")

    def __init__(self, member: Any) -> None:
        self.member_id = member.pk
        self.rows: list[tuple[Any, ...]] = []
        fields: list[Any] = [Message._meta.get_field(name) for name in self.FIELDS]
        self.at_field = Message._meta.get_field("at")
        ops = connection.ops
        self.adapt = ops.adapt_datetimefield_value
        columns = ", ".join(ops.quote_name(f.column) for f in fields)
        suffix = ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
        self.sql = (f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "
                    f"{ops.quote_name(Message._meta.db_table)} ({columns}) "
                    f"VALUES ({', '.join(['%s'] * len(fields))}) {suffix}").rstrip()

    def add(self, person_id: int, direction: str, text: str, at: datetime, key: str) -> None:
        # an aware time needs no get_prep_value (which only makes naive times aware)
        stamp = (self.adapt(at) if at.utcoffset() is not None
                 else self.at_field.get_db_prep_save(at, connection))
        self.rows.append((self.member_id, person_id, direction, text, stamp, v.LINKEDIN, key))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows = []


def import_contacts(actor: Actor, records: Iterable[object], kind: str, source: str,
                    familiarity: str = v.RECOGNIZED, progress: Progress | None = None) -> Summary:
    """Import address-book entries: each makes a person at least ``familiarity``."""
    if familiarity not in v.FAMILIARITIES:
        raise UserError(f"--familiarity: '{familiarity}' is not one of "
                        f"{', '.join(v.FAMILIARITIES)}")
    summary = Summary(kind, source)
    started = clock.now()
    tick = progress or (lambda n: None)
    try:
        with transaction.atomic():
            _apply_contacts(actor, records, summary, started, familiarity, tick)
    except ImportRejected as exc:
        raise UserError(str(exc)) from None
    return summary


def _apply_contacts(actor: Actor, records: Iterable[object], summary: Summary,
                    started: datetime, familiarity: str, tick: Progress) -> None:
    people = _People(actor, summary, started)
    for item in records:
        tick(1)
        if isinstance(item, BadRow):
            summary.skip(item)
            continue
        if not isinstance(item, ContactRecord):
            continue
        name = item.full_name or _full(item.first_name, item.last_name)
        person = people.upsert(name=name, slug=item.slug, url=item.linkedin_url,
                               email=item.emails[0] if item.emails else None,
                               company=item.company, position=item.position,
                               familiarity=familiarity, first=item.first_name,
                               last=item.last_name)
        for extra in item.emails[1:]:
            if person is not None and extra.lower() not in people.idx.by_email:
                people.add_email(person, extra)
    people.flush()
    _record(actor, summary, started)


def import_upload(actor: Actor, path: Path, kind: str = "auto") -> dict[str, Any]:
    """The web app's upload: a LinkedIn export (zip or CSV) or a vCard file; the summary."""
    if kind == "auto":
        kind = "vcard" if path.suffix.lower() in (".vcf", ".vcard") else "linkedin"
    if kind == "vcard":
        from netiquette.importers.addressbook import read_vcard

        return import_contacts(actor, read_vcard(path), "vcard", path.name).as_json()
    if kind == "linkedin":
        return import_linkedin(actor, path).as_json()
    raise UserError(f"unknown import kind '{kind}' (linkedin or vcard)")
