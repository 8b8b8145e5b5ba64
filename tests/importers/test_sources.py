"""read_rows splits lines without quotes itself and hands the others to the csv module: what
it yields must be exactly what the csv module alone makes of the file, record by record and
line by line."""

from __future__ import annotations

import csv
import io

import pytest

from netiquette.importers import sources
from netiquette.importers.records import ImportRejected
from netiquette.importers.sources import CsvSource, Limits, read_rows


def source(text: str, limits: Limits | None = None) -> CsvSource:
    data = text.encode("utf-8")
    return CsvSource("t.csv", lambda: io.BytesIO(data), limits or Limits())


def csv_alone(text: str) -> list[tuple[int, list[str]]]:
    """(first line, fields) of every record, as the csv module reads ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    found, line = [], 0
    for fields in reader:
        found.append((line + 1, fields))
        line = reader.line_num
    return found


TEXTS = {
    "plain": "a,b,c\r\nd,e,f\r\n",
    "no newline at the end": "a,b\nc,d",
    "quoted commas": 'a,"b, c",d\nx,y,z\n',
    "a field over lines": 'id,"one\ntwo\r\nthree",end\nnext,row,here\n',
    "doubled quotes": 'a,"say ""hi""",b\n"",x,""\n',
    "blank lines": "a,b\n\n\r\nc,d\n,\n",
    "lone carriage returns": "a,b\rc,d\r\ne\n",
    "empty cells": ",,\n,a,\n",
    "unicode": "Łukasz,Żółć,東京\n\"Zoë, Dr.\",é\n",
    "byte-order mark": "\ufeffFirst Name,Last Name\nJane,Doe\n",
    "quoted then plain over many lines": '"a\n\n\nb",c\nd\n"e"\n',
    "lone carriage returns in quotes": 'a,"x\ry\r\nz",b\rc,d\n"e"\r',
    "a field over lines with CRLF": 'id,"one\r\ntwo",end\r\nnext,"a\r\nb"\r\n',
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_rows_are_what_the_csv_module_reads(text):
    expected = csv_alone(text.removeprefix("\ufeff"))
    assert list(read_rows(source(text))) == expected


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_rows_are_the_same_whatever_the_chunks_the_bytes_come_in(text, size, monkeypatch):
    """Lines are cut from chunks of bytes: a line, a line break, a quoted field or a
    character of several bytes may span chunks."""
    monkeypatch.setattr(sources, "CHUNK_BYTES", size)
    expected = csv_alone(text.removeprefix("\ufeff"))
    assert list(read_rows(source(text))) == expected


def test_other_encodings_are_read_as_text(monkeypatch):
    text = "Zoë,é\r\n\"x\ny\",z\rend\n"
    data = text.encode("cp1252")
    got = list(read_rows(CsvSource("t.csv", lambda: io.BytesIO(data), Limits()), "cp1252"))
    assert got == csv_alone(text)


def test_a_field_too_long_on_a_plain_line_is_refused_with_its_row():
    text = "a,b\nc,d\n" + "x" * 300 + ",y\n"
    with pytest.raises(ImportRejected) as info:
        list(read_rows(source(text, Limits(max_field_chars=100))))
    assert str(info.value) == ("t.csv, row 3: malformed CSV: a field is absurdly long "
                               "(over the field size limit)")


def test_a_long_line_of_short_fields_is_read():
    text = ",".join(["x" * 50] * 10) + "\nend\n"
    assert list(read_rows(source(text, Limits(max_field_chars=100)))) == [
        (1, ["x" * 50] * 10), (2, ["end"])]


def test_an_open_quote_after_plain_lines_names_the_row_it_opens():
    text = "a,b\nc,d\n\"open,e\nf,g\n"
    with pytest.raises(ImportRejected) as info:
        list(read_rows(source(text)))
    assert str(info.value).startswith("t.csv, row 3: malformed CSV: file ends inside a quoted")
