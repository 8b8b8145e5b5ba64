"""Bad input: each case is refused with one line naming the file (and row), or skipped as a
bad row when only a row is wrong."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from netiquette.importers.linkedin import open_export
from netiquette.importers.records import BadRow, ImportRejected
from netiquette.importers.sources import CsvSource, Limits, read_rows

CONNECTIONS = (
    "Notes:\n\"Some e-mail addresses are missing.\"\n\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Jane,Doe,https://www.linkedin.com/in/jane-doe,,Acme,CTO,12 Mar 2024\n"
)
MESSAGES_HEADER = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
                   "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n")


def make_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return path


def rejected(path: Path, **kwargs) -> str:
    with pytest.raises(ImportRejected) as info:
        export = open_export(path, **kwargs)
        for _ in export.stream():
            pass
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_not_a_zip(tmp_path):
    path = tmp_path / "export.zip"
    path.write_text("hello, I am not an archive\n")
    assert "not a zip file" in rejected(path)


def test_truncated_zip(tmp_path):
    good = make_zip(tmp_path / "good.zip", {"Connections.csv": CONNECTIONS * 50})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "truncated" in rejected(cut)


def test_zip_without_any_table(tmp_path):
    path = make_zip(tmp_path / "x.zip", {"Skills.csv": "Name\nPython\n", "README.txt": "hi"})
    assert "none of the LinkedIn tables" in rejected(path)


def test_nested_zip(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"Connections.csv": CONNECTIONS}).read_bytes()
    path = make_zip(tmp_path / "outer.zip", {"Connections.csv": CONNECTIONS, "in.zip": inner})
    assert "outer.zip:in.zip: nested archive" in rejected(path)


def test_nested_zip_disguised_as_csv(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"Connections.csv": CONNECTIONS}).read_bytes()
    path = make_zip(tmp_path / "outer.zip", {"Connections.csv": inner})
    assert "nested archive disguised" in rejected(path)


def set_flag_bits(data: bytes, flag: int) -> bytes:
    """Set general-purpose flag bits in every local and central header."""
    buf = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = buf.find(signature)
        while start != -1:
            (old,) = struct.unpack_from("<H", buf, start + offset)
            struct.pack_into("<H", buf, start + offset, old | flag)
            start = buf.find(signature, start + 4)
    return bytes(buf)


def test_encrypted_zip(tmp_path):
    path = make_zip(tmp_path / "enc.zip", {"Connections.csv": CONNECTIONS})
    path.write_bytes(set_flag_bits(path.read_bytes(), 0x1))
    assert "enc.zip:Connections.csv: encrypted" in rejected(path)


def patch_sizes(data: bytes, size: int) -> bytes:
    """Declare ``size`` as the uncompressed size in every header."""
    buf = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = buf.find(signature)
        while start != -1:
            struct.pack_into("<I", buf, start + offset, size)
            start = buf.find(signature, start + 4)
    return bytes(buf)


def test_zip_bomb_declared_size(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", {"Connections.csv": CONNECTIONS})
    path.write_bytes(patch_sizes(path.read_bytes(), 0xFFFF_0000))
    assert "zip bomb" in rejected(path)


def test_zip_bomb_ratio(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", {"Connections.csv": CONNECTIONS + "\0" * (20 << 20)})
    assert "zip bomb" in rejected(path)


def test_zip_bomb_total_of_members(tmp_path):
    members = {f"t{i}.csv": CONNECTIONS * 30 for i in range(5)}
    path = make_zip(tmp_path / "many.zip", members)
    limits = Limits(max_file_bytes=10_000, max_total_bytes=20_000)
    assert "zip bomb" in rejected(path, limits=limits)


def test_zip_member_lying_about_its_size(tmp_path):
    path = make_zip(tmp_path / "lie.zip", {"Connections.csv": CONNECTIONS * 50})
    path.write_bytes(patch_sizes(path.read_bytes(), 300))
    assert "corrupt or truncated" in rejected(path)


def test_bytes_are_counted_while_streaming():
    source = CsvSource("big.csv", lambda: io.BytesIO(b"a,b\n" * 10_000),
                       Limits(max_file_bytes=1000))
    with pytest.raises(ImportRejected, match=r"^big\.csv, row \d+: more than"):
        list(read_rows(source))


def test_corrupt_member_data(tmp_path):
    body = "".join(f"P{i},Q{i},,,,,12 Mar 2024\n" for i in range(5000))
    path = make_zip(tmp_path / "bad.zip", {"Connections.csv": CONNECTIONS + body})
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    assert "corrupt or truncated" in rejected(path)


@pytest.mark.parametrize("name", ["../Connections.csv", "/etc/Connections.csv",
                                  "a/../../Connections.csv", "C:/Connections.csv"])
def test_unsafe_member_names(tmp_path, name):
    path = make_zip(tmp_path / "evil.zip", {name: CONNECTIONS})
    assert "unsafe member name" in rejected(path)


def test_csv_missing_required_column(tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text(MESSAGES_HEADER.replace("DATE,", "") + "c,,A,,B,,,hi,INBOX\n")
    assert rejected(path).endswith("missing required column(s): date")


def test_undecodable_bytes_name_the_row(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(CONNECTIONS.encode() + "Jos\u00e9,Lopez,,,,,1 Jan 2020\n".encode("latin-1"))
    assert rejected(path) == f"{path}, row 6: undecodable bytes (not UTF-8; export again or " \
                             "re-save as UTF-8)"


def test_undecodable_bytes_in_a_zip_member(tmp_path):
    bad = CONNECTIONS.encode() + b"\xff\xfe,x,,,,,1 Jan 2020\n"
    path = make_zip(tmp_path / "x.zip", {"Connections.csv": bad})
    assert rejected(path).startswith(f"{path}:Connections.csv, row 6: undecodable")


def test_truncated_csv_with_open_quote(tmp_path):
    path = tmp_path / "Invitations.csv"
    path.write_text("From,To,Sent At,Message,Direction\n"
                    'A B,Me,"1/2/25, 3:04 PM",,INCOMING\n'
                    'C D,Me,"1/3/25, 3:04 PM","Hello, this note was cut off')
    assert rejected(path) == (f"{path}, row 3: malformed CSV: file ends inside a quoted field "
                              "(truncated?)")


def test_absurdly_long_field(tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text(MESSAGES_HEADER + "c,,A,,B,,2024-01-01 10:00:00,," + "x" * (2 << 20) + ",IN\n")
    assert "row 2: malformed CSV: a field is absurdly long" in rejected(path)


def test_binary_file_as_csv(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"First Name,Last Name\x00\x01\x02" * 10)
    assert "NUL byte" in rejected(path)


def test_a_bad_row_is_skipped_and_the_rest_is_read(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS + "Bob,Stone,,,,,32 Mar 2024\n" + "Ana,Lima,,,,,1 Jan 2020\n"
                    + "Short,Row\n")
    items = list(open_export(path).stream())
    bad = [i for i in items if isinstance(i, BadRow)]
    assert [(b.row, b.reason) for b in bad] == [
        (6, "unreadable date '32 Mar 2024' in 'Connected On'"),
        (8, "row has 2 fields, the header 7 (cut short?)"),
    ]
    assert str(bad[0]) == f"{path}, row 6: unreadable date '32 Mar 2024' in 'Connected On'"
    names = [i.first_name for i in items if not isinstance(i, BadRow)]
    assert names == ["Jane", "Ana"]


def test_missing_path(tmp_path):
    assert "no such file" in rejected(tmp_path / "nope.zip")
