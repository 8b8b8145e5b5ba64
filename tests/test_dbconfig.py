"""Which database and how it is opened (netiquette.dbconfig)."""

from __future__ import annotations

import pytest

from netiquette.dbconfig import SQLITE_CACHE_KIB, SQLITE_PAGE_BYTES, database_config
from netiquette.errors import UserError


def test_paths_and_urls(tmp_path):
    assert database_config(str(tmp_path / "nq.sqlite3"))["NAME"] == str(tmp_path / "nq.sqlite3")
    pg = database_config("postgresql://ann:s%40cret@db.example:5433/nq?sslmode=require")
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "nq", "ann", "s@cret", "db.example", "5433")
    assert pg["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(UserError):
        database_config("mysql://db/nq")


@pytest.mark.django_db
def test_sqlite_connections_check_foreign_keys_and_have_a_roomier_page_cache():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's pragmas")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -SQLITE_CACHE_KIB
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def _open(path):
    """A connection to ``path`` opened as the SQLite configuration opens one."""
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(database_config(str(path))["OPTIONS"]["init_command"])
    return db


def test_a_new_sqlite_file_gets_larger_pages_and_an_old_one_keeps_its_own(tmp_path):
    import sqlite3

    new = _open(tmp_path / "new.sqlite3")
    new.execute("CREATE TABLE t (x)")
    assert new.execute("PRAGMA page_size").fetchone() == (SQLITE_PAGE_BYTES,)
    assert new.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    old_path = tmp_path / "old.sqlite3"
    with sqlite3.connect(old_path) as made:  # as a file made before the setting
        made.execute("PRAGMA journal_mode=WAL")
        made.execute("CREATE TABLE t (x)")
        made.execute("INSERT INTO t VALUES (1)")
    old = _open(old_path)
    old.execute("INSERT INTO t VALUES (2)")
    assert old.execute("PRAGMA page_size").fetchone() == (4096,)
    assert old.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (2,)]
    assert old.execute("PRAGMA integrity_check").fetchone() == ("ok",)
