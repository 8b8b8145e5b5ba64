"""Set Django up once, and bring the database schema up to date on first use."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

_ready = False


@contextmanager
def loading() -> Iterator[None]:
    """No cyclic garbage collection while the program loads, and what it loaded kept out of
    the collector's reach after: modules, settings and models live as long as the process,
    and the collector scanned them again and again for nothing (130 collections, 0.04 s of
    every command's start)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def setup(db: str | None = None, migrate: bool = True) -> None:
    """Configure Django for ``db`` (a path or URL; default: NETIQUETTE_DB or the data dir)."""
    global _ready
    if _ready:
        return
    if db:
        os.environ["NETIQUETTE_DB"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netiquette.settings")
    with loading():
        import django
        from django.conf import settings

        _ensure_sqlite_dir(settings.DATABASES["default"])
        django.setup()
    _ready = True
    if migrate and not schema_is_current():
        upgrade(verbosity=0)


def _ensure_sqlite_dir(config: dict[str, object]) -> None:
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        from pathlib import Path

        Path(str(config["NAME"])).expanduser().parent.mkdir(parents=True, exist_ok=True)


MIGRATING_APPS = {"core": "netiquette.core", "web": "netiquette.web"}


def _shipped_migrations(package: str = "netiquette.core") -> set[str]:
    folder = resources.files(package) / "migrations"
    return {
        p.name[:-3] for p in folder.iterdir()
        if p.name.endswith(".py") and p.name[0].isdigit()
    }


def schema_is_current() -> bool:
    """A cheap check: are all of our shipped migrations recorded as applied?"""
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations WHERE app IN ('core', 'web')")
            applied = {(row[0], row[1]) for row in cursor.fetchall()}
    except DatabaseError:
        return False
    return all({(label, name) for name in _shipped_migrations(package)} <= applied
               for label, package in MIGRATING_APPS.items())


def upgrade(verbosity: int = 1) -> None:
    """Apply every pending migration."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
