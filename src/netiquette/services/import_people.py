"""People as an import finds them: an index of small records, new people written in batches.

The index holds, per person, only what matching and updating need (:class:`Who`): the id,
profile slug, familiarity and which of company, position and profile URL are filled. It is
keyed by slug, e-mail and name key, as :func:`services.people.find_person` matches.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from netiquette.core.models import EmailAddress, Person
from netiquette.domain import vocabulary as v
from netiquette.errors import UserError
from netiquette.importers.identity import normalize_name as name_key  # services.people's key
from netiquette.services.import_sql import (
    Adapt,
    Rows,
    column,
    or_fail,
    select,
    table,
    update_by_id,
)
from netiquette.services.members import Actor

BATCH = 2000

#: the columns of a new person row, in order
PERSON_FIELDS = ("member", "display_name", "first_name", "last_name", "name_key", "company",
                 "position", "profile_url", "profile_slug", "familiarity", "how_we_met",
                 "can_say", "can_help_them", "they_can_help", "notes", "created_at",
                 "updated_at")
_COMPANY, _POSITION, _URL, _SLUG, _FAMILIARITY = 5, 6, 7, 8, 9
#: position in a person row -> the column's length, for every column that has one
_LIMIT_AT = {i: int(length) for i, name in enumerate(PERSON_FIELDS)
             if (length := getattr(Person._meta.get_field(name), "max_length", None))}
#: a new row's texts from the input (display name … profile slug) need :func:`fit` only
#: when one is longer than this (the familiarity is the vocabulary's own, and fits)
_FITS = min(_LIMIT_AT[i] for i in range(1, _FAMILIARITY))


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis) when it is longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
#: attribute, position in a new row, bit in Who.filled
_FILLABLE = (("company", _COMPANY, 1), ("position", _POSITION, 2),
             ("profile_url", _URL, 4), ("profile_slug", _SLUG, 8))


class Who:
    """One person of the member as the import sees them. ``id`` is None until written;
    ``row`` is the new person's row until then; ``marks`` are the importer's own notes
    (a connection, a pending inviter, who wrote to whom)."""

    __slots__ = ("id", "slug", "familiarity", "filled", "row", "marks")

    def __init__(self, pid: int | None, slug: str, familiarity: str, filled: int,
                 row: list[Any] | None = None) -> None:
        self.id, self.slug, self.familiarity, self.filled, self.row = (
            pid, slug, familiarity, filled, row)
        self.marks = 0


class PeopleIndex:
    """The member's people by slug, e-mail and name key, loaded once per import."""

    def __init__(self, member_id: int) -> None:
        self.by_slug: dict[str, Who] = {}
        self.by_name: dict[str, Who] = {}
        self.by_email: dict[str, Who] = {}
        p = table(Person)
        by_id: dict[int, Who] = {}
        # in the order the database finds them (sorting by id cost it more than the look-ups
        # here): a slug names the newest person with it, a name key the oldest
        rows = select(
            f"SELECT id, profile_slug, name_key, familiarity, company, position, profile_url "
            f"FROM {p} WHERE {column(Person, 'member')} = %s", [member_id])
        by_slug, by_name = self.by_slug, self.by_name
        for pid, slug, key, familiarity, company, position, url in rows:
            filled = (1 if company else 0) | (2 if position else 0) | (4 if url else 0) | (
                8 if slug else 0)
            who = by_id[pid] = Who(pid, slug, familiarity, filled)
            if slug:
                other = by_slug.get(slug)
                if other is None or other.id < pid:  # type: ignore[operator]
                    by_slug[slug] = who
            other = by_name.get(key)
            if other is None or other.id > pid:  # type: ignore[operator]
                by_name[key] = who
        del rows
        for address, pid in select(
                f"SELECT address, person_id FROM {table(EmailAddress)} "
                f"WHERE {column(EmailAddress, 'member')} = %s", [member_id]):
            self.by_email[address] = by_id[pid]

    def find(self, name: str, slug: str | None = None, email: str | None = None) -> Who | None:
        """By slug, then e-mail, then name key; two different profiles are never the same."""
        if slug:
            who = self.by_slug.get(slug)
            if who is not None:
                return who
        if email:
            who = self.by_email.get(email.lower())
            if who is not None:
                return who
        return self.by_key(name_key(name), slug)

    def by_key(self, key: str, slug: str | None) -> Who | None:
        """The person with name key ``key``, unless their profile is another than ``slug``."""
        who = self.by_name.get(key)
        if who is None or (slug and who.slug and who.slug != slug):
            return None
        return who

    def forget(self) -> None:
        """Drop the look-ups (their memory is reused for what follows)."""
        self.by_slug, self.by_name, self.by_email = {}, {}, {}


