"""Reading LinkedIn exports: golden files for a modern and an old export, and each quirk."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from importer_golden import FIXTURES, dump

from netiquette.importers.base import external_key
from netiquette.importers.linkedin import (
    LinkedInImporter,
    message_time,
    open_export,
    parse_connected_on,
    parse_message_date,
    parse_sent_at,
    split_recipients,
)
from netiquette.importers.records import (
    BadRow,
    ConnectionRecord,
    ImportRejected,
    InvitationRecord,
    MessageRecord,
)

LINKEDIN = FIXTURES / "linkedin"


def export_summary(path: Path, base: Path) -> dict[str, object]:
    export = open_export(path)
    return {
        "tables": [[t.kind, Path(t.name).name] for t in export.tables],
        "ignored": sorted([Path(name).name, why] for name, why in export.ignored),
        "items": dump(export.stream(), base),
    }


@pytest.mark.parametrize("sample", ["modern", "old"])
def test_export_folder_matches_golden(sample, golden):
    golden(export_summary(LINKEDIN / sample, LINKEDIN), LINKEDIN / f"{sample}.expected.json")


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, prefix + path.name)
    return target


def without_files(items):
    return [(type(i).__name__, i.row, getattr(i, "reason", None)) if isinstance(i, BadRow) else i
            for i in items]


def test_zip_reads_the_same_records_as_the_folder(tmp_path):
    archive = zip_folder(LINKEDIN / "modern", tmp_path / "Basic_LinkedInDataExport.zip", "data/")
    from_zip = list(open_export(archive).stream())
    from_folder = list(open_export(LINKEDIN / "modern").stream())
    assert without_files(from_zip) == without_files(from_folder)
    bad = [i for i in from_zip if isinstance(i, BadRow)]
    assert bad[0].file == f"{archive}:data/Connections.csv"


def test_tables_are_recognised_by_header_not_file_name(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(LINKEDIN / "modern" / "Connections.csv", folder / "people (1).csv")
    shutil.copy(LINKEDIN / "modern" / "Invitations.csv", folder / "Connections.csv")
    export = open_export(folder)
    kinds = {Path(t.name).name: t.kind for t in export.tables}
    assert kinds == {"people (1).csv": "connections", "Connections.csv": "invitations"}


def test_single_csv_is_an_export_of_one_table():
    export = open_export(LINKEDIN / "modern" / "Invitations.csv")
    assert export.kinds() == {"invitations"}
    records = [r for r in export.stream() if isinstance(r, InvitationRecord)]
    assert len(records) == 5


def test_single_unrecognised_csv_is_rejected():
    with pytest.raises(ImportRejected, match=r"Skills\.csv: not a LinkedIn table"):
        open_export(LINKEDIN / "modern" / "Skills.csv")


def test_assistant_chats_are_ignored_in_an_export():
    export = open_export(LINKEDIN / "modern")
    names = {Path(t.name).name for t in export.tables}
    assert "guide_messages.csv" not in names and "messages.csv" in names
    contents = {r.content for r in export.stream("messages") if isinstance(r, MessageRecord)}
    assert "How do I write a headline?" not in contents


def test_stream_by_kind_and_validate_counts():
    export = open_export(LINKEDIN / "modern")
    assert {type(r) for r in export.stream("connections")} == {ConnectionRecord, BadRow}
    assert export.validate() == {
        "profile": 1, "connections": 4, "invitations": 5, "messages": 5, "bad_rows": 4,
    }


def test_importer_interface_identifies_and_streams(tmp_path):
    importer = LinkedInImporter()
    assert importer.identify(LINKEDIN / "old")
    assert not importer.identify(LINKEDIN / "modern" / "Skills.csv")
    assert sum(1 for _ in importer.stream(LINKEDIN / "old")) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12 Mar 2024", date(2024, 3, 12)), ("12 Mar 19", date(2019, 3, 12)),
     ("1 sep 2021", date(2021, 9, 1)), ("2022-07-04", date(2022, 7, 4)), ("", None)],
)
def test_connected_on_formats(text, expected):
    assert parse_connected_on(text) == expected


def test_connected_on_rejects_nonsense():
    with pytest.raises(ValueError, match="Connected On"):
        parse_connected_on("31 Feb 2024")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/29/26, 2:37 PM", datetime(2026, 1, 29, 14, 37, tzinfo=UTC)),
     ("12/1/25, 12:05 AM", datetime(2025, 12, 1, 0, 5, tzinfo=UTC)),
     ("12/1/25, 12:05 PM", datetime(2025, 12, 1, 12, 5, tzinfo=UTC)),
     ("2/2/2026, 4:07\u202fPM", datetime(2026, 2, 2, 16, 7, tzinfo=UTC)),
     ("3/4/24 17:30", datetime(2024, 3, 4, 17, 30, tzinfo=UTC))],
)
def test_sent_at_formats(text, expected):
    assert parse_sent_at(text) == expected


@pytest.mark.parametrize("text", ["13/29/26, 2:37 PM", "1/29/26, 13:37 PM", "yesterday", ""])
def test_sent_at_rejects_nonsense(text):
    with pytest.raises(ValueError, match="Sent At"):
        parse_sent_at(text)


@pytest.mark.parametrize("text", ["2023-06-11 15:33:58 UTC", "2023-06-11 15:33:58",
                                  "2023-06-11T15:33:58Z", "2023-06-11 17:33:58+02:00"])
def test_message_dates_are_utc(text):
    assert parse_message_date(text) == datetime(2023, 6, 11, 15, 33, 58, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2023-06-11 15:33:58 UTC", "2023-06-11 15:33:58",
                                  "2023-06-11T15:33:58", "2023-06-11 15:33+02",
                                  "2023-06-11T15:33:58Z", " 2023-06-11 15:33:58 ",
                                  "2023-06-11 17:33:58+02:00", "2023-06-11 15:33:58.250 UTC"])
def test_the_fast_message_time_reads_as_the_parser_does(text):
    assert message_time(text) == parse_message_date(text)


@pytest.mark.parametrize("text", ["2023-13-11 15:33:58", "2023-06-11 25:33:58 UTC",
                                  "2023-06-11 15:33:5x", "yesterday at noon UTC", ""])
def test_the_fast_message_time_refuses_as_the_parser_does(text):
    with pytest.raises(ValueError, match="unreadable time"):
        message_time(text)


@pytest.mark.parametrize(
    ("names", "urls", "expected"),
    [("A B; C D", "u1;u2", (("A B", "C D"), ("u1", "u2"))),
     ("A B, C D", "u1,u2", (("A B", "C D"), ("u1", "u2"))),
     ("A B, C D", "u1 u2", (("A B", "C D"), ("u1", "u2"))),
     ("Doe, PhD", "u1", (("Doe, PhD",), ("u1",))),
     ("A B, C D", "", (("A B", "C D"), ())),
     ("", "", ((), ()))],
)
def test_recipient_lists(names, urls, expected):
    assert split_recipients(names, urls) == expected


def test_content_longer_than_csv_default_limit_is_read(tmp_path):
    long_text = "word " * 60_000  # 300 KB, beyond csv's 128 KiB default
    path = tmp_path / "messages.csv"
    path.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,"
        "FOLDER\n"
        f'c1,,A B,,C D,2024-01-01 10:00:00 UTC,,"{long_text}",INBOX\n',
        encoding="utf-8",
    )
    (record,) = open_export(path).stream()
    assert isinstance(record, MessageRecord) and len(record.content) == len(long_text.strip())


def test_unknown_extra_columns_are_ignored(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("Extra,From,To,Sent At,Message,Direction,Whatever\n"
                    'x,A B,Me,"1/2/25, 3:04 PM",Hi,OUTGOING,y\n', encoding="utf-8")
    (record,) = open_export(path).stream()
    assert isinstance(record, InvitationRecord)
    assert (record.sender, record.recipient, record.message, record.direction) == (
        "A B", "Me", "Hi", "outgoing")


def test_external_keys_are_stable_and_distinct():
    first = list(open_export(LINKEDIN / "modern").stream())
    again = list(open_export(LINKEDIN / "modern").stream())
    keys = [external_key(r) for r in first if not isinstance(r, BadRow)]
    assert keys == [external_key(r) for r in again if not isinstance(r, BadRow)]
    assert len(keys) == len(set(keys))
    inv = next(r for r in first if isinstance(r, InvitationRecord))
    assert external_key(inv) == "inv:incoming:carl-weber-99:2026-01-29T14:37:00+00:00"


def test_external_keys_without_urls_use_normalised_names():
    (conn, *_rest) = open_export(LINKEDIN / "old").stream()
    assert external_key(conn) == "conn:jane@example.com"
    invs = [r for r in open_export(LINKEDIN / "old").stream("invitations")]
    assert external_key(invs[0]) == "inv:incoming:~carl weber:2019-11-03T10:02:00+00:00"


@pytest.mark.parametrize("sample", ["modern", "old"])
def test_a_message_s_head_is_what_its_record_says_and_refused_alike(sample):
    """The head parser (what the message scan reads of most rows) gives the record's
    conversation, people and time, None for a draft, and refuses what the row parser
    refuses, with the same words."""
    export = open_export(LINKEDIN / sample)
    table = next(t for t in export.tables if t.kind == "messages")
    cols, rows = table.reader.rows(table.source)
    parse, head = table.reader.row_parser(cols), table.reader.head_parser(cols)
    seen = 0
    for line, row in table.reader.fitted(cols, rows, table.source.name):
        if isinstance(row, BadRow):
            continue
        for bad_date in (False, True):
            if bad_date:
                row = [*row]
                row[cols.slot("date")] = "the 31st of Smarch"
            try:
                record = parse(row, line)
            except ValueError as exc:
                with pytest.raises(ValueError, match=re.escape(str(exc))):
                    head(row, line)
                continue
            found = head(row, line)
            if record is None:
                assert found is None
                continue
            seen += 1
            assert found == (record.conversation_id, record.sender, record.sender_url or "",
                             record.sender_slug or "", record.recipients,
                             record.recipient_urls, record.recipient_slugs, record.sent_at)
    assert seen
