"""Read models for the web app and the API: pages of cases, people and the agenda, filtered
and paginated in the database so they stay quick with tens of thousands of rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from netiquette.core.models import Case, Message, Person, Thread
from netiquette.domain import cases as sm
from netiquette.errors import NotFound
from netiquette.services import rows
from netiquette.services.agenda import AgendaItem, due_actions, due_counter
from netiquette.services.people import name_key

PER_PAGE = 25
MAX_PAGE = 10_000
# How far the web pages count ahead: counting is the one part of a page whose cost grows with
# the table (every open case of a member is visited), so a page counts at most this many rows
# from its first row and then says "1000+". The API counts exactly.
COUNT_AHEAD = 1000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int
    query: dict[str, str] = field(default_factory=dict)
    more: bool = False  # ``total`` is a lower bound: counting stopped there

    @property
    def pages(self) -> int:
        """The number of pages (a lower bound when ``more``)."""
        known = max(1, -(-self.total // self.per_page))
        return max(known, self.number + 1) if self.more else known

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_prev(self) -> bool:
        return self.number > 1


def page_number(value: object) -> int:
    """A page number from a query string: bad or out-of-range values mean page 1."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def _bounds(number: int, per_page: int) -> tuple[int, int]:
    start = (number - 1) * per_page
    return start, start + per_page


def _count(counter: Callable[[int | None], int], start: int, end: int,
           ahead: int | None) -> tuple[int, bool]:
    """How many rows there are, exactly; or, with ``ahead``, at most ``ahead`` from the page's
    ``start`` (and at least to its ``end``), and whether there are more than that.
    ``counter(limit)`` counts the rows, stopping at ``limit`` unless it is None."""
    if ahead is None:
        return counter(None), False
    limit = max(end, start + ahead)
    seen = counter(limit + 1)
    return min(seen, limit), seen > limit


def _qs_counter(qs: Any) -> Callable[[int | None], int]:
    return lambda limit: qs.count() if limit is None else qs[:limit].count()


_INBOX_COLUMNS = """c.id, c.person_id, p.display_name, p.familiarity, i.note, i.verdict,
    i.verdict_label, i.verdict_reasons, i.channel, c.path, c.rule, c.why, c.state,
    c.opened_at"""
_PERSON_JOIN = "JOIN core_person p ON p.id = c.person_id"
_INVITATION_JOIN = "JOIN core_invitation i ON i.id = c.invitation_id"


def inbox_page(member: User, q: str = "", number: int = 1,
               per_page: int = PER_PAGE, count_ahead: int | None = None) -> Page:
    """The open cases, newest invitation first; ``q`` searches the person's name.
    ``count_ahead`` bounds the count (see :func:`_count`)."""
    where, params = "c.member_id = %s AND c.state <> %s", [member.pk, sm.CLOSED]
    key = name_key(q) if q else ""
    if key:
        where += " AND p.name_key LIKE %s ESCAPE '\\'"
        params.append(rows.contains(key))
    start, end = _bounds(number, per_page)
    counted = f"SELECT 1 FROM core_case c {_PERSON_JOIN if key else ''} WHERE {where}"
    total, more = _count(rows.counter(counted, params), start, end, count_ahead)
    found = rows.fetch(
        f"SELECT {_INBOX_COLUMNS} FROM core_case c {_PERSON_JOIN} {_INVITATION_JOIN} "
        f"WHERE {where} ORDER BY c.opened_at DESC, c.id DESC LIMIT %s OFFSET %s",
        [*params, per_page, start])
    items = [{
        "id": r[0], "person_id": r[1], "person": r[2], "familiarity": r[3], "note": r[4],
        "verdict": r[6] or r[5], "verdict_by_you": bool(r[6]),
        "reasons": list(rows.as_json(r[7]) or []), "channel": r[8], "path": r[9],
        "rule": r[10], "why": r[11], "state": r[12], "opened_at": rows.as_datetime(r[13]),
    } for r in found]
    return Page(items, number, per_page, total, {"q": q}, more)


