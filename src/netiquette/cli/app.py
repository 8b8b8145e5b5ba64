"""The ``netiquette`` command line: a thin layer over :mod:`netiquette.services`."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from netiquette.errors import UserError


class Group(TyperGroup):
    """Turns a user's mistake into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except Exception as exc:
            message = _database_problem(exc)
            if message is None:
                raise
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(2) from None


def _database_problem(exc: Exception) -> str | None:
    """A one-line message for a database that cannot be reached or used, else None."""
    if "django" not in sys.modules:
        return None
    from django.db.utils import DataError, InterfaceError, OperationalError

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, OperationalError | InterfaceError):
        return f"database: {first}"
    if isinstance(exc, DataError):  # a value the database cannot hold (nothing was written)
        return f"database refused a value: {first}"
    return None


app = typer.Typer(
    cls=Group,
    name="netiquette",
    help="Protect the quality of your network: triage connection invitations, ask "
    "\"Have we met?\", wait a week, decline on silence, talk before accepting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_options(
    db: str | None = typer.Option(
        None, "--db", envvar="NETIQUETTE_DB",
        help="Database: a SQLite file path or a postgresql:// URL "
        "(default: a file in your data directory).",
    ),
    member: str | None = typer.Option(
        None, "--member", envvar="NETIQUETTE_MEMBER",
        help="Act as this member (username or name) where there are several.",
    ),
    protocol: Path | None = typer.Option(
        None, "--protocol", help="Use this protocol file instead of protocol.toml "
        "in the config directory.",
    ),
) -> None:
    from netiquette.cli.common import STATE

    STATE.db, STATE.member, STATE.protocol = db, member, protocol
    STATE._actor = None


def _register() -> None:
    from netiquette.cli import (
        cases_cmd,
        db_cmd,
        import_cmd,
        member_cmd,
        people_cmd,
        protocol_cmd,
    )

    app.add_typer(db_cmd.app, name="db")
    app.add_typer(cases_cmd.invite_app, name="invite")
    app.add_typer(protocol_cmd.app, name="protocol")
    app.add_typer(import_cmd.app, name="import")
    app.add_typer(member_cmd.app, name="member")
    cases_cmd.register(app)
    people_cmd.register(app)
    db_cmd.register(app)
    from netiquette.cli.serve_cmd import serve

    app.command("serve")(serve)
    from netiquette.cli.classify_cmd import classify

    app.command("classify")(classify)


_register()


def main() -> NoReturn:
    """Run the command line, then end the process at once with its exit code.

    Python would otherwise free every object one by one before it ends: after a large
    import that is a tenth of a second or more, for nothing the command needs. What must
    happen at the end still does: the database connections close (SQLite then writes its
    log back into the database file), logging and the output are flushed. A bug's
    exception is not caught here (it ends the process as usual, with its traceback)."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    finish(code)


def finish(code: object) -> NoReturn:
    """End the process with ``code`` as ``sys.exit`` takes it (None, a number or a message
    for stderr), after the clean-up that matters (see :func:`main`)."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    from netiquette.cli import early

    early.stop()  # a second process no command took
    if "django" in sys.modules:
        from django.db import connections
        from django.db.utils import DatabaseError

        with contextlib.suppress(DatabaseError):  # every write was committed or rolled back
            connections.close_all()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head): as Python
            stream.flush()
    os._exit(code or 0)
