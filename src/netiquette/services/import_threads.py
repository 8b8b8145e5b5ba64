"""An export's messages counted per conversation and person (:class:`core.models.Thread`).

An import keeps the text of a message only where a case needs it; every message is counted
here: how many each side sent, the first and the last. An export holds whole conversations,
so a newer export's counts are at least the stored ones: reading it raises them, and the
increase is the number of messages new. Reading the same export again changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from netiquette.core.models import Thread
from netiquette.domain import vocabulary as v
from netiquette.importers.base import utc_text
from netiquette.services.import_sql import Adapt, Rows, column, select, table, update_by_id
from netiquette.services.rows import as_datetime

FIELDS = ("member", "person", "channel", "external_key", "sent", "received", "first_at",
          "last_at")


class Threads:
    """Counts messages by (conversation key, person id) in memory; :meth:`write` stores them.
    Times are UTC text (:func:`~netiquette.importers.base.utc_text`), as a scan hands them
    over.

    :meth:`write_new` stores the threads the store did not hold sooner, while counting goes
    on (a scan hands its counts over in parts), and forgets them: a part that comes later
    adds to the stored counts. A thread stored before the import is held until
    :meth:`write`, which raises it to the export's whole count."""

    def __init__(self, member_id: int, channel: str = v.LINKEDIN) -> None:
        self.member_id, self.channel = member_id, channel
        #: (key, person id) -> [sent, received, first, last], counted since the last write
        self.seen: dict[tuple[str, int], list[Any]] = {}
        #: ... of threads stored before this import (read at the first write)
        self.held: dict[tuple[str, int], list[Any]] = {}
        self.stored: dict[tuple[str, int], tuple[int, int, int, str, str]] | None = None
        self.added = 0  # messages in the threads written new
        #: hashes (:func:`_mark`) of the (key, person id) of the threads written new: a part
        #: that comes later is added to the stored counts by an upsert. The others are
        #: plain inserts, which SQLite writes without a statement journal (see
        #: :func:`~netiquette.services.import_sql.or_fail`); with a ``DO UPDATE`` it
        #: keeps one, for 30 MB of writes in a large import. 2 MB for 40,000 threads.
        self.written: set[int] = set()

    def add(self, key: str, pid: int, sent: int, received: int, first: str | datetime,
            last: str | datetime) -> None:
        """Messages in conversation ``key`` between the owner and person ``pid``: ``sent``
        by the owner, ``received`` from them, the first and the last at those times (UTC
        text, or aware datetimes)."""
        if not isinstance(first, str):
            first = utc_text(first)
        if not isinstance(last, str):
            last = utc_text(last)
        _add_to(self.seen, (key, pid), sent, received, first, last)

    def write_new(self) -> None:
        """Store what was counted since the last write for threads the store did not hold
        before the import (adding to what this import stored of them), and forget it."""
        if not self.seen:
            return
        stored, stamp, held = self._stored(), Adapt().text_stamp, self.held
        written = self.written
        rows: list[tuple[Any, ...]] = []
        again: list[tuple[Any, ...]] = []
        for key_pid, counts in self.seen.items():
            if key_pid in stored:
                _add_to(held, key_pid, *counts)
                continue
            key, pid = key_pid
            sent, received, first, last = counts
            mark = _mark(key_pid)
            (again if mark in written else rows).append(
                (self.member_id, pid, self.channel, key, sent, received, stamp(first),
                 stamp(last)))
            written.add(mark)
            self.added += sent + received
        self.seen = {}
        Rows(Thread, FIELDS).insert(rows)
        _adding_rows().insert(again)

    def write(self) -> int:
        """Store new threads, raise the counts and widen the times of stored ones; returns
        how many messages that adds."""
        self.write_new()
        stamp, stored = Adapt().text_stamp, self._stored()
        changes: list[tuple[Any, ...]] = []
        added, self.added = self.added, 0
        for key_pid, (sent, received, first, last) in self.held.items():
            tid, sent0, received0, first0, last0 = stored[key_pid]
            now = (max(sent, sent0), max(received, received0), min(first, first0),
                   max(last, last0))
            if now != (sent0, received0, first0, last0):
                changes.append((now[0], now[1], stamp(now[2]), stamp(now[3]), tid))
                added += now[0] - sent0 + now[1] - received0
        update_by_id(Thread, ("sent", "received", "first_at", "last_at"), changes)
        self.held, self.stored = {}, None
        return added

    def _stored(self) -> dict[tuple[str, int], tuple[int, int, int, str, str]]:
        if self.stored is not None:
            return self.stored
        found = self.stored = {}
        for tid, key, pid, sent, received, first, last in select(
                f"SELECT id, external_key, {column(Thread, 'person')}, sent, received, "
                f"first_at, last_at FROM {table(Thread)} "
                f"WHERE {column(Thread, 'member')} = %s AND channel = %s",
                [self.member_id, self.channel]):
            found[(key, pid)] = (tid, sent, received, utc_text(as_datetime(first)),
                                 utc_text(as_datetime(last)))
        return found


#: what :attr:`Threads.written` holds of a thread (equal for some different threads: those
#: are written as a later part is)
_mark = hash


def _add_to(counts: dict[tuple[str, int], list[Any]], key_pid: tuple[str, int], sent: int,
            received: int, first: str, last: str) -> None:
    found = counts.get(key_pid)
    if found is None:
        counts[key_pid] = [sent, received, first, last]
        return
    found[0] += sent
    found[1] += received
    found[2], found[3] = min(found[2], first), max(found[3], last)


def _adding_rows() -> Rows:
    """Threads, some new; one this import stored already gets the new part's counts added and
    its times widened (times compare as stored: SQLite's text sorts as the times do)."""
    t = table(Thread)
    first, last = (f"CASE WHEN excluded.{c} {op} {t}.{c} THEN excluded.{c} ELSE {t}.{c} END"
                   for c, op in (("first_at", "<"), ("last_at", ">")))
    target = ", ".join(column(Thread, f) for f in ("member", "channel", "external_key",
                                                    "person"))
    return Rows(Thread, FIELDS, on_conflict=(
        f"({target}) DO UPDATE SET sent = {t}.sent + excluded.sent, "
        f"received = {t}.received + excluded.received, first_at = {first}, "
        f"last_at = {last}"))
