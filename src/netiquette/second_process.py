"""The second process of a large LinkedIn import, started without loading the importers.

:mod:`netiquette.importers.message_scan` is what runs in it and what talks to it (its
:func:`~netiquette.importers.message_scan.attach` tells it which export to read). Starting
it needs nothing of that: the command line starts it first thing, before it loads anything
(the importers alone take 40 ms), so that the process starts up meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

#: exports of at least this many bytes of CSV are read with a second process
APART_FROM = 2 * 1024 * 1024
#: what the pipe from the second process holds (the system's default is 64 kB)
PIPE_BYTES = 1 << 20

#: The second process gets a process group of its own: Ctrl-C at the terminal interrupts
#: the first (which stops the second and rolls back), not the second in the middle of its
#: scan, which would print its own traceback beside the first's "Aborted".
_OWN_GROUP: dict[str, Any] = {"process_group": 0} if os.name == "posix" else {}


def export_bytes(path: Path) -> int | None:
    """The bytes of ``path``: a zip or a CSV file, or the CSV files in a folder; None when
    it cannot be read (the import says why)."""
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*.csv") if p.is_file())
        return path.stat().st_size
    except OSError:
        return None


def large(path: Path) -> bool:
    """Whether ``path`` is worth a second process (:data:`APART_FROM`)."""
    return (export_bytes(path) or 0) >= APART_FROM


def spawn() -> subprocess.Popen[bytes] | None:
    """The second process, started and waiting to be told what to read; None when none can
    be started (the import then reads everything in its own)."""
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "netiquette.importers.message_scan"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, **_OWN_GROUP)
    except OSError:
        return None
    assert process.stdout is not None
    _widen(process.stdout.fileno())
    return process


def _widen(fd: int) -> None:
    """Let the pipe ``fd`` hold :data:`PIPE_BYTES` (Linux; elsewhere, or beyond the system's
    limit, it stays as it is). With 64 kB the second process waited, while it handed over
    the records it read, for the first to take them (its reader thread waits for the
    interpreter while the main thread starts up): 0.08 s of a large import."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError):
        pass
