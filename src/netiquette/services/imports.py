"""Applying imported records to the store: one transaction per import, idempotent.

What a LinkedIn export means is in :mod:`.linkedin_run`; people as imports find them in
:mod:`.import_people`. Every import is recorded (:class:`ImportRun`) with its summary; a LinkedIn
import also records a fingerprint (size and CRC-32) of each table it read, so the same export
imported again is recognised and skipped instead of read (see :func:`import_linkedin`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction

from netiquette import clock
from netiquette.core.models import ImportRun
from netiquette.domain import vocabulary as v
from netiquette.errors import UserError
from netiquette.importers.base import fewer_collections
from netiquette.importers.identity import full_name
from netiquette.importers.message_scan import Apart
from netiquette.importers.records import BadRow, ContactRecord, ImportRejected
from netiquette.services.import_checks import atomic_checked_once
from netiquette.services.import_people import People
from netiquette.services.members import Actor

Progress = Callable[[int], None]
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
    #: the tables read: file, kind and fingerprint (what the next import compares with)
    tables: list[dict[str, str]] = field(default_factory=list)
    #: tables not read, each with why
    tables_skipped: list[str] = field(default_factory=list)

    def skip(self, bad: BadRow) -> None:
        self.rows_skipped += 1
        if len(self.skipped) < MAX_REPORTED_SKIPS:
            self.skipped.append(str(bad))

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _record(actor: Actor, summary: Summary, started: datetime) -> None:
    source = summary.source
    limit = ImportRun._meta.get_field("source").max_length or len(source)
    if len(source) > limit:  # a deep path: its end names the file
        source = "…" + source[-(limit - 1):]
    ImportRun.objects.create(member=actor.member, kind=summary.kind, source=source,
                             started_at=started, finished_at=clock.now(),
                             counts=summary.as_json())


def import_linkedin(actor: Actor, path: Path, progress: Progress | None = None,
                    reread: bool = False, apart: Apart | None = None,
                    source: str | None = None) -> Summary:
    """Import a LinkedIn export (zip, folder or one CSV). All or nothing: a rejected file
    raises UserError naming it, and nothing is written.

    When every table of the export has the same fingerprint (size and CRC-32 of its content)
    as the tables the member's last LinkedIn import read, the export is not read again: the
    summary lists each table as unchanged. One changed table and every table is read: the
    tables depend on each other (connections decide which invitations are pending, both
    decide whose messages are stored and who becomes acquainted). ``reread`` reads every
    table all the same (what is already stored is still recognised and kept once).

    ``apart`` is a scan of the export's messages that the caller started sooner
    (:func:`message_scan.start_early` on the same ``path``); it is ended in any case.
    ``source`` is what the import is recorded as coming from (default: ``path``)."""
    try:
        return _import_linkedin(actor, path, progress, reread, apart, source or str(path))
    except ImportRejected as exc:
        raise UserError(str(exc)) from None
    finally:
        if apart is not None:
            apart.stop()


def _import_linkedin(actor: Actor, path: Path, progress: Progress | None,
                     reread: bool, apart: Apart | None, source: str) -> Summary:
    from netiquette.importers.linkedin import open_export
    from netiquette.services.linkedin_run import LinkedInRun

    export = open_export(path)
    summary = Summary("linkedin", source,
                      ignored_files=[f"{n}: {why}" for n, why in export.ignored])
    # a second process started on the export reads the files anyway: it tells their prints
    prints = apart.fingerprints() if apart is not None else {}
    summary.tables = [{"file": t.name, "kind": t.kind,
                       "fingerprint": prints.get(t.source.name) or t.source.fingerprint()}
                      for t in export.tables]
    started = clock.now()
    tick = progress or (lambda n: None)
    with atomic_checked_once() as check:
        since = None if reread else _unchanged_since(actor, summary.tables)
        if since is not None:
            summary.tables_skipped = [
                f"{t['file']}: unchanged since import {since.pk} of "
                f"{since.started_at:%Y-%m-%d %H:%M} (same size and CRC-32), not read"
                for t in summary.tables]
        else:
            run = LinkedInRun(actor, summary, started)
            with fewer_collections():
                run.apply(export, tick, apart, check)
        _record(actor, summary, started)
        # every table the import may have written (its foreign keys are checked once)
        check(list(apps.get_app_config("core").get_models()) if since is None else [ImportRun])
    return summary


def _fingerprints(tables: list[dict[str, str]]) -> list[tuple[str, str]]:
    return sorted((t["kind"], t["fingerprint"]) for t in tables)


def _unchanged_since(actor: Actor, tables: list[dict[str, str]]) -> ImportRun | None:
    """The member's last LinkedIn import, if it read tables with the same fingerprints."""
    last = ImportRun.objects.filter(member=actor.member, kind="linkedin").order_by("-id").first()
    if last is None or not isinstance(last.counts, dict):
        return None
    before = last.counts.get("tables")
    if not isinstance(before, list) or not all(isinstance(t, dict) for t in before):
        return None
    try:
        same = _fingerprints(before) == _fingerprints(tables)
    except (KeyError, TypeError):
        return None
    return last if same else None


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
    def added() -> None:
        summary.people_added += 1

    def updated() -> None:
        summary.people_updated += 1

    people = People(actor, started, added, updated)
    for item in records:
        tick(1)
        if isinstance(item, BadRow):
            summary.skip(item)
            continue
        if not isinstance(item, ContactRecord):
            continue
        name = item.full_name or full_name(item.first_name, item.last_name)
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


def import_upload(actor: Actor, path: Path, kind: str = "auto",
                  name: str | None = None) -> dict[str, Any]:
    """The web app's upload: a LinkedIn export (zip or CSV) or a vCard file; the summary.
    ``path`` is where the upload was saved, ``name`` the file's own name (what the import
    is recorded as coming from, rather than a temporary file)."""
    source = name or path.name
    if kind == "auto":
        kind = "vcard" if Path(source).suffix.lower() in (".vcf", ".vcard") else "linkedin"
    if kind == "vcard":
        from netiquette.importers.addressbook import read_vcard

        return import_contacts(actor, read_vcard(path), "vcard", source).as_json()
    if kind == "linkedin":
        return import_linkedin(actor, path, source=source).as_json()
    raise UserError(f"unknown import kind '{kind}' (linkedin or vcard)")
