"""Drafts: a protocol's template for an action kind, filled with what is known. Pure."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from netiquette.domain.protocol import Protocol, substitute

QUOTE_LIMIT = 160


class DraftFacts(NamedTuple):  # (a tuple: made for every draft, twice as fast as a dataclass)
    name: str
    first_name: str = ""
    company: str = ""
    position: str = ""
    how_we_met: str = ""
    their_note: str = ""
    can_help_them: str = ""
    they_can_help: str = ""
    familiarity: str = ""
    my_name: str = ""
    signature: str = ""
    call_at: str = ""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


@lru_cache(maxsize=64)
def _minutes(values: tuple[int, ...]) -> str:
    if not values:
        return "half an hour"
    if len(values) == 1:
        return f"{values[0]} minutes"
    return " or ".join(str(m) for m in values) + " minutes"


def context(facts: DraftFacts, protocol: Protocol) -> dict[str, str]:
    first = facts.first_name or (facts.name.split() or ["there"])[0]
    my_first = facts.my_name.split()[0] if facts.my_name.strip() else ""
    note = _short(facts.their_note)
    return {
        "name": facts.name,
        "first_name": first,
        "company": facts.company,
        "position": facts.position,
        "how_we_met": facts.how_we_met,
        "familiarity": facts.familiarity,
        "their_note": note,
        "their_note_quoted": f"“{note}”" if note else "(no note)",
        "their_note_clause": ", and for the note" if note else "",
        "company_clause": f" at {facts.company}" if facts.company else "",
        "can_help_them_clause": f"with {facts.can_help_them.rstrip('.')}, " if facts.can_help_them
        else "",
        "they_can_help_clause": f"{facts.they_can_help.rstrip('.')}." if facts.they_can_help
        else "I'd love to hear what you think you could bring, whenever it comes up.",
        "my_name": facts.my_name,
        "my_first_name": my_first,
        "signature": facts.signature or my_first or facts.my_name,
        "call_minutes": _minutes(protocol.call_minutes),
        "reply_window_days": str(protocol.reply_window_days),
        "call_at": facts.call_at,
    }


def render(kind: str, facts: DraftFacts, protocol: Protocol) -> str:
    """The draft for an action of ``kind``; an unknown kind gives an empty draft."""
    template = protocol.templates.get(kind, "")
    text = substitute(template, context(facts, protocol))
    return "\n".join([line.rstrip() for line in text.strip().splitlines()])
