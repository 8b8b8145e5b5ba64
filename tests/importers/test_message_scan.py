"""The messages scan: what it counts, what it keeps whole, and a second process that fails."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from netiquette import second_process
from netiquette.importers import message_scan
from netiquette.importers.base import utc_text
from netiquette.importers.linkedin import open_export
from netiquette.importers.records import BadRow

MODERN = Path(__file__).parent.parent / "fixtures" / "linkedin" / "modern"


def test_scan_counts_every_message_and_keeps_those_of_pending_inviters():
    export = open_export(MODERN)
    owner_names, wanted = {"alex owner"}, message_scan.Wanted()
    slugs = message_scan.learn(export, owner_names, wanted)
    assert slugs == {"alex-owner"}
    assert {"carl-weber-99", "dana-fox", "frank-green"} <= wanted.slugs
    assert "jane-doe-4a1b2c" not in wanted.slugs  # a connection: no case to feed
    found = message_scan.scan(export, owner_names, slugs, wanted, lambda n: None)
    counted = {key: tuple(v[:2]) for key, v in found.counted.items()}
    assert counted == {
        ("2-abc==", "carl-weber-99", "Carl Weber"): (1, 1),
        ("2-grp==", "jane-doe-4a1b2c", "Jane Doe"): (0, 1),
        ("2-grp==", "bob-stone", "Bob Stone"): (0, 1),
        ("2-ai==", "", "LinkedIn Member"): (0, 1),
    }
    assert [(k[1], k[3], k[4][:8]) for k in found.kept] == [
        ("Carl Weber", True, "Hi Carl,"), ("Carl Weber", False, "Hi Alex,")]
    assert [(b.row, "DATE" in b.reason) for b in found.bad] == [(11, True)]


def test_learning_hands_over_the_connections_and_invitations_as_read(monkeypatch):
    """The second process reads the connections and invitations anyway: it hands them to
    the first in parts (plain tuples, bad rows as they are), each table's last part marked."""
    monkeypatch.setattr(message_scan, "ROWS_CHUNK", 3)
    export = open_export(MODERN)
    parts: list[tuple[str, list[Any], bool]] = []
    message_scan.learn(export, set(), message_scan.Wanted(),
                       lambda table, part, last: parts.append((table.kind, part, last)))
    for kind in message_scan.SHARED:
        mine = [(part, last) for k, part, last in parts if k == kind]
        assert [last for _part, last in mine] == [False] * (len(mine) - 1) + [True]
        assert all(len(part) <= 3 for part, _last in mine)
        table = next(t for t in export.tables if t.kind == kind)
        read = list(table.stream())
        assert [item for part, _last in mine for item in part] == read
        assert any(isinstance(item, BadRow) for item in read)  # the fixture has one of each
    assert {kind for kind, _part, _last in parts} == set(message_scan.SHARED)


def test_the_first_process_takes_the_tables_from_the_second_as_records(tmp_path):
    apart = message_scan.start(MODERN)
    assert apart is not None
    try:
        export = open_export(MODERN)
        for table in export.tables:
            if table.kind in message_scan.SHARED:
                assert list(apart.rows(table.source.name)) == list(table.stream())
    finally:
        apart.stop()


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are Linux's")
def test_the_pipe_from_the_second_process_holds_a_megabyte():
    """So that it hands over what it read without waiting for this process to take it."""
    import fcntl

    apart = message_scan.start(MODERN)
    assert apart is not None and apart.process.stdout is not None
    try:
        size = fcntl.fcntl(apart.process.stdout.fileno(), fcntl.F_GETPIPE_SZ)
    finally:
        apart.stop()
    assert size == second_process.PIPE_BYTES


def test_the_second_process_tells_the_tables_fingerprints_first(tmp_path):
    """They decide whether the export is read at all: the second process reads the files
    anyway, so it reads their fingerprints for the first, before anything else."""
    import zipfile

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in MODERN.iterdir():
            z.write(f, f"Basic_LinkedInDataExport/{f.name}")
    for path in (MODERN, archive):
        apart = message_scan.start(path)
        assert apart is not None
        try:
            prints = apart.fingerprints()
        finally:
            apart.stop()
        assert prints == {t.source.name: t.source.fingerprint()
                          for t in open_export(path).tables}
        assert len(prints) == 4  # profile, connections, invitations, messages


def test_rows_asked_for_another_table_are_an_error(tmp_path):
    apart = message_scan.start(MODERN)
    assert apart is not None
    try:
        with pytest.raises(RuntimeError, match="rows of .*Connections.csv for those of x.csv"):
            list(apart.rows("x.csv"))
    finally:
        apart.stop()


