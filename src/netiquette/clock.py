"""The one clock. Every command reads "now" from here; ``NETIQUETTE_NOW`` (ISO 8601) sets it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import lru_cache

from netiquette.errors import UserError

ENV = "NETIQUETTE_NOW"


def parse_time(value: str, what: str = "time") -> datetime:
    """Parse an ISO 8601 date or date-time; a value without a zone is taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"{what}: {value!r} is not an ISO 8601 time (e.g. 2026-03-01T09:30)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def now() -> datetime:
    """The current time, or the time ``NETIQUETTE_NOW`` says it is."""
    value = os.environ.get(ENV)
    if value:
        return _set_time(value)
    return datetime.now(UTC)


@lru_cache(maxsize=8)
def _set_time(value: str) -> datetime:
    """``NETIQUETTE_NOW`` parsed, once per value (an import asks the time for every event it
    records; a test or a user may change the value at any moment)."""
    return parse_time(value, ENV)
