"""An export's messages reduced to what the store keeps of them, without the database.

:func:`scan` reads the messages tables and returns a :class:`Scan`: every message counted
per conversation and counterpart (whom the owner wrote to, or who wrote to the owner), and,
whole, the messages with the people a case may need them for (:class:`Wanted`). It reads
nothing but the export, so :func:`start` runs it in a second process while the first reads
the other tables and writes people and cases (a large export's messages are most of its
bytes); :meth:`Apart.result` collects it. Run as ``python -m netiquette.importers.message_scan``
it is that second process: a pickled request on stdin, pickled frames on stdout.
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from .base import bounded, message_key
from .identity import full_name, normalize_name
from .linkedin import LinkedInExport, open_export
from .records import BadRow, ConnectionRecord, ImportRejected, InvitationRecord, ProfileRecord
from .sources import DEFAULT_LIMITS, Limits

TICK = 10_000  # messages between two progress frames of the second process
CHUNK = 5_000  # counted conversations per frame

#: a counted conversation: (conversation key, counterpart's slug or '', counterpart's name)
Counted = dict[tuple[str, str, str], list[Any]]
#: a message kept whole: time, counterpart's name, slug, from the owner, text, key
Kept = tuple[datetime, str, str | None, bool, str, str]
#: a counted conversation as handed on: key, slug or '', name, sent, received, first, last
Count = tuple[str, str, str, int, int, datetime, datetime]


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
            (key, slug, name), (sent, received, first, last) = counted.popitem()
            chunk.append((key, slug, name, sent, received, first, last))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def owner_slug(r: InvitationRecord) -> str | None:
    """The owner's profile slug as an invitation row shows it (they are the invitee of an
    incoming invitation, the inviter of an outgoing one)."""
    return r.invitee_slug if r.direction == "incoming" else r.inviter_slug


def learn(export: LinkedInExport, owner_names: set[str], wanted: Wanted) -> set[str]:
    """Read the profile, connections and invitations for what a scan needs: adds the
    owner's name keys to ``owner_names``, and to ``wanted`` every incoming inviter whose
    profile is not a connection's; returns the owner's slugs."""
    slugs: set[str] = set()
    connected: set[str] = set()
    for table in export.tables:
        if table.kind == "messages":
            continue
        for item in table.stream():
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
    return slugs


def scan(export: LinkedInExport, owner_names: set[str], owner_slugs: set[str], wanted: Wanted,
         tick: Callable[[int], None]) -> Scan:
    """Count every message of the export's messages tables and keep those ``wanted``."""
    result = Scan()
    counted, kept = result.counted, result.kept
    is_owner: dict[str, bool] = {}
    is_wanted: dict[tuple[str, bool], bool] = {}
    conversations: dict[str, str] = {}
    wanted_slugs = wanted.slugs

    def one(r: Any, name: str, slug: str | None, n: int, conversation: str,
            from_owner: bool) -> None:
        key = (conversation, slug or "", name)
        found = counted.get(key)
        at = r.sent_at
        if found is None:
            counted[key] = [1, 0, at, at] if from_owner else [0, 1, at, at]
        else:
            found[0 if from_owner else 1] += 1
            if at < found[2]:
                found[2] = at
            elif at > found[3]:
                found[3] = at
        want: bool | None
        if slug and slug in wanted_slugs:
            want = True
        else:
            by_name = (name, not slug)
            want = is_wanted.get(by_name)
            if want is None:
                want = is_wanted[by_name] = normalize_name(name) in (
                    wanted.bare_names if slug else wanted.names)
        if want:
            mkey = message_key(r)
            kept.append((at, name, slug, from_owner, r.content, f"{mkey}:{n}" if n else mkey))

    for table in export.tables:
        if table.kind != "messages":
            continue
        count = 0
        r: Any
        for r in table.stream():
            count += 1
            if count == TICK:
                tick(count)
                count = 0
            if type(r) is BadRow:
                result.bad.append(r)
                continue
            sender, sender_slug = r.sender, r.sender_slug
            from_owner = bool(sender_slug and sender_slug in owner_slugs)
            if not from_owner:
                known = is_owner.get(sender)
                if known is None:
                    known = is_owner[sender] = normalize_name(sender) in owner_names
                from_owner = known
            conversation = conversations.get(r.conversation_id)
            if conversation is None:
                conversation = conversations[r.conversation_id] = bounded(r.conversation_id)
            if from_owner:
                slugs = r.recipient_slugs
                for n, name in enumerate(r.recipients):
                    one(r, name, slugs[n] if n < len(slugs) else None, n, conversation, True)
            else:
                one(r, sender, sender_slug, 0, conversation, False)
        tick(count)
    return result


@dataclass
class Request:
    path: str
    limits: Limits
    owner_names: set[str]
    wanted: Wanted


def serve(request: Request, out: BinaryIO) -> None:
    """The second process: learn, scan, and write frames (``tick``; then ``counted`` with
    chunks of :data:`Count` and ``done`` with the rest of the :class:`Scan`; or ``rejected``
    / ``failed`` with why)."""

    def frame(kind: str, value: Any) -> None:
        pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        export = open_export(request.path, request.limits)
        owner_names, wanted = set(request.owner_names), request.wanted
        slugs = learn(export, owner_names, wanted)
        found = scan(export, owner_names, slugs, wanted, lambda n: frame("tick", n))
        for chunk in found.hand_over():
            frame("counted", chunk)
        frame("done", found)
    except ImportRejected as exc:
        frame("rejected", str(exc))
    except Exception:  # a bug: the first process says so and rolls back
        frame("failed", traceback.format_exc())


class Apart:
    """A scan running in a second process (:func:`start`)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    def result(self, tick: Callable[[int], None],
               count: Callable[[list[Count]], None]) -> Scan:
        """Wait for the scan, passing its progress to ``tick`` and its counted conversations
        to ``count`` (in chunks); the rest of the scan is returned. Raises what the scan
        raised (:class:`ImportRejected` for a refused file) or RuntimeError when it
        failed."""
        stdout: IO[bytes] | None = self.process.stdout
        assert stdout is not None
        try:
            while True:
                try:
                    kind, value = pickle.load(stdout)
                except EOFError:
                    raise RuntimeError(
                        f"the process reading messages stopped (exit {self.process.wait()})"
                    ) from None
                if kind == "tick":
                    tick(value)
                elif kind == "counted":
                    # the scan is over: take the rest at once so that the second process
                    # can end (and free its memory) before this one works through it
                    stdout = io.BytesIO(stdout.read())
                    self.process.wait()
                    count(value)
                elif kind == "done":
                    return value  # type: ignore[no-any-return]
                elif kind == "rejected":
                    raise ImportRejected(value)
                else:
                    raise RuntimeError(f"the process reading messages failed:\n{value}")
        finally:
            self.stop()

    def stop(self) -> None:
        """End the second process (it only reads, so stopping it loses nothing)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start(path: Path, owner_names: Iterable[str], wanted: Wanted,
          limits: Limits = DEFAULT_LIMITS) -> Apart | None:
    """Start scanning the messages of the export at ``path`` in a second process; None when
    no process can be started (the caller scans in its own)."""
    request = Request(str(path), limits, set(owner_names), wanted)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "netiquette.importers.message_scan"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    except OSError:
        return None
    assert process.stdin is not None
    try:
        pickle.dump(request, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()
    except OSError:
        process.kill()
        process.wait()
        return None
    return Apart(process)


if __name__ == "__main__":  # run under its own name, so the frames name its classes
    from netiquette.importers import message_scan

    message_scan.serve(pickle.load(sys.stdin.buffer), sys.stdout.buffer)
