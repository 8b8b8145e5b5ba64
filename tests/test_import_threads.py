"""Messages counted per conversation and person (services.import_threads), on SQLite and
PostgreSQL: parts of one conversation's count add up, however they are written, and a
thread stored by an earlier import is raised to the newer export's whole count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netiquette.core.models import Person, Thread
from netiquette.services.import_threads import Threads

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def _at(day: int) -> datetime:
    return datetime(2026, 1, day, 10, 0, tzinfo=UTC)


def _stored(member) -> list[tuple[str, int, int, int, datetime, datetime]]:
    return sorted(Thread.objects.filter(member=member).values_list(
        "external_key", "person_id", "sent", "received", "first_at", "last_at"))


@pytest.fixture
def people(member) -> list[int]:
    return [Person.objects.create(member=member, display_name=name, name_key=name.lower(),
                                  created_at=_at(1), updated_at=_at(1)).pk
            for name in ("Ann Lee", "Bo Chen")]


def test_parts_written_apart_add_up_to_one_thread(member, people):
    ann, bo = people
    threads = Threads(member.pk)
    threads.add("2-a==", ann, 2, 1, _at(5), _at(9))
    threads.add("2-b==", bo, 0, 1, _at(3), _at(3))
    threads.write_new()  # the scan goes on: a later part of 2-a== comes
    threads.add("2-a==", ann, 1, 3, _at(2), _at(7))
    threads.write_new()
    threads.add("2-a==", ann, 0, 1, _at(8), _at(12))
    assert threads.write() == 9
    assert _stored(member) == [("2-a==", ann, 3, 5, _at(2), _at(12)),
                               ("2-b==", bo, 0, 1, _at(3), _at(3))]


def test_parts_add_up_also_when_threads_look_alike_to_the_import(member, people,
                                                                 monkeypatch):
    """The import tells threads it wrote from new ones by a hash: where two threads' hashes
    are equal, the new one is written as a later part would be, and all still add up."""
    from netiquette.services import import_threads

    monkeypatch.setattr(import_threads, "_mark", lambda key_pid: 0)  # every one alike
    ann, bo = people
    threads = Threads(member.pk)
    threads.add("2-a==", ann, 2, 1, _at(5), _at(9))
    threads.write_new()
    threads.add("2-b==", bo, 0, 1, _at(3), _at(3))  # new, yet taken for 2-a=='s part
    threads.add("2-a==", ann, 1, 0, _at(2), _at(4))
    assert threads.write() == 5
    assert _stored(member) == [("2-a==", ann, 3, 1, _at(2), _at(9)),
                               ("2-b==", bo, 0, 1, _at(3), _at(3))]


def test_a_thread_stored_before_is_raised_to_the_whole_count_not_added_to(member, people):
    ann, bo = people
    first = Threads(member.pk)
    first.add("2-a==", ann, 2, 2, _at(5), _at(9))
    assert first.write() == 4
    again = Threads(member.pk)  # the newer export holds the whole conversation, in parts
    again.add("2-a==", ann, 2, 1, _at(5), _at(9))
    again.write_new()
    again.add("2-a==", ann, 1, 1, _at(10), _at(11))
    again.add("2-b==", bo, 1, 0, _at(4), _at(4))
    assert again.write() == 2
    assert _stored(member) == [("2-a==", ann, 3, 2, _at(5), _at(11)),
                               ("2-b==", bo, 1, 0, _at(4), _at(4))]
    same = Threads(member.pk)
    same.add("2-a==", ann, 3, 2, _at(5), _at(11))
    assert same.write() == 0
    assert _stored(member)[0] == ("2-a==", ann, 3, 2, _at(5), _at(11))


def test_times_as_a_scan_hands_them_over_are_stored_as_those_times(member, people):
    """A scan hands times over as UTC text (as the export writes them); they are stored as
    the same times, and widen a thread stored before as times do."""
    ann, _bo = people
    first = Threads(member.pk)
    first.add("2-a==", ann, 1, 1, "2026-01-05 10:00:00", "2026-01-09 10:00:00.250000")
    assert first.write() == 2
    again = Threads(member.pk)
    again.add("2-a==", ann, 2, 1, "2026-01-04 09:00:00", "2026-01-09 10:00:00")
    assert again.write() == 1
    assert _stored(member) == [("2-a==", ann, 2, 1, datetime(2026, 1, 4, 9, 0, tzinfo=UTC),
                                datetime(2026, 1, 9, 10, 0, 0, 250000, tzinfo=UTC))]
