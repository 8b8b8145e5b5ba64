"""Finding people a member knows twice, and merging them into one (issue 4, "Identity").

The rule that matters most (see :mod:`netiquette.importers.identity`): two people with
*different* profile slugs are different humans, whatever their names or e-mail addresses say.
They are never paired by :func:`find_duplicates` and :func:`merge_people` refuses them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from django.contrib.auth.models import User
from django.db import transaction

from netiquette.core.models import (
    Case,
    Conversation,
    EmailAddress,
    Invitation,
    Message,
    Person,
    Thread,
)
from netiquette.domain import vocabulary as v
from netiquette.errors import NotFound, UserError
from netiquette.importers.identity import DEFAULT_THRESHOLD, name_similarity, normalize_name
from netiquette.services.members import Actor

#: Fields of the kept person filled from the other one when empty.
FILL_FIELDS = ("company", "position")
#: Private notes: concatenated when both people have text.
NOTE_FIELDS = ("how_we_met", "can_say", "can_help_them", "they_can_help", "notes")
_ROWS = 512  # rows of a block's score matrix computed at once (memory stays bounded)
_GMAIL = frozenset({"gmail.com", "googlemail.com"})


@dataclass(frozen=True)
class DuplicatePair:
    """Two of a member's people who are likely the same human.

    ``keep`` is the suggested survivor of ``netiquette people merge`` (the one with a
    profile URL, else the older record); ``reason`` says in words why they were paired and
    ``score`` how sure (100 for a shared profile or e-mail, else the name similarity).
    """

    keep: Person
    other: Person
    reason: str
    score: float


def canonical_email(address: str) -> str:
    """An address reduced to the mailbox it delivers to: lowercase, no ``+tag``, and for
    Gmail no dots and one domain (``Ann.Lee+x@googlemail.com`` -> ``annlee@gmail.com``)."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    local = local.split("+", 1)[0] or local
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def find_duplicates(member: User, threshold: float = DEFAULT_THRESHOLD) -> list[DuplicatePair]:
    """Pairs of ``member``'s people who are likely the same human, surest first.

    A pair shares a profile slug, or an e-mail address (compared by :func:`canonical_email`),
    or has names scoring ``threshold`` or more in
    :func:`~netiquette.importers.identity.name_similarity` (titles, accents, case, middle
    names and "Last, First" do not count). People with different non-empty profile slugs are
    never paired. Names are compared once per distinct first+last key and only within blocks
    of keys that share a first or last name, so 30,000 people take about a second.
    """
    rows = Person.objects.filter(member=member).order_by("id").values_list(
        "id", "display_name", "profile_slug")
    people = {r[0]: _Ref(*r) for r in rows.iterator(chunk_size=5000)}
    found: dict[tuple[int, int], tuple[_Ref, _Ref, str, float]] = {}

    def add(a: _Ref, b: _Ref, reason: str, score: float) -> None:
        if a.id == b.id or (a.profile_slug and b.profile_slug
                            and a.profile_slug != b.profile_slug):
            return
        key = (min(a.id, b.id), max(a.id, b.id))
        if key not in found:
            found[key] = (*_suggest_keep(a, b), reason, score)

    by_slug: dict[str, list[_Ref]] = defaultdict(list)
    for p in people.values():
        if p.profile_slug:
            by_slug[p.profile_slug].append(p)
    for slug, group in by_slug.items():
        for a, b in combinations(group, 2):
            add(a, b, f"same profile linkedin.com/in/{slug}", 100.0)

    by_email: dict[str, list[tuple[str, _Ref]]] = defaultdict(list)
    emails = EmailAddress.objects.filter(member=member).values_list("address", "person_id")
    for address, pid in emails.order_by("id").iterator(chunk_size=5000):
        if pid in people:
            by_email[canonical_email(address)].append((address, people[pid]))
    for hits in by_email.values():
        for (addr_a, a), (addr_b, b) in combinations(hits, 2):
            shown = addr_a if addr_a == addr_b else f"{addr_a} ~ {addr_b}"
            add(a, b, f"same e-mail {shown}", 100.0)

    by_key: dict[str, list[_Ref]] = defaultdict(list)
    for p in people.values():
        key = _core(p.display_name)
        if key:
            by_key[key].append(p)
    for key_a, key_b in _similar_keys(by_key, threshold):
        for a, b in _pairs_across(by_key[key_a], by_key[key_b]):
            score = name_similarity(a.display_name, b.display_name)
            if score < threshold:
                continue
            if a.display_name == b.display_name:
                add(a, b, f"same name: '{a.display_name}'", score)
            else:
                add(a, b, f"similar names: '{a.display_name}' ~ '{b.display_name}' "
                          f"({score:.0f})", score)
    loaded = Person.objects.filter(member=member).in_bulk(
        {pid for a, b, _, _ in found.values() for pid in (a.id, b.id)})
    pairs = [DuplicatePair(loaded[a.id], loaded[b.id], reason, score)
             for a, b, reason, score in found.values() if a.id in loaded and b.id in loaded]
    return sorted(pairs, key=lambda d: (-d.score, d.keep.id, d.other.id))


