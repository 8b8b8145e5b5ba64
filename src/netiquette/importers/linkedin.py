"""LinkedIn's "Get a copy of your data" export: tables recognised by header, read streaming.

``open_export(path)`` takes the export zip, its unpacked folder, or a single
CSV; it checks the input up front (see :mod:`.sources`) and recognises the
tables it holds. ``LinkedInExport.stream()`` then yields records and
:class:`BadRow` values, table by table (profile, connections, invitations,
messages), reading CSV members straight from the zip.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from .base import Columns, Importer, Item, RowParser, TableImporter
from .identity import plausible_email, profile_slug
from .records import (
    BadRow,
    ConnectionRecord,
    ImportRejected,
    InvitationRecord,
    MessageRecord,
    ProfileRecord,
)
from .sources import DEFAULT_LIMITS, CsvSource, Limits, file_source, folder_sources, read_rows
from .sources import zip_sources as _zip_sources

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
ASSISTANT_CHAT_FILES = frozenset(
    {"guide_messages.csv", "learning_coach_messages.csv", "learning_role_play_messages.csv"}
)
_SENT_AT_RE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$"
)
#: how many profile URLs' slugs a messages table remembers (about 200 bytes each)
SLUGS_REMEMBERED = 16384
_URL_SPLIT_RE = re.compile(r"[\s,;|]+")
_URL_SEPARATOR_RE = re.compile(r"[ \t\r\n,;|]")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_connected_on(text: str) -> date | None:
    """``12 Mar 2024`` or ``12 Mar 19`` (also ISO ``2024-03-12``); '' gives None."""
    if not text:
        return None
    parts = text.replace(",", " ").split()
    try:
        if len(parts) == 3 and parts[1][:3].lower() in MONTHS:
            return date(_year(parts[2]), MONTHS[parts[1][:3].lower()], int(parts[0]))
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unreadable date {text!r} in 'Connected On'") from None


def parse_sent_at(text: str) -> datetime:
    """``1/29/26, 2:37 PM`` (month first, no zone: taken as UTC); also 24-hour times."""
    match = _SENT_AT_RE.match(text.strip())
    if match is None:
        raise ValueError(f"unreadable time {text!r} in 'Sent At'")
    month, day, year, hour, minute, second, ampm = match.groups()
    h = int(hour)
    if ampm:
        if not 1 <= h <= 12:
            raise ValueError(f"unreadable time {text!r} in 'Sent At'")
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        return datetime(_year(year), int(month), int(day), h, int(minute), int(second or 0),
                        tzinfo=UTC)
    except ValueError:
        raise ValueError(f"unreadable time {text!r} in 'Sent At'") from None


def parse_message_date(text: str) -> datetime:
    """``2023-06-11 15:33:58 UTC``, with or without `` UTC`` (naive times are UTC)."""
    raw = text.strip()
    try:
        if raw.endswith(" UTC"):
            return datetime.fromisoformat(raw[:-4] + "+00:00")
        stamp = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"unreadable time {text!r} in 'DATE'") from None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def message_time(date: str) -> datetime:
    """:func:`parse_message_date`, with the usual ``2023-06-11 15:33:58 UTC`` (or without
    its `` UTC``) read fast."""
    n = len(date)
    if n == 19 or (n == 23 and date.endswith(" UTC")):
        try:
            return datetime.fromisoformat(date[:19] + "+00:00")
        except ValueError:
            pass  # parse_message_date reads it, or says what is wrong
    return parse_message_date(date)


def _opt(text: str) -> str | None:
    return text or None


class ProfileTable(TableImporter):
    kind = "profile"
    required = ("first name", "last name")
    distinctive = frozenset({"headline", "maiden name", "summary", "industry"})

    def row_parser(self, cols: Columns) -> RowParser:
        first, last, headline = (cols.slot(c) for c in ("first name", "last name", "headline"))

        def parse(row: list[str], line: int) -> ProfileRecord:
            return ProfileRecord(row[first].strip(), row[last].strip(),
                                 row[headline].strip() or None, line)
        return parse


class ConnectionsTable(TableImporter):
    kind = "connections"
    required = ("first name", "last name", "connected on")
    distinctive = frozenset({"connected on"})
    max_preamble = 5

    def row_parser(self, cols: Columns) -> RowParser:
        first_at, last_at, url_at, email_at, company_at, position_at, on_at = (
            cols.slot(c) for c in ("first name", "last name", "url", "email address", "company",
                                   "position", "connected on"))
        # connections share their days: a few thousand distinct dates, each read once
        connected_on = lru_cache(maxsize=4096)(parse_connected_on)

        def parse(row: list[str], line: int) -> ConnectionRecord:
            first, last, url = row[first_at].strip(), row[last_at].strip(), row[url_at].strip()
            if not (first or last or url):
                raise ValueError("connection without a name or profile URL (hidden member)")
            email = row[email_at].strip()
            if email and not plausible_email(email):
                raise ValueError(f"{email[:80]!r} in 'Email Address' is not an e-mail address")
            return ConnectionRecord(
                first, last, url or None, profile_slug(url), email or None,
                row[company_at].strip() or None, row[position_at].strip() or None,
                connected_on(row[on_at].strip()), line,
            )
        return parse


class InvitationsTable(TableImporter):
    kind = "invitations"
    required = ("from", "to", "sent at", "direction")
    distinctive = frozenset({"sent at", "direction", "inviterprofileurl", "inviteeprofileurl"})

    def row_parser(self, cols: Columns) -> RowParser:
        from_at, to_at, sent_at, message_at, dir_at, inviter_at, invitee_at = (
            cols.slot(c) for c in ("from", "to", "sent at", "message", "direction",
                                   "inviterprofileurl", "inviteeprofileurl"))

        def parse(row: list[str], line: int) -> InvitationRecord:
            direction = row[dir_at].strip().lower()
            if direction not in ("incoming", "outgoing"):
                raise ValueError(f"unknown direction {direction!r} (INCOMING or OUTGOING)")
            inviter, invitee = row[inviter_at].strip(), row[invitee_at].strip()
            return InvitationRecord(
                row[from_at].strip(), row[to_at].strip(), parse_sent_at(row[sent_at]),
                row[message_at].strip() or None,
                "incoming" if direction == "incoming" else "outgoing",
                inviter or None, invitee or None, profile_slug(inviter), profile_slug(invitee),
                line,
            )
        return parse


#: a message's conversation, people and time (:meth:`MessagesTable.head_parser`): the
#: conversation id, the sender's name, profile URL and slug ('' for none), the recipients'
#: names, URLs and slugs, and when it was sent (UTC)
Head = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], datetime]


def split_recipients(names: str, urls: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split the export's recipient lists; the separator varies (``,`` ``;`` spaces).

    URLs never contain those separators. Names are split on ``;`` when present,
    else on ``,`` when that gives one name per URL (or there are no URLs and
    the pieces look like full names), so "Doe, PhD" stays whole next to one URL.
    """
    urls, text = urls.strip(), names.strip()
    if "," not in text and ";" not in text and not _URL_SEPARATOR_RE.search(urls):
        return ((text,) if text else ()), ((urls,) if urls else ())  # the common case
    url_list = tuple(u for u in _URL_SPLIT_RE.split(urls) if u)
    if not text:
        return (), url_list
    if ";" in text:
        parts = text.split(";")
    elif "," in text:
        pieces = [p.strip() for p in text.split(",")]
        fits = len(pieces) == len(url_list) if url_list else all(" " in p for p in pieces)
        parts = pieces if fits else [text]
    else:
        parts = [text]
    return tuple(p.strip() for p in parts if p.strip()), url_list


