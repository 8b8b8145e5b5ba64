"""``netiquette db …`` and ``netiquette init``."""

from __future__ import annotations

import typer

from netiquette.cli.common import STATE, emit_json, say

app = typer.Typer(help="The database: create or upgrade its schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply pending schema migrations (they also run by themselves on first use)."""
    from netiquette import bootstrap

    bootstrap.setup(STATE.db, migrate=False)
    bootstrap.upgrade(verbosity=0)
    say("database is up to date")


def init(
    name: str = typer.Option(..., "--name", help="Your name, as people know you."),
    signature: str = typer.Option("", "--signature", help="How your messages are signed "
                                  "(default: your first name)."),
    as_json: bool = typer.Option(False, "--json", help="Print the new member as JSON."),
) -> None:
    """Create the member this instance acts for (the personal setting has one)."""
    from netiquette.cli.common import setup

    setup()
    from netiquette.services.members import create_member

    user = create_member(name, signature=signature)
    if as_json:
        emit_json({"id": user.pk, "username": user.username, "name": name})
    else:
        say(f"member {user.username} created: {' '.join(name.split())}")


def register(root: typer.Typer) -> None:
    root.command("init")(init)
