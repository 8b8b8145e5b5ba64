"""The schema the migrations build, on SQLite and PostgreSQL: the indexes the pages and the
import rely on are there, and none that only repeats another's first column."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def _indexes(table: str) -> dict[str, tuple[list[str], bool]]:
    """The indexes and unique constraints of ``table``: their columns, and whether unique."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: (info["columns"], info["unique"]) for name, info in found.items()
            if (info["index"] or info["unique"]) and not info["primary_key"]}


def test_people_are_found_by_member_then_name_profile_or_familiarity_only():
    columns = sorted(cols for cols, _unique in _indexes("core_person").values())
    assert columns == [["member_id", "familiarity"], ["member_id", "name_key"],
                       ["member_id", "profile_slug"]]


@pytest.mark.parametrize("table", ["core_action", "core_case", "core_emailaddress",
                                   "core_invitation", "core_message", "core_person"])
def test_no_index_of_the_member_alone_where_a_longer_one_begins_with_it(table):
    indexes = list(_indexes(table).values())
    assert [cols for cols, _unique in indexes if cols == ["member_id"]] == []
    assert any(len(cols) > 1 and cols[0] == "member_id" for cols, _unique in indexes)


def test_the_inbox_index_survives_the_later_migrations_of_cases():
    assert ["member_id", "opened_at", "id"] in [cols for cols, _u in _indexes("core_case").values()]
