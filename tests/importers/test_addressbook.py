"""Address books: vCard 3.0/4.0, Google and Outlook CSV, mapped CSV; goldens and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_golden import FIXTURES, dump

from netiquette.importers.addressbook import (
    ContactsCsvImporter,
    VCardImporter,
    parse_mapping,
    read_contacts_csv,
    read_vcard,
)
from netiquette.importers.base import external_key
from netiquette.importers.records import BadRow, ContactRecord, ImportRejected

BOOKS = FIXTURES / "addressbooks"
CUSTOM_MAP = "name=Full Name,email=E-mail,url=Profile,company=Employer"


def golden_path(sample: str) -> Path:
    return BOOKS / f"{sample}.expected.json"


@pytest.mark.parametrize("sample", ["contacts-3.0.vcf", "contacts-4.0.vcf"])
def test_vcard_matches_golden(sample, golden):
    golden(dump(read_vcard(BOOKS / sample), BOOKS), golden_path(sample))


@pytest.mark.parametrize("sample", ["google.csv", "outlook.csv"])
def test_contacts_csv_matches_golden(sample, golden):
    golden(dump(read_contacts_csv(BOOKS / sample), BOOKS), golden_path(sample))


def test_mapped_csv_matches_golden(golden):
    items = read_contacts_csv(BOOKS / "custom.csv", parse_mapping(CUSTOM_MAP))
    golden(dump(items, BOOKS), golden_path("custom.csv"))


def test_linkedin_urls_are_kept_from_url_fields():
    jane, jurgen, _empty, sam = read_vcard(BOOKS / "contacts-3.0.vcf")
    assert isinstance(jane, ContactRecord) and jane.slug == "jane-doe-4a1b2c"
    assert jane.urls == ("https://www.linkedin.com/in/jane-doe-4a1b2c/", "https://janedoe.example")
    assert isinstance(jurgen, ContactRecord) and jurgen.slug == "jürgen-müller"  # X-SOCIALPROFILE
    assert isinstance(sam, ContactRecord) and sam.slug is None
    assert sam.emails == ("sam@example.org",)


def test_same_person_has_the_same_key_across_books():
    (vcard_jane, *_), (google_jane, *_) = read_vcard(BOOKS / "contacts-3.0.vcf"), \
        read_contacts_csv(BOOKS / "google.csv")
    assert isinstance(vcard_jane, ContactRecord) and isinstance(google_jane, ContactRecord)
    assert external_key(vcard_jane) == external_key(google_jane) == "contact:jane-doe-4a1b2c"


def test_importers_identify_their_files():
    assert VCardImporter().identify(BOOKS / "contacts-4.0.vcf")
    assert not VCardImporter().identify(BOOKS / "google.csv")
    assert ContactsCsvImporter().identify(BOOKS / "outlook.csv")
    assert not ContactsCsvImporter().identify(BOOKS / "custom.csv")
    assert ContactsCsvImporter(parse_mapping(CUSTOM_MAP)).identify(BOOKS / "custom.csv")


def reject(items) -> str:
    with pytest.raises(ImportRejected) as info:
        list(items)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_unknown_csv_needs_a_map():
    assert "give a column map" in reject(read_contacts_csv(BOOKS / "custom.csv"))


def test_map_errors():
    path = BOOKS / "custom.csv"
    assert "unknown --map field(s) phone" in reject(
        read_contacts_csv(path, {"name": "Full Name", "phone": "Tel"}))
    assert "missing column 'Mail'" in reject(read_contacts_csv(path, {"email": "Mail"}))
    assert "no name, e-mail or URL" in reject(read_contacts_csv(path, {"company": "Employer"}))
    with pytest.raises(ValueError, match="field=Column"):
        parse_mapping("name")


def test_vcard_errors(tmp_path):
    latin = tmp_path / "latin.vcf"
    latin.write_bytes("BEGIN:VCARD\nVERSION:3.0\nFN:Jos\u00e9\nEND:VCARD\n".encode("latin-1"))
    assert reject(read_vcard(latin)).startswith(f"{latin}: undecodable bytes")
    text = tmp_path / "notes.vcf"
    text.write_text("just some notes\n")
    message = reject(read_vcard(text))
    assert message.startswith(str(text)) and "vCard" in message
    empty = tmp_path / "empty.vcf"
    empty.write_text("")
    assert "no vCard" in reject(read_vcard(empty))


def test_contacts_csv_undecodable_and_truncated(tmp_path):
    header = (BOOKS / "outlook.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    bad = tmp_path / "outlook.csv"
    bad.write_bytes((header + "\n").encode() + b"Ana,,Lima,,,,,,\xe9@x.org\n")
    assert reject(read_contacts_csv(bad)) == (f"{bad}, row 2: undecodable bytes (not UTF-8; "
                                              "export again or re-save as UTF-8)")
    cut = tmp_path / "cut.csv"
    cut.write_text(header + '\nAna,,Lima,,,,,,ana@x.org,,,,,,"Lima, unfinished')
    assert "row 2: malformed CSV: file ends inside a quoted field" in reject(
        read_contacts_csv(cut))


def test_bad_rows_carry_their_row_number():
    items = list(read_contacts_csv(BOOKS / "google.csv"))
    bad = [i for i in items if isinstance(i, BadRow)]
    assert [(b.row, b.reason) for b in bad] == [
        (5, "contact without a name, e-mail address or URL")
    ]
