"""The agenda: the actions due as of now, oldest due first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from netiquette.services import rows


@dataclass(frozen=True)
class AgendaItem:
    id: int
    kind: str
    case: int
    person: str
    due: datetime
    draft: str
    channel: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "case": self.case, "person": self.person,
                "due": self.due.isoformat(), "draft": self.draft, "channel": self.channel}


_SELECT = """SELECT a.id, a.kind, a.case_id, p.display_name, a.due_at, a.draft, i.channel
    FROM core_action a JOIN core_case c ON c.id = a.case_id
    JOIN core_person p ON p.id = c.person_id JOIN core_invitation i ON i.id = c.invitation_id"""
_DUE = "a.member_id = %s AND a.status = %s AND a.due_at <= %s"
_UPCOMING = "a.member_id = %s AND a.status = %s AND a.due_at > %s"


def _items(where: str, params: list[Any], limit: int | None, offset: int) -> list[AgendaItem]:
    sql = f"{_SELECT} WHERE {where} ORDER BY a.due_at, a.id"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params = [*params, limit, offset]
    found = rows.fetch(sql, params)
    if limit is None and offset:
        found = found[offset:]
    return [AgendaItem(r[0], r[1], r[2], r[3], rows.as_datetime(r[4]), r[5], r[6])
            for r in found]


def _params(member: User, now: datetime) -> list[Any]:
    return [member.pk, "open", rows.db_datetime(now)]


def due_actions(member: User, now: datetime, limit: int | None = None,
                offset: int = 0) -> list[AgendaItem]:
    """The open actions due as of ``now``, oldest due first."""
    return _items(_DUE, _params(member, now), limit, offset)


def due_counter(member: User, now: datetime) -> Callable[[int | None], int]:
    """Counts the open actions due as of ``now``, stopping at a limit unless it is None."""
    return rows.counter(f"SELECT 1 FROM core_action a WHERE {_DUE}", _params(member, now))


def upcoming_actions(member: User, now: datetime, limit: int = 20) -> list[AgendaItem]:
    """The open actions due after ``now``, soonest first."""
    return _items(_UPCOMING, _params(member, now), limit, 0)
