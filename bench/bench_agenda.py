"""Agenda benchmark: 100,000 open cases in SQLite; the first 50 agenda items in-process and as
a whole ``netiquette agenda --json --limit 50`` process, next to a plain ``SELECT count(*)``.

Targets: in-process under 50 ms; the whole process under 1 s, start-up included.
Run: ``python bench/bench_agenda.py [--cases N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)


def fill(cases: int) -> None:
    """Bulk-load ``cases`` open cases, each with its person, invitation and one open action."""
    from netiquette.core.models import Action, Case, Invitation, Person
    from netiquette.services.members import create_member

    member = create_member("Bench Member")
    batch = 5000
    for start in range(0, cases, batch):
        n = min(batch, cases - start)
        people = Person.objects.bulk_create([
            Person(member=member, display_name=f"Person {i}", first_name="Person",
                   last_name=str(i), name_key=f"person {i}", created_at=NOW, updated_at=NOW)
            for i in range(start, start + n)
        ])
        invs = Invitation.objects.bulk_create([
            Invitation(member=member, person=p, direction="incoming", note="", sent_at=NOW,
                       channel="linkedin", verdict="generic", verdict_score=1.0,
                       verdict_reasons=["empty note"])
            for p in people
        ])
        at = [NOW - timedelta(minutes=(i * 7919) % 50000) for i in range(start, start + n)]
        case_rows = Case.objects.bulk_create([
            Case(member=member, invitation=inv, person=inv.person, path="inquire",
                 rule="generic-stranger", why="a stranger with a generic note",
                 state="to_inquire", protocol="have-we-met", opened_at=t, since=t,
                 updated_at=t)
            for inv, t in zip(invs, at, strict=True)
        ])
        Action.objects.bulk_create([
            Action(member=member, case=c, kind="send_inquiry", due_at=c.since,
                   draft=f"Hi {c.person.first_name},\n\nThanks for the invitation. Have we met?")
            for c in case_rows
        ])


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 cases")
    args = parser.parse_args()
    cases = 10_000 if args.quick else args.cases
    tmp = Path(tempfile.mkdtemp(prefix="nq-bench-agenda-"))
    db = tmp / "agenda.sqlite3"
    os.environ.update(NETIQUETTE_DB=str(db), NETIQUETTE_NOW=NOW.isoformat(),
                      NETIQUETTE_DATA_DIR=str(tmp), NETIQUETTE_CONFIG_DIR=str(tmp))
    from netiquette import bootstrap

    bootstrap.setup()
    t0 = time.perf_counter()
    fill(cases)
    print(f"agenda: filled {cases:,} open cases in {time.perf_counter() - t0:.1f} s")

    from django.contrib.auth.models import User
    from django.db import connection

    from netiquette.services.agenda import due_actions

    member = User.objects.get(username="bench-member")

    def count() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM core_case")
            cur.fetchone()

    items = due_actions(member, NOW, 50)
    assert len(items) == 50, len(items)
    query = timed(lambda: due_actions(member, NOW, 50), 21)
    base = timed(count, 21)
    print(f"agenda: first 50 items in-process     {query * 1000:8.2f} ms  (target < 50 ms)")
    print(f"agenda: SELECT count(*) over cases    {base * 1000:8.2f} ms")
    print(f"agenda: ratio in-process / count(*)   {query / base:8.2f}")

    cmd = [sys.executable, "-m", "netiquette", "agenda", "--json", "--limit", "50"]
    env = dict(os.environ)
    proc = timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True), 5)
    count_cmd = [sys.executable, "-c", "import sqlite3,sys; sqlite3.connect(sys.argv[1])"
                 ".execute('select count(*) from core_case').fetchone()", str(db)]
    proc_base = timed(lambda: subprocess.run(count_cmd, check=True, capture_output=True), 5)
    print(f"agenda: whole `agenda --json --limit 50` {proc * 1000:6.0f} ms  (target < 1000 ms)")
    print(f"agenda: whole python+sqlite3 count(*)  {proc_base * 1000:6.0f} ms")
    print(f"agenda: ratio process / count process  {proc / proc_base:8.2f}")


if __name__ == "__main__":
    main()
