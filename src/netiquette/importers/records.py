"""Immutable records produced by the importers, and errors as values.

Every record carries ``row``: the 1-based line number in its file where the
record starts (for vCards, the 1-based position of the card in the file), so a
later step can say exactly where a fact came from.

Records are named tuples: immutable, and cheap enough to make one per row of a
300,000-row export (a frozen dataclass costs four times as much to build).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, NamedTuple

Direction = Literal["incoming", "outgoing"]


class ProfileRecord(NamedTuple):
    """The owner of a LinkedIn export (``Profile.csv``)."""

    first_name: str
    last_name: str
    headline: str | None
    row: int = 0


class ConnectionRecord(NamedTuple):
    """One row of ``Connections.csv``: a first-degree connection of the owner."""

    first_name: str
    last_name: str
    url: str | None
    slug: str | None
    email: str | None
    company: str | None
    position: str | None
    connected_on: date | None
    row: int


class InvitationRecord(NamedTuple):
    """One row of ``Invitations.csv``. ``sent_at`` is UTC-aware (exports carry no zone)."""

    sender: str
    recipient: str
    sent_at: datetime
    message: str | None
    direction: Direction
    inviter_url: str | None
    invitee_url: str | None
    inviter_slug: str | None
    invitee_slug: str | None
    row: int

    @property
    def counterpart_slug(self) -> str | None:
        """The slug of the other person (inviter if incoming, invitee if outgoing)."""
        return self.inviter_slug if self.direction == "incoming" else self.invitee_slug

    @property
    def counterpart_name(self) -> str:
        """The name of the other person (sender if incoming, recipient if outgoing)."""
        return self.sender if self.direction == "incoming" else self.recipient


class MessageRecord(NamedTuple):
    """One row of ``messages.csv``. ``sent_at`` is UTC-aware.

    ``recipients`` and ``recipient_urls`` are split from the export's lists; the
    two tuples are aligned only when the export gave as many names as URLs.
    ``recipient_slugs`` holds the slugs of ``recipient_urls`` that are profile URLs.
    """

    conversation_id: str
    title: str | None
    sender: str
    sender_url: str | None
    sender_slug: str | None
    recipients: tuple[str, ...]
    recipient_urls: tuple[str, ...]
    sent_at: datetime
    subject: str | None
    content: str
    folder: str | None
    row: int
    recipient_slugs: tuple[str, ...] = ()


class ContactRecord(NamedTuple):
    """One address-book entry (vCard or contacts CSV)."""

    first_name: str
    last_name: str
    full_name: str
    emails: tuple[str, ...]
    urls: tuple[str, ...]
    linkedin_url: str | None
    slug: str | None
    company: str | None
    position: str | None
    row: int


Record = ProfileRecord | ConnectionRecord | InvitationRecord | MessageRecord | ContactRecord


class BadRow(NamedTuple):
    """A row that could not be read, as a value: the rest of the file goes on."""

    file: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}: {self.reason}"


class ImportRejected(Exception):
    """A whole file (or archive) is refused. ``str()`` is one line naming the file.

    Nothing from a rejected file should be kept: callers wrap an import in one
    transaction and roll back when this is raised, even mid-stream.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None):
        where = ""
        if file is not None:
            where = f"{file}, row {row}: " if row is not None else f"{file}: "
        text = " ".join(f"{where}{message}".split())  # always one line
        super().__init__(text)
        self.message = message
        self.file = file
        self.row = row
