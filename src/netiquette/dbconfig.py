"""Which database to use, decided in one function (paperless-ngx style)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from netiquette.errors import UserError

SQLITE_TIMEOUT_S = 20
#: SQLite's page cache per connection, in KiB (its default is 2 MB). An import adds rows to
#: indexes all over the file; with 2 MB of pages it reads the same pages again and again
#: (40k people: 1.70 -> 1.64 s with 8 MB). Pages are held only once read, up to this much.
SQLITE_CACHE_KIB = 8000
#: The page size of a new SQLite file (its default is 4096). An import's inserts cost SQLite
#: less with larger pages (fewer pages to split and link): a large LinkedIn export imports
#: 0.15 s faster with 8 KB, and no faster with 16 KB. A file keeps the size it was made with.
SQLITE_PAGE_BYTES = 8192


def database_config(target: str | None) -> dict[str, Any]:
    """Django DATABASES['default'] for ``target``: a file path, ``sqlite:///path`` or a
    ``postgresql://user:pass@host:port/name`` URL. ``None`` means the default SQLite file."""
    if not target:
        from netiquette.paths import default_database_path

        return _sqlite(default_database_path())
    if target.startswith(("postgres://", "postgresql://")):
        return _postgres(target)
    if target.startswith("sqlite://"):
        return _sqlite(Path(unquote(urlsplit(target).path)))
    if "://" in target:
        raise UserError(f"--db: {target!r} is neither a file path nor a postgresql:// URL")
    return _sqlite(Path(target).expanduser())


def _sqlite(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each thread's connection (and SQLite's page cache) from request to request:
        # opening the file anew for every web request costs more than the page itself.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "timeout": SQLITE_TIMEOUT_S,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                # the page size first: it takes effect only before the file is written
                f"PRAGMA page_size={SQLITE_PAGE_BYTES}; PRAGMA journal_mode=WAL; "
                "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                f"PRAGMA cache_size=-{SQLITE_CACHE_KIB};"
            ),
        },
    }


def _postgres(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise UserError(f"--db: {url!r} names no database (postgresql://host/NAME)")
    options = dict(parse_qsl(parts.query))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
