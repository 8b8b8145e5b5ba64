"""What every command shares: global options, the acting member, output helpers.

Heavy modules (Django, Rich) are imported inside functions so ``--help`` stays fast."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from netiquette.services.members import Actor


@dataclass
class State:
    db: str | None = None
    member: str | None = None
    protocol: Path | None = None
    _actor: Any = field(default=None, repr=False)


STATE = State()


def setup() -> None:
    from netiquette import bootstrap

    bootstrap.setup(STATE.db)


def actor() -> Actor:
    """The member this command acts as (created on first use when asked interactively)."""
    if STATE._actor is None:
        setup()
        from netiquette.services.members import Actor, NoMember, create_member, resolve_member

        try:
            member = resolve_member(STATE.member)
        except NoMember:
            if not sys.stdin.isatty():
                raise
            name = typer.prompt("No member yet. Your name")
            member = create_member(name)
        STATE._actor = Actor(member, STATE.protocol)
    return STATE._actor  # type: ignore[no-any-return]


def now() -> datetime:
    from netiquette import clock

    return clock.now()


def when(value: str | None, what: str = "--at") -> datetime:
    """``--at`` if given, else now."""
    from netiquette import clock

    return clock.parse_time(value, what) if value else clock.now()


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def table(*columns: str, title: str | None = None) -> Any:
    from rich.table import Table

    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def say(message: str) -> None:
    """A plain line of output, with stranger-supplied text never read as Rich markup."""
    typer.echo(message)
