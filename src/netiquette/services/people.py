"""People as one member knows them."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet

from netiquette.core.models import EmailAddress, Person
from netiquette.domain import vocabulary as v
from netiquette.errors import NotFound, UserError


def name_key(name: str) -> str:
    """Key for exact name look-ups: accents, case, titles and suffixes ignored."""
    from netiquette.importers.identity import normalize_name

    return normalize_name(name)


def slug_of(url: str) -> str:
    """The profile slug of a LinkedIn profile URL (``…/in/<slug>``), else ''."""
    from netiquette.importers.identity import profile_slug

    return profile_slug(url) or ""


def people_of(member: User) -> QuerySet[Person]:
    return Person.objects.filter(member=member)


def find_person(member: User, *, name: str = "", profile_url: str = "",
                email: str = "") -> Person | None:
    """Match by profile slug, then e-mail, then exact name (case and accents ignored)."""
    slug = slug_of(profile_url)
    if slug:
        found = people_of(member).filter(profile_slug=slug).first()
        if found:
            return found
    if email:
        hit = EmailAddress.objects.filter(member=member, address=email.strip().lower()).first()
        if hit:
            return hit.person
    if name:
        candidates = people_of(member).filter(name_key=name_key(name))
        if slug:
            candidates = candidates.filter(profile_slug__in=["", slug])
        return candidates.order_by("id").first()
    return None


def get_person(member: User, name_or_id: str) -> Person:
    """The person named (or numbered) ``name_or_id``; an ambiguous name is an error."""
    qs = people_of(member)
    if name_or_id.isdigit():
        found = qs.filter(id=int(name_or_id)).first()
        if found:
            return found
    matches = list(qs.filter(name_key=name_key(name_or_id))[:2])
    if not matches:
        raise NotFound(f"no person named '{name_or_id}'")
    if len(matches) > 1:
        raise UserError(f"several people are named '{name_or_id}': use their number "
                        "(netiquette people)")
    return matches[0]


def create_person(member: User, *, name: str, at: datetime, profile_url: str = "",
                  email: str = "", familiarity: str = v.STRANGER, **fields: str) -> Person:
    name = " ".join(name.split())
    if not name:
        raise UserError("a person needs a name")
    first, _, last = name.partition(" ")
    person = Person.objects.create(
        member=member, display_name=name, first_name=fields.pop("first_name", first),
        last_name=fields.pop("last_name", last), name_key=name_key(name),
        profile_url=profile_url, profile_slug=slug_of(profile_url), familiarity=familiarity,
        created_at=at, updated_at=at, **fields,
    )
    if email:
        add_email(person, email)
    return person


def add_email(person: Person, email: str) -> None:
    address = email.strip().lower()
    if "@" not in address:
        raise UserError(f"--email: {email!r} is not an e-mail address")
    EmailAddress.objects.get_or_create(
        member_id=person.member_id, address=address, defaults={"person": person}
    )


def set_familiarity(person: Person, level: str, at: datetime) -> None:
    if level not in v.FAMILIARITIES:
        raise UserError(f"--familiarity: '{level}' is not one of {', '.join(v.FAMILIARITIES)}")
    person.familiarity = level
    person.updated_at = at
    person.save(update_fields=["familiarity", "updated_at"])


def raise_familiarity(person: Person, level: str, at: datetime) -> None:
    """Raise (never lower) a person's familiarity."""
    if v.familiarity_rank(level) > v.familiarity_rank(person.familiarity):
        set_familiarity(person, level, at)


NOTE_FIELDS = ("how_we_met", "can_say", "can_help_them", "they_can_help", "notes")


def update_notes(person: Person, at: datetime, **notes: str | None) -> None:
    changed = [k for k, val in notes.items() if val is not None]
    for key in changed:
        if key not in NOTE_FIELDS:
            raise UserError(f"unknown note '{key}'")
        setattr(person, key, notes[key])
    if changed:
        person.updated_at = at
        person.save(update_fields=[*changed, "updated_at"])