def test_a_name_matches_a_message_with_a_profile_only_for_someone_without_one():
    wanted = message_scan.Wanted()
    wanted.add("ann-lee", "ann lee")
    wanted.add(None, "bo chen")
    assert wanted.slugs == {"ann-lee"} and wanted.bare_names == {"bo chen"}
    assert wanted.names == {"ann lee", "bo chen"}


def test_a_second_process_that_stops_without_an_answer_is_an_error():
    process = subprocess.Popen([sys.executable, "-c", "pass"], stdout=subprocess.PIPE)
    with pytest.raises(RuntimeError, match="stopped"):
        message_scan.Apart(process).result(lambda n: None, lambda chunk: None)
    assert process.returncode == 0


HEADER = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
          "DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n")
ME, ANN, BO = ("https://www.linkedin.com/in/alex-owner", "https://www.linkedin.com/in/ann-lee",
               "https://www.linkedin.com/in/bo-chen")
ROWS = [  # two conversations whose rows come apart, and the quirks a row can have
    f"2-a==,,Alex Owner,{ME},Ann Lee,{ANN},2026-01-02 10:00:00 UTC,,hello Ann,SENT,No",
    f"2-a==,,Ann Lee,{ANN},Alex Owner,{ME},2026-01-03 10:00:00,,hi,INBOX,No",
    f"2-b==,,Bo Chen,{BO},Alex Owner,{ME},2026-01-04 10:00:00 UTC,,yo,INBOX,No",
    f"2-a==,,Ann Lee,{ANN},Alex Owner,{ME},2026-01-01 09:00:00 UTC,,earlier,INBOX,No",
    f"2-a==,,Ann Lee,{ANN},Alex Owner,{ME},2026-13-01 09:00:00 UTC,,bad month,INBOX,No",
    f"2-a==,,Alex Owner,{ME},Ann Lee,{ANN},2026-01-05 10:00:00 UTC,,a draft,SENT,Yes",
    f"2-b==,,Alex Owner,{ME},Bo Chen; Ann Lee,{BO} {ANN},2026-01-06 10:00:00 UTC,,both,SENT,No",
    f"2-b==,,Bo Chen,{BO},Alex Owner,{ME},2026-01-07 10:00:00 UTC,,again,INBOX,No,extra",
    "2-b==,,Bo Chen",
    f"2-b==,,Bo Chen,{BO},Alex Owner,{ME},2026-01-08T09:30:00.250000+01:00,,later,INBOX,No",
]


def _export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "messages.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return folder


def _by_hand(export_path: Path, text: bool = False) -> dict[tuple[str, str, str], list[object]]:
    """What the scan should count, worked out from the table's records one by one (the
    times as UTC text, as handed over, with ``text``)."""
    export = open_export(export_path)
    counted: dict[tuple[str, str, str], list[object]] = {}
    for table in export.tables:
        for r in table.stream():
            if not hasattr(r, "sent_at"):
                continue
            mine = r.sender == "Alex Owner"
            who = ([(name, r.recipient_slugs[n]) for n, name in enumerate(r.recipients)]
                   if mine else [(r.sender, r.sender_slug)])
            for name, slug in who:
                entry = counted.setdefault((r.conversation_id, slug, name),
                                           [0, 0, r.sent_at, r.sent_at])
                entry[0 if mine else 1] += 1  # type: ignore[operator]
                entry[2] = min(entry[2], r.sent_at)  # type: ignore[type-var]
                entry[3] = max(entry[3], r.sent_at)  # type: ignore[type-var]
    if text:
        for entry in counted.values():
            entry[2:] = [utc_text(at) for at in entry[2:]]  # type: ignore[arg-type]
    return counted


def test_the_scan_counts_as_the_records_say_whatever_the_order_of_rows(tmp_path):
    path = _export(tmp_path)
    wanted = message_scan.Wanted()
    wanted.add("ann-lee", "ann lee")
    found = message_scan.scan(open_export(path), {"alex owner"}, {"alex-owner"}, wanted,
                              lambda n: None)
    assert {key: entry[:4] for key, entry in found.counted.items()} == _by_hand(path)
    # the first and last as the export wrote them, which say the same as the times
    assert all(utc_text(entry[i], entry[i + 2]) == utc_text(entry[i])
               for entry in found.counted.values() for i in (2, 3))
    assert found.counted[("2-b==", "bo-chen", "Bo Chen")][5].startswith("2026-01-08T09:30")
    assert found.counted[("2-a==", "ann-lee", "Ann Lee")][:2] == [1, 2]  # no draft, no bad row
    assert [(b.row, b.reason.split()[0]) for b in found.bad] == [(6, "unreadable"),
                                                                  (10, "row")]
    # Ann's messages are kept whole, and the owner's message to both is kept for her only
    assert [(k[4], k[5].endswith(":1")) for k in found.kept] == [
        ("hello Ann", False), ("hi", False), ("earlier", False), ("both", True)]


