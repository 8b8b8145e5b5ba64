"""The LinkedIn import's second process, started before the command line loads: only for
``import linkedin PATH``, taken by the command for the same PATH, never left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netiquette.cli import early

MODERN = Path(__file__).parent / "fixtures" / "linkedin" / "modern"


@pytest.mark.parametrize(("argv", "path"), [
    (["import", "linkedin", "export.zip"], "export.zip"),
    (["import", "linkedin", "--quiet", "--json", "dir"], "dir"),
    (["--db", "x.sqlite3", "--member", "ann", "import", "linkedin", "e.zip", "-q"], "e.zip"),
    (["import", "linkedin", "--", "-odd name.zip"], "-odd name.zip"),
    (["import", "vcard", "cards.vcf"], None),
    (["--db", "import", "people", "list"], None),  # 'import' is --db's value
    (["import", "linkedin", "--help"], None),
    (["import"], None),
    (["agenda"], None),
    ([], None),
])
def test_the_path_is_read_only_from_an_import_linkedin_command(argv, path):
    assert early.linkedin_path(argv) == path


@pytest.fixture
def scans(monkeypatch):
    """Every second process told what to read, with APART_FROM at 0 (the fixture export is
    small)."""
    from netiquette import second_process
    from netiquette.importers import message_scan

    monkeypatch.setattr(second_process, "APART_FROM", 0)
    started: list[message_scan.Apart] = []
    real_attach = message_scan.attach

    def attach(*args, **kwargs):
        apart = real_attach(*args, **kwargs)
        started.append(apart)
        return apart

    monkeypatch.setattr(message_scan, "attach", attach)
    yield started
    early.stop()


def test_the_command_takes_the_process_started_for_its_path(cli, member, scans):
    early.start(["import", "linkedin", str(MODERN), "--json"])
    assert len(scans) == 1
    r = cli("import", "linkedin", str(MODERN), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["cases_opened"] == 3
    assert len(scans) == 1  # not started again
    assert scans[0].process.returncode is not None  # and ended with the import


def test_a_process_for_another_path_or_no_command_is_stopped(cli, member, scans, tmp_path):
    early.start(["import", "linkedin", str(MODERN)])
    other = tmp_path / "other"
    other.mkdir()
    r = cli("import", "linkedin", str(other))  # Typer read another path: a new process
    assert r.exit_code == 2 and "none of the LinkedIn tables" in r.output
    assert scans[0].process.returncode is not None
    early.start(["import", "linkedin", str(MODERN)])
    early.stop()  # as the command line's end does when no command took it
    assert scans[-1].process.returncode is not None


def test_the_process_starts_before_the_importers_load():
    """It starts up (an interpreter, then the importers) while this process loads them
    (in a fresh interpreter, as the command line starts)."""
    import subprocess
    import sys

    script = f"""
import sys
from netiquette import second_process
from netiquette.cli import early
second_process.APART_FROM = 0
real_spawn = second_process.spawn
def spawn():
    print("importers loaded:", "netiquette.importers" in sys.modules)
    return real_spawn()
second_process.spawn = spawn
early.start(["import", "linkedin", {str(MODERN)!r}])
print("taken:", early.take(__import__("pathlib").Path({str(MODERN)!r})) is not None)
early.stop()
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert run.stdout.split("\n")[:2] == ["importers loaded: False", "taken: True"], run.stderr


def test_ctrl_c_while_the_command_line_loads_is_a_quiet_abort():
    """Ctrl-C before the command runs (the second process is already started): no
    traceback, the process is stopped, as Ctrl-C once the command runs."""
    import subprocess
    import sys

    script = f"""
import sys
from netiquette import second_process
from netiquette.cli import early, main
second_process.APART_FROM = 0
real_start = early.start
def start(argv):
    real_start(argv)
    print("started:", early._started is not None, flush=True)
    raise KeyboardInterrupt  # as Ctrl-C would, while the command line loads
early.start = start
sys.argv = ["netiquette", "import", "linkedin", {str(MODERN)!r}]
try:
    main()
finally:
    print("stopped:", early._started is None, flush=True)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 1
    assert run.stdout.splitlines()[:2] == ["started: True", "stopped: True"]
    assert "Traceback" not in run.stderr and run.stderr.strip() == "Aborted!"
