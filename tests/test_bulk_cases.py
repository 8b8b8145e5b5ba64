"""CaseBatch writes the rows the one-by-one services write (open_case, complete_action,
record_reply), whatever shortcuts it takes to get there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from netiquette import clock as c
from netiquette.core.models import Action, Case, Event, Invitation, Message
from netiquette.domain import vocabulary as v
from netiquette.services.members import Actor, create_member

pytestmark = [pytest.mark.store, pytest.mark.django_db]

NOTES = [
    ("", v.GENERIC, 0.99, ["empty note"]),
    ("I'd like to add you to my professional network on LinkedIn.", v.GENERIC, 0.98,
     ["the platform's default text (English)"]),
    ("Loved your “PyCon” talk, the part on wheels!", v.PERSONAL, 0.02,
     ["mentions a shared event: 'PyCon talk'", 'refers to "wheels"']),
    ("x" * 400, v.GENERIC, 0.5, []),
]
PEOPLE = [  # familiarity, extra person fields
    (v.STRANGER, {}),
    (v.STRANGER, {"company": "Acme", "position": "CTO"}),
    (v.RECOGNIZED, {"how_we_met": "PyCon 2024", "can_help_them": "hiring."}),
    (v.KNOWN, {"they_can_help": "intros to Berlin startups.", "first_name": ""}),
    (v.ACQUAINTED, {"company": "Zeta"}),
]


def _people(member: Any) -> list[Any]:
    from netiquette.services.people import create_person

    at = c.now() - timedelta(days=30)
    return [create_person(member, name=f"Pat Number{i}", at=at, familiarity=fam, **fields)
            for i, (fam, fields) in enumerate(PEOPLE * 2)]


def _invitations(people: list[Any]) -> list[tuple[Any, str, Any, str, float, list[str]]]:
    start = c.now() - timedelta(days=20)
    out = []
    for i, person in enumerate(people):
        note, label, score, reasons = NOTES[i % len(NOTES)]
        out.append((person, note, start + timedelta(hours=7 * i), label, score, reasons))
    return out


def _open_one_by_one(actor: Actor, n: int, person: Any, note: str, at: Any, label: str,
                     score: float, reasons: list[str]) -> Any:
    from netiquette.services.invitations import open_case

    inv = Invitation.objects.create(
        member=actor.member, person=person, direction=v.INCOMING, note=note, sent_at=at,
        channel=v.LINKEDIN, source="linkedin", external_key=f"k{n}", verdict=label,
        verdict_score=score, verdict_reasons=list(reasons))
    return open_case(actor, inv)


def _move_one_by_one(actor: Actor, n: int, case: Any, at: Any) -> None:
    """Every third case: the inquiry is sent a day on; every sixth: the reply a day later."""
    from netiquette.services.cases import complete_action, record_reply

    action = Action.objects.filter(case=case, status="open").first()
    if n % 3 == 0 and action is not None and action.kind == v.SEND_INQUIRY:
        complete_action(actor, action.id, text="Hi, have we met?", at=at + timedelta(days=1),
                        external_key=f"m{n}")
        if n % 2 == 0:
            record_reply(actor, case, "Yes, at PyCon!", at + timedelta(days=2), f"r{n}")


def _move_in_batch(batch: Any, n: int, case: Any, at: Any) -> None:
    """As :func:`_move_one_by_one`, in the batch."""
    action = batch.open_inquiry(case)
    if n % 3 == 0 and action is not None:
        batch.inquiry_sent(case, action, "Hi, have we met?", at + timedelta(days=1), f"m{n}")
        if n % 2 == 0:
            batch.reply(case, "Yes, at PyCon!", at + timedelta(days=2), f"r{n}")


def _rows(member: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The member's rows, ids and the member left out (references as positions; an event's
    data as its sorted items: the batch writes its keys in another order)."""
    cases = list(Case.objects.filter(member=member).order_by("id"))
    case_no = {case.id: n for n, case in enumerate(cases)}
    actions = list(Action.objects.filter(member=member).order_by("id"))
    action_no = {a.id: n for n, a in enumerate(actions)}
    messages = list(Message.objects.filter(member=member).order_by("id"))
    message_no = {m.id: n for n, m in enumerate(messages)}

    def data(d: dict[str, Any]) -> list[tuple[str, Any]]:
        refs = {"action": action_no, "message": message_no}
        return sorted((k, refs[k].get(x) if k in refs else x) for k, x in d.items())

    return {
        "invitations": [(i.person.display_name, i.direction, i.note, i.sent_at, i.channel,
                         i.source, i.external_key, i.status, i.verdict, i.verdict_score,
                         i.verdict_reasons, i.verdict_label)
                        for i in Invitation.objects.filter(member=member).order_by("id")],
        "cases": [(x.person.display_name, x.path, x.rule, x.why, x.state, x.outcome, x.protocol,
                   x.opened_at, x.since, x.updated_at, x.closed_at, x.call_at, x.replies)
                  for x in cases],
        "actions": [(case_no[a.case_id], a.kind, a.due_at, a.draft, a.status, a.done_at, a.text)
                    for a in actions],
        "messages": [(case_no[m.case_id], m.person.display_name, m.direction, m.text, m.at,
                      m.channel, m.external_key) for m in messages],
        "events": [(case_no[e.case_id], e.kind, e.at, e.recorded_at, e.reason, data(e.data))
                   for e in Event.objects.filter(member=member).order_by("id")],
    }