class MessagesTable(TableImporter):
    """Conversations. Drafts (``IS MESSAGE DRAFT`` = yes) were never sent: skipped."""

    kind = "messages"
    required = ("conversation id", "from", "to", "date", "content")
    distinctive = frozenset({"conversation id", "sender profile url", "recipient profile urls"})

    def row_parser(self, cols: Columns) -> RowParser:
        head = self.head_parser(cols)
        title_at, subject_at, content_at, folder_at = (cols.slot(c) for c in (
            "conversation title", "subject", "content", "folder"))

        def parse(row: list[str], line: int) -> MessageRecord | None:
            found = head(row, line)
            if found is None:
                return None  # a draft
            conversation, sender, sender_url, sender_slug, recipients, urls, slugs, sent_at = (
                found)
            return MessageRecord(
                conversation, row[title_at].strip() or None, sender, sender_url or None,
                sender_slug or None, recipients, urls, sent_at,
                row[subject_at].strip() or None, row[content_at].strip(),
                row[folder_at].strip() or None, line, slugs,
            )
        return parse

    def head_parser(self, cols: Columns) -> Callable[[list[str], int], Head | None]:
        """What :meth:`row_parser`'s function makes of a row's conversation, people and
        time, and no more (a :data:`Head`; None for a draft), with the same checks: for a
        reader that needs the rest of a row only now and then."""
        id_at, from_at, sender_at, to_at, urls_at, date_at, draft_at = (cols.slot(c) for c in (
            "conversation id", "from", "sender profile url", "to", "recipient profile urls",
            "date", "is message draft"))
        # A message export names the same few thousand profile URLs over and over: their
        # slugs are remembered ('' for none; for this table only, and only so many of them).
        slug_of: dict[str, str] = {}

        def remember(url: str) -> str:
            if len(slug_of) >= SLUGS_REMEMBERED:
                slug_of.clear()
            found = slug_of[url] = profile_slug(url) or ""
            return found

        def slug(url: str) -> str | None:
            return (slug_of.get(url) or remember(url)) or None

        separator = _URL_SEPARATOR_RE.search

        def head(row: list[str], line: int) -> Head | None:
            draft = row[draft_at]
            if draft and draft.strip().lower() in ("yes", "true"):
                return None
            to, url_text = row[to_at].strip(), row[urls_at].strip()
            slugs: tuple[str, ...]
            if "," in to or ";" in to or separator(url_text):
                recipients, urls = split_recipients(to, url_text)
                slugs = tuple(s for s in map(slug, urls) if s)
            else:  # the common case: one name, at most one URL (as split_recipients does)
                recipients = (to,) if to else ()
                urls = (url_text,) if url_text else ()
                one = (slug_of.get(url_text) or remember(url_text)) if url_text else ""
                slugs = (one,) if one else ()
            sender_url = row[sender_at].strip()
            sender_slug = (slug_of.get(sender_url) or remember(sender_url)) if sender_url else ""
            return (row[id_at].strip(), row[from_at].strip(), sender_url, sender_slug,
                    recipients, urls, slugs, message_time(row[date_at]))
        return head


