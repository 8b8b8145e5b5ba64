"""Read models: a case's history as plain data."""

from __future__ import annotations

from typing import Any

from netiquette.services.cases import get_case
from netiquette.services.members import Actor


def case_history(actor: Actor, case_id: int | str) -> dict[str, Any]:
    c = get_case(actor.member, case_id)
    inv = c.invitation
    return {
        "id": c.id, "person": c.person.display_name, "person_id": c.person_id,
        "familiarity": c.person.familiarity, "state": c.state, "outcome": c.outcome,
        "path": c.path, "rule": c.rule, "why": c.why, "note": inv.note,
        "verdict": inv.verdict_label or inv.verdict, "reasons": list(inv.verdict_reasons),
        "channel": inv.channel, "invited_at": inv.sent_at.isoformat(),
        "call_at": c.call_at.isoformat() if c.call_at else None,
        "events": [{"kind": e.kind, "at": e.at.isoformat(), "reason": e.reason}
                   for e in c.events.order_by("id")],
        "messages": [{"direction": m.direction, "at": m.at.isoformat(), "text": m.text}
                     for m in c.messages.order_by("at", "id")],
        "open_actions": [{"id": a.id, "kind": a.kind, "due": a.due_at.isoformat(),
                          "draft": a.draft}
                         for a in c.actions.filter(status="open").order_by("due_at")],
    }
