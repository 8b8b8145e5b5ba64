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
from netiquette.services.import_sql import Adapt, Rows, column, select, table, update_by_id
from netiquette.services.rows import as_datetime

FIELDS = ("member", "person", "channel", "external_key", "sent", "received", "first_at",
          "last_at")


class Threads:
    """Counts messages by (conversation key, person id) in memory; :meth:`write` stores them."""

    def __init__(self, member_id: int, channel: str = v.LINKEDIN) -> None:
        self.member_id, self.channel = member_id, channel
        #: (key, person id) -> [sent, received, first, last]
        self.seen: dict[tuple[str, int], list[Any]] = {}

    def add(self, key: str, pid: int, sent: int, received: int, first: datetime,
            last: datetime) -> None:
        """Messages in conversation ``key`` between the owner and person ``pid``: ``sent``
        by the owner, ``received`` from them, the first and the last at those times."""
        found = self.seen.get((key, pid))
        if found is None:
            self.seen[(key, pid)] = [sent, received, first, last]
            return
        found[0] += sent
        found[1] += received
        found[2], found[3] = min(found[2], first), max(found[3], last)

    def write(self) -> int:
        """Store new threads, raise the counts and widen the times of stored ones; returns
        how many messages that adds."""
        if not self.seen:
            return 0
        stamp = Adapt().stamp
        stored = self._stored()
        rows: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        added = 0
        for (key, pid), (sent, received, first, last) in self.seen.items():
            old = stored.get((key, pid))
            if old is None:
                rows.append((self.member_id, pid, self.channel, key, sent, received,
                             stamp(first), stamp(last)))
                added += sent + received
                continue
            tid, sent0, received0, first0, last0 = old
            now = (max(sent, sent0), max(received, received0), min(first, first0),
                   max(last, last0))
            if now != (sent0, received0, first0, last0):
                changes.append((now[0], now[1], stamp(now[2]), stamp(now[3]), tid))
                added += now[0] - sent0 + now[1] - received0
        Rows(Thread, FIELDS).insert(rows)  # it makes its own batches where they help
        update_by_id(Thread, ("sent", "received", "first_at", "last_at"), changes)
        self.seen = {}
        return added

    def _stored(self) -> dict[tuple[str, int], tuple[int, int, int, datetime, datetime]]:
        found = {}
        for tid, key, pid, sent, received, first, last in select(
                f"SELECT id, external_key, {column(Thread, 'person')}, sent, received, "
                f"first_at, last_at FROM {table(Thread)} "
                f"WHERE {column(Thread, 'member')} = %s AND channel = %s",
                [self.member_id, self.channel]):
            found[(key, pid)] = (tid, sent, received, as_datetime(first), as_datetime(last))
        return found
