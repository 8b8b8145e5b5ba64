"""Helpers for the importer tests: records as JSON-able dicts for golden files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def to_jsonable(item: Any, base: Path) -> dict[str, Any]:
    """A record or BadRow as a plain dict; file names relative to ``base``."""
    out: dict[str, Any] = {"type": type(item).__name__}
    for name, value in item._asdict().items():
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        elif name == "file":
            value = os.path.relpath(value, base) if ":" not in value else value
        out[name] = value
    return out


def dump(items: Iterable[Any], base: Path) -> list[dict[str, Any]]:
    return [to_jsonable(item, base) for item in items]


