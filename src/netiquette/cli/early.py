"""What the command line does before it loads itself (Typer, Django: a tenth of a second
and more): start the second process of a LinkedIn import (:mod:`netiquette.second_process`),
so that it reads the export's smaller tables meanwhile and its scan of the messages, the
longest part of a large import, begins sooner.

Only the command's arguments are looked at here, as ``netiquette [options] import linkedin
[options] PATH``; the command itself takes the process when Typer gives it the same PATH
(:func:`take`), and any other is stopped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netiquette.importers.message_scan import Apart

#: the options before the command that take a value (see cli.app.main_options)
VALUED = frozenset({"--db", "--member", "--protocol"})

#: the process started, and the path it reads (one per command line at most)
_started: tuple[str, Apart] | None = None


def linkedin_path(argv: list[str]) -> str | None:
    """PATH when ``argv`` reads ``[options] import linkedin [flags] PATH``, else None (a
    guess: the command parses its arguments itself)."""
    words = iter(argv)
    command: list[str] = []
    for word in words:
        if len(command) < 2:
            if word in VALUED:
                next(words, None)
            elif not word.startswith("-"):
                command.append(word)
                if command != ["import", "linkedin"][:len(command)]:
                    return None
            continue
        if word == "--":
            return next(words, None)
        if not word.startswith("-"):
            return word
    return None


def start(argv: list[str]) -> None:
    """Start the second process for the LinkedIn export that ``argv`` names, when it is
    large enough to be worth one: first the process (it starts up while this one loads the
    importers), then the export it is to read."""
    global _started
    path = linkedin_path(argv)
    if path is None:
        return
    from netiquette import second_process

    stop()
    if not second_process.large(Path(path)):
        return
    process = second_process.spawn()
    if process is None:
        return
    from netiquette.importers.message_scan import attach

    apart = attach(process, Path(path))
    if apart is not None:
        _started = (str(Path(path)), apart)


def take(path: Path) -> Apart | None:
    """The process started for ``path``, now the caller's; None when there is none (one
    started for another path is stopped)."""
    global _started
    if _started is not None and _started[0] == str(path):
        apart, _started = _started[1], None
        return apart
    stop()
    return None


def stop() -> None:
    """Stop a process that no command took (a mistake in the arguments, ``--help``)."""
    global _started
    if _started is not None:
        _started[1].stop()
        _started = None
