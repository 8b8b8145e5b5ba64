"""Safe, streaming access to CSV files: on disk or inside a zip archive.

Everything here turns low-level failures (bad zip, bad bytes, truncated data,
oversized fields or members) into :class:`ImportRejected` with a one-line
message naming the file and, where known, the row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from .records import ImportRejected

MiB = 1 << 20


class ByteStream(Protocol):
    """What a source's opener returns: something to read bytes from and close."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds beyond anything a real export reaches; exceeding one rejects the input."""

    max_file_bytes: int = 1024 * MiB  # one CSV, declared or actually read
    max_total_bytes: int = 4096 * MiB  # all members of an archive, declared
    max_ratio: float = 200.0  # compression ratio that marks a zip bomb ...
    ratio_floor: int = 16 * MiB  # ... for members at least this large
    max_members: int = 10_000
    max_field_chars: int = 1 * MiB  # one CSV field (csv's default is 128 KiB)


DEFAULT_LIMITS = Limits()
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class CsvSource:
    """A CSV file to read: a display ``name``, a way to open its bytes, and a way to tell
    its content apart (:meth:`fingerprint`: size and CRC-32, the same for a zip member and
    the file unpacked from it)."""

    name: str
    opener: Callable[[], ByteStream]
    limits: Limits = DEFAULT_LIMITS
    fingerprinter: Callable[[], str] | None = None

    def fingerprint(self) -> str:
        """``size:<bytes>:crc32:<hex>`` of the content; computed by reading it unless known
        (a zip's central directory holds both)."""
        if self.fingerprinter is not None:
            return self.fingerprinter()
        return _fingerprint_stream(self.opener, self.name)

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name.replace("\\", "/").split(":")[-1]).name


class _CountingReader(io.RawIOBase):
    """Counts bytes while streaming; refuses more than ``limit`` and NUL bytes."""

    def __init__(self, raw: ByteStream, limit: int, name: str):
        self._raw, self._limit, self._name, self.count = raw, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes (as the stream gives them, without copying them)."""
        data = self._raw.read(size)
        self.count += len(data)
        if self.count > self._limit:
            raise ImportRejected(
                f"more than {self._limit // MiB} MiB of data; not a real export", file=self._name
            )
        if b"\x00" in data:
            raise ImportRejected("binary data (NUL byte); not a CSV file", file=self._name)
        return data

    def close(self) -> None:
        self._raw.close()
        super().close()


def _translate(exc: BaseException, name: str, row: int | None) -> ImportRejected:
    if isinstance(exc, UnicodeDecodeError):
        return ImportRejected(
            f"undecodable bytes (not UTF-8) at byte {exc.start} of a chunk", file=name, row=row
        )
    if isinstance(exc, csv.Error):
        text = str(exc)
        if "unexpected end of data" in text:
            text = "file ends inside a quoted field (truncated?)"
        elif "field limit" in text:
            text = "a field is absurdly long (over the field size limit)"
        return ImportRejected(f"malformed CSV: {text}", file=name, row=row)
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return ImportRejected(f"corrupt or truncated archive member: {exc}", file=name, row=row)
    return ImportRejected(f"cannot read: {exc}", file=name, row=row)


_READ_ERRORS = (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, zlib.error, EOFError, OSError)


def read_rows(source: CsvSource, encoding: str = "utf-8-sig") -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, fields)`` for every CSV record; ``line`` is where the record starts.

    Strict CSV (a quote left open at end of file is an error), strict decoding
    (a UTF-8 byte-order mark is skipped), a field size cap, a byte count cap.
    Raises :class:`ImportRejected` naming the file and row on any of those.

    A line without a quote is split at its commas (what the csv module makes of it, at a
    third of the cost); a line with one starts a record that the csv module reads, over as
    many lines as it spans.
    """
    limit = source.limits.max_field_chars
    if csv.field_size_limit() != limit:
        csv.field_size_limit(limit)  # process-wide; the cap is the point
    line = 0  # lines read before the current record
    try:
        raw = source.opener()
    except _READ_ERRORS as exc:
        raise _translate(exc, source.name, None) from None
    counted = _CountingReader(raw, source.limits.max_file_bytes, source.name)
    ends = _Ends()
    if codecs.lookup(encoding).name in _CHUNKED:
        closing: contextlib.closing[Any] = contextlib.closing(counted)
        text: Iterator[str] = chain.from_iterable(_text_lines(counted, encoding, ends))
    else:
        wrapper = io.TextIOWrapper(io.BufferedReader(counted, CHUNK_BYTES), encoding=encoding,
                                   errors="strict", newline="")
        closing, text = contextlib.closing(wrapper), iter(wrapper)
    with closing:
        lines = _Lines(text, ends)
        reader = csv.reader(lines, strict=True)
        try:
            for first in text:
                if '"' in first or len(first) > limit:
                    # the csv module reads this record, from this line
                    lines.again = first if ends.whole else first + "\n"
                    before = reader.line_num
                    fields = next(reader)
                    yield line + 1, fields
                    line += reader.line_num - before
                else:
                    first = first.rstrip("\r\n")
                    yield line + 1, first.split(",") if first else []
                    line += 1
        except ImportRejected as exc:
            raise ImportRejected(exc.message, file=source.name, row=line + 1) from None
        except UnicodeDecodeError:
            # Text is decoded a chunk ahead of the CSV parser: find the real line.
            bad_line = _locate_decode_error(source, encoding)
            raise ImportRejected(
                "undecodable bytes (not UTF-8; export again or re-save as UTF-8)",
                file=source.name, row=bad_line,
            ) from None
        except _READ_ERRORS as exc:
            raise _translate(exc, source.name, line + 1) from None