def cases_page(member: User, state: str = "", q: str = "", number: int = 1,
               per_page: int = PER_PAGE) -> Page:
    """All cases (for the API): ``state`` is a state, ``open`` or empty for all."""
    qs = Case.objects.filter(member=member)
    if state == "open":
        qs = qs.exclude(state=sm.CLOSED)
    elif state:
        qs = qs.filter(state=state)
    key = name_key(q) if q else ""
    if key:
        qs = qs.filter(person__name_key__contains=key)
    total = qs.count()
    start, end = _bounds(number, per_page)
    rows = list(qs.order_by("-opened_at", "-id").values(
        "id", "person_id", "person__display_name", "path", "state", "outcome",
        "opened_at")[start:end])
    items = [{"id": r["id"], "person_id": r["person_id"], "person": r["person__display_name"],
              "path": r["path"], "state": r["state"], "outcome": r["outcome"],
              "opened_at": r["opened_at"]} for r in rows]
    return Page(items, number, per_page, total, {"q": q, "state": state})


def agenda_page(member: User, now: datetime, number: int = 1,
                per_page: int = PER_PAGE, count_ahead: int | None = None) -> Page:
    start, end = _bounds(number, per_page)
    items: list[AgendaItem] = due_actions(member, now, limit=per_page, offset=start)
    total, more = _count(due_counter(member, now), start, end, count_ahead)
    return Page(items, number, per_page, total, {}, more)


def people_page(member: User, q: str = "", familiarity: str = "", number: int = 1,
                per_page: int = PER_PAGE, count_ahead: int | None = None) -> Page:
    qs = Person.objects.filter(member=member)
    key = name_key(q) if q else ""
    if key:
        qs = qs.filter(name_key__contains=key)
    if familiarity:
        qs = qs.filter(familiarity=familiarity)
    start, end = _bounds(number, per_page)
    total, more = _count(_qs_counter(qs), start, end, count_ahead)
    rows = list(qs.order_by("name_key", "id").values(
        "id", "display_name", "familiarity", "company", "position")[start:end])
    return Page(rows, number, per_page, total, {"q": q, "familiarity": familiarity}, more)


def get_person_by_id(member: User, person_id: int | str) -> Person:
    try:
        number = int(person_id)
    except (TypeError, ValueError):
        raise NotFound(f"person '{person_id}' is not a person number") from None
    person = Person.objects.filter(member=member, id=number).first()
    if person is None:
        raise NotFound(f"no person {number}")
    return person


def person_detail(member: User, person_id: int | str, limit: int = 200) -> dict[str, Any]:
    """A person with their cases, the messages stored (newest first) and the conversations
    counted from exports (``threads``: how many each side sent, first and last; latest
    first)."""
    p = get_person_by_id(member, person_id)
    cases = list(Case.objects.filter(member=member, person=p).order_by("-opened_at", "-id")
                 .values("id", "path", "state", "outcome", "opened_at", "invitation__note")
                 [:limit])
    messages = list(Message.objects.filter(member=member, person=p).order_by("-at", "-id")
                    .values("direction", "text", "at", "channel", "case_id")[:limit])
    threads = list(Thread.objects.filter(member=member, person=p)
                   .order_by("-last_at", "-id")
                   .values("channel", "sent", "received", "first_at", "last_at")[:limit])
    return {
        "id": p.id, "name": p.display_name, "familiarity": p.familiarity,
        "company": p.company, "position": p.position, "profile_url": p.profile_url,
        "emails": sorted(p.emails.values_list("address", flat=True)),
        "how_we_met": p.how_we_met, "can_say": p.can_say, "can_help_them": p.can_help_them,
        "they_can_help": p.they_can_help, "notes": p.notes,
        "cases": cases, "messages": messages, "threads": threads,
    }