def test_counts_handed_over_in_chunks_add_up_to_the_same(tmp_path, monkeypatch):
    path = _export(tmp_path)
    monkeypatch.setattr(message_scan, "CHUNK", 1)
    chunks: list[list[message_scan.Count]] = []
    found = message_scan.scan(open_export(path), {"alex owner"}, {"alex-owner"},
                              message_scan.Wanted(), lambda n: None, chunks.append)
    assert len(chunks) > 1
    summed: dict[tuple[str, str, str], list[Any]] = {}

    def add(key: tuple[str, str, str], sent: int, received: int, first: Any, last: Any) -> None:
        entry = summed.setdefault(key, [0, 0, first, last])
        entry[0] += sent
        entry[1] += received
        entry[2], entry[3] = min(entry[2], first), max(entry[3], last)

    for key, slug, name, sent, received, first, last in [c for ch in chunks for c in ch]:
        add((key, slug, name), sent, received, first, last)
    for key, (sent, received, first, last, _, _) in found.counted.items():  # after the last
        add(key, sent, received, utc_text(first), utc_text(last))
    assert summed == _by_hand(path, text=True)


def test_messages_kept_handed_over_with_the_counts_are_those_kept_in_order(tmp_path,
                                                                          monkeypatch):
    path = _export(tmp_path)
    wanted = message_scan.Wanted()
    wanted.add("ann-lee", "ann lee")
    whole = message_scan.scan(open_export(path), {"alex owner"}, {"alex-owner"}, wanted,
                              lambda n: None)
    monkeypatch.setattr(message_scan, "CHUNK", 1)
    parts: list[list[message_scan.Kept]] = []
    found = message_scan.scan(open_export(path), {"alex owner"}, {"alex-owner"}, wanted,
                              lambda n: None, lambda chunk: None, parts.append)
    assert parts and all(parts)
    assert [k for part in parts for k in part] + found.kept == whole.kept
    assert len(whole.kept) == 4


def _many_conversations(tmp_path: Path, count: int) -> Path:
    """An export of ``count`` two-message conversations, each with someone else."""
    lines = [HEADER.rstrip("\n")]
    for n in range(count):
        url = f"https://www.linkedin.com/in/person-{n}"
        lines.append(f"2-c{n}==,,Person {n},{url},Alex Owner,{ME},2026-01-02 10:00:00 UTC,,"
                     f"hello number {n},INBOX,No")
        lines.append(f"2-c{n}==,,Alex Owner,{ME},Person {n},{url},2026-01-03 10:00:00 UTC,,"
                     f"hi back,SENT,No")
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "messages.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="stopping a process is POSIX")
def test_a_second_process_stopped_and_continued_still_hands_over_every_count(tmp_path):
    """A process can be stopped and continued at any moment (kill -STOP and -CONT, a
    debugger, a sampling profiler): also the second one in the middle of writing half a
    megabyte of counts to its pipe."""
    path = _many_conversations(tmp_path, 12_000)
    apart = message_scan.start(path)
    assert apart is not None
    done = threading.Event()

    def stop_and_continue() -> None:
        pid = apart.process.pid
        while not done.is_set():
            try:
                os.kill(pid, signal.SIGSTOP)
                time.sleep(0.002)
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                return
            time.sleep(0.003)

    pester = threading.Thread(target=stop_and_continue, daemon=True)
    pester.start()
    counted: list[message_scan.Count] = []

    def count(chunk: list[message_scan.Count]) -> None:
        counted.extend(chunk)
        busy_until = time.perf_counter() + 0.1  # busy, as the import is with each chunk:
        while time.perf_counter() < busy_until:  # the pipe fills while it is
            pass

    try:
        apart.begin({"alex owner"}, message_scan.Wanted())
        apart.result(lambda n: None, count)
    finally:
        done.set()
        pester.join()
        with contextlib.suppress(ProcessLookupError):
            os.kill(apart.process.pid, signal.SIGCONT)
        apart.stop()
    summed: dict[tuple[str, str], list[int]] = {}
    for key, slug, _name, sent, received, _first, _last in counted:  # parts add up
        entry = summed.setdefault((key, slug), [0, 0])
        entry[0] += sent
        entry[1] += received
    assert summed == {(f"2-c{n}==", f"person-{n}"): [1, 1] for n in range(12_000)}


