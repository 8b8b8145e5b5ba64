"""The case state machine, pure: paths, timers, refusals, and no undefined states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.errors import IllegalTransition

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


def ev(kind: str, days: float = 0, **kw) -> sm.CaseEvent:
    return sm.CaseEvent(kind, T0 + timedelta(days=days), **kw)


def run(*events: sm.CaseEvent, rules: sm.Rules = sm.Rules()) -> sm.CaseState:
    state = sm.replay(events, rules)
    assert state is not None
    return state


def kinds(state: sm.CaseState, rules: sm.Rules = sm.Rules()) -> list[str]:
    return [a.kind for a in sm.wanted_actions(state, rules)]


def test_inquire_then_silence_makes_decline_due_after_the_window():
    s = run(ev("opened", path=v.INQUIRE))
    assert kinds(s) == ["send_inquiry"]
    s = run(ev("opened", path=v.INQUIRE), ev("inquiry_sent", 1))
    (decline,) = sm.wanted_actions(s)
    assert decline.kind == "decline"
    assert decline.due_at == T0 + timedelta(days=8)
    s = run(ev("opened", path=v.INQUIRE), ev("inquiry_sent", 1), ev("declined", 8))
    assert (s.state, s.outcome) == (sm.CLOSED, "declined")


def test_a_reply_puts_the_case_up_for_review_and_cancels_the_decline():
    s = run(ev("opened", path=v.INQUIRE), ev("inquiry_sent", 1), ev("reply_received", 3))
    assert kinds(s) == ["review"]
    s = sm.apply(s, ev("decided", 4, path=v.CONVERSE))
    assert kinds(s) == ["propose_call"]


def test_converse_path_walks_to_accept_and_follow_up():
    s = run(
        ev("opened", path=v.CONVERSE), ev("call_proposed"),
        ev("call_scheduled", 2, call_at=T0 + timedelta(days=5)), ev("call_held", 5),
    )
    assert kinds(s) == ["accept"]
    s = sm.apply(s, ev("accepted", 5))
    assert kinds(s) == ["send_followup"]
    s = sm.apply(s, ev("followup_sent", 6))
    assert (s.state, s.outcome) == (sm.CLOSED, "accepted")
    assert kinds(s) == []


def test_messages_instead_of_a_call_accept_after_enough_replies():
    rules = sm.Rules(messages_before_accept=2)
    s = run(ev("opened", path=v.CONVERSE), ev("call_proposed"), ev("reply_received", 1),
            rules=rules)
    assert s.state == sm.CALL_PROPOSED
    s = sm.apply(s, ev("reply_received", 2), rules)
    assert kinds(s, rules) == ["accept"]


def test_withdrawn_invitation_closes_from_any_open_state():
    s = run(ev("opened", path=v.CONVERSE), ev("withdrawn", 1))
    assert (s.state, s.outcome) == (sm.CLOSED, "withdrawn")


@pytest.mark.parametrize(
    "events, bad",
    [
        ([ev("opened", path=v.INQUIRE)], ev("accepted")),
        ([ev("opened", path=v.ACCEPT)], ev("inquiry_sent")),
        ([ev("opened", path=v.DECLINE), ev("declined")], ev("reply_received")),
        ([], ev("inquiry_sent")),
    ],
)
def test_illegal_steps_are_refused_with_a_message(events, bad):
    state = sm.replay(events)
    with pytest.raises(IllegalTransition, match="cannot record"):
        sm.apply(state, bad)


EVENT = st.builds(
    sm.CaseEvent,
    kind=st.sampled_from(sm.EVENT_KINDS),
    at=st.integers(0, 60).map(lambda d: T0 + timedelta(days=d)),
    path=st.one_of(st.none(), st.sampled_from(v.PATHS), st.just("nonsense")),
    call_at=st.one_of(st.none(), st.just(T0 + timedelta(days=3))),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(EVENT, max_size=25), st.integers(0, 3))
def test_no_sequence_of_events_reaches_an_undefined_state(events, mba):
    """Whatever happens, a case is in a known state with the actions that state wants."""
    rules = sm.Rules(messages_before_accept=mba)
    state = None
    for event in events:
        try:
            state = sm.apply(state, event, rules)
        except IllegalTransition:
            continue
        assert state.state in sm.STATES
        assert state.path in v.PATHS
        assert (state.outcome in sm.OUTCOMES) == (state.state == sm.CLOSED)
        wanted = sm.wanted_actions(state, rules)
        assert len(wanted) <= 1
        assert all(w.kind in v.ACTION_KINDS for w in wanted)
        assert (not wanted) == (state.state in (sm.CLOSED, sm.CALL_PROPOSED, sm.CALL_SCHEDULED))
