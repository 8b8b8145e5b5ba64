"""An import's transaction, with SQLite's row-by-row checks switched off and made once.

SQLite checks a foreign key, and a column's ``CHECK`` (Django gives JSON columns one that
calls ``JSON_VALID``, and positive numbers one), for every row it writes. An import that
writes hundreds of thousands of rows checks them all at the end instead, table by table
(:class:`Constraints`), a tenth of the cost. A ``CHECK`` that calls a function has a further
cost: a statement that writes many rows under it keeps a statement journal (see
:func:`.import_sql.or_fail`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint, Model

from netiquette.services.import_sql import quote, select


class Constraints:
    """What :func:`atomic_checked_once` yields: ``checks(models)`` looks at every row of
    those models' tables and raises IntegrityError for a reference to nothing or a value a
    column's ``CHECK`` refuses (call it for every model the block wrote, before the block
    ends). :meth:`early` checks some tables sooner, beside other work (see
    :func:`.import_sql.beside`); the final check then skips them, unless rows were added to
    them since."""

    def __init__(self, off: bool) -> None:
        self.off = off  # whether SQLite's checks are off (else they happen as rows are written)
        #: table -> its primary key's quoted column and largest value, when checked early
        self._checked: dict[str, tuple[str, Any]] = {}

    def early(self, models: Sequence[type[Model]]) -> Callable[[Any], None]:
        """A step for :func:`.import_sql.beside` that checks ``models``' tables. For tables
        the block writes no more rows to (rows added later are found, and checked at the
        end; the checked columns of rows checked must not change)."""
        def step(cursor: Any) -> None:
            for model in models:
                name, pk = _quoted(model)
                cursor.execute(f"SELECT MAX({pk}) FROM {name}")
                top = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA foreign_key_check({name})")
                if cursor.fetchone() is not None:
                    continue  # checked again at the end, which says why
                refused, _checks = _refused_row(model)
                if refused:
                    cursor.execute(refused)
                    if cursor.fetchone() is not None:
                        continue  # (likewise)
                self._checked[model._meta.db_table] = (pk, top)
        return step if self.off else (lambda cursor: None)

    def __call__(self, models: Sequence[type[Model]]) -> None:
        if not self.off:
            return
        models = [m for m in models
                  if m._meta.db_table not in self._checked or self._grown(m._meta.db_table)]
        if not models:
            return
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        for model in models:
            refused, checks = _refused_row(model)
            for (row,) in select(refused, []) if refused else ():
                raise IntegrityError(f"The row in table '{model._meta.db_table}' with primary "
                                     f"key '{row}' breaks a CHECK constraint: {checks}")

    def _grown(self, table: str) -> bool:
        """Whether rows were added to ``table`` since it was checked early."""
        pk, top = self._checked[table]
        (now,), = select(f"SELECT MAX({pk}) FROM {quote(table)}", [])
        return bool(now != top)


def _quoted(model: type[Model]) -> tuple[str, str]:
    """``model``'s table and primary-key column, quoted."""
    return quote(model._meta.db_table), quote(model._meta.pk.column or "id")


def _refused_row(model: type[Model]) -> tuple[str, str]:
    """The query for the primary key of a row of ``model``'s table that a column's
    ``CHECK`` refuses, and those checks (both '' where its columns have none)."""
    checks = column_checks(model)
    if not checks:
        return "", ""
    name, pk = _quoted(model)
    return f"SELECT {pk} FROM {name} WHERE NOT ({checks}) LIMIT 1", checks


def column_checks(model: type[Model]) -> str:
    """The ``CHECK`` conditions of ``model``'s columns, joined by ``AND`` ('' for none)."""
    checks = [check for f in model._meta.local_concrete_fields
              if (check := f.db_parameters(connection)["check"])]
    return " AND ".join(f"({c})" for c in checks)


@cache
def _table_checks_elsewhere() -> bool:
    """Whether a model of the project has a ``CHECK`` beyond its columns' (a Meta
    ``CheckConstraint``): :class:`Constraints` would not look at it, so SQLite keeps
    checking every row."""
    return any(isinstance(c, CheckConstraint)
               for model in apps.get_models() for c in model._meta.constraints)


@contextmanager
def rollback_journal() -> Iterator[bool]:
    """On SQLite, when no other connection has the file open: the block writes with a
    rollback journal (``journal_mode=DELETE``, ``synchronous=FULL``, as the ``sqlite3``
    shell does) instead of the write-ahead log, which is back after it. Yields whether it
    switched.

    In WAL mode every page a large import writes goes to the log, and again to the file
    when the log is checkpointed at the commit, and the log's pages are freed when it is
    deleted at the close: 40 MB each way for a large LinkedIn export, 0.1 s. With a
    rollback journal a page new to the file is written once; a page that was there is
    copied to the journal first (so that a crash or kill leaves the file as it was: the
    next connection rolls the journal back). The switch needs the file to itself (in WAL
    mode another connection holds it open): it is not waited for, and where it cannot be
    made the block runs in WAL mode as always. Readers that come while the block writes
    wait for its end (their busy timeout) rather than read what was there before."""
    switched = False
    raw = None
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        connection.ensure_connection()
        raw = connection.connection
        (timeout,), = raw.execute("PRAGMA busy_timeout").fetchall()
        raw.execute("PRAGMA busy_timeout = 0")  # (another connection: not waited for)
        try:
            (mode,), = raw.execute("PRAGMA journal_mode = DELETE").fetchall()
            switched = mode == "delete"
        except sqlite3.OperationalError:  # locked: another connection has it open
            pass
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        if switched:
            raw.execute("PRAGMA synchronous = FULL")
    try:
        yield switched
    finally:
        if switched and raw is not None:
            # (another connection that came meanwhile may hold it: then the next to
            # connect switches, as every connection asks for WAL mode)
            with contextlib.suppress(sqlite3.OperationalError):
                raw.execute("PRAGMA journal_mode = WAL")
            raw.execute("PRAGMA synchronous = NORMAL")


@contextmanager
def atomic_checked_once() -> Iterator[Constraints]:
    """A transaction (``transaction.atomic``) in which SQLite checks foreign keys and the
    columns' ``CHECK`` conditions once, when asked, rather than at every row written: it
    yields a :class:`Constraints`, to be called with every model the block wrote before
    the block ends. Row by row the foreign-key checks cost a large import about a sixth of
    its time in SQLite; once at the end, a tenth of that. Where it can, the block writes
    with a rollback journal (:func:`rollback_journal`).

    Where the checks cannot be switched off (PostgreSQL, whose deferred checks cost little;
    SQLite inside an outer transaction) they stay on and the checks do nothing. SQLite
    switches them only outside a transaction: they are back on when the block ends."""
    off = connection.vendor == "sqlite" and connection.disable_constraint_checking()
    checks_off = bool(off) and not _table_checks_elsewhere()
    try:
        if checks_off:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = ON")
        with rollback_journal(), transaction.atomic():
            yield Constraints(bool(off))
    finally:
        if checks_off:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        if off:
            connection.enable_constraint_checking()