TABLES: tuple[TableImporter, ...] = (
    MessagesTable(), InvitationsTable(), ConnectionsTable(), ProfileTable()
)
ORDER = {"profile": 0, "connections": 1, "invitations": 2, "messages": 3}


def is_assistant_chat(source: CsvSource) -> bool:
    """Files with the messages header that hold chats with LinkedIn's assistants."""
    base = source.basename.lower()
    return base in ASSISTANT_CHAT_FILES or (base.endswith("_messages.csv"))


def recognise(source: CsvSource) -> TableImporter | None:
    """The table kind of ``source`` by its header (a short preamble allowed), or None."""
    for count, (_line, fields) in enumerate(read_rows(source)):
        for table in TABLES:
            if count <= table.max_preamble and table.identify(fields, source.name):
                return table
        if count >= max(t.max_preamble for t in TABLES):
            return None
    return None


@dataclass(frozen=True)
class Table:
    """A recognised table of an export."""

    kind: str
    source: CsvSource
    reader: TableImporter

    @property
    def name(self) -> str:
        return self.source.name

    def stream(self) -> Iterator[Item]:
        return self.reader.stream(self.source)


@dataclass(frozen=True)
class LinkedInExport:
    """A checked export: its recognised ``tables`` and the CSVs it ``ignored`` (with why)."""

    path: Path
    tables: tuple[Table, ...]
    ignored: tuple[tuple[str, str], ...] = field(default=())
    limits: Limits = DEFAULT_LIMITS

    def kinds(self) -> set[str]:
        return {t.kind for t in self.tables}

    def stream(self, *kinds: str) -> Iterator[Item]:
        """Records of every table (or only ``kinds``), profile first, messages last."""
        for table in self.tables:
            if not kinds or table.kind in kinds:
                yield from table.stream()

    def validate(self) -> dict[str, int]:
        """Read everything once without keeping it; counts per kind and of bad rows.

        Raises :class:`ImportRejected` like ``stream`` would. For all-or-nothing
        without a transaction: ``validate()`` first, then ``stream()``.
        """
        counts = {kind: 0 for kind in ORDER} | {"bad_rows": 0}
        for table in self.tables:
            for item in table.stream():
                counts["bad_rows" if isinstance(item, BadRow) else table.kind] += 1
        return counts


def open_export(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> LinkedInExport:
    """Open a LinkedIn export (zip, unpacked folder, or one CSV) and recognise its tables.

    Raises :class:`ImportRejected` (one line, naming the file) for an input that
    is unsafe, unreadable, or holds none of the tables.
    """
    path = Path(path)
    if not path.exists():
        raise ImportRejected("no such file or folder", file=str(path))
    single = False
    if path.is_dir():
        sources = folder_sources(path, limits)
    elif zipfile.is_zipfile(path) or path.suffix.lower() == ".zip" or _starts_like_zip(path):
        sources = _zip_sources(path, limits)
    else:
        sources, single = [file_source(path, limits)], True
    tables, ignored = [], []
    for source in sources:
        table = recognise(source)
        if table is None:
            ignored.append((source.name, "not a table netiquette reads"))
        elif table.kind == "messages" and is_assistant_chat(source) and not single:
            ignored.append((source.name, "assistant chat, not conversations"))
        else:
            tables.append(Table(table.kind, source, table))
    if not tables:
        what = "not a LinkedIn table" if single else "none of the LinkedIn tables"
        raise ImportRejected(
            f"{what} (Connections, Invitations, messages, Profile) recognised by header",
            file=str(path),
        )
    tables.sort(key=lambda t: (ORDER[t.kind], t.name))
    return LinkedInExport(path, tuple(tables), tuple(ignored), limits)


def _starts_like_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


class LinkedInImporter(Importer):
    """The :class:`Importer` face of :func:`open_export`."""

    name = "linkedin"

    def __init__(self, limits: Limits = DEFAULT_LIMITS):
        self.limits = limits

    def identify(self, path: Path) -> bool:
        try:
            open_export(path, self.limits)
        except ImportRejected:
            return False
        return True

    def stream(self, path: Path) -> Iterator[Item]:
        return open_export(path, self.limits).stream()
