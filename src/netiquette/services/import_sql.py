"""Plain SQL for imports: many rows per statement through Django's database connection.

An import writes hundreds of thousands of rows; the ORM's per-object work (model instances,
``bulk_create``'s per-field compilation) costs more than the database does. Here rows are
plain tuples in a declared column order, written with ``executemany`` (on SQLite; the new
ids, when needed, counted back from the last) or as arrays, one per column, with ``INSERT …
RETURNING id`` when the ids are needed (on PostgreSQL; see :class:`Rows`). ``%s``
placeholders are Django's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

from netiquette.importers.base import utc_text
from netiquette.services.rows import fetch as select

__all__ = ["Adapt", "Rows", "atomic_checked_once", "column", "quote", "select", "table",
           "update_by_id"]

#: rows per ``INSERT … SELECT * FROM UNNEST`` on PostgreSQL (one array per column)
ROWS_PER_ARRAY = 5000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    found = model._meta.get_field(name)
    if not isinstance(found, Field) or not found.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return found


def _column(model: type[Model], name: str) -> str:
    return quote(str(_field(model, name).column))


class Rows:
    """Inserts into one model's table, in the column order of ``fields`` (model field names;
    a foreign key by its name gives its ``_id`` column).

    On PostgreSQL many rows go as one array per column (``INSERT … SELECT * FROM UNNEST``,
    as ``bulk_create`` does there, sent in binary): a short statement the driver parses
    once, where a long ``VALUES`` list would be parsed again for every statement, and no
    value quoted into the statement's text. On SQLite one prepared statement is run for
    every row (``executemany``)."""

    def __init__(self, model: type[Model], fields: Sequence[str], *,
                 ignore_conflicts: bool = False, on_conflict: str = "") -> None:
        """``ignore_conflicts`` skips a row that breaks a unique constraint; ``on_conflict``
        is what follows ``ON CONFLICT`` instead (a target and a ``DO UPDATE``; it may name
        the new row's values ``excluded.<column>``)."""
        meta = model._meta
        self.table = quote(meta.db_table)
        self.width = len(fields)
        self.columns = ", ".join(_column(model, f) for f in fields)
        self.placeholders = f"({', '.join(['%s'] * self.width)})"
        self.suffix = (f" ON CONFLICT {on_conflict}" if on_conflict
                       else " ON CONFLICT DO NOTHING" if ignore_conflicts else "")
        self.sql = (f"INSERT INTO {self.table} ({self.columns}) VALUES {self.placeholders}"
                    f"{self.suffix}")
        self.unnest = ""
        if connection.vendor == "postgresql":
            # the column types without their lengths, as bulk_create casts its arrays
            arrays = ", ".join(f"(%b)::{str(_field(model, f).db_type(connection)).split('(')[0]}[]"
                               for f in fields)
            self.unnest = (f"INSERT INTO {self.table} ({self.columns}) "
                           f"SELECT * FROM UNNEST({arrays})")

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        """Write ``rows`` (one prepared statement, executed for each; on PostgreSQL, arrays
        of many rows)."""
        if not rows:
            return
        if self.unnest:
            for start in range(0, len(rows), ROWS_PER_ARRAY):
                _pg_fetch(self.unnest + self.suffix,
                          _by_column(rows[start:start + ROWS_PER_ARRAY]), False)
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)

    def insert_returning_ids(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Write ``rows`` and return their new ids, in order. Not for rows that may be
        skipped (``ignore_conflicts``, ``on_conflict``): each row given gets an id."""
        if self.suffix:
            raise TypeError(f"{self.table}: ids of rows that may be skipped are not known")
        if not rows:
            return []
        if not self.unnest:
            return self._sqlite_ids(rows)
        ids: list[int] = []
        returning = f"{self.unnest} RETURNING {quote('id')}"
        for start in range(0, len(rows), ROWS_PER_ARRAY):
            ids.extend(int(r[0]) for r in _pg_fetch(
                returning, _by_column(rows[start:start + ROWS_PER_ARRAY]), True))
        if len(ids) != len(rows):
            raise RuntimeError(f"{self.table}: {len(rows)} rows written, {len(ids)} ids back")
        return ids

    def _sqlite_ids(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """SQLite: ``rows`` through one prepared statement (:meth:`insert`), and their ids
        counted back from the last one given. A new row's id is one more than the largest the
        table has (or, with ``AUTOINCREMENT``, has had): the rows of one statement run on this
        connection, which holds the write lock, get consecutive ids. A sixth less work for
        SQLite than ``INSERT … VALUES … RETURNING`` (which keeps every returned row aside
        until the statement ends): 0.035 s of an import's 0.25 s for its 43,000 people.
        Works with every SQLite version (``RETURNING`` came with 3.35)."""
        connection.ensure_connection()
        raw = connection.connection
        before = raw.total_changes
        self.insert(rows)
        written = raw.total_changes - before
        with connection.wrap_database_errors:
            last = int(raw.execute("SELECT last_insert_rowid()").fetchone()[0])
        if written != len(rows):
            raise RuntimeError(f"{self.table}: {len(rows)} rows given, {written} written")
        return list(range(last - len(rows) + 1, last + 1))


def _by_column(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """``rows`` turned into one list per column (the arrays of ``UNNEST``)."""
    return [list(values) for values in zip(*rows, strict=True)]


def _pg_fetch(sql: str, params: Sequence[Any], returning: bool) -> list[Any]:
    """Run ``sql`` (``%b`` placeholders: parameters sent in binary) on psycopg's connection,
    inside whatever transaction Django has open on it; its errors are Django's, as through a
    cursor (it is not in Django's query log). Django's cursors quote every value into the
    statement's text: for arrays of thousands of values that costs several times as much."""
    from psycopg import Cursor

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


def update_by_id(model: type[Model], fields: Sequence[str],
                 rows: Iterable[Sequence[Any]]) -> None:
    """``UPDATE … SET <fields> WHERE id = …`` for each row (its values, then the id)."""
    rows = list(rows)
    if not rows:
        return
    meta = model._meta
    sets = ", ".join(f"{_column(model, f)} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote('id')} = %s",
                           rows)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    return _column(model, field)


class Adapt:
    """Python values as this database stores them (what the model fields would do)."""

    def __init__(self) -> None:
        ops = connection.ops
        self._datetime = ops.adapt_datetimefield_value
        #: whether a UTC time is stored as its text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (SQLite);
        #: then an ``isoformat()`` ending in +00:00 gives it by slicing: iso[:10], iso[11:-6]
        self.utc_text = connection.vendor == "sqlite"

    def stamp(self, value: datetime) -> Any:
        """An aware datetime for a DateTimeField column."""
        if self.utc_text and value.tzinfo is UTC:  # as the SQLite backend writes it, faster
            return utc_text(value)
        return self._datetime(value)

    def text_stamp(self, text: str) -> Any:
        """A UTC time given as :func:`~netiquette.importers.base.utc_text` for a
        DateTimeField column (SQLite stores that very text)."""
        if self.utc_text:
            return text
        return self._datetime(datetime.fromisoformat(text).replace(tzinfo=UTC))

    @staticmethod
    def json(model: type[Model], field: str, value: Any) -> Any:
        """A value for a JSONField column."""
        return _field(model, field).get_db_prep_save(value, connection)


@contextmanager
def atomic_checked_once() -> Iterator[Callable[[Sequence[type[Model]]], None]]:
    """A transaction (``transaction.atomic``) in which SQLite checks foreign keys once, when
    asked, rather than at every row written: it yields ``check(models)``, which looks at
    every row of those models' tables and raises IntegrityError for a reference to nothing
    (the transaction then rolls back). Call it, before the block ends, for every model the
    block wrote. Row by row the checks cost a large import about a sixth of its time in
    SQLite; once at the end, a tenth of that.

    Where the checks cannot be switched off (PostgreSQL, whose deferred checks cost little;
    SQLite inside an outer transaction) they stay on and ``check`` does nothing. SQLite
    switches them only outside a transaction: they are back on when the block ends."""
    off = connection.vendor == "sqlite" and connection.disable_constraint_checking()
    try:
        with transaction.atomic():
            def check(models: Sequence[type[Model]]) -> None:
                if off:
                    connection.check_constraints(
                        table_names=[m._meta.db_table for m in models])
            yield check
    finally:
        if off:
            connection.enable_constraint_checking()
