"""Invitations, the agenda and moving cases: invite, agenda, done, reply, call, decide, close,
case."""

from __future__ import annotations

import typer

from netiquette.cli.common import actor, emit_json, now, say, setup, when

invite_app = typer.Typer(help="Invitations: record incoming ones, withdraw them.",
                         no_args_is_help=True)


@invite_app.command("add")
def invite_add(
    sender: str = typer.Option(..., "--from", help="The inviter's name."),
    message: str = typer.Option("", "--message", help="The invitation's note (may be empty)."),
    profile_url: str = typer.Option("", "--profile-url", help="Their profile URL."),
    email: str = typer.Option("", "--email", help="Their e-mail address."),
    at: str | None = typer.Option(None, "--at", help="When it was sent (ISO 8601; default now)."),
    channel: str = typer.Option("manual", "--channel", help="native, linkedin, email or manual."),
    familiarity: str | None = typer.Option(None, "--familiarity",
                                           help="How well you know them, if you know."),
    as_json: bool = typer.Option(False, "--json", help="Print the new case as JSON."),
) -> None:
    """Record an incoming invitation and run your protocol on it."""
    setup()
    from netiquette.services.invitations import NewInvitation, receive_invitation

    new = NewInvitation(name=sender, note=message, at=when(at), profile_url=profile_url,
                        email=email, channel=channel, familiarity=familiarity)
    case = receive_invitation(actor(), new)
    inv = case.invitation
    if as_json:
        emit_json({"case": case.id, "person": case.person.display_name, "path": case.path,
                   "rule": case.rule, "why": case.why, "verdict": inv.verdict,
                   "score": inv.verdict_score, "reasons": inv.verdict_reasons})
        return
    say(f"case {case.id}: {case.person.display_name} -> {case.path} "
        f"(rule '{case.rule}': {case.why}; note judged {inv.verdict}: "
        f"{'; '.join(inv.verdict_reasons)})")


@invite_app.command("withdraw")
def invite_withdraw(
    case_id: str = typer.Argument(..., metavar="CASE"),
    at: str | None = typer.Option(None, "--at", help="When (default now)."),
) -> None:
    """The inviter withdrew the invitation: its case closes."""
    setup()
    from netiquette.domain.cases import WITHDRAWN
    from netiquette.services.cases import end_case, get_case

    a = actor()
    case = end_case(a, get_case(a.member, case_id), WITHDRAWN, when(at), "invitation withdrawn")
    say(f"case {case.id} closed: invitation withdrawn")


def agenda(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many."),
) -> None:
    """What is due now, oldest first, each with a ready draft."""
    setup()
    from netiquette.services.agenda import due_actions

    a = actor()
    items = due_actions(a.member, now(), limit)
    if as_json:
        emit_json([i.as_json() for i in items])
        return
    if not items:
        say("nothing is due. Enjoy your day.")
        return
    for i in items:
        say(f"[{i.id}] {i.kind.replace('_', ' ')} · {i.person} · case {i.case} · due "
            f"{i.due:%Y-%m-%d %H:%M}")
        for line in i.draft.splitlines():
            say(f"    {line}")
        say("")
    say(f"{len(items)} due. Mark one done with: netiquette done ACTION [--text '…']")


def done(
    action_id: str = typer.Argument(..., metavar="ACTION_ID", help="The action's number."),
    text: str | None = typer.Option(None, "--text", help="What you actually sent, if you "
                                    "edited the draft."),
    at: str | None = typer.Option(None, "--at", help="When you did it (default now)."),
) -> None:
    """You did an action (perhaps with edited text): its case moves on."""
    setup()
    from netiquette.services.cases import complete_action

    action = complete_action(actor(), action_id, text, when(at) if at else None)
    case = action.case
    say(f"done: {action.kind} for {case.person.display_name}; case {case.id} is now "
        f"{case.state.replace('_', ' ')}")


