"""The agenda: the actions due as of now, oldest due first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet

from netiquette.core.models import Action


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


_COLUMNS = ("id", "kind", "case_id", "case__person__display_name", "due_at", "draft",
            "case__invitation__channel")


def due_actions(member: User, now: datetime, limit: int | None = None,
                offset: int = 0) -> list[AgendaItem]:
    qs = due_query(member, now).order_by("due_at", "id").values_list(*_COLUMNS)
    if limit is not None:
        qs = qs[offset:offset + limit]
    elif offset:
        qs = qs[offset:]
    return [AgendaItem(*row) for row in qs]


def due_query(member: User, now: datetime) -> QuerySet[Action]:
    """The member's open actions due as of ``now``."""
    return Action.objects.filter(member=member, status="open", due_at__lte=now)


def upcoming_actions(member: User, now: datetime, limit: int = 20) -> list[AgendaItem]:
    qs = (Action.objects.filter(member=member, status="open", due_at__gt=now)
          .order_by("due_at", "id").values_list(*_COLUMNS)[:limit])
    return [AgendaItem(*row) for row in qs]
