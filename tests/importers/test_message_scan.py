"""The messages scan: what it counts, what it keeps whole, and a second process that fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netiquette.importers import message_scan
from netiquette.importers.linkedin import open_export

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
