"""The command line, as a user runs it: a walk through each path, errors, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.store, pytest.mark.django_db]


def agenda(cli) -> list[dict]:
    result = cli("agenda", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_inquire_path_from_the_command_line(cli, member, clock):
    r = cli("invite", "add", "--from", "Ann Stranger", "--message",
            "I'd like to join your LinkedIn network.", "--profile-url",
            "https://www.linkedin.com/in/ann-stranger/")
    assert r.exit_code == 0, r.output
    assert "inquire" in r.output
    (item,) = agenda(cli)
    assert set(item) >= {"id", "kind", "case", "person", "due", "draft"}
    assert (item["kind"], item["person"]) == ("send_inquiry", "Ann Stranger")
    assert cli("done", str(item["id"])).exit_code == 0
    clock("2026-03-09T10:00")
    (decline,) = agenda(cli)
    assert decline["kind"] == "decline"
    assert cli("done", str(decline["id"]), "--text", "Thanks, but no.").exit_code == 0
    r = cli("case", str(item["case"]), "--json")
    history = json.loads(r.output)
    assert (history["state"], history["outcome"]) == ("closed", "declined")
    assert [m["text"] for m in history["messages"]][-1] == "Thanks, but no."


def test_converse_path_with_reply_call_and_follow_up(cli, member, clock):
    cli("invite", "add", "--from", "Ben Lee", "--message", "")
    (inq,) = agenda(cli)
    cli("done", str(inq["id"]))
    r = cli("reply", "--from", "ben lee", "--text", "We met at the Lisbon meetup")
    assert r.exit_code == 0, r.output
    (review,) = agenda(cli)
    assert review["kind"] == "review"
    r = cli("done", str(review["id"]))
    assert r.exit_code == 2 and "decide" in r.output
    assert cli("decide", str(review["case"]), "converse").exit_code == 0
    (propose,) = agenda(cli)
    cli("done", str(propose["id"]))
    assert cli("call", str(propose["case"]), "--at", "2026-03-04T15:00").exit_code == 0
    assert cli("call", str(propose["case"]), "--held", "--notes", "ships maps").exit_code == 0
    (accept,) = agenda(cli)
    assert accept["kind"] == "accept"
    cli("done", str(accept["id"]))
    (follow,) = agenda(cli)
    assert follow["kind"] == "send_followup"
    cli("done", str(follow["id"]))
    assert agenda(cli) == []
    person = json.loads(cli("person", "Ben Lee", "--json").output)
    assert person["familiarity"] == "acquainted"
    assert "ships maps" in person["can_say"]


def test_known_person_accept_path_and_people_listing(cli, member, clock):
    cli("invite", "add", "--from", "Cara Known", "--message", "", "--familiarity", "known")
    (accept,) = agenda(cli)
    assert accept["kind"] == "accept"
    people = json.loads(cli("people", "--json").output)
    assert [(p["name"], p["familiarity"]) for p in people] == [("Cara Known", "known")]


def test_person_can_be_marked_known_before_their_invitation(cli, member, clock):
    cli("invite", "add", "--from", "Dan First", "--message", "")
    (item,) = agenda(cli)
    cli("done", str(item["id"]))
    cli("reply", "--from", "Dan First", "--text", "oops, wrong person")
    cli("decide", str(item["case"]), "decline", "--reason", "wrong person")
    (decline,) = agenda(cli)
    assert decline["kind"] == "decline"


@pytest.mark.parametrize(
    "args, words",
    [
        (("done", "999"), "no action 999"),
        (("done", "abc"), "not an action number"),
        (("case", "42"), "no case 42"),
        (("reply", "--from", "Nobody Here", "--text", "hi"), "no person named"),
        (("decide", "1", "maybe"), ""),
        (("protocol", "use", "wild-west"), "unknown preset"),
        (("person", "Zed", "--familiarity", "bestie"), ""),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(cli, member, clock, args, words):
    cli("invite", "add", "--from", "Zed", "--message", "")
    r = cli(*args)
    assert r.exit_code == 2
    assert words in r.output
    assert "Traceback" not in r.output


def test_reply_from_a_person_with_no_open_case(cli, member, clock):
    cli("invite", "add", "--from", "Eli Done", "--message", "", "--familiarity", "known")
    (a,) = agenda(cli)
    cli("done", str(a["id"]))
    (f,) = agenda(cli)
    cli("done", str(f["id"]))
    r = cli("reply", "--from", "Eli Done", "--text", "thanks!")
    assert r.exit_code == 2
    assert "no open case" in r.output


def test_malformed_clock_is_refused(cli, member, monkeypatch):
    monkeypatch.setenv("NETIQUETTE_NOW", "next tuesday")
    r = cli("agenda")
    assert r.exit_code == 2
    assert "NETIQUETTE_NOW" in r.output


def test_protocol_show_use_and_check(cli, member, tmp_path):
    assert "have-we-met" in cli("protocol", "show").output
    assert cli("protocol", "use", "ask-then-wait").exit_code == 0
    shown = json.loads(cli("protocol", "show", "--json").output)
    assert shown["preset"] == "ask-then-wait"
    bad = tmp_path / "p.toml"
    bad.write_text("reply_window_days = 7\nfavourite = 1\n")
    r = cli("protocol", "check", str(bad))
    assert r.exit_code == 2
    assert "line 2" in r.output and "favourite" in r.output


def test_protocol_file_option_overrides_the_window(cli, member, clock, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("reply_window_days = 3\n")
    cli("--protocol", str(f), "invite", "add", "--from", "Fay", "--message", "")
    (inq,) = agenda(cli)
    cli("--protocol", str(f), "done", str(inq["id"]))
    clock("2026-03-04T09:30")
    assert [i["kind"] for i in agenda(cli)] == ["decline"]


def test_several_members_need_member_option(cli, member, clock):
    from netiquette.services.members import create_member

    create_member("Olga Other")
    r = cli("agenda")
    assert r.exit_code == 2 and "--member" in r.output
    assert cli("--member", "olga-other", "agenda", "--json").output.strip() == "[]"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netiquette", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_real_process_on_a_fresh_sqlite_file(tmp_path: Path):
    """First use creates and migrates the database; a week passes through NETIQUETTE_NOW."""
    db = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "NETIQUETTE_DB": str(db), "NETIQUETTE_NOW": "2026-03-01T09:00"}
    assert _run(["init", "--name", "Jim Schibler"], env).returncode == 0
    assert _run(["invite", "add", "--from", "Gil", "--message", ""], env).returncode == 0
    first = json.loads(_run(["agenda", "--json"], env).stdout)
    assert _run(["done", str(first[0]["id"])], env).returncode == 0
    env["NETIQUETTE_NOW"] = "2026-03-09T09:00"
    later = json.loads(_run(["agenda", "--json"], env).stdout)
    assert [i["kind"] for i in later] == ["decline"]
    import sqlite3

    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    bad = _run(["done", "77"], env)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: no action 77"
    # the process ends at once, but only after its connection closed: the log is back in
    # the database file, and no other connection is left holding it
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_the_end_of_a_process_flushes_its_output_and_keeps_its_exit_code():
    script = ("import sys; from netiquette.cli.app import finish\n"
              "print('x' * 200_000)\n"  # more than a pipe holds: buffered until the end
              "print('to stderr', file=sys.stderr, end='')\n"
              "finish(sys.argv[1] if sys.argv[1] != '3' else 3)\n")
    for code, returncode, stderr in (("3", 3, "to stderr"), ("gone wrong", 1,
                                                              "to stderrgone wrong\n")):
        r = subprocess.run([sys.executable, "-c", script, code], capture_output=True,
                           text=True, timeout=60)
        assert (r.returncode, r.stdout, r.stderr) == (returncode, "x" * 200_000 + "\n", stderr)


def test_a_value_the_database_refuses_is_one_line_not_a_traceback():
    from django.db.utils import DataError

    from netiquette.cli.app import _database_problem

    refused = DataError("value too long for type character varying(300)\nCONTEXT: …")
    assert _database_problem(refused) == (
        "database refused a value: value too long for type character varying(300)")
    assert _database_problem(ValueError("a bug")) is None  # bugs still show their traceback


def test_serve_refuses_a_port_something_listens_on(cli, member):
    """Workers share their port (SO_REUSEPORT), so serve checks first: a second instance on
    the same port is an error, not a silent split of the requests."""
    import socket

    from netiquette.cli.serve_cmd import _free_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli("serve", "--port", str(port))
        assert r.exit_code == 2
        assert f"cannot listen on 127.0.0.1 port {port}" in r.output
        assert "Traceback" not in r.output
    assert _free_port("127.0.0.1", 0) > 0  # --port 0: a free port, named in the printed link


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_numpy_gets_one_blas_thread_unless_the_environment_says_otherwise():
    """A second OpenBLAS thread spins on the core a large import's second process uses:
    the command line asks for one, and keeps what the user set."""
    code = ("import os; from netiquette.cli import one_blas_thread; one_blas_thread(); "
            "import numpy; print(os.environ['OPENBLAS_NUM_THREADS'], "
            "len(os.listdir('/proc/self/task')))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}

    def run(**extra: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", code], env={**env, **extra}, check=True,
                              capture_output=True, text=True).stdout.split()

    assert run() == ["1", "1"]  # the setting, and the one thread of the process
    assert run(OPENBLAS_NUM_THREADS="2")[0] == "2"
