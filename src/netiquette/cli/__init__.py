"""The ``netiquette`` command line (:mod:`.app`)."""

from __future__ import annotations

import sys
from typing import NoReturn


def main() -> NoReturn:
    """The ``netiquette`` command: :func:`.app.main`, after what :mod:`.early` starts
    before the command line loads."""
    from netiquette.bootstrap import loading
    from netiquette.cli import early

    try:
        with loading():
            early.start(sys.argv[1:])
            from netiquette.cli.app import main as run
    except KeyboardInterrupt:  # Ctrl-C while it loads: as once it runs (Typer's way)
        early.stop()
        print("\nAborted!", file=sys.stderr)
        raise SystemExit(1) from None
    run()
