"""An import's transaction (services.import_checks), on SQLite and PostgreSQL: foreign keys
and the columns' CHECK conditions are checked once, when asked, and a row that breaks one is
refused with the whole transaction; outside it, SQLite checks every row again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection

from netiquette.core.models import EmailAddress, Invitation, Person, Thread
from netiquette.services import import_checks
from netiquette.services.import_checks import atomic_checked_once
from netiquette.services.import_people import PERSON_FIELDS
from netiquette.services.import_sql import Adapt, Rows, beside
from netiquette.services.import_threads import FIELDS as THREAD_FIELDS

pytestmark = [pytest.mark.store, pytest.mark.django_db(transaction=True)]

AT = datetime(2026, 2, 8, 12, 0, tzinfo=UTC)


def _people(member, names):
    stamp = Adapt().stamp(AT)
    return [(member.pk, name, "Person", str(n), name.lower(), "", "", "", "", "stranger",
             "", "", "", "", "", stamp, stamp) for n, name in enumerate(names)]


def _threads(member, person_id, counts):
    stamp = Adapt().stamp(AT)
    return [(member.pk, person_id, "linkedin", f"2-{n}==", sent, 1, stamp, stamp)
            for n, sent in enumerate(counts)]


def test_a_value_a_column_check_refuses_is_found_and_nothing_stays(member):
    """Inside the block SQLite writes a negative count (its CHECK is off); the check at the
    end refuses it, naming the table, and the transaction is undone."""
    with pytest.raises(IntegrityError, match="(?i)core_thread.*check"), \
            atomic_checked_once() as checks:
        (pid,) = Rows(Person, PERSON_FIELDS).insert_returning_ids(_people(member, ["Ann"]))
        Rows(Thread, THREAD_FIELDS).insert(_threads(member, pid, [2, -1, 3]))
        checks([Person, Thread])
    assert not Thread.objects.exists() and not Person.objects.exists()


def test_a_table_checked_early_is_checked_again_when_a_refused_value_came(member):
    with pytest.raises(IntegrityError, match="(?i)check"), atomic_checked_once() as checks:
        (pid,) = Rows(Person, PERSON_FIELDS).insert_returning_ids(_people(member, ["Ann"]))
        Rows(Thread, THREAD_FIELDS).insert(_threads(member, pid, [-1]))
        with beside(checks.early([Person, Thread])):
            pass
        checks([Person, Thread])
    assert not Thread.objects.exists()


def test_outside_the_block_every_row_is_checked_again(member):
    with atomic_checked_once() as checks:
        (pid,) = Rows(Person, PERSON_FIELDS).insert_returning_ids(_people(member, ["Ann"]))
        checks([Person])
    with pytest.raises(IntegrityError):
        Rows(Thread, THREAD_FIELDS).insert(_threads(member, pid, [-1]))
    assert not Thread.objects.exists()


def test_checks_stay_on_where_a_table_has_a_check_of_its_own(member, monkeypatch):
    """A model's own CheckConstraint is not among the columns' checks made at the end: where
    one exists, SQLite checks every row as it is written."""
    monkeypatch.setattr(import_checks, "_table_checks_elsewhere", lambda: True)
    with pytest.raises(IntegrityError), atomic_checked_once():
        (pid,) = Rows(Person, PERSON_FIELDS).insert_returning_ids(_people(member, ["Ann"]))
        Rows(Thread, THREAD_FIELDS).insert(_threads(member, pid, [-1]))
        raise AssertionError("written without a check")  # pragma: no cover


def test_no_model_has_a_check_beyond_its_columns():
    """Else imports would be checked row by row (see the test above): a model's own CHECK
    needs a place in Constraints first."""
    import_checks._table_checks_elsewhere.cache_clear()
    assert not import_checks._table_checks_elsewhere()


def test_tables_checked_early_are_checked_again_only_when_rows_were_added(member,
                                                                        monkeypatch):

    checked: list[list[str]] = []
    check = connection.check_constraints
    monkeypatch.setattr(connection, "check_constraints",
                        lambda table_names: checked.append(table_names) or check(table_names))
    email = EmailAddress._meta.db_table
    with atomic_checked_once() as checks:
        Rows(Person, PERSON_FIELDS).insert(_people(member, ["Ann"]))
        with beside(checks.early([Person, EmailAddress])):
            pass
        checks([Person, EmailAddress, Invitation])
    expected = [Invitation._meta.db_table]
    assert checked == ([expected] if connection.vendor == "sqlite" else [])

    emails = Rows(EmailAddress, ("member", "person", "address"))
    with pytest.raises(IntegrityError), atomic_checked_once() as checks:
        with beside(checks.early([Person, EmailAddress])):
            pass
        emails.insert([(member.pk, 10**9, "nobody@example.org")])  # after the early check
        checks([Person, EmailAddress])
    with pytest.raises(IntegrityError), atomic_checked_once() as checks:
        emails.insert([(member.pk, 10**9, "nobody@example.org")])  # found early
        with beside(checks.early([Person, EmailAddress])):
            pass
        checks([Person])  # (a table found wanting early is checked again, and refused)
        checks([EmailAddress])
    assert not EmailAddress.objects.exists()
    if connection.vendor == "sqlite":
        assert checked[1:] == [[email], [email]]  # the people were not checked again
