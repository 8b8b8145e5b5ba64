"""Shared fixtures. The suite runs on SQLite; ``make test`` runs the ``store`` tests again on
PostgreSQL with NETIQUETTE_DB set to NETIQUETTE_TEST_PG_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real user's data or config directory."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NETIQUETTE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("NETIQUETTE_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("NETIQUETTE_NOW", raising=False)
    monkeypatch.delenv("NETIQUETTE_MEMBER", raising=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "store: runs on SQLite and again on PostgreSQL")
    db = os.environ.get("NETIQUETTE_DB", "")
    if db.startswith("postgres"):
        _require_postgres(db)


def _require_postgres(url: str) -> None:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        pytest.exit(f"PostgreSQL at {url} is not reachable: {exc}", returncode=3)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """Set the one clock: ``clock("2026-03-01T09:00")``."""

    def set_now(value: str) -> datetime:
        monkeypatch.setenv("NETIQUETTE_NOW", value)
        from netiquette import clock as c

        return c.now()

    set_now("2026-03-01T09:00:00+00:00")
    return set_now


@pytest.fixture
def member(db):
    from netiquette.services.members import create_member

    return create_member("Jim Schibler", signature="Jim")


@pytest.fixture
def actor(member):
    from netiquette.services.members import Actor

    return Actor(member)


@pytest.fixture
def cli(db, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run the command line in-process against the test database."""
    from typer.testing import CliRunner

    from netiquette import bootstrap
    from netiquette.cli.app import app

    monkeypatch.setattr(bootstrap, "_ready", True)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return result

    yield run


def at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


FIXTURES = Path(__file__).parent / "fixtures"
