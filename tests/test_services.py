"""Store and services: cases walk their paths, the agenda shows what is due, members are apart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netiquette.core.models import Action, Case, Event
from netiquette.errors import IllegalTransition, UserError
from netiquette.services import cases as svc
from netiquette.services.agenda import due_actions
from netiquette.services.invitations import NewInvitation, receive_invitation
from netiquette.services.members import Actor, create_member

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def invite(actor: Actor, name: str, note: str = "", at=None, **kw) -> Case:
    from netiquette import clock

    return receive_invitation(actor, NewInvitation(name=name, note=note, at=at or clock.now(),
                                                   **kw))


def due(actor: Actor):
    from netiquette import clock

    return due_actions(actor.member, clock.now())


def test_generic_stranger_inquiry_then_a_week_of_silence_brings_the_decline(actor, clock):
    case = invite(actor, "Ann Stranger", "I'd like to add you to my professional network on "
                  "LinkedIn.")
    assert case.path == "inquire"
    (inquiry,) = due(actor)
    assert inquiry.kind == "send_inquiry"
    assert "have we met" in inquiry.draft.lower()
    assert inquiry.draft.startswith("Hi Ann,")
    svc.complete_action(actor, inquiry.id)
    assert due(actor) == []
    clock("2026-03-07T09:00")
    assert due(actor) == []
    clock("2026-03-09T09:00")
    (decline,) = due(actor)
    assert decline.kind == "decline"
    svc.complete_action(actor, decline.id)
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "declined")
    assert case.invitation.status == "declined"


def test_reply_then_converse_then_call_then_accept_and_follow_up(actor, clock):
    case = invite(actor, "Ben Curious")
    svc.complete_action(actor, due(actor)[0].id)
    clock("2026-03-03T10:00")
    svc.record_reply(actor, case, "We met at the Lisbon meetup!", svc.clock.now())
    (review,) = due(actor)
    assert review.kind == "review"
    with pytest.raises(UserError, match="decide"):
        svc.complete_action(actor, review.id)
    svc.decide_case(actor, case, "converse", svc.clock.now())
    (propose,) = due(actor)
    assert propose.kind == "propose_call"
    assert "15 or 30 minutes" in propose.draft
    svc.complete_action(actor, propose.id, text="Call on Friday?")
    svc.schedule_call(actor, case, svc.clock.parse_time("2026-03-06T15:00"), svc.clock.now())
    svc.record_call_held(actor, case, svc.clock.now(), "builds routing software in Lisbon")
    (accept,) = due(actor)
    assert accept.kind == "accept"
    svc.complete_action(actor, accept.id)
    (follow,) = due(actor)
    assert follow.kind == "send_followup"
    svc.complete_action(actor, follow.id)
    case.refresh_from_db()
    case.person.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "accepted")
    assert case.person.familiarity == "acquainted"
    assert "routing software" in case.person.can_say
    assert case.messages.filter(direction="outgoing", text="Call on Friday?").exists()


def test_state_row_agrees_with_the_replayed_events(actor, clock):
    case = invite(actor, "Cleo Replay")
    svc.complete_action(actor, due(actor)[0].id)
    svc.record_reply(actor, case, "oops, wrong person", svc.clock.now())
    svc.decide_case(actor, case, "decline", svc.clock.now(), "wrong person")
    case.refresh_from_db()
    replayed = svc.replay_state(case)
    assert replayed is not None
    assert (replayed.state, replayed.path) == (case.state, case.path)
    kinds = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["opened", "inquiry_sent", "reply_received", "decided"]


def test_replay_agrees_after_the_protocol_changes_mid_case(actor, clock):
    """Each step is taken under the protocol in force when it is taken, and replaying the
    events takes it under the same one."""
    from netiquette.services.protocol_service import use_preset

    case = invite(actor, "Pia Switch", note="We met at the Lisbon meetup on routing, and I "
                  "would love to continue our chat about your talk.")
    assert case.path == "converse"
    svc.record_reply(actor, case, "a first message", svc.clock.now())
    use_preset(actor.profile, "ask-then-wait")  # two messages instead of a call
    later = Actor(actor.member)
    svc.record_reply(later, case, "a second message", svc.clock.now())
    case.refresh_from_db()
    assert case.state == "to_accept"
    replayed = svc.replay_state(case)
    assert replayed is not None and replayed.state == case.state


def test_known_person_goes_straight_to_accept(actor, clock):
    case = invite(actor, "Dana Known", familiarity="known")
    assert case.path == "accept"
    assert [a.kind for a in due(actor)] == ["accept"]


def test_meet_first_refuses_accepting_a_stranger_without_a_conversation(actor, clock):
    from netiquette.services.protocol_service import use_preset

    use_preset(actor.profile, "meet-first")
    actor = Actor(actor.member)
    case = invite(actor, "Eve Eager", "Great to meet you at the Cleveland dinner last week")
    with pytest.raises(UserError, match="held conversation"):
        svc.decide_case(actor, case, "accept", svc.clock.now())


def test_illegal_transition_changes_nothing(actor, clock):
    case = invite(actor, "Finn Early")
    before = Event.objects.count()
    with pytest.raises(IllegalTransition):
        svc.record_call_held(actor, case, svc.clock.now())
    assert Event.objects.count() == before
    case.refresh_from_db()
    assert case.state == "to_inquire"


def test_withdrawn_invitation_closes_the_case_and_clears_the_agenda(actor, clock):
    case = invite(actor, "Gus Gone")
    svc.end_case(actor, case, "withdrawn", svc.clock.now())
    assert due(actor) == []
    assert not Action.objects.filter(case=case, status="open").exists()


def test_a_second_invitation_while_a_case_is_open_is_refused(actor, clock):
    invite(actor, "Hana Twice")
    with pytest.raises(UserError, match="already has an open case"):
        invite(actor, "Hana Twice")


def test_two_members_never_see_each_others_cases(actor, clock):
    other = Actor(create_member("Olga Other"))
    mine = invite(actor, "Ivan Mine")
    theirs = invite(other, "Ivan Theirs")
    assert [i.case for i in due(actor)] == [mine.id]
    assert [i.case for i in due(other)] == [theirs.id]
    with pytest.raises(UserError, match="no case"):
        svc.get_case(actor.member, theirs.id)
    other_action = Action.objects.get(case=theirs)
    with pytest.raises(UserError, match="no action"):
        svc.complete_action(actor, other_action.id)


def test_agenda_is_oldest_first_and_respects_limit(actor, clock):
    from netiquette import clock as c

    for i in range(5):
        invite(actor, f"Person {i}", at=c.now() - timedelta(days=i))
    items = due_actions(actor.member, c.now(), limit=3)
    assert [i.person for i in items] == ["Person 4", "Person 3", "Person 2"]


def test_drafts_use_the_members_signature_and_never_the_boilerplate(actor, clock):
    from netiquette.classifier import get_classifier

    invite(actor, "Jo Draft")
    draft = due(actor)[0].draft
    assert draft.rstrip().endswith("Jim")
    assert get_classifier().judge_text(draft).label == "personal"


def test_the_clock_follows_netiquette_now_as_it_changes(clock):
    from datetime import UTC, datetime

    assert clock("2026-03-01T09:00") == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert svc.clock.now() == svc.clock.now()  # the same instant, read twice
    assert clock("2026-03-08T09:00Z") == datetime(2026, 3, 8, 9, tzinfo=UTC)  # a week on
    assert clock("2026-03-01T09:00") == datetime(2026, 3, 1, 9, tzinfo=UTC)  # and back
    with pytest.raises(UserError, match="NETIQUETTE_NOW"):
        clock("next tuesday")
