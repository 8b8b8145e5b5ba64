"""People known twice: finding them (e-mail, names) and merging them, keeping both histories."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

pytestmark = [pytest.mark.store, pytest.mark.django_db]



def at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


T0 = at("2026-02-01T10:00")


def person(member, name: str, **kw):
    from netiquette.services.people import create_person

    return create_person(member, name=name, at=T0, **kw)


def invite(actor, name: str, when: datetime = T0, **kw):
    """An incoming invitation from ``name``: opens a case (and makes the person if needed)."""
    from netiquette.services.invitations import NewInvitation, receive_invitation

    return receive_invitation(actor, NewInvitation(name=name, note="", at=when, **kw))


def pairs_of(member) -> dict[frozenset[str], str]:
    from netiquette.services.duplicates import find_duplicates

    return {frozenset({d.keep.display_name, d.other.display_name}): d.reason
            for d in find_duplicates(member)}


def test_canonical_email():
    from netiquette.services.duplicates import canonical_email

    assert canonical_email(" Ann.Lee+work@GoogleMail.com") == "annlee@gmail.com"
    assert canonical_email("ann.lee+x@example.org") == "ann.lee@example.org"
    assert canonical_email("not-an-address") == "not-an-address"


def test_duplicates_by_email(member):
    from netiquette.core.models import EmailAddress

    a = person(member, "Ann Lee", email="ann.lee@gmail.com")
    person(member, "A. Lee-Winters", email="annlee+news@googlemail.com")
    b = person(member, "Bob Stone")
    c = person(member, "Robert Q. Stein")
    EmailAddress.objects.create(member=member, person=b, address="bob@x.org")
    EmailAddress.objects.create(member=member, person=c, address="Bob@X.org")
    found = pairs_of(member)
    assert found == {
        frozenset({"Ann Lee", "A. Lee-Winters"}):
            "same e-mail ann.lee@gmail.com ~ annlee+news@googlemail.com",
        frozenset({"Bob Stone", "Robert Q. Stein"}): "same e-mail bob@x.org ~ Bob@X.org",
    }
    assert a.id  # the kept one of a pair: the older record, when neither has a profile


def test_duplicates_by_names_with_titles_accents_and_middle_names(member):
    person(member, "Dr. José García")
    person(member, "Jose Garcia")
    person(member, "Ann Marie Lee")
    person(member, "Ann Lee, PhD")
    person(member, "Müller, Zoë")
    person(member, "Zoe Muller")
    person(member, "Carl Jonsson")
    person(member, "Carla Jansen")
    person(member, "Madonna")
    person(member, "Madonna")  # single names are too weak to pair
    found = pairs_of(member)
    assert set(found) == {frozenset({"Dr. José García", "Jose Garcia"}),
                          frozenset({"Ann Marie Lee", "Ann Lee, PhD"}),
                          frozenset({"Müller, Zoë", "Zoe Muller"})}
    assert found[frozenset({"Dr. José García", "Jose Garcia"})].startswith(
        "similar names: '")
    assert "(100)" in found[frozenset({"Ann Marie Lee", "Ann Lee, PhD"})]


def test_equal_names_with_different_profiles_are_never_paired_nor_merged(member, actor):
    from netiquette.errors import UserError
    from netiquette.services.duplicates import merge_people

    one = person(member, "Ann Lee", profile_url="https://www.linkedin.com/in/ann-lee-1",
                 email="ann@x.org")
    two = person(member, "Ann Lee", profile_url="https://www.linkedin.com/in/ann-lee-2")
    # even an address that reaches the same mailbox does not make them one human
    from netiquette.core.models import EmailAddress

    EmailAddress.objects.create(member=member, person=two, address="ann+2@x.org")
    assert pairs_of(member) == {}
    with pytest.raises(UserError, match="different profiles"):
        merge_people(actor, one, two, T0)
    # one without a profile pairs with either, and says why
    from netiquette.services.duplicates import find_duplicates

    bare = person(member, "Ann Lee")
    pairs = find_duplicates(member)
    assert sorted((d.keep.id, d.other.id) for d in pairs) == [(one.id, bare.id),
                                                               (two.id, bare.id)]
    assert {d.reason for d in pairs} == {"same name: 'Ann Lee'"}


def test_same_profile_is_a_duplicate_and_the_profiled_one_is_kept(member):
    from netiquette.services.duplicates import find_duplicates

    person(member, "Ann Lee")
    person(member, "A. Lee", profile_url="https://www.linkedin.com/in/ann-lee")
    person(member, "Ann Lee", profile_url="https://linkedin.com/in/ann-lee/")
    pairs = find_duplicates(member)
    reasons = {d.reason for d in pairs}
    assert "same profile linkedin.com/in/ann-lee" in reasons
    bare = [d for d in pairs if not (d.keep.profile_slug and d.other.profile_slug)]
    assert bare and all(d.keep.profile_slug and not d.other.profile_slug for d in bare)


def test_merge_keeps_both_histories_and_deletes_the_other(member, actor):
    from netiquette.core.models import Case, Conversation, Invitation, Message, Person
    from netiquette.services.cases import end_case
    from netiquette.services.duplicates import merge_people
    from netiquette.services.people import update_notes

    old_case = invite(actor, "Ann Lee", T0)
    end_case(actor, old_case, "closed", at("2026-02-02T10:00"))
    keep = old_case.person
    update_notes(keep, T0, can_say="ships maps")
    new_case = invite(actor, "Dr. Ann Marie Lee", at("2026-02-20T10:00"), email="ann@x.org",
                      profile_url="https://www.linkedin.com/in/ann-lee", familiarity="known")
    other = new_case.person
    other.company, other.notes, other.can_say = "Acme", "met in Lisbon", "likes sailing"
    other.save()
    Message.objects.create(member=member, person=keep, case=old_case, direction="incoming",
                           text="hello from before", at=T0)
    Message.objects.create(member=member, person=other, case=new_case, direction="incoming",
                           text="hello again", at=at("2026-02-21T10:00"))
    Conversation.objects.create(member=member, case=new_case, person=other)

    merged = merge_people(actor, keep, other, at("2026-03-01T09:00"))

    assert not Person.objects.filter(id=other.id).exists()
    assert merged.id == keep.id
    assert set(Invitation.objects.filter(member=member).values_list("person_id", flat=True)) \
        == {keep.id}
    assert sorted(Case.objects.filter(person=keep).values_list("id", flat=True)) \
        == sorted([old_case.id, new_case.id])
    assert sorted(Message.objects.filter(person=keep).values_list("text", flat=True)) \
        == ["hello again", "hello from before"]
    assert Conversation.objects.get(case=new_case).person_id == keep.id
    assert list(merged.emails.values_list("address", flat=True)) == ["ann@x.org"]
    merged.refresh_from_db()
    assert (merged.display_name, merged.company, merged.familiarity) == ("Ann Lee", "Acme",
                                                                           "known")
    assert merged.profile_slug == "ann-lee"
    assert merged.can_say == "ships maps\n\nlikes sailing"
    assert merged.notes == "met in Lisbon"
    assert new_case.events.count() >= 1  # the other's case history travels intact
    from netiquette.services.people import find_person

    assert find_person(member, email="ann@x.org") == merged


def test_cli_lists_and_merges(cli, member, clock):
    cli("invite", "add", "--from", "Dr. Ann Lee", "--message", "")
    cli("invite", "add", "--from", "Ann Marie Lee", "--message", "", "--email", "ann@x.org")
    people = {p["name"]: p["id"] for p in json.loads(cli("people", "--json").output)}
    assert set(people) == {"Dr. Ann Lee", "Ann Marie Lee"}
    (pair,) = json.loads(cli("people", "duplicates", "--json").output)
    assert (pair["keep"]["name"], pair["other"]["name"]) == ("Dr. Ann Lee", "Ann Marie Lee")
    assert pair["reason"].startswith("similar names:")
    r = cli("people", "duplicates")
    assert r.exit_code == 0 and "netiquette people merge KEEP OTHER" in r.output
    assert "similar names" in r.output
    # both have an open case: refused, naming them
    r = cli("people", "merge", str(people["Dr. Ann Lee"]), str(people["Ann Marie Lee"]))
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and "both have an open case" in r.output
    cases = json.loads(cli("person", "Ann Marie Lee", "--json").output)["cases"]
    assert f"case {cases[0]['id']}" in r.output
    assert cli("close", str(cases[0]["id"])).exit_code == 0
    r = cli("people", "merge", "Dr. Ann Lee", "Ann Marie Lee")
    assert r.exit_code == 0, r.output
    assert "merged Ann Marie Lee" in r.output
    after = json.loads(cli("person", str(people["Dr. Ann Lee"]), "--json").output)
    assert after["emails"] == ["ann@x.org"] and len(after["cases"]) == 2
    assert json.loads(cli("people", "duplicates", "--json").output) == []
    assert cli("people", "duplicates").output.strip() == "no likely duplicates"


def test_cli_refusals_exit_2_with_one_line(cli, member, clock):
    from netiquette.services.members import create_member
    from netiquette.services.people import create_person

    a = person(member, "Ann Lee", profile_url="https://www.linkedin.com/in/ann-lee-1")
    b = person(member, "Ann Lee", profile_url="https://www.linkedin.com/in/ann-lee-2")
    olga = create_member("Olga Other")
    theirs = create_person(olga, name="Ann Lee", at=T0)
    me = ("--member", member.username)

    def refused(*args: str, says: str) -> None:
        r = cli(*me, "people", "merge", *args)
        assert r.exit_code == 2, r.output
        line = r.output.strip()
        assert "\n" not in line and line.startswith("error:") and says in line, line

    refused(str(a.id), str(b.id), says="different profiles")
    refused(str(a.id), str(a.id), says="with themselves")
    refused(str(a.id), str(theirs.id), says=f"no person named '{theirs.id}'")
    refused("Ann Lee", str(b.id), says="several people are named 'Ann Lee'")
    refused("Nobody Here", str(b.id), says="no person named 'Nobody Here'")


def test_merge_refuses_people_of_another_member(member, actor):
    from netiquette.errors import NotFound
    from netiquette.services.duplicates import merge_people
    from netiquette.services.members import create_member

    mine = person(member, "Ann Lee")
    theirs = person(create_member("Olga Other"), "Ann Lee")
    with pytest.raises(NotFound, match=f"no person #{theirs.id}"):
        merge_people(actor, mine, theirs, T0)
    with pytest.raises(NotFound):
        merge_people(member, theirs, mine, T0)
    assert pairs_of(member) == {}


def test_merge_counts_a_shared_conversation_once_with_both_sides(member, actor):
    from netiquette.core.models import Person, Thread
    from netiquette.services.duplicates import merge_people

    keep = Person.objects.create(member=member, display_name="Ann Lee", name_key="ann lee",
                                 created_at=T0, updated_at=T0)
    other = Person.objects.create(member=member, display_name="Ann M. Lee",
                                  name_key="ann m lee", created_at=T0, updated_at=T0)

    def thread(person: Person, key: str, sent: int, received: int, first: str,
               last: str) -> None:
        Thread.objects.create(member=member, person=person, external_key=key, sent=sent,
                              received=received, first_at=at(first), last_at=at(last))

    thread(keep, "2-both==", 2, 1, "2025-01-01T10:00", "2025-01-05T10:00")
    thread(other, "2-both==", 0, 3, "2024-12-30T10:00", "2025-01-03T10:00")
    thread(other, "2-own==", 1, 0, "2025-02-01T10:00", "2025-02-01T10:00")

    merge_people(actor, keep, other, at("2026-03-01T09:00"))

    got = {t.external_key: (t.sent, t.received, t.first_at, t.last_at)
           for t in Thread.objects.filter(member=member)}
    assert got == {
        "2-both==": (2, 4, at("2024-12-30T10:00"), at("2025-01-05T10:00")),
        "2-own==": (1, 0, at("2025-02-01T10:00"), at("2025-02-01T10:00")),
    }
    assert set(Thread.objects.values_list("person_id", flat=True)) == {keep.id}
