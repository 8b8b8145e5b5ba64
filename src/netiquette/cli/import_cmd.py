"""``netiquette import …``: a LinkedIn export, vCard and CSV address books."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from netiquette.cli.common import actor, emit_json, say, setup

app = typer.Typer(help="Bring in your network: a LinkedIn export, address books.",
                  no_args_is_help=True)

QUIET = typer.Option(False, "--quiet", "-q", help="No progress bar.")
JSON = typer.Option(False, "--json", help="Print the summary as JSON.")
FAMILIARITY = typer.Option("recognized", "--familiarity",
                           help="How well you know everyone in this address book "
                           "(e.g. known for a personal one).")


@contextmanager
def progress(label: str, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A Rich progress counter on a terminal; nothing otherwise."""
    if quiet or not sys.stdout.isatty():
        yield lambda n: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("{task.completed:,} records"), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task(label, total=None)
        count = shown = 0

        def tick(n: int) -> None:
            nonlocal count, shown
            count += n
            if count - shown >= 500:
                bar.update(task, completed=count)
                shown = count

        yield tick


def report(summary: Any, as_json: bool) -> None:
    if as_json:
        emit_json(summary.as_json())
        return
    s = summary
    say(f"imported {s.source} ({s.kind})")
    say(f"  people: {s.people_added} added, {s.people_updated} updated")
    if s.kind == "linkedin":
        say(f"  invitations: {s.invitations_new} new pending ({s.cases_opened} cases opened), "
            f"{s.invitations_history} history")
        say(f"  messages: {s.messages_new} new; {s.inquiries_matched} inquiries and "
            f"{s.replies_matched} replies matched to cases")
    for line in s.ignored_files:
        say(f"  ignored {line}")
    for line in getattr(s, "tables_skipped", ()):
        say(f"  skipped {line}")
    say(f"  rows skipped: {s.rows_skipped}")
    for line in s.skipped:
        say(f"    {line}")


@app.command("linkedin")
def linkedin(
    path: Path = typer.Argument(..., help="The export zip, its unpacked folder, or one CSV."),
    quiet: bool = QUIET,
    as_json: bool = JSON,
    reread: bool = typer.Option(False, "--reread", help="Read every table even when the "
                                "export is unchanged since the last import (what is stored "
                                "already is kept once)."),
) -> None:
    """Import LinkedIn's "Get a copy of your data" export. Running it again is safe; an
    export unchanged since the last import is recognised and not read again."""
    from netiquette.cli import early
    from netiquette.importers.message_scan import start_early

    # a large export's messages are read while the store opens (started sooner by main)
    apart = early.take(path) or start_early(path)
    try:
        setup()
        from netiquette.services.imports import import_linkedin

        a = actor()
    except BaseException:
        if apart is not None:
            apart.stop()
        raise
    with progress("importing LinkedIn export", quiet) as tick:
        summary = import_linkedin(a, path, tick, reread=reread, apart=apart)
    report(summary, as_json)


@app.command("vcard")
def vcard(
    file: Path = typer.Argument(..., help="A .vcf file (vCard 3.0 or 4.0)."),
    familiarity: str = FAMILIARITY,
    quiet: bool = QUIET,
    as_json: bool = JSON,
) -> None:
    """Import an address book in vCard format."""
    setup()
    from netiquette.importers.addressbook import read_vcard
    from netiquette.services.imports import import_contacts

    a = actor()
    with progress("importing vCards", quiet) as tick:
        summary = import_contacts(a, read_vcard(file), "vcard", str(file), familiarity, tick)
    report(summary, as_json)


@app.command("csv")
def csv(
    file: Path = typer.Argument(..., help="A Google Contacts or Outlook CSV export, or any "
                                "CSV with --map."),
    mapping: str | None = typer.Option(None, "--map", help="Columns of your CSV, e.g. "
                                       "'name=Full Name,email=E-mail,url=Profile'."),
    familiarity: str = FAMILIARITY,
    quiet: bool = QUIET,
    as_json: bool = JSON,
) -> None:
    """Import an address book exported as CSV."""
    setup()
    from netiquette.errors import UserError
    from netiquette.importers.addressbook import parse_mapping, read_contacts_csv
    from netiquette.services.imports import import_contacts

    try:
        columns = parse_mapping(mapping) if mapping else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    a = actor()
    with progress("importing contacts", quiet) as tick:
        summary = import_contacts(a, read_contacts_csv(file, columns), "csv", str(file),
                                  familiarity, tick)
    report(summary, as_json)
