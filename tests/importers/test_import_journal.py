"""A large import writes with a rollback journal when it has the SQLite file to itself
(services.import_checks.rollback_journal): killed in the middle, it leaves the store as it
was, and runs again; with another connection on the file, it writes in WAL mode without
waiting; the file is in WAL mode after either."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")

CLI = [sys.executable, "-m", "netiquette"]
MODERN = Path(__file__).parents[1] / "fixtures" / "linkedin" / "modern"


def _store(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "NETIQUETTE_DB": str(tmp_path / "nq.sqlite3"),
           "NETIQUETTE_DATA_DIR": str(tmp_path), "NETIQUETTE_CONFIG_DIR": str(tmp_path),
           "NETIQUETTE_NOW": "2026-02-08T12:00:00+00:00"}
    subprocess.run([*CLI, "init", "--name", "Alex Owner"], env=env, check=True,
                   capture_output=True)
    return env


def _people(db: Path, mode: str = "wal") -> int:
    """How many people the store at ``db`` holds, once it is found valid and in ``mode``."""
    with sqlite3.connect(db) as store:
        (count,), = store.execute("SELECT COUNT(*) FROM core_person").fetchall()
        (ok,), = store.execute("PRAGMA integrity_check").fetchall()
        (found,), = store.execute("PRAGMA journal_mode").fetchall()
    assert ok == "ok"
    assert found == mode
    return int(count)


def test_an_import_killed_while_it_writes_leaves_the_store_as_it_was(gen, tmp_path):
    """Killed (SIGKILL, both processes) once it has written pages into the file itself
    (more than its page cache holds): the journal it leaves is rolled back by the next
    connection, and the import run again completes."""
    export = tmp_path / "export"
    assert gen.main([str(export), "--connections", "10000", "--invitations", "7000",
                     "--messages", "100000"]) == 0
    env = _store(tmp_path)
    db = tmp_path / "nq.sqlite3"
    before = db.stat().st_size
    command = subprocess.Popen([*CLI, "import", "linkedin", str(export), "--quiet"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while db.stat().st_size < before + 4_000_000 and command.poll() is None and (
            time.monotonic() < deadline):
        time.sleep(0.002)
    assert command.poll() is None, "the import ended before it wrote into the file"
    assert Path(f"{db}-journal").exists()  # the pages it overwrote, as they were
    os.killpg(command.pid, signal.SIGKILL)
    command.wait(timeout=30)
    # as before the import (in the journal's mode: the next command's connection asks
    # for WAL mode again)
    assert _people(db, "delete") == 0
    again = subprocess.run([*CLI, "import", "linkedin", str(export), "--json"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert _people(db) > 10000
    assert not Path(f"{db}-journal").exists()


def test_with_another_connection_on_the_file_the_import_does_not_wait(tmp_path):
    """The other connection (WAL mode) keeps the file open, as a running web app does: the
    import writes in WAL mode, at once (not after a busy timeout), and the other sees it."""
    env = _store(tmp_path)
    db = tmp_path / "nq.sqlite3"
    with sqlite3.connect(db) as other:
        assert other.execute("SELECT COUNT(*) FROM core_person").fetchone() == (0,)
        started = time.monotonic()
        done = subprocess.run([*CLI, "import", "linkedin", str(MODERN), "--quiet"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started < 15  # (SQLite's busy timeout here is 20 s)
        assert other.execute("SELECT COUNT(*) FROM core_person").fetchone()[0] > 0
    assert _people(db) > 0
