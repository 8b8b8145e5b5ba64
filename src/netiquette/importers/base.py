"""The importer interface, and stable external keys for de-duplication.

Two levels, both small:

* :class:`Importer` works on a path: ``identify(path)`` says whether it can read
  it, ``stream(path)`` yields records and :class:`BadRow` values in file order,
  and raises :class:`ImportRejected` when the whole input must be refused.
* :class:`TableImporter` works on one CSV table: ``identify(header, name)``
  recognises it by its header, ``stream(source)`` turns its rows into records.
"""

from __future__ import annotations

import gc
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path
from typing import ClassVar

from .identity import normalize_name
from .records import (
    BadRow,
    ConnectionRecord,
    ContactRecord,
    ImportRejected,
    InvitationRecord,
    MessageRecord,
    ProfileRecord,
    Record,
)
from .sources import CsvSource, read_rows

Item = Record | BadRow


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector, seldom while a large import runs.

    An import makes hundreds of thousands of objects that live to its end (people, rows,
    counts, cases) and little cyclic garbage: with Python's default (a collection every 700
    new objects, and collections of everything as they pile up) the collector cost a large
    import 0.08 s for nothing. What exists before (Django, the app) is frozen out of its
    reach; a collection every 50,000 new objects still frees any cycles, so the memory
    stays flat."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def give_back_memory() -> None:
    """Hand the C heap's free memory back to the system (glibc's ``malloc_trim``; nothing
    where there is no such call).

    Memory that Python and numpy free in the middle of the heap stays with the process: after
    the pending invitations of a large export are judged, 19 MB of it, which the import
    would hold to its end beside its second process (see ``bench/bench_import.py``)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


def utc_text(at: datetime, written: str = "") -> str:
    """The UTC time ``at`` as text, ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (as SQLite stores it,
    and as the text sorts as the times do): ``written`` when that is how it reads ``at``
    already (an export's ``2023-06-11 15:33:58 UTC`` or without `` UTC``: formatting costs
    more than that), else formatted."""
    n = len(written)
    if (n == 19 or n == 23 and written[19:] == " UTC") and written[4] == "-" == written[7] \
            and written[10] == " " and written[13] == ":" == written[16]:
        return written[:19]  # read by fromisoformat into ``at``: the same fields
    return str(at if at.tzinfo is UTC else at.astimezone(UTC))[:-6]  # without its +00:00


def too_short(name: str, line: int, fields: int, width: int) -> BadRow:
    """A row with fewer fields than a record needs."""
    return BadRow(name, line, f"row has {fields} fields, the header {width} (cut short?)")


class Importer(ABC):
    """Reads one kind of input file (or archive) into records."""

    name: ClassVar[str]

    @abstractmethod
    def identify(self, path: Path) -> bool:
        """Whether this importer can read ``path`` (cheap: looks at names and headers)."""

    @abstractmethod
    def stream(self, path: Path) -> Iterator[Item]:
        """Yield records and bad rows; raise :class:`ImportRejected` for a refused input."""


def norm_header(cell: str) -> str:
    """Header cell as compared: no BOM, no surrounding space, case-folded, single spaces."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


class Columns:
    """Positions of the named columns of a header; absent columns read as ''."""

    __slots__ = ("index", "width")

    def __init__(self, header: Sequence[str]):
        self.index: dict[str, int] = {}
        for i, cell in enumerate(header):
            self.index.setdefault(norm_header(cell), i)
        self.width = len(header)

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def pos(self, name: str) -> int:
        """Index of ``name``, or -1 when the header lacks it."""
        return self.index.get(name, -1)

    def slot(self, name: str) -> int:
        """Index of ``name`` in a padded row (see ``TableImporter``): absent reads ''."""
        return self.index.get(name, self.width)


RowParser = Callable[[list[str], int], "Record | None"]


def cell(row: list[str], pos: int) -> str:
    """The stripped value at ``pos``; '' when the column is absent or the row short."""
    return row[pos].strip() if 0 <= pos < len(row) else ""


