"""Plain SQL for the hottest reads (the inbox and the agenda), portable to SQLite and
PostgreSQL. The ORM spends more time building such a query than the database spends
answering it; these run on every page view and every ``netiquette agenda``.

Values come back as each backend gives them: through Django's SQLite connection, datetimes
come back naive (they are stored in UTC) and JSON as text; PostgreSQL hands back aware
datetimes and decoded JSON. :func:`as_datetime` and :func:`as_json` even that out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def counter(sql: str, params: Sequence[Any]) -> Callable[[int | None], int]:
    """Counts the rows ``sql`` gives: ``counter(limit)`` stops at ``limit``, or counts all of
    them when it is None."""

    def count(limit: int | None) -> int:
        if limit is None:
            found = fetch(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)
        else:
            found = fetch(f"SELECT COUNT(*) FROM ({sql} LIMIT %s) AS counted",
                          [*params, limit])
        return int(found[0][0])

    return count


def db_datetime(value: datetime) -> Any:
    """A datetime as the backend compares it with stored ones."""
    return connection.ops.adapt_datetimefield_value(value)


def as_datetime(value: Any) -> datetime:
    """An aware datetime from a stored one (naive values are UTC)."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # type: ignore[no-any-return]


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def contains(text: str) -> str:
    """A ``LIKE`` pattern (with ``ESCAPE '\\'``) for rows containing ``text``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
