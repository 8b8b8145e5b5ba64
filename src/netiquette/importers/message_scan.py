"""An export's messages reduced to what the store keeps of them, without the database.

:func:`scan` reads the messages tables and returns a :class:`Scan`: every message counted
per conversation and counterpart (whom the owner wrote to, or who wrote to the owner), and,
whole, the messages with the people a case may need them for (:class:`Wanted`). It reads
nothing but the export, so :func:`start` runs it in a second process while the first writes
people and cases (a large export's messages are most of its bytes); :meth:`Apart.result`
collects it. That process reads the export's other tables anyway, to learn what its scan
needs: it hands the first their fingerprints (:meth:`Apart.fingerprints`) and records
(:meth:`Apart.rows`), so the first reads no file twice. Run as ``python -m
netiquette.importers.message_scan`` it is that second process: a pickled :class:`Request` on
stdin (the export: it opens it and learns from it at once, so it can start before the store
is open), then a :class:`Known` (what the store knows, sent by :meth:`Apart.begin`); pickled
frames on stdout (see :func:`serve`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, cast

from netiquette import second_process

from .base import bounded, fewer_collections, message_key, too_short, utc_text
from .identity import full_name, normalize_name
from .linkedin import Head, LinkedInExport, MessagesTable, Table, message_time, open_export
from .records import (
    BadRow,
    ConnectionRecord,
    ImportRejected,
    InvitationRecord,
    MessageRecord,
    ProfileRecord,
)
from .sources import DEFAULT_LIMITS, Limits

TICK = 10_000  # messages between two progress frames of the second process
#: counted conversations per frame: the second process holds up to this many, and the
#: first takes them in at once (2,000 rather than 5,000: 6 MB less together, room for the
#: first process to judge notes meanwhile, at no cost in time)
CHUNK = 2_000

#: a counted conversation: (conversation key, counterpart's slug or '', counterpart's name) ->
#: [sent, received, first time, last time, the first and the last as the export wrote them]
Counted = dict[tuple[str, str, str], list[Any]]
#: a message kept whole: time, counterpart's name, slug, from the owner, text, key
Kept = tuple[datetime, str, str | None, bool, str, str]
#: a counted conversation as handed on: key, slug or '', name, sent, received, and the first
#: and the last time as UTC text (:func:`utc_text`: what SQLite stores, and how the export
#: writes them, so that most are never formatted)
Count = tuple[str, str, str, int, int, str, str]


@dataclass
class Wanted:
    """Whose messages are kept whole: people a case may be about (the import's own matching
    decides later; this only has to miss nobody). The import matches a message's counterpart
    by profile slug, else by name key unless both have a different slug; so a message with
    a slug is wanted by its slug or by the name of someone wanted without one."""

    slugs: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # the name keys of everyone wanted
    bare_names: set[str] = field(default_factory=set)  # ... of those without a slug

    def add(self, slug: str | None, name_key: str) -> None:
        self.names.add(name_key)
        if slug:
            self.slugs.add(slug)
        else:
            self.bare_names.add(name_key)

    def merge(self, other: Wanted) -> None:
        self.slugs |= other.slugs
        self.names |= other.names
        self.bare_names |= other.bare_names


@dataclass
class Scan:
    counted: Counted = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    def hand_over(self) -> Iterator[list[Count]]:
        """The counted conversations in chunks, forgotten as they go (so that they are
        never held twice)."""
        counted, chunk = self.counted, []
        while counted:
            (key, slug, name), (sent, received, first, last, first_text, last_text) = (
                counted.popitem())
            chunk.append((key, slug, name, sent, received, utc_text(first, first_text),
                          utc_text(last, last_text)))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def owner_slug(r: InvitationRecord) -> str | None:
    """The owner's profile slug as an invitation row shows it (they are the invitee of an
    incoming invitation, the inviter of an outgoing one)."""
    return r.invitee_slug if r.direction == "incoming" else r.inviter_slug


#: the tables the first process takes from the second as records (:meth:`Apart.rows`)
SHARED = ("connections", "invitations")
#: records per ``rows`` frame
ROWS_CHUNK = 1_000
#: handed records of one table: the table, its records (as plain tuples) and bad rows, and
#: whether this is the last part
Share = Callable[[Table, list[Any], bool], None]
_RECORDS = {"connections": ConnectionRecord, "invitations": InvitationRecord}


def learn(export: LinkedInExport, owner_names: set[str], wanted: Wanted,
          share: Share | None = None) -> set[str]:
    """Read the profile, connections and invitations for what a scan needs: adds the
    owner's name keys to ``owner_names``, and to ``wanted`` every incoming inviter whose
    profile is not a connection's; returns the owner's slugs. With ``share``, the records
    (as plain tuples) and bad rows of the :data:`SHARED` tables are handed to it as they
    are read, in parts, the last part of each table marked (the first process then need
    not read them)."""
    slugs: set[str] = set()
    connected: set[str] = set()
    for table in export.tables:
        if table.kind == "messages":
            continue
        send = share if table.kind in SHARED else None
        part: list[Any] = []
        for item in table.stream():
            if send is not None:
                # plain tuples pickle in half the time (a bad row stays itself)
                part.append(item if type(item) is BadRow else tuple(item))
                if len(part) == ROWS_CHUNK:
                    send(table, part, False)
                    part = []
            if isinstance(item, ProfileRecord):
                owner_names.add(normalize_name(full_name(item.first_name, item.last_name)))
            elif isinstance(item, ConnectionRecord):
                if item.slug:
                    connected.add(item.slug)
            elif isinstance(item, InvitationRecord):
                mine = owner_slug(item)
                if mine:
                    slugs.add(mine)
                if item.direction == "incoming" and item.inviter_slug not in connected:
                    wanted.add(item.inviter_slug, normalize_name(item.sender))
        if send is not None:
            send(table, part, True)
    return slugs


def scan(export: LinkedInExport, owner_names: set[str], owner_slugs: set[str], wanted: Wanted,
         tick: Callable[[int], None],
         hand_over: Callable[[list[Count]], None] | None = None,
         hand_over_kept: Callable[[list[Kept]], None] | None = None,
         chunk: int | None = None) -> Scan:
    """Count every message of the export's messages tables and keep those ``wanted``.

    With ``hand_over``, the counted conversations are handed to it in chunks as they
    accumulate (so the scan's memory stays flat): a conversation whose rows are far apart
    may then come in more than one chunk, each counting its part (the receiver adds them
    up). Without, they are all in the returned scan's ``counted``. With
    ``hand_over_kept`` too, the messages kept so far are handed to it with each chunk, in
    the export's order; the returned scan's ``kept`` holds those after the last. A chunk
    holds :data:`CHUNK` conversations, or ``chunk``."""
    result = Scan()
    tally = _Tally(result, owner_names, owner_slugs, wanted, hand_over, hand_over_kept,
                   CHUNK if chunk is None else chunk)
    for table in export.tables:
        if table.kind == "messages":
            tally.table(table, tick)
    return result


#: a row's parts that decide whom it counts for: conversation, sender and their URL,
#: recipients and their URLs, and the draft cell when there is one
_RowKey = tuple[str, ...]
#: how many distinct row keys are remembered (an export lists a conversation's messages
#: together, so a few suffice; the memory stays small whatever the export's size)
KEYS_REMEMBERED = 4096


class _Tally:
    """The scan of one export's messages tables into a :class:`Scan`.

    A row is read by the messages table's head parser (its conversation, people and time,
    with the row parser's checks), except that rows with the same conversation, sender,
    recipients and draft cell as one seen shortly before reuse what it made of that one:
    only their time is read (as the parser reads it). A row kept whole is parsed whole."""

    def __init__(self, result: Scan, owner_names: set[str], owner_slugs: set[str],
                 wanted: Wanted, hand_over: Callable[[list[Count]], None] | None,
                 hand_over_kept: Callable[[list[Kept]], None] | None, chunk: int) -> None:
        self.result, self.hand_over, self.hand_over_kept = result, hand_over, hand_over_kept
        self.chunk = chunk
        self.owner_names, self.owner_slugs, self.wanted = owner_names, owner_slugs, wanted
        self.is_owner: dict[str, bool] = {}
        self.is_wanted: dict[tuple[str, bool], bool] = {}

    def table(self, table: Table, tick: Callable[[int], None]) -> None:
        cols, rows = table.reader.rows(table.source)
        parse = cast(Callable[[list[str], int], MessageRecord | None],
                     table.reader.row_parser(cols))
        head = cast(MessagesTable, table.reader).head_parser(cols)  # (for a row's key)
        name, date_at = table.source.name, cols.slot("date")
        names = ["conversation id", "from", "sender profile url", "to", "recipient profile urls"]
        if "is message draft" in cols:
            names.append("is message draft")
        pick = itemgetter(*(cols.slot(c) for c in names))
        fromiso = datetime.fromisoformat
        seen: dict[_RowKey, _Counts | None] = {}
        last_key: _RowKey = ()
        other_key: _RowKey = ()
        last = other = None
        bad, kept, counted = self.result.bad, self.result.kept, self.result.counted
        chunk = self.chunk if self.hand_over is not None else -1
        count = 0
        width, need = cols.width, table.reader.needed(cols)
        for line, row in rows:  # as TableImporter.fitted gives them (without its generator)
            count += 1
            if count == TICK:
                tick(count)
                count = 0
            n = len(row)
            if n != width:
                if n == 0 or (n == 1 and not row[0].strip()):
                    continue
                if n < need:
                    bad.append(too_short(name, line, n, width))
                    continue
                if n < width:
                    row.extend([""] * (width - n))
                else:
                    del row[width:]
            row.append("")
            key: _RowKey = pick(row)
            # a conversation's rows come together, its two sides in turn: the last two keys
            # are compared before any is hashed
            if key == last_key:
                counts = last
            elif key == other_key:
                counts, last, other = other, other, last
                last_key, other_key = other_key, last_key
            else:
                counts = seen.get(key, _UNSEEN)
                if counts is not _UNSEEN:
                    other_key, other, last_key, last = last_key, last, key, counts
            if counts is _UNSEEN:
                if len(counted) >= chunk > 0:  # hand the counts over; start afresh
                    for part in self.result.hand_over():
                        self.hand_over(part)  # type: ignore[misc]
                    if kept and self.hand_over_kept is not None:
                        self.hand_over_kept(list(kept))
                        kept.clear()
                    seen.clear()
                    last_key, other_key, last, other = (), (), None, None
                try:
                    found = head(row, line)
                except ValueError as exc:
                    bad.append(BadRow(name, line, str(exc)))
                    continue
                date = row[date_at]
                counts = None if found is None else self._counts(found, date)
                if len(seen) >= KEYS_REMEMBERED:
                    seen.clear()
                seen[key] = counts
                other_key, other, last_key, last = last_key, last, key, counts
                if found is None or counts is None:
                    continue  # a draft
                at = found[7]
            elif counts is None:
                continue  # a draft
            else:
                date = row[date_at]
                n = len(date)
                try:  # as the row parser reads it: message_time, its usual case inline
                    at = (fromiso(date[:19] + "+00:00") if n == 23 and date[19:] == " UTC"
                          or n == 19 else message_time(date))
                except ValueError:
                    try:
                        at = message_time(date)  # it reads it another way, or says why not
                    except ValueError as exc:
                        bad.append(BadRow(name, line, str(exc)))
                        continue
            side = counts.side
            for entry in counts.entries:  # see Counted
                entry[side] += 1
                if at < entry[2]:
                    entry[2] = at
                    entry[4] = date
                elif at > entry[3]:
                    entry[3] = at
                    entry[5] = date
            if counts.wanted:
                record = parse(row, line)  # as the rows before it with this key
                assert record is not None
                self._keep(record, counts, kept)
        tick(count)

    def _counts(self, head: Head, date: str) -> _Counts:
        """Whom a message counts for: the owner's recipients, or its sender (``head`` is
        what the table's head parser makes of it, ``date`` its time as the export wrote
        it)."""
        conversation, sender, _url, sender_slug, recipients, _urls, slugs, at = head
        from_owner = bool(sender_slug and sender_slug in self.owner_slugs)
        if not from_owner:
            known = self.is_owner.get(sender)
            if known is None:
                known = self.is_owner[sender] = normalize_name(sender) in self.owner_names
            from_owner = known
        conversation = bounded(conversation)
        counted = self.result.counted
        entries, wanted = [], []
        for name, slug in _counterparts(sender, sender_slug, recipients, slugs, from_owner):
            key = (conversation, slug or "", name)
            entry = counted.get(key)
            if entry is None:
                entry = counted[key] = [0, 0, at, at, date, date]
            entries.append(entry)
            wanted.append(self._wanted(name, slug))
        return _Counts(0 if from_owner else 1, entries, tuple(wanted) if any(wanted) else ())

    def _wanted(self, name: str, slug: str | None) -> bool:
        if slug:
            if slug in self.wanted.slugs:
                return True
            if not self.wanted.bare_names:
                return False  # (by name, a slug is wanted only as someone without one)
        by_name = (name, not slug)
        want = self.is_wanted.get(by_name)
        if want is None:
            want = self.is_wanted[by_name] = normalize_name(name) in (
                self.wanted.bare_names if slug else self.wanted.names)
        return want

    @staticmethod
    def _keep(r: MessageRecord, counts: _Counts, kept: list[Kept]) -> None:
        mkey = message_key(r)
        from_owner = counts.side == 0
        who = _counterparts(r.sender, r.sender_slug, r.recipients, r.recipient_slugs,
                            from_owner)
        for n, ((name, slug), want) in enumerate(zip(who, counts.wanted, strict=True)):
            if want:
                kept.append((r.sent_at, name, slug, from_owner, r.content,
                             f"{mkey}:{n}" if n else mkey))


def _counterparts(sender: str, sender_slug: str | None, recipients: tuple[str, ...],
                  slugs: tuple[str, ...], from_owner: bool) -> list[tuple[str, str | None]]:
    """Whom a message is with, as (name, slug or None): the owner's recipients, or its
    sender."""
    if from_owner:
        return [(name, slugs[n] if n < len(slugs) else None)
                for n, name in enumerate(recipients)]
    return [(sender, sender_slug or None)]


@dataclass(slots=True)
class _Counts:
    """What rows with one key count for: ``side`` 0 (sent by the owner) or 1 (received),
    the counted entries they add to, and per entry whether it is wanted (empty: none is)."""

    side: int
    entries: list[list[Any]]
    wanted: tuple[bool, ...]


_UNSEEN: Any = object()


@dataclass
class Request:
    """What the second process is started with: the export to read (and how many counted
    conversations it hands over at a time: :data:`CHUNK`, as the first process has it)."""

    path: str
    limits: Limits
    chunk: int = CHUNK


@dataclass
class Known:
    """What the second process is told once the store is open: the owner's name keys and
    whose messages are wanted, as the store knows them (it adds what the export says)."""

    owner_names: set[str]
    wanted: Wanted


def serve(source: BinaryIO, out: BinaryIO) -> None:
    """The second process: read a :class:`Request` from ``source``, open the export and
    learn from it; then read a :class:`Known` (the store's part, which may come later), scan,
    and write frames, each a 4-byte length and a pickle: ``fingerprints`` first (see
    :meth:`Apart.fingerprints`), ``rows`` (the records of the :data:`SHARED` tables, see
    :meth:`Apart.rows`) while it learns, ``tick`` and ``counted`` (chunks of :data:`Count`)
    as the scan goes, then ``done`` with the rest of the :class:`Scan`; or ``rejected`` /
    ``failed`` with why. It ends quietly when ``source`` ends before the
    :class:`Known` (the first process needs no scan after all). The frames go to ``out``'s
    file descriptor by :func:`write_all`."""
    out.flush()
    fd = out.fileno()

    def frame(kind: str, value: Any) -> None:
        data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        write_all(fd, len(data).to_bytes(4, "big") + data)

    try:
        request: Request = pickle.load(source)
        with fewer_collections():
            export = open_export(request.path, request.limits)
            frame("fingerprints", {t.source.name: t.source.fingerprint() for t in export.tables})
            owner_names: set[str] = set()
            wanted = Wanted()
            slugs = learn(export, owner_names, wanted,
                          lambda table, part, last: frame("rows", (table.source.name, table.kind,
                                                                   part, last)))
            try:
                known: Known = pickle.load(source)
            except EOFError:
                return
            owner_names |= known.owner_names
            wanted.merge(known.wanted)
            found = scan(export, owner_names, slugs, wanted, lambda n: frame("tick", n),
                         lambda chunk: frame("counted", chunk),
                         lambda kept: frame("kept", kept), request.chunk)
        for chunk in found.hand_over():
            frame("counted", chunk)
        frame("done", found)
    except ImportRejected as exc:
        frame("rejected", str(exc))
    except Exception:  # a bug: the first process says so and rolls back
        frame("failed", traceback.format_exc())


def write_all(fd: int, data: bytes) -> None:
    """Write ``data`` whole to the pipe ``fd``, as many times as the system takes part of it.

    Not through a buffered file object: with Python 3.11.7, a write of half a megabyte
    through one (``sys.stdout.buffer``) lost bytes when the process was stopped and
    continued in the middle of it (``kill -STOP``/``-CONT``, a debugger, a sampling
    profiler), and the other end read garbage from then on."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Apart:
    """A scan running in a second process (:func:`start`). A thread of this process reads
    its frames as they come (so that it never waits to write); :meth:`result` works through
    them."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.found: Scan | None = None  # once its last frame is handled
        #: takes the messages kept whole as they come (see :meth:`result`)
        self.keep: Callable[[list[Kept]], None] | None = None
        self._kept: list[Kept] = []  # ... when there is no ``keep``
        self.prints: dict[str, str] | None = None  # once its first frame is handled
        self.frames: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.reader = threading.Thread(target=self._read, name="message-scan", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while len(head := stdout.read(4)) == 4:
                size = int.from_bytes(head, "big")
                data = stdout.read(size)
                if len(data) < size:
                    break
                self.frames.put(data)
        except (OSError, ValueError):
            pass  # closed: the process was stopped
        finally:
            self.frames.put(None)

    def fingerprints(self) -> dict[str, str]:
        """The fingerprint of every table of the export (by its source's name), as the
        second process read them first (it reads the files anyway; here it would cost a
        large export 0.04 s before anything else). Raises what it raised
        (:class:`ImportRejected` for a refused export)."""
        if self.prints is None:
            self.prints = self._expect("fingerprints", "first")
        return self.prints

    def begin(self, owner_names: Iterable[str], wanted: Wanted) -> None:
        """Tell the scan what the store knows (:class:`Known`); it scans from then on."""
        stdin = self.process.stdin
        if stdin is None:
            return
        try:
            write_all(stdin.fileno(), pickle.dumps(Known(set(owner_names), wanted),
                                                   protocol=pickle.HIGHEST_PROTOCOL))
            stdin.close()
        except OSError:
            pass  # it has ended already: its frames say why

    def result(self, tick: Callable[[int], None],
               count: Callable[[list[Count]], None]) -> Scan:
        """Wait for the scan, passing its progress to ``tick``, its counted conversations
        to ``count`` (in chunks) and the messages it keeps whole to :attr:`keep` (in parts,
        in the export's order, when set); the rest of the scan is returned (every message
        kept, without :attr:`keep`). Raises what the scan raised (:class:`ImportRejected`
        for a refused file) or RuntimeError when it failed."""
        try:
            self.fingerprints()  # its first frame
            while self.found is None:
                kind, value = self._next()
                self.found = self._handle(kind, value, tick, count)
            return self.found
        finally:
            self.stop()

    def take(self, tick: Callable[[int], None], count: Callable[[list[Count]], None]) -> None:
        """Work through the frames that have come so far, as :meth:`result` does, without
        waiting for more (so that this process does not hold them while it does something
        else first)."""
        self.fingerprints()  # its first frame (sent before any other)
        while self.found is None:
            try:
                data = self.frames.get_nowait()
            except queue.Empty:
                return
            if data is None:
                self.frames.put(None)  # for result(), which says so
                return
            kind, value = pickle.loads(data)
            self.found = self._handle(kind, value, tick, count)

    def rows(self, name: str) -> Iterator[Any]:
        """The records and bad rows of the table read from the source named ``name``, as
        the second process read them while it learned (it sends every :data:`SHARED`
        table of the export, in the export's order, before it scans). Raises what the
        second process raised (:class:`ImportRejected` for a refused file)."""
        self.fingerprints()  # its first frame
        while True:
            got, kind, part, last = self._expect("rows", f"before the rows of {name}")
            if got != name:
                raise RuntimeError(f"the process reading messages sent the rows of {got} "
                                   f"for those of {name}")
            record, new = _RECORDS[kind], tuple.__new__
            for item in part:
                yield new(record, item) if type(item) is tuple else item
            if last:
                return

    def _next(self) -> tuple[str, Any]:
        """The next frame, as (kind, value), once it comes; RuntimeError when the process
        ended without it."""
        data = self.frames.get()
        if data is None:
            self.frames.put(None)  # for whoever waits next: the same answer
            raise RuntimeError(
                f"the process reading messages stopped (exit {self.process.wait()})")
        return pickle.loads(data)  # type: ignore[no-any-return]

    def _expect(self, kind: str, when: str) -> Any:
        """The value of the next frame, which must be a ``kind`` frame (else what it says is
        raised, or that it came ``when`` it should not)."""
        got, value = self._next()
        if got != kind:
            _raise(got, value)
            raise RuntimeError(f"the process reading messages sent {got!r} {when}")
        return value

    def _handle(self, kind: str, value: Any, tick: Callable[[int], None],
                count: Callable[[list[Count]], None]) -> Scan | None:
        if kind == "tick":
            tick(value)
        elif kind == "counted":
            count(value)
        elif kind == "kept":
            if self.keep is not None:
                self.keep(value)
            else:
                self._kept.extend(value)
        elif kind == "done":
            if self._kept:
                value.kept[:0] = self._kept
                self._kept = []
            return value  # type: ignore[no-any-return]
        else:
            _raise(kind, value)
            raise RuntimeError(f"the process reading messages sent an unknown frame ({kind!r})")
        return None

    def stop(self) -> None:
        """End the second process (it only reads, so stopping it loses nothing)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(timeout=5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _raise(kind: str, value: Any) -> None:
    """Raise what a ``rejected`` or ``failed`` frame says (other frames: nothing)."""
    if kind == "rejected":
        raise ImportRejected(value)
    if kind == "failed":
        raise RuntimeError(f"the process reading messages failed:\n{value}")


def start(path: Path, limits: Limits = DEFAULT_LIMITS) -> Apart | None:
    """Start a second process on the export at ``path``: it opens the export and learns
    from it, then waits for :meth:`Apart.begin` to scan. None when no process can be
    started (the caller scans in its own)."""
    process = second_process.spawn()
    return None if process is None else attach(process, path, limits)


def attach(process: subprocess.Popen[bytes], path: Path,
           limits: Limits = DEFAULT_LIMITS) -> Apart | None:
    """Tell a second process started by :func:`second_process.spawn` to read the export at
    ``path``; None when it cannot be told (it is stopped)."""
    assert process.stdin is not None
    try:
        write_all(process.stdin.fileno(),
                  pickle.dumps(Request(str(path), limits, CHUNK), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        process.kill()
        process.wait()
        return None
    return Apart(process)


def start_early(path: Path) -> Apart | None:
    """:func:`start`, when ``path`` (a zip, a folder or a CSV) holds
    :data:`second_process.APART_FROM` bytes or more: for a caller that knows the path before
    the store is open, so the second process learns while the first sets up. None when it is
    smaller."""
    return start(path) if second_process.large(path) else None


if __name__ == "__main__":  # run under its own name, so the frames name its classes
    from netiquette.importers import message_scan

    message_scan.serve(sys.stdin.buffer, sys.stdout.buffer)