#: bytes read at a time
CHUNK_BYTES = 1 << 16
#: encodings whose text is cut into lines at the byte ``\n`` (no character holds that byte)
_CHUNKED = frozenset({"utf-8", "utf-8-sig"})
#: a carriage return that ends a line by itself
_LONE_CR = re.compile(rb"\r(?!\n)")


class _Ends:
    """Whether the lines :func:`_text_lines` gives now come whole, with their line break,
    or without the ``\n`` that ended them."""

    __slots__ = ("whole",)

    def __init__(self) -> None:
        self.whole = True


def _text_lines(stream: _CountingReader, encoding: str, ends: _Ends) -> Iterator[list[str]]:
    """The lines of ``stream`` (UTF-8) as ``io.TextIOWrapper(…, newline="")`` splits them
    (at ``\n``, ``\r\n`` and a lone ``\r``), in lists, for a quarter less: the bytes are
    read a chunk at a time, cut after the chunk's last ``\n``, decoded together and split at
    ``\n``. Lines split so come without that ``\n`` (``ends.whole`` is False while they
    come); the lines of a chunk with a lone ``\r``, and the last line when no line break
    ends it, come whole."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    held: list[bytes] = []  # the start of a line that goes on in the next chunk
    read, lone_cr = stream.read, _LONE_CR.search
    while data := read(CHUNK_BYTES):
        cut = data.rfind(b"\n") + 1
        if not cut:
            held.append(data)
            continue
        if held:
            held.append(data[:cut])
            piece = b"".join(held)
        else:
            piece = data[:cut]
        held = [data[cut:]] if cut < len(data) else []
        body = decoder.decode(piece)
        if b"\r" in piece and lone_cr(piece):
            ends.whole = True
            yield list(io.StringIO(body, newline=""))
        else:
            ends.whole = False
            lines = body.split("\n")
            lines.pop()  # the nothing after the last \n
            yield lines
    rest = decoder.decode(b"".join(held), True)
    ends.whole = True
    yield list(io.StringIO(rest, newline=""))


class _Lines:
    """The lines of a text file, for :func:`read_rows` and the csv reader it hands a record
    to, with their line breaks (see :class:`_Ends`): ``again`` is a line given back, read
    first."""

    __slots__ = ("again", "_next", "_ends")

    def __init__(self, text: Iterator[str], ends: _Ends) -> None:
        self.again: str | None = None
        self._next = text.__next__
        self._ends = ends

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        again = self.again
        if again is None:
            line = self._next()
            return line if self._ends.whole else line + "\n"
        self.again = None
        return again


def _locate_decode_error(source: CsvSource, encoding: str) -> int | None:
    """The 1-based line holding the first undecodable byte (reads the file again)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    try:
        handle = source.opener()
    except _READ_ERRORS:
        return None
    with contextlib.closing(handle):
        while chunk := handle.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk.count(b"\n", 0, exc.start)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line
    return None


