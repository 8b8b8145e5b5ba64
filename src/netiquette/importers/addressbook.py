"""Address books: vCard 3.0/4.0 files (through vobject) and contacts CSV exports.

Both yield :class:`ContactRecord` and :class:`BadRow`; a file that cannot be
read as a whole raises :class:`ImportRejected` with a one-line message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import vobject

from .base import Columns, Importer, Item, cell, norm_header
from .identity import plausible_email, profile_slug
from .records import BadRow, ContactRecord, ImportRejected
from .sources import DEFAULT_LIMITS, Limits, file_source, read_rows

MAP_KEYS = ("name", "first_name", "last_name", "email", "url", "company", "position")
_MULTI_SPLIT_RE = re.compile(r"\s*(?::::|;|,|\s)\s*")
RowReader = Callable[[list[str], int], ContactRecord]
_URLISH_RE = re.compile(r"^[a-z][a-z0-9+.-]*://|^www\.|linkedin\.com/", re.IGNORECASE)


def _contact(
    first: str, last: str, full: str, emails: list[str], urls: list[str],
    company: str, position: str, row: int,
) -> ContactRecord:
    full = full or " ".join(p for p in (first, last) if p)
    emails = list(dict.fromkeys(e for e in emails if e and plausible_email(e)))
    urls = list(dict.fromkeys(u for u in urls if u))
    if not (full or emails or urls):
        raise ValueError("contact without a name, e-mail address or URL")
    linkedin = next((u for u in urls if profile_slug(u)), None)
    return ContactRecord(
        first, last, full, tuple(emails), tuple(urls), linkedin, profile_slug(linkedin),
        company or None, position or None, row,
    )


# --- vCard -----------------------------------------------------------------------------------

def _values(card: vobject.base.Component, name: str) -> list[str]:
    out = []
    for line in card.contents.get(name, []):
        value = line.value
        out.append(value.strip() if isinstance(value, str) else str(value).strip())
    return out


def _card_record(card: vobject.base.Component, row: int) -> ContactRecord:
    first = last = ""
    if "n" in card.contents:
        n = card.n.value
        if isinstance(n, vobject.vcard.Name):
            first, last = str(n.given).strip(), str(n.family).strip()
    full = next(iter(_values(card, "fn")), "")
    urls = _values(card, "url")
    for key in ("x-socialprofile", "socialprofile", "impp"):
        urls += [u for u in _values(card, key) if profile_slug(u)]
    company = ""
    if "org" in card.contents:
        org = card.org.value
        company = (org[0] if isinstance(org, list) and org else str(org)).strip()
    title = next(iter(_values(card, "title")), "")
    return _contact(first, last, full, _values(card, "email"), urls, company, title, row)


def read_vcard(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Contacts of a vCard file (3.0 or 4.0; 2.1 as far as vobject reads it).

    ``row`` is the card's 1-based position in the file. LinkedIn profile URLs
    come from URL fields (and X-SOCIALPROFILE, as Apple and Google write them).
    """
    path = Path(path)
    name = str(path)
    file_source(path, limits)  # rejects a file larger than any real address book
    try:
        with open(path, encoding="utf-8-sig", errors="strict", newline="") as handle:
            seen = 0
            for seen, card in enumerate(vobject.readComponents(handle, ignoreUnreadable=True), 1):
                if card.name.upper() != "VCARD":
                    yield BadRow(name, seen, f"not a vCard ({card.name})")
                    continue
                try:
                    yield _card_record(card, seen)
                except ValueError as exc:
                    yield BadRow(name, seen, str(exc))
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"undecodable bytes (not UTF-8) near byte {exc.start}",
                             file=name) from None
    except vobject.base.ParseError as exc:
        line = getattr(exc, "lineNumber", None)
        where = f" at line {line}" if line else ""
        raise ImportRejected(f"not a readable vCard{where}: {exc.args[0] if exc.args else exc}",
                             file=name) from None
    if seen == 0:
        raise ImportRejected("no vCard (BEGIN:VCARD) found", file=name)


# --- CSV -------------------------------------------------------------------------------------

def _split_multi(value: str) -> list[str]:
    return [v for v in _MULTI_SPLIT_RE.split(value) if v] if value else []


def _numbered(cols: Columns, pattern: str) -> list[int]:
    rx = re.compile(pattern)
    return [i for h, i in sorted(cols.index.items(), key=lambda kv: kv[1]) if rx.fullmatch(h)]


def _google_reader(cols: Columns) -> RowReader:
    emails = _numbered(cols, r"e-mail \d+ - value")
    sites = _numbered(cols, r"website \d+ - value")
    first = cols.pos("first name") if "first name" in cols else cols.pos("given name")
    last = cols.pos("last name") if "last name" in cols else cols.pos("family name")
    org = cols.pos("organization name") if "organization name" in cols else cols.pos(
        "organization 1 - name")
    title = cols.pos("organization title") if "organization title" in cols else cols.pos(
        "organization 1 - title")
    full = cols.pos("name")
    middle = cols.pos("middle name") if "middle name" in cols else cols.pos("additional name")

    def read(row: list[str], line: int) -> ContactRecord:
        mails = [m for i in emails for m in _split_multi(cell(row, i))]
        urls = [u for i in sites for u in _split_multi(cell(row, i))]
        parts = (cell(row, first), cell(row, middle), cell(row, last))
        name = cell(row, full) or " ".join(p for p in parts if p)
        return _contact(parts[0], parts[2], name, mails, urls,
                        cell(row, org), cell(row, title), line)
    return read