def test_frames_taken_before_the_result_are_not_lost(tmp_path):
    """The first process takes in what has come while it read the other tables, then goes
    on (judging notes); the scan's end, if it came among them, is what result() gives."""
    path = _export(tmp_path)
    apart = message_scan.start(path)
    assert apart is not None
    try:
        apart.begin({"alex owner"}, message_scan.Wanted())
        apart.process.wait(timeout=60)
        apart.reader.join(timeout=60)  # every frame has come
        counted: list[message_scan.Count] = []
        apart.take(lambda n: None, counted.extend)
        assert apart.found is not None
        found = apart.result(lambda n: None, lambda chunk: pytest.fail("counted twice"))
    finally:
        apart.stop()
    assert found is apart.found
    summed: dict[tuple[str, str, str], list[Any]] = {}
    for key, slug, name, sent, received, first, last in counted:
        entry = summed.setdefault((key, slug, name), [0, 0, first, last])
        entry[0] += sent
        entry[1] += received
        entry[2], entry[3] = min(entry[2], first), max(entry[3], last)
    assert summed == _by_hand(path, text=True)


def _chars_read(pid: int) -> int:
    """How much process ``pid`` has read so far (Linux)."""
    try:
        lines = Path(f"/proc/{pid}/io").read_text().splitlines()
    except OSError:
        return 0
    return next(int(line.split()[1]) for line in lines if line.startswith("rchar:"))


@pytest.mark.skipif(sys.platform != "linux", reason="finds the second process in /proc")
def test_ctrl_c_stops_the_import_in_one_quiet_piece(gen, tmp_path):
    """Ctrl-C at the terminal reaches the command's process group: the command stops the
    second process itself and rolls back; the second prints no traceback of its own."""
    export = tmp_path / "export"
    assert gen.main([str(export), "--connections", "300", "--invitations", "200",
                     "--messages", "60000"]) == 0
    env = {**os.environ, "NETIQUETTE_DB": str(tmp_path / "nq.sqlite3"),
           "NETIQUETTE_DATA_DIR": str(tmp_path), "NETIQUETTE_CONFIG_DIR": str(tmp_path)}
    cli = [sys.executable, "-m", "netiquette"]
    subprocess.run([*cli, "init", "--name", "Alex Owner"], env=env, check=True,
                   capture_output=True)
    command = subprocess.Popen([*cli, "import", "linkedin", str(export), "--quiet"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)  # its own group, as at a terminal
    children = Path(f"/proc/{command.pid}/task/{command.pid}/children")
    deadline = time.monotonic() + 30
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.01)
    scanning = [int(pid) for pid in children.read_text().split()]
    assert scanning, "the second process did not start"
    # it is listed from its fork on; it has its own group from its exec on
    while b"message_scan" not in Path(f"/proc/{scanning[0]}/cmdline").read_bytes() and (
            time.monotonic() < deadline):
        time.sleep(0.002)
    # the terminal sends Ctrl-C to its foreground group, the command's: not the scan's
    assert os.getpgid(scanning[0]) != os.getpgid(command.pid)
    # until it is well into the messages (20 MB; it reads them once for their fingerprint,
    # then scans them; its start-up reads 1-2 MB of Python, the other tables 70 kB): long
    # after the command holds it, when a slow machine says so
    export_bytes = sum(f.stat().st_size for f in export.iterdir())
    while _chars_read(scanning[0]) < export_bytes + 8_000_000 and (
            time.monotonic() < deadline):
        time.sleep(0.005)
    os.killpg(command.pid, signal.SIGINT)
    _out, err = command.communicate(timeout=60)
    assert command.returncode != 0
    assert "Traceback" not in err.decode()
    assert not Path(f"/proc/{scanning[0]}").exists() or b"zombie" in Path(
        f"/proc/{scanning[0]}/status").read_bytes()
    import sqlite3

    with sqlite3.connect(tmp_path / "nq.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM core_person").fetchone() == (0,)


@pytest.mark.parametrize(("written", "text"), [
    ("2023-06-11 15:33:58 UTC", "2023-06-11 15:33:58"),
    ("2023-06-11 15:33:58", "2023-06-11 15:33:58"),
    ("2023-06-11T15:33:58", "2023-06-11 15:33:58"),  # read, then formatted
    ("2023-06-11T17:33:58.5+02:00", "2023-06-11 15:33:58.500000"),
    ("2023-W23-7 15:33:58", "2023-06-11 15:33:58"),  # an ISO week date, of all things
    ("", "2023-06-11 15:33:58"),
])
def test_a_time_as_utc_text_is_the_export_s_own_when_it_reads_so(written, text):
    from netiquette.importers.linkedin import message_time

    at = message_time(written) if written else message_time("2023-06-11 15:33:58")
    assert utc_text(at, written) == text == utc_text(at)
