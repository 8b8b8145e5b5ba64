"""Request and response shapes of the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from netiquette.domain import vocabulary as v


def _clean(text: str) -> str:
    """Refuse text a database cannot store: NUL characters and lone surrogates."""
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return text


Text = Annotated[str, Field(max_length=20_000), AfterValidator(_clean)]
Short = Annotated[str, Field(max_length=500), AfterValidator(_clean)]
PathName = Literal["inquire", "converse", "accept", "decline", "review"]
Label = Literal["generic", "personal"]
assert set(PathName.__args__) == set(v.PATHS)  # type: ignore[attr-defined]


class Error(Schema):
    detail: str


class AgendaItemOut(Schema):
    id: int
    kind: str
    case: int
    person: str
    due: datetime
    draft: str
    channel: str


class PageInfo(Schema):
    page: int
    per_page: int
    total: int
    pages: int


class AgendaPage(PageInfo):
    items: list[AgendaItemOut]


class CaseSummary(Schema):
    id: int
    person_id: int
    person: str
    path: str
    state: str
    outcome: str
    opened_at: datetime


class CasePage(PageInfo):
    items: list[CaseSummary]


class EventOut(Schema):
    kind: str
    at: str
    reason: str


class MessageOut(Schema):
    direction: str
    at: str
    text: str


class OpenActionOut(Schema):
    id: int
    kind: str
    due: str
    draft: str


class CaseDetail(Schema):
    id: int
    person: str
    person_id: int
    familiarity: str
    state: str
    outcome: str
    path: str
    rule: str
    why: str
    note: str
    verdict: str
    reasons: list[str]
    channel: str
    invited_at: str
    call_at: str | None
    events: list[EventOut]
    messages: list[MessageOut]
    open_actions: list[OpenActionOut]


class PersonSummary(Schema):
    id: int
    display_name: str
    familiarity: str
    company: str
    position: str


class PeoplePage(PageInfo):
    items: list[PersonSummary]


class PersonCase(Schema):
    id: int
    path: str
    state: str
    outcome: str
    opened_at: datetime


class ThreadOut(Schema):
    """A conversation counted from an import: messages each side sent, first and last."""

    channel: str
    sent: int
    received: int
    first_at: datetime
    last_at: datetime


class PersonDetail(Schema):
    id: int
    name: str
    familiarity: str
    company: str
    position: str
    profile_url: str
    emails: list[str]
    how_we_met: str
    can_say: str
    can_help_them: str
    they_can_help: str
    notes: str
    cases: list[PersonCase]
    threads: list[ThreadOut]


class ActionOut(Schema):
    id: int
    kind: str
    status: str
    case: int


class DoneIn(Schema):
    text: Text | None = None


class DraftIn(Schema):
    text: Text


class ReplyIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_clean)]


class DecideIn(Schema):
    path: PathName
    reason: Short = ""


class VerdictIn(Schema):
    label: Label