class TableImporter(ABC):
    """One kind of CSV table, recognised by its header.

    A header is this table's when it has at least one ``distinctive`` column and
    at least half of the ``required`` ones; a recognised table that lacks a
    required column is then rejected (rather than silently skipped).
    ``row_parser(cols)`` returns the function that turns one row into a record;
    it gets rows padded to the header's width plus one empty cell, so
    ``row[cols.slot(name)]`` is always safe ('' for an absent column). It raises
    ``ValueError`` for a bad row, which becomes a :class:`BadRow`; it returns
    None for a row that is silently not imported.
    """

    kind: ClassVar[str]
    required: ClassVar[tuple[str, ...]]
    distinctive: ClassVar[frozenset[str]]
    max_preamble: ClassVar[int] = 0  # records allowed before the header

    def identify(self, header: Sequence[str], name: str = "") -> bool:
        cols = {norm_header(c) for c in header}
        present = sum(1 for c in self.required if c in cols)
        return bool(self.distinctive & cols) and 2 * present >= len(self.required)

    def missing(self, header: Sequence[str]) -> list[str]:
        cols = {norm_header(c) for c in header}
        return [c for c in self.required if c not in cols]

    @abstractmethod
    def row_parser(self, cols: Columns) -> RowParser:
        """The row-to-record function for a table with these columns."""

    def rows(self, source: CsvSource) -> tuple[Columns, Iterator[tuple[int, list[str]]]]:
        """The columns of ``source``'s header (found and checked) and its rows after it, as
        ``(line, fields)``, unpadded (see :meth:`fitted`)."""
        rows = read_rows(source)
        header: list[str] | None = None
        for count, (_line, fields) in enumerate(rows):
            if self.identify(fields, source.name):
                header = fields
                break
            if count >= self.max_preamble:
                break
        if header is None:
            raise ImportRejected(f"not a {self.kind} table (header not found)", file=source.name)
        gone = self.missing(header)
        if gone:
            raise ImportRejected(f"missing required column(s): {', '.join(gone)}", file=source.name)
        return Columns(header), rows

    def fitted(self, cols: Columns, rows: Iterator[tuple[int, list[str]]],
               name: str) -> Iterator[tuple[int, list[str] | BadRow]]:
        """``rows`` as a row parser takes them: padded to the header's width plus one empty
        cell (extra cells dropped); a BadRow for a row too short; blank rows left out."""
        width = cols.width
        need = self.needed(cols)
        for line, fields in rows:
            n = len(fields)
            if n != width:
                if n == 0 or (n == 1 and not fields[0].strip()):
                    continue
                if n < need:
                    yield line, too_short(name, line, n, width)
                    continue
                if n < width:
                    fields.extend([""] * (width - n))
                else:
                    del fields[width:]  # unknown extra cells are ignored
            fields.append("")
            yield line, fields

    def needed(self, cols: Columns) -> int:
        """How many fields a row needs at least (to hold every required column)."""
        return max(cols.pos(c) for c in self.required) + 1

    def stream(self, source: CsvSource) -> Iterator[Item]:
        """Records of ``source``: finds the header, checks it, parses each row."""
        cols, rows = self.rows(source)
        parse = self.row_parser(cols)
        for line, row in self.fitted(cols, rows, source.name):
            if type(row) is BadRow:
                yield row
                continue
            try:
                record = parse(row, line)  # type: ignore[arg-type]
            except ValueError as exc:
                yield BadRow(source.name, line, str(exc))
                continue
            if record is not None:
                yield record


def _digest(text: str) -> str:
    return blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


#: the longest external key the store keeps; a longer one (long names, long conversation ids)
#: keeps its start and ends with a digest of the whole, so it stays unique and stable
KEY_MAX = 300


def bounded(key: str) -> str:
    if len(key) <= KEY_MAX:
        return key
    return f"{key[:KEY_MAX - 17]}#{_digest(key)}"


def _who(slug: str | None, name: str) -> str:
    return slug if slug else "~" + normalize_name(name)


def message_key(record: MessageRecord, stamp: str | None = None) -> str:
    """:func:`external_key` of a message (the hot path of a large import); ``stamp`` is
    ``record.sent_at.isoformat()`` when the caller has it already."""
    who = record.sender_slug or "~" + normalize_name(record.sender)
    digest = blake2b(record.content.encode("utf-8"), digest_size=8).hexdigest()
    stamp = stamp or record.sent_at.isoformat()
    return bounded(f"msg:{record.conversation_id}:{stamp}:{who}:{digest}")


def external_key(record: Record) -> str:
    """A key that stays the same for the same fact across exports (for de-duplication).

    Connections: slug, else e-mail, else normalised name. Invitations: direction,
    the other person (slug or name) and time. Messages: conversation, time,
    sender and a hash of the content. Contacts: slug, else first e-mail, else name.
    """
    if isinstance(record, MessageRecord):
        return message_key(record)
    if isinstance(record, InvitationRecord):
        who = _who(record.counterpart_slug, record.counterpart_name)
        return bounded(f"inv:{record.direction}:{who}:{record.sent_at.isoformat()}")
    if isinstance(record, ConnectionRecord):
        if record.slug or record.email:
            return bounded(f"conn:{record.slug or (record.email or '').lower()}")
        return bounded(f"conn:~{normalize_name(f'{record.first_name} {record.last_name}')}")
    if isinstance(record, ContactRecord):
        first_email = record.emails[0].lower() if record.emails else ""
        return bounded(
            f"contact:{record.slug or first_email or '~' + normalize_name(record.full_name)}")
    if isinstance(record, ProfileRecord):
        return "profile"
    raise TypeError(f"no external key for {type(record).__name__}")