def _outlook_reader(cols: Columns) -> RowReader:
    emails = [cols.pos(c) for c in ("e-mail address", "e-mail 2 address", "e-mail 3 address")]
    sites = [cols.pos(c) for c in ("web page", "personal web page")]
    first, last = cols.pos("first name"), cols.pos("last name")
    middle = cols.pos("middle name")
    org, title = cols.pos("company"), cols.pos("job title")

    def read(row: list[str], line: int) -> ContactRecord:
        parts = (cell(row, first), cell(row, middle), cell(row, last))
        return _contact(parts[0], parts[2], " ".join(p for p in parts if p),
                        [cell(row, i) for i in emails], [cell(row, i) for i in sites],
                        cell(row, org), cell(row, title), line)
    return read


def _mapped_reader(cols: Columns, mapping: dict[str, str], name: str) -> RowReader:
    unknown = sorted(set(mapping) - set(MAP_KEYS))
    if unknown:
        raise ImportRejected(f"unknown --map field(s) {', '.join(unknown)}; "
                             f"known: {', '.join(MAP_KEYS)}", file=name)
    if not {"name", "first_name", "last_name", "email", "url"} & set(mapping):
        raise ImportRejected("--map names no name, e-mail or URL column", file=name)
    pos = {}
    for key, column in mapping.items():
        if norm_header(column) not in cols:
            raise ImportRejected(f"missing column {column!r} (mapped to {key})", file=name)
        pos[key] = cols.pos(norm_header(column))

    def read(row: list[str], line: int) -> ContactRecord:
        get = {k: cell(row, p) for k, p in pos.items()}
        full = get.get("name", "")
        first, last = get.get("first_name", ""), get.get("last_name", "")
        if full and not (first or last):
            first, _, last = full.rpartition(" ") if " " in full else (full, "", "")
        urls = [u for u in _split_multi(get.get("url", "")) if _URLISH_RE.search(u)]
        return _contact(first, last, full, _split_multi(get.get("email", "")), urls,
                        get.get("company", ""), get.get("position", ""), line)
    return read


def contacts_csv_flavour(header: list[str]) -> str | None:
    """'google' or 'outlook' by header, or None."""
    cols = {norm_header(c) for c in header}
    if any(re.fullmatch(r"e-mail \d+ - value", c) for c in cols):
        return "google"
    if "e-mail address" in cols and "first name" in cols and "last name" in cols:
        return "outlook"
    return None


def parse_mapping(text: str) -> dict[str, str]:
    """``name=Full Name,email=E-mail,url=Profile`` as a dict (what ``--map`` takes)."""
    mapping = {}
    for part in text.split(","):
        key, sep, column = part.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise ValueError(f"--map entry {part!r} is not field=Column")
        mapping[key.strip().lower()] = column.strip()
    return mapping


def read_contacts_csv(
    path: str | Path, mapping: dict[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS, encoding: str = "utf-8-sig",
) -> Iterator[Item]:
    """Contacts of a Google Contacts or Outlook CSV export (told apart by header),
    or of any CSV whose columns ``mapping`` names (keys: ``MAP_KEYS``).

    Several values in one cell (Google's " ::: ", or ``;``) are split.
    """
    source = file_source(Path(path), limits)
    rows = read_rows(source, encoding=encoding)
    first = next(rows, None)
    if first is None:
        raise ImportRejected("empty file", file=source.name)
    cols = Columns(first[1])
    flavour = contacts_csv_flavour(first[1])
    if mapping:
        read = _mapped_reader(cols, mapping, source.name)
    elif flavour == "google":
        read = _google_reader(cols)
    elif flavour == "outlook":
        read = _outlook_reader(cols)
    else:
        raise ImportRejected("header is neither Google Contacts nor Outlook; give a column map "
                             "like name=Full Name,email=E-mail,url=Profile", file=source.name)
    for line, fields in rows:
        if not any(f.strip() for f in fields):
            continue
        try:
            yield read(fields, line)
        except ValueError as exc:
            yield BadRow(source.name, line, str(exc))


class VCardImporter(Importer):
    name = "vcard"

    def identify(self, path: Path) -> bool:
        with open(path, "rb") as handle:
            return b"BEGIN:VCARD" in handle.read(4096).upper()

    def stream(self, path: Path) -> Iterator[Item]:
        return read_vcard(path)


class ContactsCsvImporter(Importer):
    name = "contacts-csv"

    def __init__(self, mapping: dict[str, str] | None = None):
        self.mapping = mapping

    def identify(self, path: Path) -> bool:
        try:
            first = next(read_rows(file_source(Path(path))), None)
        except ImportRejected:
            return False
        return first is not None and (bool(self.mapping) or contacts_csv_flavour(first[1])
                                      is not None)

    def stream(self, path: Path) -> Iterator[Item]:
        return read_contacts_csv(path, self.mapping)