def reply(
    sender: str = typer.Option(..., "--from", help="Who wrote (a name or person number)."),
    text: str = typer.Option(..., "--text", help="What they wrote."),
    at: str | None = typer.Option(None, "--at", help="When (default now)."),
) -> None:
    """An incoming message from someone with an open case."""
    setup()
    from netiquette.errors import UserError
    from netiquette.services.cases import open_case_of, record_reply
    from netiquette.services.people import get_person

    a = actor()
    person = get_person(a.member, sender)
    case = open_case_of(a.member, person.id)
    if case is None:
        raise UserError(f"{person.display_name} has no open case")
    record_reply(a, case, text, when(at))
    say(f"reply recorded on case {case.id}; it is now {case.state.replace('_', ' ')}")


def call(
    case_id: str = typer.Argument(..., metavar="CASE"),
    at: str | None = typer.Option(None, "--at", help="When the call is (ISO 8601)."),
    held: bool = typer.Option(False, "--held", help="The call took place."),
    notes: str = typer.Option("", "--notes", help="What you can now say about this person."),
) -> None:
    """Schedule the conversation (--at) or record that it was held (--held)."""
    setup()
    from netiquette.errors import UserError
    from netiquette.services.cases import get_case, record_call_held, schedule_call

    a = actor()
    case = get_case(a.member, case_id)
    if held:
        record_call_held(a, case, now(), notes)
        say(f"call held; case {case.id}: accepting {case.person.display_name} is due")
    elif at:
        schedule_call(a, case, when(at), now())
        say(f"call with {case.person.display_name} scheduled for {case.call_at:%Y-%m-%d %H:%M}")
    else:
        raise UserError("say when the call is (--at TIME) or that it was held (--held)")


def decide(
    case_id: str = typer.Argument(..., metavar="CASE"),
    path: str = typer.Argument(..., help="inquire, converse, accept, decline or review"),
    reason: str = typer.Option("", "--reason", help="Why (kept in the case's history)."),
) -> None:
    """Decide a case under review, or change its path."""
    setup()
    from netiquette.services.cases import decide_case, get_case

    a = actor()
    case = decide_case(a, get_case(a.member, case_id), path, now(), reason)
    say(f"case {case.id}: path {case.path}, now {case.state.replace('_', ' ')}")


def close(case_id: str = typer.Argument(..., metavar="CASE"),
          reason: str = typer.Option("", "--reason", help="Why.")) -> None:
    """Close a case without further steps."""
    setup()
    from netiquette.domain.cases import CLOSED_EV
    from netiquette.services.cases import end_case, get_case

    a = actor()
    case = end_case(a, get_case(a.member, case_id), CLOSED_EV, now(), reason)
    say(f"case {case.id} closed")


def case(case_id: str = typer.Argument(..., metavar="CASE"),
         as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """A case's history: its invitation, verdict, path and every event."""
    setup()
    from netiquette.services.history import case_history

    h = case_history(actor(), case_id)
    if as_json:
        emit_json(h)
        return
    say(f"case {h['id']}: {h['person']} ({h['familiarity']}) — {h['state']}"
        + (f", {h['outcome']}" if h["outcome"] else ""))
    say(f"note: {h['note'] or '(none)'}")
    say(f"verdict: {h['verdict']} ({'; '.join(h['reasons'])})")
    say(f"path: {h['path']} by rule '{h['rule']}': {h['why']}")
    for e in h["events"]:
        say(f"  {e['at'][:16]}  {e['kind']:<15} {e['reason']}")
    for m in h["messages"]:
        arrow = "<-" if m["direction"] == "incoming" else "->"
        say(f"  {m['at'][:16]}  {arrow} {m['text']}")
    for act in h["open_actions"]:
        say(f"  due {act['due'][:16]}: {act['kind']} (action {act['id']})")


def verdict(
    case_id: str = typer.Argument(..., metavar="CASE"),
    label: str = typer.Argument(..., help="generic or personal"),
) -> None:
    """Correct the verdict on a case's note; the classifier learns from your labels."""
    setup()
    from netiquette.services.cases import get_case
    from netiquette.services.verdicts import set_verdict

    a = actor()
    case = set_verdict(a, get_case(a.member, case_id), label, now())
    say(f"case {case.id}: note labelled {label}; path {case.path}")


def register(root: typer.Typer) -> None:
    for fn in (agenda, done, reply, call, decide, close, case, verdict):
        root.command(fn.__name__)(fn)
