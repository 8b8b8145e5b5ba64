"""Plain SQL for imports: many rows per statement through Django's database connection.

An import writes hundreds of thousands of rows; the ORM's per-object work (model instances,
``bulk_create``'s per-field compilation) costs more than the database does. Here rows are
plain tuples in a declared column order, written many to a statement: as ``VALUES`` lists on
SQLite (the new ids, when needed, counted back from the last; ``OR FAIL`` in a transaction,
see :func:`or_fail`), as arrays, one per column, on PostgreSQL (with ``RETURNING id`` when
the ids are needed); see :class:`Rows`. ``%s`` placeholders are Django's.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

from netiquette.importers.base import utc_text
from netiquette.services.rows import fetch as select

__all__ = ["Adapt", "Rows", "beside", "column", "or_fail", "quote", "select", "table",
           "update_by_id"]

#: rows per ``INSERT … SELECT * FROM UNNEST`` on PostgreSQL (one array per column)
ROWS_PER_ARRAY = 5000
#: rows per ``INSERT … VALUES (…), (…), …`` on SQLite (fewer where the values would be more
#: than SQLite takes in one statement). Run once per row, a statement costs SQLite its
#: start and end every time (with ``AUTOINCREMENT``, a look-up and an update of
#: ``sqlite_sequence``): 500 rows to a statement write a large import's 43,000 people in a
#: quarter less time, its 39,000 conversation counts in a third less; more rows gain nothing
ROWS_PER_STATEMENT = 500


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def or_fail(verb: str) -> str:
    """``verb`` (``INSERT``, ``UPDATE``) for a statement that writes many rows: on SQLite
    inside a transaction, ``<verb> OR FAIL``. A broken constraint stops the statement and
    raises as it would without, but the rows it wrote before stay, to be undone with the
    transaction (as an error that leaves an import's block does). Without ``OR FAIL``,
    SQLite undoes the statement alone, and for that copies every page the statement is
    about to change to a statement journal (a temporary file beyond 64 KB) first: in a
    large LinkedIn import, 320 of its 390 MB of such writes (the rest: ``ON CONFLICT …
    DO UPDATE``, and tables with a ``CHECK`` that calls a function, as Django's JSON
    columns have, which take one all the same). Outside a transaction a statement is its
    own and needs no such journal (and ``OR FAIL`` would commit what came before a
    failure); other databases have no ``OR FAIL``."""
    if connection.vendor == "sqlite" and connection.in_atomic_block:
        return f"{verb} OR FAIL"
    return verb


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
    value quoted into the statement's text. On SQLite many rows go as one ``VALUES`` list
    (:data:`ROWS_PER_STATEMENT`): SQLite keeps the few statements of distinct lengths
    prepared, and the values are bound, never quoted into the text."""

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
        #: SQLite: (rows, verb) -> the statement for that many
        self._values: dict[tuple[int, str], str] = {}
        self.unnest = ""
        if connection.vendor == "postgresql":
            # the column types without their lengths, as bulk_create casts its arrays
            arrays = ", ".join(f"(%b)::{str(_field(model, f).db_type(connection)).split('(')[0]}[]"
                               for f in fields)
            self.unnest = (f"INSERT INTO {self.table} ({self.columns}) "
                           f"SELECT * FROM UNNEST({arrays})")

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        """Write ``rows``, many to a statement (see the class); a broken constraint raises
        (Django's IntegrityError), and inside a transaction leaves rows of the statement
        written for the transaction's rollback to undo (:func:`or_fail`)."""
        if not rows:
            return
        if self.unnest:
            for start in range(0, len(rows), ROWS_PER_ARRAY):
                _pg_fetch(self.unnest + self.suffix,
                          _by_column(rows[start:start + ROWS_PER_ARRAY]), False)
            return
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)
            return
        connection.ensure_connection()
        connection.validate_no_broken_transaction()
        raw = connection.connection
        per = max(1, min(ROWS_PER_STATEMENT,
                         raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // self.width))
        verb = or_fail("INSERT")
        with connection.wrap_database_errors:
            for start in range(0, len(rows), per):
                part = rows[start:start + per]
                if set(map(len, part)) != {self.width}:  # (values would shift to other rows)
                    raise ValueError(f"{self.table}: rows of other than {self.width} values")
                raw.execute(self._values_sql(len(part), verb), list(chain.from_iterable(part)))

    def _values_sql(self, count: int, verb: str) -> str:
        """SQLite: the statement that writes ``count`` rows (``?`` placeholders), with
        ``verb`` (:func:`or_fail`)."""
        sql = self._values.get((count, verb))
        if sql is None:
            one = f"({', '.join(['?'] * self.width)})"
            sql = self._values[(count, verb)] = (
                f"{verb} INTO {self.table} ({self.columns}) VALUES "
                f"{', '.join([one] * count)}{self.suffix}")
        return sql

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
        """SQLite: ``rows`` written (:meth:`insert`), and their ids counted back from the last
        one given. A new row's id is one more than the largest the table has (or, with
        ``AUTOINCREMENT``, has had): the rows of the statements run in turn on this
        connection, which holds the write lock, get consecutive ids. Less work for SQLite
        than ``INSERT … VALUES … RETURNING`` (which keeps every returned row aside until the
        statement ends), and works with every SQLite version (``RETURNING`` came with
        3.35)."""
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


R = TypeVar("R")
#: how often a thread lets go of Python's lock while work runs :func:`beside` it
SWITCH_S = 0.0005


@contextmanager
def beside(step: Callable[[Any], R]) -> Iterator[Callable[[], R]]:
    """Run ``step(cursor)`` in a second thread while the block runs, on this thread's
    database connection and in its transaction. The block gets ``wait()``, which waits for
    the step and returns its result, or raises what it raised (as Django's cursors raise
    it); the block's end waits too, and raises it if ``wait`` did not.

    For SQLite, which runs a statement without holding Python's lock: the step's statements
    go on while this thread computes (one connection runs one statement at a time: this
    thread's statements wait for their turn). Until it has waited, this thread must not
    read what the step changes, nor, when the step writes, write rows whose ids it needs
    (they are counted from the connection's changes: :meth:`Rows.insert_returning_ids`).
    Elsewhere the step runs here, at once."""
    outcome: list[tuple[bool, Any]] = []

    def run(cursor: Any) -> None:
        try:
            outcome.append((True, step(cursor)))
        except BaseException as exc:  # for wait()
            outcome.append((False, exc))

    thread, interval = None, sys.getswitchinterval()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        cursor = connection.create_cursor()  # its sqlite3 connection may serve two threads
        thread = threading.Thread(target=run, args=(cursor,), name="netiquette-beside",
                                  daemon=True)
        thread.start()
        # between two statements the step needs Python's lock for a moment: this thread
        # lets go of it sooner than every 5 ms
        sys.setswitchinterval(min(interval, SWITCH_S))
    else:
        cursor = connection.cursor()
        run(cursor)
    reported = False

    def wait() -> R:
        nonlocal reported
        if thread is not None:
            thread.join()
        done, value = outcome[0]
        if not done:
            reported = True
            with connection.wrap_database_errors:
                raise value
        return value  # type: ignore[no-any-return]

    try:
        yield wait
    except BaseException:
        if thread is not None:
            thread.join()  # nothing of the step may run once the transaction has ended
        raise
    else:
        if not reported:
            wait()
    finally:
        cursor.close()
        sys.setswitchinterval(interval)
