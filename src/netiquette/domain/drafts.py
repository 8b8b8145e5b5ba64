"""Drafts: a protocol's template for an action kind, filled with what is known. Pure."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from string import Template
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


def _first_name(f: DraftFacts, p: Protocol) -> str:
    return f.first_name or (f.name.split() or ["there"])[0]


def _my_first_name(f: DraftFacts, p: Protocol) -> str:
    return f.my_name.split()[0] if f.my_name.strip() else ""


def _note(f: DraftFacts, p: Protocol) -> str:
    return _short(f.their_note)


Value = Callable[[DraftFacts, Protocol], str]
#: what each placeholder of a template stands for
VALUES: dict[str, Value] = {
    "name": lambda f, p: f.name,
    "first_name": _first_name,
    "company": lambda f, p: f.company,
    "position": lambda f, p: f.position,
    "how_we_met": lambda f, p: f.how_we_met,
    "familiarity": lambda f, p: f.familiarity,
    "their_note": _note,
    "their_note_quoted": lambda f, p: f"“{note}”" if (note := _note(f, p)) else "(no note)",
    "their_note_clause": lambda f, p: ", and for the note" if _note(f, p) else "",
    "company_clause": lambda f, p: f" at {f.company}" if f.company else "",
    "can_help_them_clause": lambda f, p: f"with {f.can_help_them.rstrip('.')}, "
    if f.can_help_them else "",
    "they_can_help_clause": lambda f, p: f"{f.they_can_help.rstrip('.')}." if f.they_can_help
    else "I'd love to hear what you think you could bring, whenever it comes up.",
    "my_name": lambda f, p: f.my_name,
    "my_first_name": _my_first_name,
    "signature": lambda f, p: f.signature or _my_first_name(f, p) or f.my_name,
    "call_minutes": lambda f, p: _minutes(p.call_minutes),
    "reply_window_days": lambda f, p: str(p.reply_window_days),
    "call_at": lambda f, p: f.call_at,
}


def context(facts: DraftFacts, protocol: Protocol) -> dict[str, str]:
    """Every placeholder's value."""
    return {name: value(facts, protocol) for name, value in VALUES.items()}


def render(kind: str, facts: DraftFacts, protocol: Protocol) -> str:
    """The draft for an action of ``kind``; an unknown kind gives an empty draft.

    Only the placeholders the template uses are worked out, and a draft is filled in once
    per template and values (an import drafts thousands of actions from a few templates,
    and first names repeat)."""
    template = protocol.templates.get(kind, "")
    return _fill(template, tuple([VALUES[n](facts, protocol) for n in _names(template)]))


@lru_cache(maxsize=64)
def _names(template: str) -> tuple[str, ...]:
    """The placeholders ``template`` uses that stand for something, in order."""
    return tuple(n for n in Template(template).get_identifiers() if n in VALUES)


@lru_cache(maxsize=4096)
def _fill(template: str, values: tuple[str, ...]) -> str:
    text = substitute(template, dict(zip(_names(template), values, strict=True)))
    return "\n".join([line.rstrip() for line in text.strip().splitlines()])