def test_a_batch_writes_what_the_services_write(clock: Any) -> None:
    from netiquette.services.bulk_cases import CaseBatch, NewInvitation, load_people

    clock("2026-03-01T09:00:00+00:00")
    one = Actor(create_member("Jim Schibler", signature="Jim"))
    many = Actor(create_member("Jim Schibler", signature="Jim"))

    # one by one
    for n, (person, note, at, label, score, reasons) in enumerate(
            _invitations(_people(one.member))):
        case = _open_one_by_one(one, n, person, note, at, label, score, reasons)
        _move_one_by_one(one, n, case, at)

    # in a batch
    batch = CaseBatch(many)
    people = _people(many.member)
    facts = load_people(many.member.pk, [p.pk for p in people])
    for n, (person, note, at, label, score, reasons) in enumerate(_invitations(people)):
        case = batch.open(NewInvitation(facts[person.pk], note, at, v.LINKEDIN, "linkedin",
                                        f"k{n}", label, score, list(reasons)))
        _move_in_batch(batch, n, case, at)
    batch.write()

    expected, got = _rows(one.member), _rows(many.member)
    assert [len(rows) for rows in got.values()] == [len(rows) for rows in expected.values()]
    assert len(got["messages"]) >= 2 and {r[1] for r in got["actions"]} >= {
        v.SEND_INQUIRY, v.PROPOSE_CALL, v.ACCEPT, v.REVIEW, v.DECLINE}
    for table, rows in expected.items():
        assert got[table] == rows, table


def test_people_facts_are_loaded_for_the_member_only() -> None:
    from netiquette.services.bulk_cases import load_people

    mine = Actor(create_member("Jim Schibler", signature="Jim"))
    theirs = Actor(create_member("Olga Other"))
    ann, bo = _people(mine.member)[:2]
    stranger = _people(theirs.member)[0]
    facts = load_people(mine.member.pk, [bo.pk, ann.pk, stranger.pk, bo.pk])
    assert sorted(facts) == sorted([ann.pk, bo.pk])
    assert facts[ann.pk].display_name == ann.display_name


def test_cases_let_go_and_resumed_move_as_the_services_move_them(clock: Any) -> None:
    """An import opens and writes every case while its messages are still being read, lets
    them go, and reads back those the messages move: the rows are the services' own (all
    cases opened first, then the moves in order, one by one)."""
    from netiquette.services.bulk_cases import CaseBatch, NewInvitation, load_people

    clock("2026-03-01T09:00:00+00:00")
    one = Actor(create_member("Jim Schibler", signature="Jim"))
    many = Actor(create_member("Jim Schibler", signature="Jim"))

    # one by one: every case opened, then the moves
    cases = [(_open_one_by_one(one, n, person, note, at, label, score, reasons), at)
             for n, (person, note, at, label, score, reasons) in enumerate(
                 _invitations(_people(one.member)))]
    for n, (case, at) in enumerate(cases):
        _move_one_by_one(one, n, case, at)

    # in a batch that lets its cases go
    batch = CaseBatch(many, movable=set())
    people = _people(many.member)
    facts = load_people(many.member.pk, [p.pk for p in people])
    for n, (person, note, at, label, score, reasons) in enumerate(_invitations(people)):
        batch.open(NewInvitation(facts[person.pk], note, at, v.LINKEDIN, "linkedin", f"k{n}",
                                 label, score, list(reasons)))
    batch.write()
    assert not batch.opened and not batch.open_action
    moved = [p.pk for n, p in enumerate(people) if n % 3 == 0]
    resumed = {case.person.pk: case for case in batch.resume([*moved, moved[0]])}
    assert sorted(resumed) == sorted(moved) and len(batch.opened) == len(moved)
    for n, (person, _note, at, _label, _score, _reasons) in enumerate(_invitations(people)):
        if n % 3:
            continue
        batch.write()  # as an import does before it moves a case stored earlier
        _move_in_batch(batch, n, resumed[person.pk], at)
    batch.write()

    expected, got = _rows(one.member), _rows(many.member)
    assert len(got["messages"]) >= 2 and any(r[4] == "done" for r in got["actions"])
    for table, rows in expected.items():
        assert got[table] == rows, table
