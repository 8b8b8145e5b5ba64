"""Importing a LinkedIn export into the store: golden result, idempotence, newer exports,
and refusal that writes nothing."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from netiquette import second_process
from netiquette.core.models import Case, ImportRun, Invitation, Message, Person, Thread
from netiquette.services.imports import import_linkedin

pytestmark = [pytest.mark.store, pytest.mark.django_db]

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin"
GOLDEN = FIXTURES / "modern.store.json"


def snapshot(member) -> dict:
    people = {p.display_name: p.familiarity for p in Person.objects.filter(member=member)}
    cases = {
        c.person.display_name: {"path": c.path, "state": c.state, "verdict": c.invitation.verdict}
        for c in Case.objects.filter(member=member).select_related("person", "invitation")
    }
    return {"people": dict(sorted(people.items())), "cases": dict(sorted(cases.items()))}


def test_modern_export_matches_the_golden_result(actor, clock):
    clock("2026-02-10T09:00")
    summary = import_linkedin(actor, FIXTURES / "modern")
    got = snapshot(actor.member)
    assert got == json.loads(GOLDEN.read_text())
    assert summary.cases_opened == 3
    assert summary.inquiries_matched == 1 and summary.replies_matched == 1
    assert summary.rows_skipped == 4
    assert any("row 9" in s for s in summary.skipped)
    assert ImportRun.objects.filter(member=actor.member, kind="linkedin").count() == 1


def test_the_same_export_twice_changes_nothing(actor, clock):
    import_linkedin(actor, FIXTURES / "modern")
    counts = (Person.objects.count(), Invitation.objects.count(), Message.objects.count(),
              Case.objects.count())
    again = import_linkedin(actor, FIXTURES / "modern")
    assert (again.people_added, again.invitations_new, again.messages_new,
            again.cases_opened, again.replies_matched) == (0, 0, 0, 0, 0)
    assert counts == (Person.objects.count(), Invitation.objects.count(),
                      Message.objects.count(), Case.objects.count())


def test_a_newer_export_applies_the_inquiry_and_a_week_later_the_decline_is_due(
        actor, clock, tmp_path):
    from netiquette import clock as c
    from netiquette.services.agenda import due_actions

    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)
    import_linkedin(actor, export)
    dana = Case.objects.get(person__display_name="Dana Fox")
    assert dana.state == "to_inquire"
    with open(export / "messages.csv", "a", encoding="utf-8") as f:
        f.write('2-dana==,,Alex Owner,https://www.linkedin.com/in/alex-owner,Dana Fox,'
                'https://www.linkedin.com/in/dana-fox,2026-02-01 09:00:00 UTC,,'
                '"Hi Dana, thanks for the invitation. Have we met?",INBOX,No,\n')
    later = import_linkedin(actor, export)
    assert later.inquiries_matched == 1
    dana.refresh_from_db()
    assert dana.state == "awaiting_reply"
    clock("2026-02-09T09:00")
    kinds = {(i.person, i.kind) for i in due_actions(actor.member, c.now())}
    assert ("Dana Fox", "decline") in kinds


def test_a_rejected_archive_writes_nothing(actor, tmp_path):
    bad = tmp_path / "export.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../evil/Connections.csv", "First Name,Last Name\n")
    from netiquette.errors import UserError

    with pytest.raises(UserError) as err:
        import_linkedin(actor, bad)
    assert str(bad) in str(err.value)
    assert Person.objects.count() == 0 and ImportRun.objects.count() == 0


def test_cli_import_reports_bad_input_in_one_line(cli, member, tmp_path):
    not_zip = tmp_path / "export.zip"
    not_zip.write_bytes(b"this is not a zip at all")
    r = cli("import", "linkedin", str(not_zip))
    assert r.exit_code == 2
    assert r.output.startswith("error: ") and str(not_zip) in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = cli("import", "linkedin", str(FIXTURES / "modern"), "--json")
    assert json.loads(r.output)["cases_opened"] == 3


def test_cli_starts_the_scan_before_the_store_opens(cli, member, tmp_path, monkeypatch):
    """With a large export, the command starts the second process itself, once; a refused
    file is still one line."""
    from netiquette.importers import message_scan

    monkeypatch.setattr(second_process, "APART_FROM", 0)
    started: list[object] = []
    real_start = message_scan.start
    monkeypatch.setattr(message_scan, "start",
                        lambda *a, **k: started.append(a) or real_start(*a, **k))
    not_zip = tmp_path / "export.zip"
    not_zip.write_bytes(b"this is not a zip at all")
    r = cli("import", "linkedin", str(not_zip))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert len(started) == 1
    r = cli("import", "linkedin", str(FIXTURES / "modern"), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["cases_opened"] == 3
    assert len(started) == 2  # started by the command, not again by the import


def test_an_unchanged_export_is_reported_unchanged_and_not_read(actor, tmp_path):
    first = import_linkedin(actor, FIXTURES / "modern")
    assert first.tables_skipped == [] and first.tables
    assert all(t["fingerprint"].startswith("size:") for t in first.tables)
    counts = (Person.objects.count(), Message.objects.count(), Case.objects.count())
    again = import_linkedin(actor, FIXTURES / "modern")
    assert len(again.tables_skipped) == len(first.tables)
    assert all("unchanged since import" in line for line in again.tables_skipped)
    assert again.rows_skipped == 0 and again.people_updated == 0  # nothing was read
    assert counts == (Person.objects.count(), Message.objects.count(), Case.objects.count())
    runs = ImportRun.objects.filter(member=actor.member, kind="linkedin")
    assert runs.count() == 2  # the skipped import is recorded too, with its fingerprints
    assert runs.order_by("-id").first().counts["tables"] == first.tables


def test_the_same_tables_zipped_are_the_same_export(actor, tmp_path):
    import_linkedin(actor, FIXTURES / "modern")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted((FIXTURES / "modern").iterdir()):
            z.write(f, f.name)
    again = import_linkedin(actor, archive)
    assert again.tables_skipped  # CRC-32 and size from the central directory match


def test_one_changed_table_and_the_whole_export_is_read(actor, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)
    first = import_linkedin(actor, export)
    with open(export / "messages.csv", "a", encoding="utf-8") as f:
        f.write('2-dana==,,Alex Owner,https://www.linkedin.com/in/alex-owner,Dana Fox,'
                'https://www.linkedin.com/in/dana-fox,2026-02-01 09:00:00 UTC,,'
                '"Hi Dana, thanks for the invitation. Have we met?",INBOX,No,\n')
    later = import_linkedin(actor, export)
    assert later.tables_skipped == []
    assert later.inquiries_matched == 1 and later.messages_new == 1
    assert later.rows_skipped == first.rows_skipped  # every table was read again
    assert [t["fingerprint"] for t in later.tables if t["kind"] == "messages"] != [
        t["fingerprint"] for t in first.tables if t["kind"] == "messages"]
    third = import_linkedin(actor, export)
    assert len(third.tables_skipped) == len(third.tables)


def test_cli_says_which_tables_were_skipped(cli, member):
    assert cli("import", "linkedin", str(FIXTURES / "modern"), "--quiet").exit_code == 0
    r = cli("import", "linkedin", str(FIXTURES / "modern"), "--quiet")
    assert r.exit_code == 0
    assert "skipped" in r.output and "unchanged since import" in r.output
    before = snapshot(member)
    r = cli("import", "linkedin", str(FIXTURES / "modern"), "--quiet", "--reread", "--json")
    summary = json.loads(r.output)
    assert summary["tables_skipped"] == [] and summary["rows_skipped"] == 4  # all read
    assert (summary["people_added"], summary["messages_new"], summary["cases_opened"]) == (
        0, 0, 0)
    assert snapshot(member) == before


def test_an_import_with_nothing_pending_does_not_load_the_classifier(tmp_path):
    import subprocess
    import sys

    export = tmp_path / "export"
    export.mkdir()
    shutil.copy(FIXTURES / "modern" / "Connections.csv", export / "Connections.csv")
    code = ("import sys; from netiquette.cli.app import app; sys.argv = ['netiquette', "
            f"'import', 'linkedin', {str(export)!r}, '--quiet']\n"
            "try:\n    app()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "assert 'numpy' not in sys.modules, 'the classifier was loaded'\n")
    db = tmp_path / "nq.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "NETIQUETTE_DB": str(db),
           "NETIQUETTE_DATA_DIR": str(tmp_path), "NETIQUETTE_CONFIG_DIR": str(tmp_path)}
    init = [sys.executable, "-m", "netiquette", "init", "--name", "Alex Owner"]
    subprocess.run(init, env=env, check=True, capture_output=True)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_long_text_from_strangers_fits_and_a_bad_address_skips_its_row(actor, tmp_path):
    """Names, companies and conversation ids longer than the store's columns are cut to fit
    (PostgreSQL would refuse them), keys stay unique and stable so a second read adds
    nothing, and a malformed e-mail address skips its row with the row number."""
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)
    last = "Bartholomew" * 30  # 330 characters
    company = "Acme " * 80
    with open(export / "Connections.csv", "a", encoding="utf-8") as f:
        f.write(f'Zed,{last},https://www.linkedin.com/in/zed-long,,"{company}","{company}",'
                '12 Mar 2024\n')
        f.write("Bad,Mail,https://www.linkedin.com/in/bad-mail,not-an-address,,,12 Mar 2024\n")
    with open(export / "messages.csv", "a", encoding="utf-8") as f:
        f.write(f'2-{"x" * 300}==,,Zed {last},https://www.linkedin.com/in/zed-long,Alex Owner,'
                'https://www.linkedin.com/in/alex-owner,2026-02-01 09:00:00 UTC,,"hello",'
                'INBOX,No,\n')
    first = import_linkedin(actor, export)
    zed = Person.objects.get(member=actor.member, profile_slug="zed-long")
    assert len(zed.display_name) == 300 and zed.display_name.startswith("Zed Bartholomew")
    assert len(zed.company) == 300
    thread = Thread.objects.get(member=actor.member, person=zed)
    assert (thread.received, thread.sent) == (1, 0) and len(thread.external_key) <= 300
    assert any("'not-an-address' in 'Email Address' is not an e-mail address" in line
               and "row 12" in line for line in first.skipped)
    assert Person.objects.filter(member=actor.member, profile_slug="bad-mail").count() == 0
    again = import_linkedin(actor, export, reread=True)
    assert (again.people_added, again.messages_new, again.invitations_new) == (0, 0, 0)


def test_messages_are_counted_per_conversation_and_only_a_case_keeps_their_text(
        actor, tmp_path):
    """Every message is counted in its conversation with each person; the text is stored
    only for messages a case reads (Carl's inquiry and reply). A newer export raises the
    counts by what is new; reading it again adds nothing."""
    from netiquette.services.browse import person_detail

    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)

    def threads() -> dict:
        return {(t.person.display_name, t.external_key): (t.sent, t.received)
                for t in Thread.objects.filter(member=actor.member).select_related("person")}

    first = import_linkedin(actor, export)
    assert threads() == {("Carl Weber", "2-abc=="): (1, 1), ("Jane Doe", "2-grp=="): (0, 1)}
    assert first.messages_new == 3
    texts = Message.objects.filter(member=actor.member)
    assert {m.person.display_name for m in texts} == {"Carl Weber"}
    with open(export / "messages.csv", "a", encoding="utf-8") as f:
        f.write("2-grp==,Project chat,Alex Owner,https://www.linkedin.com/in/alex-owner,"
                '"Jane Doe; Bob Stone","https://www.linkedin.com/in/jane-doe-4a1b2c;'
                'https://www.linkedin.com/in/bob-stone",2024-04-02 08:00:00 UTC,,Monday it is.,'
                "SENT,No,\n")
        f.write("2-new==,,Jane Doe,https://www.linkedin.com/in/jane-doe-4a1b2c,Alex Owner,"
                "https://www.linkedin.com/in/alex-owner,2026-02-01 09:00:00 UTC,,Lunch?,INBOX,"
                "No,\n")
    later = import_linkedin(actor, export)
    assert later.messages_new == 2
    assert threads() == {("Carl Weber", "2-abc=="): (1, 1), ("Jane Doe", "2-grp=="): (1, 1),
                         ("Jane Doe", "2-new=="): (0, 1)}
    assert not Message.objects.filter(member=actor.member, person__display_name="Jane Doe")
    jane = Person.objects.get(member=actor.member, display_name="Jane Doe")
    assert jane.familiarity == "acquainted"  # she wrote, the owner answered
    shown = person_detail(actor.member, jane.id)["threads"]
    assert [(t["sent"], t["received"], t["last_at"].isoformat()) for t in shown] == [
        (0, 1, "2026-02-01T09:00:00+00:00"), (1, 1, "2024-04-02T08:00:00+00:00")]
    again = import_linkedin(actor, export, reread=True)
    assert again.messages_new == 0
    assert len(threads()) == 3


def _everything(member) -> dict:
    from netiquette.core.models import Action, Event

    return {
        "people": snapshot(member),
        "threads": sorted(Thread.objects.filter(member=member).values_list(
            "person__display_name", "external_key", "sent", "received", "first_at", "last_at")),
        "messages": sorted(Message.objects.filter(member=member).values_list(
            "person__display_name", "direction", "text", "at", "external_key")),
        "actions": sorted(Action.objects.filter(member=member).values_list(
            "case__person__display_name", "kind", "status")),
        "events": Event.objects.filter(member=member).count(),
    }


def test_messages_read_by_a_second_process_give_the_same_result(actor, tmp_path,
                                                                 monkeypatch):
    """A large messages table is scanned by a second process while the first reads the
    rest; the store ends up exactly as when one process reads everything."""
    from netiquette.core.models import Action, Event, Invitation
    from netiquette.services import linkedin_run

    here = import_linkedin(actor, FIXTURES / "modern").as_json()
    expected = _everything(actor.member)
    for model in (Event, Action, Message, Thread, Case, Invitation, Person, ImportRun):
        model.objects.filter(member=actor.member).delete()
    started = []
    real_start = linkedin_run.message_scan.start
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    monkeypatch.setattr(linkedin_run.message_scan, "start",
                        lambda *a, **k: started.append(1) or real_start(*a, **k))
    apart = import_linkedin(actor, FIXTURES / "modern").as_json()
    assert started and apart == here
    assert _everything(actor.member) == expected


def test_messages_kept_as_the_scan_goes_move_the_cases_as_at_its_end(actor, monkeypatch):
    """A second process hands over the messages it keeps whole with its counts, and the
    cases they move are read back while it scans: the store ends up as when one process
    reads everything."""
    from netiquette.core.models import Action, Event, Invitation
    from netiquette.services import linkedin_run
    from netiquette.services.bulk_cases import CaseBatch

    here = import_linkedin(actor, FIXTURES / "modern").as_json()
    expected = _everything(actor.member)
    for model in (Event, Action, Message, Thread, Case, Invitation, Person, ImportRun):
        model.objects.filter(member=actor.member).delete()
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    monkeypatch.setattr(linkedin_run.message_scan, "CHUNK", 1)  # (told to the second)
    monkeypatch.setattr(linkedin_run.message_scan.Apart, "take", lambda *a: None)
    resumed: list[set[int]] = []
    real_resume = CaseBatch.resume
    monkeypatch.setattr(CaseBatch, "resume", lambda self, ids: resumed.append(
        set(ids) - self.resumed) or real_resume(self, ids))
    apart = import_linkedin(actor, FIXTURES / "modern").as_json()
    assert apart == here
    assert _everything(actor.member) == expected
    carl = Person.objects.get(member=actor.member, display_name="Carl Weber")
    assert carl.pk in set().union(*resumed[:-1]) and carl.pk not in resumed[-1]


def test_connections_made_acquainted_while_the_scan_ends_as_after_it(actor, tmp_path,
                                                                    monkeypatch):
    """A second process's counts make two-way connections acquainted as they come (while the
    first process waits for the last ones): the people end up as when one process raises
    them after reading everything, each counted once as updated."""
    from netiquette.core.models import Action, Event, Invitation
    from netiquette.services import linkedin_run
    from netiquette.services.import_people import People

    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)
    with open(export / "messages.csv", "a", encoding="utf-8") as f:  # Jane: two-way now
        f.write("2-grp==,Project chat,Alex Owner,https://www.linkedin.com/in/alex-owner,"
                "Jane Doe,https://www.linkedin.com/in/jane-doe-4a1b2c,2024-04-02 08:00:00 UTC,,"
                "Monday it is.,SENT,No,\n")
    here = import_linkedin(actor, export).as_json()
    expected = _everything(actor.member)
    assert Person.objects.get(member=actor.member, display_name="Jane Doe").familiarity == (
        "acquainted")
    for model in (Event, Action, Message, Thread, Case, Invitation, Person, ImportRun):
        model.objects.filter(member=actor.member).delete()
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    # every count comes while the first process waits for the scan (none taken sooner)
    monkeypatch.setattr(linkedin_run.message_scan.Apart, "take", lambda *a: None)
    raised: list[list[int]] = []
    real_raise = People.raise_familiarity
    monkeypatch.setattr(People, "raise_familiarity",
                        lambda self, ids, *a: raised.append(list(ids)) or real_raise(self, ids, *a))
    apart = import_linkedin(actor, export).as_json()
    assert apart == here and apart["people_updated"] == here["people_updated"] > 0
    jane = Person.objects.get(member=actor.member, display_name="Jane Doe")
    assert jane.familiarity == "acquainted"
    assert raised == [[jane.pk], []]  # as her counts came; none left for the end
    assert _everything(actor.member) == expected


def test_a_scan_started_before_the_store_opens_gives_the_same_result(actor, monkeypatch):
    """The command line starts the second process before the store is open; it learns from
    the export, then waits for what the store knows before it scans."""
    from netiquette.core.models import Action, Event, Invitation
    from netiquette.services import linkedin_run

    here = import_linkedin(actor, FIXTURES / "modern").as_json()
    expected = _everything(actor.member)
    for model in (Event, Action, Message, Thread, Case, Invitation, Person, ImportRun):
        model.objects.filter(member=actor.member).delete()
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    apart = linkedin_run.message_scan.start_early(FIXTURES / "modern")
    assert apart is not None
    assert import_linkedin(actor, FIXTURES / "modern", apart=apart).as_json() == here
    assert _everything(actor.member) == expected
    assert apart.process.returncode is not None


def test_a_scan_started_early_ends_when_the_export_is_unchanged(actor, monkeypatch):
    from netiquette.services import linkedin_run

    import_linkedin(actor, FIXTURES / "modern")
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    apart = linkedin_run.message_scan.start_early(FIXTURES / "modern")
    assert apart is not None
    again = import_linkedin(actor, FIXTURES / "modern", apart=apart)
    assert again.tables_skipped and again.people_added == 0
    assert apart.process.returncode is not None  # ended, not left behind


def test_a_refused_messages_file_in_the_second_process_refuses_the_import(
        actor, tmp_path, monkeypatch):
    from netiquette.errors import UserError

    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)
    with open(export / "messages.csv", "ab") as f:
        f.write(b"2-x==,,Jane Doe,,Alex Owner,,2026-02-01 09:00:00 UTC,,\xff\xfe bad,INBOX,No,\n")
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    with pytest.raises(UserError) as err:
        import_linkedin(actor, export)
    assert "messages.csv" in str(err.value) and len(str(err.value).splitlines()) == 1
    # the cases were opened and written while the messages were read: rolled back with all
    assert Person.objects.count() == 0 and ImportRun.objects.count() == 0
    assert Case.objects.count() == 0 and Invitation.objects.count() == 0


@pytest.mark.parametrize("table", ["Connections.csv", "Invitations.csv"])
def test_a_refused_table_read_by_the_second_process_refuses_the_import_as_one_would(
        actor, tmp_path, monkeypatch, table):
    """The second process reads the connections and invitations for the first: a file it
    refuses refuses the import with the same words as when the first reads it itself."""
    from netiquette.errors import UserError

    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "modern", export)
    with open(export / table, "ab") as f:
        f.write(b"Bad,\xff\xfe,bytes\n")
    with pytest.raises(UserError) as here:
        import_linkedin(actor, export)
    monkeypatch.setattr(second_process, "APART_FROM", 0)
    with pytest.raises(UserError) as apart:
        import_linkedin(actor, export)
    assert str(apart.value) == str(here.value)
    assert table in str(here.value) and "undecodable" in str(here.value)
    assert Person.objects.count() == 0 and ImportRun.objects.count() == 0


def test_an_export_deep_in_folders_is_recorded_by_the_end_of_its_path(actor, tmp_path):
    deep = tmp_path.joinpath(*["folder-" + "d" * 90] * 6) / "export"
    shutil.copytree(FIXTURES / "modern", deep)
    assert len(str(deep)) > 500  # longer than the column (PostgreSQL would refuse it)
    import_linkedin(actor, deep)
    run = ImportRun.objects.filter(member=actor.member).latest("id")
    assert len(run.source) == 500 and run.source.startswith("…")
    assert run.source.endswith("/export")


@pytest.mark.django_db(transaction=True)
def test_a_reference_to_nobody_written_by_an_import_rolls_it_back(actor, monkeypatch):
    """SQLite checks an import's foreign keys once, at its end, rather than row by row: a
    row that names no person still refuses the whole import, and the connection checks
    every row again afterwards."""
    from django.db import IntegrityError, connection

    from netiquette.services import linkedin_run
    from netiquette.services.import_sql import Rows

    keep = linkedin_run.LinkedInRun._keep

    def keep_and_break(self, scan):  # a bug that writes a thread for nobody
        keep(self, scan)
        Rows(Thread, ("member", "person", "channel", "external_key", "sent", "received",
                      "first_at", "last_at")).insert(
            [(self.member_id, 10**9, "linkedin", "2-nobody==", 1, 0, "2026-01-01 00:00:00",
              "2026-01-01 00:00:00")])

    monkeypatch.setattr(linkedin_run.LinkedInRun, "_keep", keep_and_break)
    with pytest.raises(IntegrityError):
        import_linkedin(actor, FIXTURES / "modern")
    assert (Person.objects.count(), Thread.objects.count(), ImportRun.objects.count()) == (
        0, 0, 0)
    monkeypatch.undo()
    assert import_linkedin(actor, FIXTURES / "modern").cases_opened == 3
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(IntegrityError):  # checked at once, as before the import
            Thread.objects.create(member=actor.member, person_id=10**9, channel="linkedin",
                                  external_key="k", sent=1, received=0,
                                  first_at="2026-01-01T00:00Z", last_at="2026-01-01T00:00Z")
