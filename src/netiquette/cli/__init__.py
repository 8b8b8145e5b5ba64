"""The ``netiquette`` command line (:mod:`.app`)."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def main() -> NoReturn:
    """The ``netiquette`` command: :func:`.app.main`, after what :mod:`.early` starts
    before the command line loads."""
    one_blas_thread()
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


def one_blas_thread() -> None:
    """One thread for the linear algebra of numpy and SciPy (OpenBLAS), unless the user's
    environment says otherwise: the classifier's sums are small, and OpenBLAS's other
    threads spin while they wait for work, on a core that a large import's second process
    (or another web worker) is using. With two cores they burned 0.3 s of CPU in such an
    import."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