def fingerprint_of(size: int, crc: int) -> str:
    return f"size:{size}:crc32:{crc:08x}"


def size_of(fingerprint: str) -> int:
    """The size in bytes that :func:`fingerprint_of` wrote into ``fingerprint``."""
    return int(fingerprint.split(":")[1])


def _constant(value: str) -> Callable[[], str]:
    return lambda: value


def _fingerprint_stream(opener: Callable[[], ByteStream], name: str) -> str:
    size, crc = 0, 0
    try:
        with contextlib.closing(opener()) as handle:
            while chunk := handle.read(1 << 20):
                size += len(chunk)
                crc = zlib.crc32(chunk, crc)
    except _READ_ERRORS as exc:
        raise _translate(exc, name, None) from None
    return fingerprint_of(size, crc)


def _unsafe_name(name: str) -> bool:
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return True
    return ".." in norm.split("/")


def zip_sources(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[CsvSource]:
    """Check an archive up front and return its CSV members as sources.

    Rejects: not a zip (or truncated), too many members, unsafe member names
    (``..``, absolute), encryption, nested archives, declared sizes or
    compression ratios beyond any real export.
    """
    label = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportRejected(f"not a zip file, or a truncated one ({exc})", file=label) from None
    if len(infos) > limits.max_members:
        raise ImportRejected(f"{len(infos)} members; not a real export", file=label)
    total = 0
    sources = []
    for info in infos:
        where = f"{label}:{info.filename}"
        if _unsafe_name(info.filename):
            raise ImportRejected("unsafe member name (absolute or with '..')", file=where)
        if info.flag_bits & 0x1:
            raise ImportRejected("encrypted member; export again without a password", file=where)
        if info.filename.lower().endswith((".zip", ".jar", ".gz", ".7z", ".rar", ".tar")):
            raise ImportRejected("nested archive; unpack it and import that instead", file=where)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > limits.max_file_bytes or total > limits.max_total_bytes
        if too_big or (info.file_size >= limits.ratio_floor and ratio > limits.max_ratio):
            raise ImportRejected(
                f"declares {info.file_size} bytes (ratio {ratio:.0f}:1); looks like a zip bomb",
                file=where,
            )
        if not info.is_dir() and info.filename.lower().endswith(".csv"):
            known = fingerprint_of(info.file_size, info.CRC)
            sources.append(CsvSource(where, _member_opener(path, info.filename), limits,
                                     _constant(known)))
    return sources


def _member_opener(path: Path, member: str) -> Callable[[], ByteStream]:
    def open_member() -> ByteStream:
        archive = zipfile.ZipFile(path)
        try:
            handle = archive.open(member)
        except BaseException:
            archive.close()
            raise
        if isinstance(handle, zipfile.ZipExtFile) and handle.peek(4)[:4] == ZIP_MAGIC:
            handle.close()
            archive.close()
            raise ImportRejected("nested archive disguised as CSV", file=f"{path}:{member}")
        return _ClosingMember(handle, archive)

    return open_member


class _ClosingMember(io.RawIOBase):
    """A zip member stream that also closes its archive."""

    def __init__(self, handle: ByteStream, archive: zipfile.ZipFile):
        self._handle, self._archive = handle, archive

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._handle.read(-1 if size is None else size)

    def close(self) -> None:
        self._handle.close()
        self._archive.close()
        super().close()


def folder_sources(folder: Path, limits: Limits = DEFAULT_LIMITS) -> list[CsvSource]:
    """CSV files under ``folder`` (three levels deep at most, symlinks not followed)."""
    sources = []
    for path in sorted(folder.rglob("*")):
        depth = len(path.relative_to(folder).parts)
        if depth > 3 or path.is_symlink() or not path.is_file():
            continue
        if path.suffix.lower() == ".csv":
            sources.append(file_source(path, limits))
    return sources


def file_source(path: Path, limits: Limits = DEFAULT_LIMITS) -> CsvSource:
    """A CSV file on disk as a source; rejects one larger than any real export."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise ImportRejected(f"{size} bytes; larger than any real export", file=str(path))
    return CsvSource(str(path), lambda: open(path, "rb"), limits)
