"""Importing a LinkedIn export into the store: golden result, idempotence, newer exports,
and refusal that writes nothing."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from netiquette.core.models import Case, ImportRun, Invitation, Message, Person
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
