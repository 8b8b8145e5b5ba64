"""Address books into the store: people at least recognised, merged with LinkedIn by slug."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netiquette.core.models import Person

pytestmark = [pytest.mark.store, pytest.mark.django_db]

BOOKS = Path(__file__).parent / "fixtures" / "addressbooks"
LINKEDIN = Path(__file__).parent / "fixtures" / "linkedin" / "modern"


def test_vcard_people_join_their_linkedin_selves_and_become_known(cli, member):
    assert cli("import", "linkedin", str(LINKEDIN), "--quiet").exit_code == 0
    before = Person.objects.count()
    r = cli("import", "vcard", str(BOOKS / "contacts-3.0.vcf"), "--familiarity", "known",
            "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    jane = Person.objects.get(profile_slug="jane-doe-4a1b2c")
    assert jane.familiarity == "known"  # the address book raised her
    assert set(jane.emails.values_list("address", flat=True)) >= {"jane@example.com"}
    assert Person.objects.count() == before + summary["people_added"]
    again = json.loads(cli("import", "vcard", str(BOOKS / "contacts-3.0.vcf"), "--json").output)
    assert again["people_added"] == 0


def test_google_csv_and_a_mapped_csv(cli, member):
    r = cli("import", "csv", str(BOOKS / "google.csv"), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["people_added"] > 0
    assert not Person.objects.filter(familiarity="stranger").exists()


def test_a_bad_map_is_one_line(cli, member):
    r = cli("import", "csv", str(BOOKS / "custom.csv"), "--map", "name")
    assert r.exit_code == 2
    assert "--map" in r.output and len(r.output.strip().splitlines()) == 1
