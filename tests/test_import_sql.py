"""The plain-SQL writes of imports (services.import_sql) on SQLite and PostgreSQL: ids come
back in the order of the rows, over many statements, and every kind of value is stored as
the ORM would store it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netiquette.core.models import EmailAddress, Invitation, Person
from netiquette.services import import_sql
from netiquette.services.import_people import PERSON_FIELDS
from netiquette.services.import_sql import Adapt, Rows

pytestmark = [pytest.mark.store, pytest.mark.django_db]

AT = datetime(2026, 2, 8, 12, 0, tzinfo=UTC)


def _people(member, names):
    stamp = Adapt().stamp(AT)
    return [(member.pk, name, "Person", str(n), name.lower(), "", "", "", "", "stranger",
             "", "", "", "", "", stamp, stamp) for n, name in enumerate(names)]


def test_ids_come_back_in_order_over_several_statements(member, monkeypatch):
    monkeypatch.setattr(import_sql, "ROWS_PER_ARRAY", 3)  # PostgreSQL: arrays of 3 rows
    monkeypatch.setattr(import_sql, "ROWS_PER_STATEMENT", 3)  # SQLite: VALUES of 3 rows
    rows = Rows(Person, PERSON_FIELDS)
    names = [f"Person {n}" for n in range(8)]
    ids = rows.insert_returning_ids(_people(member, names))
    assert ids == sorted(ids) and len(set(ids)) == 8
    people = Person.objects.in_bulk(ids)
    assert [people[pk].display_name for pk in ids] == names
    assert people[ids[0]].created_at == AT and people[ids[0]].profile_slug == ""


def test_ids_are_those_stored_after_rows_written_and_deleted_before(member):
    """SQLite counts the ids back from the last one given: they must be the rows' own, also
    when the table's newest rows were deleted before (their ids are not given again)."""
    rows = Rows(Person, PERSON_FIELDS)
    first = rows.insert_returning_ids(_people(member, ["Ann", "Bob", "Cid"]))
    Person.objects.filter(pk=first[-1]).delete()
    Person.objects.create(member=member, display_name="By the ORM", name_key="by the orm",
                          created_at=AT, updated_at=AT)
    names = [f"Later {n}" for n in range(5)]
    ids = rows.insert_returning_ids(_people(member, names))
    assert min(ids) > first[-1]
    assert [Person.objects.get(pk=pk).display_name for pk in ids] == names
    assert not set(ids) & set(first)


def test_a_row_of_the_wrong_width_is_refused_and_nothing_of_its_statement_written(member):
    rows = _people(member, ["Ann", "Bob", "Cid"])
    with pytest.raises(ValueError):  # (not shifted into the next row's columns)
        Rows(Person, PERSON_FIELDS).insert([rows[0], rows[1][:-1], rows[2] + ("x",)])
    assert not Person.objects.filter(member=member).exists()


def _broken(member, names, bad):
    """People rows, the ``bad``-th without a name (which the table refuses)."""
    rows = _people(member, names)
    rows[bad] = (member.pk, None, *rows[bad][2:])
    return rows


def test_a_row_refused_in_a_transaction_raises_and_goes_with_the_transaction(member,
                                                                            monkeypatch):
    """Inside a transaction SQLite writes rows until the one it refuses (no statement
    journal to undo the statement alone): the error is raised all the same, and what the
    statement wrote goes when the transaction (here a savepoint) is rolled back."""
    from django.db import IntegrityError, transaction

    monkeypatch.setattr(import_sql, "ROWS_PER_STATEMENT", 4)
    rows = Rows(Person, PERSON_FIELDS)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(_broken(member, ["Ann", "Bob", "Cid", "Dan", "Eve", "Fay"], 5))
    assert not Person.objects.filter(member=member).exists()
    keep = rows.insert_returning_ids(_people(member, ["Gil"]))  # the ids still count right
    assert Person.objects.get(pk=keep[0]).display_name == "Gil"


@pytest.mark.django_db(transaction=True)
def test_a_row_refused_outside_a_transaction_leaves_nothing_of_its_statement(member):
    """Outside a transaction every statement commits by itself: a statement with a row the
    table refuses writes none of its rows."""
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Rows(Person, PERSON_FIELDS).insert(_broken(member, ["Ann", "Bob", "Cid"], 2))
    assert not Person.objects.filter(member=member).exists()


def test_ids_are_not_asked_of_rows_that_may_be_skipped(member):
    with pytest.raises(TypeError, match="may be skipped"):
        Rows(Person, PERSON_FIELDS, ignore_conflicts=True).insert_returning_ids(
            _people(member, ["Ann"]))


def test_rows_with_nulls_json_and_times_and_conflicts_ignored(member, monkeypatch):
    monkeypatch.setattr(import_sql, "ROWS_PER_ARRAY", 2)
    monkeypatch.setattr(import_sql, "ROWS_PER_STATEMENT", 2)  # conflicts within one, and across
    person = Person.objects.create(member=member, display_name="Ann Lee", name_key="ann lee",
                                   created_at=AT, updated_at=AT)
    adapt = Adapt()
    fields = ("member", "person", "direction", "note", "sent_at", "channel", "source",
              "external_key", "status", "verdict", "verdict_score", "verdict_reasons",
              "verdict_label")
    invitations = Rows(Invitation, fields, ignore_conflicts=True)

    def row(key: str | None, score: float | None) -> list[object]:
        return [member.pk, person.pk, "incoming", "Hi", adapt.stamp(AT), "linkedin",
                "linkedin", key, "pending", "", score,
                adapt.json(Invitation, "verdict_reasons", ["a reason"] if score else []), ""]

    invitations.insert([row("k1", None), row("k2", 0.5), row("k1", 0.9), row(None, None)])
    stored = list(Invitation.objects.filter(member=member).order_by("id"))
    assert [(i.external_key, i.verdict_score, i.verdict_reasons) for i in stored] == [
        ("k1", None, []), ("k2", 0.5, ["a reason"]), (None, None, [])]
    assert stored[0].sent_at == AT

    emails = Rows(EmailAddress, ("member", "person", "address"), ignore_conflicts=True)
    emails.insert([(member.pk, person.pk, "ann@example.com")] * 3)
    assert EmailAddress.objects.filter(member=member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_work_beside_runs_in_the_transaction_and_says_what_went_wrong(member):
    """``beside`` runs statements in a second thread (SQLite) or at once (elsewhere), in the
    caller's transaction: they are rolled back with it, and an error in them is raised
    where the caller waits, as Django's own."""
    from django.db import DatabaseError, transaction

    from netiquette.services.import_sql import beside

    rows = Rows(Person, PERSON_FIELDS)

    def rename(cursor):
        cursor.execute(f"UPDATE {import_sql.table(Person)} SET display_name = %s", ["Renamed"])
        return cursor.rowcount

    with pytest.raises(RuntimeError), transaction.atomic():
        rows.insert(_people(member, ["Ann", "Bob"]))
        with beside(rename) as renamed:
            assert renamed() == 2
        assert set(Person.objects.values_list("display_name", flat=True)) == {"Renamed"}
        raise RuntimeError("roll back")
    assert not Person.objects.exists()

    def broken(cursor):
        cursor.execute("SELECT * FROM no_such_table")

    with pytest.raises(DatabaseError), transaction.atomic(), beside(broken):
        pass  # raised at the block's end, without a wait
    with transaction.atomic(), beside(broken) as wait, pytest.raises(DatabaseError):
        wait()