class People:
    """Finds or adds people (:meth:`upsert`); new people, their e-mail addresses and the
    changes to known people are written by :meth:`flush` (at the latest), in batches."""

    def __init__(self, actor: Actor, at: datetime, on_added: Callable[[], None],
                 on_updated: Callable[[], None]) -> None:
        self.member_id: int = actor.member.pk
        self.at = at
        self.adapt = Adapt()
        self.stamp = self.adapt.stamp(at)
        self.idx = PeopleIndex(self.member_id)
        self.addresses = set(self.idx.by_email)
        self.new: list[Who] = []
        self.new_emails: list[tuple[Who, str]] = []
        self.updates: dict[tuple[str, ...], list[list[Any]]] = {}
        self.on_added, self.on_updated = on_added, on_updated
        self.person_rows = Rows(Person, PERSON_FIELDS)
        self.email_rows = Rows(EmailAddress, ("member", "person", "address"))

    def upsert(self, *, name: str, slug: str | None, url: str | None, email: str | None,
               company: str | None, position: str | None, familiarity: str, first: str = "",
               last: str = "") -> Who | None:
        if not name:
            return None
        idx = self.idx
        # as idx.find(name, slug, email), keeping the name key for a new person
        who = idx.by_slug.get(slug) if slug else None
        if who is None and email:
            who = idx.by_email.get(email.lower())
        key = ""
        if who is None:
            key = name_key(name)
            who = idx.by_key(key, slug)
        if who is None:
            row = [self.member_id, name, first or name.split()[0], last, key, company or "",
                   position or "", url or "", slug or "", familiarity, "", "", "", "", "",
                   self.stamp, self.stamp]
            if max(map(len, row[1:_FAMILIARITY])) > _FITS:  # long text: cut what is too long
                for i, limit in _LIMIT_AT.items():
                    row[i] = fit(row[i], limit)
            filled = (1 if company else 0) | (2 if position else 0) | (4 if url else 0) | (
                8 if slug else 0)
            who = Who(None, slug or "", familiarity, filled, row)
            self.new.append(who)
            if slug:
                idx.by_slug[slug] = who
            idx.by_name.setdefault(key, who)
            self.on_added()
        else:
            self._update(who, (company, position, url, slug), familiarity)
        if email and email.lower() not in idx.by_email:
            self.add_email(who, email)
        if len(self.new) >= BATCH:
            self.flush()
        return who

    def _update(self, who: Who, values: tuple[str | None, ...], familiarity: str) -> None:
        """Fill what the person lacks and raise their familiarity (never lower it)."""
        changed: list[tuple[str, int, str]] = []
        for (attr, pos, bit), value in zip(_FILLABLE, values, strict=True):
            if value and not who.filled & bit:
                who.filled |= bit
                changed.append((attr, pos, fit(value, _LIMIT_AT[pos])))
        if v.familiarity_rank(familiarity) > v.familiarity_rank(who.familiarity):
            who.familiarity = familiarity
            changed.append(("familiarity", _FAMILIARITY, familiarity))
        if not changed:
            return
        if who.row is not None:  # not written yet: written with its final values
            for _attr, pos, value in changed:
                who.row[pos] = value
        else:
            fields = tuple(attr for attr, _pos, _value in changed) + ("updated_at",)
            self.updates.setdefault(fields, []).append(
                [value for _attr, _pos, value in changed] + [self.stamp, who.id])
        for attr, _pos, value in changed:
            if attr == "profile_slug":
                who.slug = value
                self.idx.by_slug[value] = who
        self.on_updated()

    def add_email(self, who: Who, email: str) -> None:
        """As :func:`services.people.add_email`, written with the next flush."""
        address = email.strip().lower()
        if "@" not in address:
            raise UserError(f"--email: {email!r} is not an e-mail address")
        if address not in self.addresses:
            self.addresses.add(address)
            self.new_emails.append((who, address))
        self.idx.by_email[email.lower()] = who

    def flush(self) -> None:
        """Write new people (their ids come back), their e-mail addresses, and updates."""
        if self.new:
            ids = self.person_rows.insert_returning_ids([who.row for who in self.new
                                                        if who.row is not None])
            for who, pid in zip(self.new, ids, strict=True):
                who.id, who.row = pid, None
            self.new = []
        if self.new_emails:
            self.email_rows.insert([(self.member_id, who.id, address)
                                    for who, address in self.new_emails])
            self.new_emails = []
        for fields, rows in self.updates.items():
            update_by_id(Person, fields, rows)
        self.updates = {}

    def raise_familiarity(self, ids: list[int], to: str,
                          below: tuple[str, ...]) -> Callable[[Any], int]:
        """Write what is pending; return the step (for :func:`.import_sql.beside`, given a
        cursor) that gives people among ``ids`` whose familiarity is one of ``below`` the
        familiarity ``to`` and returns how many."""
        self.flush()
        f = column(Person, "familiarity")
        marks = ", ".join(["%s"] * len(below))
        sql = (f"{or_fail('UPDATE')} {table(Person)} "
               f"SET {f} = %s, {column(Person, 'updated_at')} = %s "
               f"WHERE {column(Person, 'member')} = %s AND {f} IN ({marks}) AND id IN ")
        head = [to, self.stamp, self.member_id, *below]

        def step(cursor: Any) -> int:
            changed = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f"{sql}({', '.join(['%s'] * len(chunk))})", [*head, *chunk])
                changed += cursor.rowcount
            return changed

        return step