@dataclass(frozen=True, slots=True)
class _Ref:
    """What pairing needs of a person (cheaper than 30,000 model instances)."""

    id: int
    display_name: str
    profile_slug: str


def _core(name: str) -> str:
    """First and last normalised tokens; '' for single-word names (too weak to match)."""
    tokens = normalize_name(name).split()
    return f"{tokens[0]} {tokens[-1]}" if len(tokens) >= 2 else ""


def _similar_keys(by_key: dict[str, list[_Ref]],
                  threshold: float) -> Iterator[tuple[str, str]]:
    """Each key with itself, then pairs of distinct keys that share a token and score enough.

    Keys are scored in bulk (RapidFuzz ``cdist``, either word order) with some slack; the full
    names of the people behind them are scored again afterwards.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    for key in by_key:
        yield key, key
    blocks: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        for token in set(key.split()):
            blocks[token].append(key)
    cutoff = max(threshold - 5, 0)
    seen: set[tuple[str, str]] = set()
    for keys in blocks.values():
        if len(keys) < 2:
            continue
        swapped = [" ".join(reversed(k.split())) for k in keys]
        for lo in range(0, len(keys), _ROWS):
            rows = keys[lo:lo + _ROWS]
            score = np.maximum(
                process.cdist(rows, keys, scorer=fuzz.ratio, score_cutoff=cutoff),
                process.cdist(rows, swapped, scorer=fuzz.ratio, score_cutoff=cutoff))
            for i, j in np.argwhere(score >= cutoff):
                a, b = rows[i], keys[j]
                if a < b and (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


def _pairs_across(left: list[_Ref], right: list[_Ref]) -> Iterable[tuple[_Ref, _Ref]]:
    """Pairs from two groups (or within one) that may be the same human: people with
    different slugs are skipped without being looked at pairwise."""
    same = left is right

    def split(group: list[_Ref]) -> tuple[list[_Ref], dict[str, list[_Ref]]]:
        bare: list[_Ref] = []
        slugged: dict[str, list[_Ref]] = defaultdict(list)
        for p in group:
            (slugged[p.profile_slug] if p.profile_slug else bare).append(p)
        return bare, slugged

    bare_l, slug_l = split(left)
    if same:
        yield from combinations(bare_l, 2)
        for p in bare_l:
            for q in left:
                if q.profile_slug:
                    yield p, q
        for group in slug_l.values():
            yield from combinations(group, 2)
        return
    bare_r, slug_r = split(right)
    for p in bare_l:
        for q in right:
            yield p, q
    for q in bare_r:
        for p in left:
            if p.profile_slug:
                yield p, q
    for slug, group in slug_l.items():
        for p in group:
            for q in slug_r.get(slug, ()):
                yield p, q


def _suggest_keep(a: _Ref, b: _Ref) -> tuple[_Ref, _Ref]:
    if bool(a.profile_slug) != bool(b.profile_slug):
        return (a, b) if a.profile_slug else (b, a)
    return (a, b) if a.id < b.id else (b, a)


def _label(p: Person) -> str:
    return f"{p.display_name} (#{p.id})"


def merge_people(actor_or_member: Actor | User, keep: Person | int, other: Person | int,
                 at: datetime) -> Person:
    """Merge ``other`` into ``keep`` in one transaction and delete ``other``.

    Everything ``other`` had moves to ``keep``: invitations, cases (with their events and
    actions), messages, conversations and e-mail addresses, so both histories are kept.
    ``keep``'s empty company, position and profile URL are filled from ``other``; private notes
    are concatenated where both have text; the higher familiarity wins.

    Raises :class:`~netiquette.errors.UserError` when the two are the same person, either is
    not the member's, their profile slugs differ (different humans), or both have an open
    case (one must be closed first).
    """
    member = actor_or_member.member if isinstance(actor_or_member, Actor) else actor_or_member
    keep_id = keep if isinstance(keep, int) else keep.id
    other_id = other if isinstance(other, int) else other.id
    with transaction.atomic():
        found = Person.objects.select_for_update().filter(member=member,
                                                          id__in=[keep_id, other_id]).in_bulk()
        for pid in (keep_id, other_id):
            if pid not in found:
                raise NotFound(f"no person #{pid} among your people")
        k, o = found[keep_id], found[other_id]
        if keep_id == other_id:
            raise UserError(f"cannot merge {_label(k)} with themselves: name two people")
        if k.profile_slug and o.profile_slug and k.profile_slug != o.profile_slug:
            raise UserError(f"{_label(k)} and {_label(o)} have different profiles "
                            f"(linkedin.com/in/{k.profile_slug}, linkedin.com/in/"
                            f"{o.profile_slug}): they are different people")
        open_k = _open_cases(member, k)
        open_o = _open_cases(member, o)
        if open_k and open_o:
            raise UserError(f"both have an open case: {_label(k)} case {_ids(open_k)}, "
                            f"{_label(o)} case {_ids(open_o)}; close one first "
                            "(netiquette close CASE)")
        for model in (Invitation, Case, Message, Conversation, EmailAddress):
            model.objects.filter(member=member, person=o).update(person=k)
        _merge_threads(member, k, o)
        for field in FILL_FIELDS:
            if not getattr(k, field) and getattr(o, field):
                setattr(k, field, getattr(o, field))
        if not k.profile_slug and o.profile_slug:
            k.profile_url, k.profile_slug = o.profile_url, o.profile_slug
        elif not k.profile_url and o.profile_url:
            k.profile_url = o.profile_url
        for field in NOTE_FIELDS:
            mine, theirs = getattr(k, field).strip(), getattr(o, field).strip()
            if theirs and theirs not in mine:
                setattr(k, field, f"{mine}\n\n{theirs}" if mine else theirs)
        if v.familiarity_rank(o.familiarity) > v.familiarity_rank(k.familiarity):
            k.familiarity = o.familiarity
        k.created_at = min(k.created_at, o.created_at)
        k.updated_at = at
        k.save()
        o.delete()
    return k


def _merge_threads(member: User, keep: Person, other: Person) -> None:
    """``other``'s counted conversations become ``keep``'s; one both were in is counted once,
    with both sides' messages (each message was counted for one of them)."""
    mine = {(t.channel, t.external_key): t for t in Thread.objects.filter(member=member,
                                                                           person=keep)}
    for theirs in Thread.objects.filter(member=member, person=other):
        same = mine.get((theirs.channel, theirs.external_key))
        if same is None:
            theirs.person = keep
            theirs.save(update_fields=["person"])
            continue
        same.sent += theirs.sent
        same.received += theirs.received
        same.first_at, same.last_at = (min(same.first_at, theirs.first_at),
                                       max(same.last_at, theirs.last_at))
        same.save(update_fields=["sent", "received", "first_at", "last_at"])
        theirs.delete()


def _open_cases(member: User, person: Person) -> list[int]:
    return list(Case.objects.filter(member=member, person=person).exclude(state="closed")
                .order_by("id").values_list("id", flat=True))


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)
