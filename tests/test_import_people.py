"""People as an import finds and adds them (services.import_people): matching by slug,
e-mail and name key, text cut to the columns only when too long, one write per batch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netiquette.core.models import EmailAddress, Person
from netiquette.services.import_people import People

pytestmark = [pytest.mark.store, pytest.mark.django_db]

AT = datetime(2026, 2, 8, 12, 0, tzinfo=UTC)


def people(actor) -> tuple[People, list[str]]:
    said: list[str] = []
    return People(actor, AT, lambda: said.append("added"),
                  lambda: said.append("updated")), said


def add(p: People, name: str, slug: str | None = None, email: str | None = None,
        company: str | None = None, familiarity: str = "stranger"):
    url = f"https://www.linkedin.com/in/{slug}" if slug else None
    return p.upsert(name=name, slug=slug, url=url, email=email, company=company,
                    position=None, familiarity=familiarity)


def test_found_by_slug_email_or_name_and_never_across_profiles(actor):
    p, said = people(actor)
    ann = add(p, "Ann Lee", "ann-lee", "ann@example.com")
    assert add(p, "Anne Lee-Smith", "ann-lee") is ann  # same profile
    assert add(p, "A. Lee", email="ANN@example.com") is ann  # same address
    assert add(p, "Dr. Ann Lee") is ann  # same name key, no other profile
    other = add(p, "Ann Lee", "ann-lee-2")  # same name, another profile
    assert other is not ann and other is not None
    assert add(p, "") is None
    p.flush()
    assert said == ["added", "added"]
    stored = Person.objects.filter(member=actor.member).order_by("id")
    assert [(x.display_name, x.profile_slug, x.name_key) for x in stored] == [
        ("Ann Lee", "ann-lee", "ann lee"), ("Ann Lee", "ann-lee-2", "ann lee")]
    assert [ann.id, other.id] == [x.id for x in stored]
    assert list(EmailAddress.objects.values_list("address", "person_id")) == [
        ("ann@example.com", ann.id)]


def test_what_a_person_lacks_is_filled_and_familiarity_only_rises(actor):
    p, said = people(actor)
    bo = add(p, "Bo Chen", familiarity="recognized")
    p.flush()
    add(p, "Bo Chen", "bo-chen", company="Acme", familiarity="stranger")
    p.flush()
    person = Person.objects.get(pk=bo.id)
    assert (person.company, person.profile_slug, person.familiarity) == (
        "Acme", "bo-chen", "recognized")
    assert said == ["added", "updated"]


def test_only_text_longer_than_its_column_is_cut(actor):
    p, _said = people(actor)
    long_company, too_long = "C" * 250, "P" * 400
    who = add(p, "Cy Dunn", company=long_company)
    add(p, too_long, company=too_long)
    p.flush()
    kept = Person.objects.get(pk=who.id)
    assert kept.company == long_company
    cut = Person.objects.exclude(pk=who.id).get()
    assert cut.display_name == "P" * 299 + "…" and cut.company == "P" * 299 + "…"
    assert cut.first_name == "P" * 199 + "…"


def test_stored_duplicates_a_name_finds_the_oldest_a_profile_the_newest(actor):
    """People stored twice (before a merge) are found as the import always found them,
    whatever order the database lists them in."""
    def stored(name: str, slug: str = "") -> int:
        return Person.objects.create(member=actor.member, display_name=name,
                                     name_key=name.lower(), profile_slug=slug,
                                     created_at=AT, updated_at=AT).pk

    ids = [stored("Bo Chen"), stored("Bo Chen"), stored("Cy Dee", "cy-dee"),
           stored("Cy Dee Jr", "cy-dee"), stored("Bo Chen")]
    p, _said = people(actor)
    assert p.idx.find("Bo Chen").id == ids[0]  # type: ignore[union-attr]
    assert p.idx.find("Someone", "cy-dee").id == ids[3]  # type: ignore[union-attr]
