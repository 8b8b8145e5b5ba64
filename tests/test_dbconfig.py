"""Which database and how it is opened (netiquette.dbconfig)."""

from __future__ import annotations

import pytest

from netiquette.dbconfig import SQLITE_CACHE_KIB, database_config
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
