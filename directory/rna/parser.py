"""Reads an RNA `rna_waldec` departmental CSV: encoding, header, rows checked one by one.

The file is `;`-separated, Latin-1 (Windows-1252 in practice: its œ and ’ are decoded too), with
a header of lower-case column names (directory/rna/columns.py); it is read by header name so that
the 2018 layout (with `telephone` and `email`) is accepted. UTF-8 files, with or without a BOM,
are detected.
The file (or the CSV inside the registry's zip) is read as a stream through `io.TextIOWrapper`
and `csv.reader`: one row in memory at a time, whatever the size of the file.
A bad row (wrong number of columns, invalid id, impossible date, a field the csv module
refuses, such as one over its 131 072-character limit) becomes a `BadRow` with its
line number and reason; reading goes on.
"""

import codecs
import csv
import datetime
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Self

from directory.validators import RNA_RE

from .columns import DATE_COLUMNS, REQUIRED_COLUMNS

NO_DATE = {"", "0001-01-01", "null", "NULL"}

# Windows-1252 characters that a strict Latin-1 decoding leaves as C1 control characters.
_CP1252_FIXES = {
    chr(code): bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
SNIFF_BYTES = 1 << 20  # the encoding is decided on the first megabyte


class NotAnRnaFile(ValueError):
    pass


@dataclass
class Row:
    line: int
    data: dict[str, str]
    date_disso: datetime.date | None
    maj_time: datetime.datetime | None


@dataclass
class BadRow:
    line: int
    reason: str


def _fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not valid in the chosen encoding read as Windows-1252
    (or Latin-1 for the five bytes Windows-1252 leaves undefined)."""
    bad = error.object[error.start : error.end]
    return "".join(_byte_char(byte) for byte in bad), error.end


def _byte_char(byte: int) -> str:
    char = chr(byte)
    return _CP1252_FIXES.get(char, char)


FALLBACK_ERRORS = "rna-cp1252-fallback"
codecs.register_error(FALLBACK_ERRORS, _fallback)  # type: ignore[arg-type]  # used for decoding only


def sniff_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: utf-8-sig (BOM), utf-8, else latin-1."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a cut character is fine
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def decode(raw: bytes) -> tuple[str, str]:
    """Text of bytes and the encoding used: UTF-8 (BOM or strict) first, else Latin-1/CP1252."""
    encoding = sniff_encoding(raw)
    if encoding == "utf-8-sig":
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", FALLBACK_ERRORS), encoding
    if encoding == "utf-8":
        return raw.decode("utf-8", FALLBACK_ERRORS), encoding
    return raw.decode("cp1252", FALLBACK_ERRORS), encoding


def _zip_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The CSV to read in a zip: its only one, else the Rhône's (`…_dpt_69.csv`)."""
    members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
    if len(members) == 1:
        return members[0]
    rhone = [m for m in members if m.filename.lower().endswith("_dpt_69.csv")]
    if len(rhone) == 1:
        return rhone[0]
    raise NotAnRnaFile(f"the zip holds {len(members)} CSV files and no single …_dpt_69.csv")


def _date(value: str) -> datetime.date | None:
    value = value.strip()
    if value in NO_DATE:
        return None
    return datetime.date.fromisoformat(value[:10])


def _datetime(value: str) -> datetime.datetime | None:
    value = value.strip()
    if value in NO_DATE:
        return None
    return datetime.datetime.fromisoformat(value)


class RnaFile:
    """Iterates over the rows of a file, reading it as a stream: memory does not grow with it.

    `source` is a path (a CSV file, or a zip holding one, or one `_dpt_69.csv` among others) or
    a binary file object. `encoding`, `columns`, `layout` and `approx_rows` are known upfront;
    the encoding is decided on the first SNIFF_BYTES (a BOM, else strict UTF-8, else Latin-1).
    A Latin-1 byte met later in a file taken for UTF-8 is still decoded, as Windows-1252.
    Use it as a context manager, or call close().
    """

    def __init__(self, source: str | os.PathLike[str] | IO[bytes]) -> None:
        self._owned: list[IO[Any] | zipfile.ZipFile] = []
        self._size: int | None = None  # bytes of the CSV, when known: for approx_rows
        self.approx_rows = 0
        binary = source if hasattr(source, "read") else self._open(source)
        try:
            self._start(binary)  # type: ignore[arg-type]  # a path was opened above
        except BaseException:
            self.close()
            raise

    def _open(self, path: str | os.PathLike[str]) -> IO[bytes]:
        if zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            self._owned.append(archive)
            member = _zip_member(archive)
            binary = archive.open(member)
            self._owned.append(binary)
            self._size = member.file_size
            return binary
        binary = open(path, "rb", buffering=0)  # noqa: SIM115 (closed by close())
        self._owned.append(binary)
        self._size = os.fstat(binary.fileno()).st_size
        return binary

    def _start(self, binary: IO[bytes]) -> None:
        # Read through a buffer of SNIFF_BYTES: peek() shows the head without consuming it.
        buffered = io.BufferedReader(binary, SNIFF_BYTES)  # type: ignore[type-var]  # a raw or zip stream
        head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        self.encoding = sniff_encoding(head)
        codec = "cp1252" if self.encoding == "latin-1" else self.encoding  # Windows-1252 in practice
        self._text = io.TextIOWrapper(buffered, encoding=codec, errors=FALLBACK_ERRORS, newline="")
        self._owned.append(self._text)
        lines = head.count(b"\n")
        if self._size is not None and lines:
            self.approx_rows = max(round(self._size * lines / len(head)) - 1, 0)
        self._reader = csv.reader(self._text, delimiter=";", quotechar='"')
        try:
            header = next(self._reader)
        except StopIteration:
            raise NotAnRnaFile("the file is empty") from None
        self.columns = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in self.columns]
        if missing:
            raise NotAnRnaFile(f"not an rna_waldec file, missing columns: {', '.join(missing)}")
        self.layout = "2018" if "telephone" in self.columns else "current"
        self.line = 1  # physical line where the reader stands

    def close(self) -> None:
        for handle in reversed(self._owned):
            handle.close()
        self._owned = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Row | BadRow]:
        width = len(self.columns)
        while True:
            line = self.line + 1
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                # A field over csv.field_size_limit() (131 072 characters), a NUL byte…: the
                # reader drops the rest of the physical line and goes on with the next one.
                self.line = self._reader.line_num
                yield BadRow(line, f"unreadable row: {error}")
                continue
            self.line = self._reader.line_num
            if not values or values == [""]:
                continue
            if len(values) != width:
                yield BadRow(line, f"{len(values)} columns instead of {width}")
                continue
            data = dict(zip(self.columns, values, strict=True))
            rna = data["id"].strip().upper()
            if not RNA_RE.match(rna):
                yield BadRow(line, f"invalid id {data['id'][:12]!r}")
                continue
            data["id"] = rna
            try:
                for column in DATE_COLUMNS:
                    if column in data:
                        _date(data[column])
                date_disso = _date(data["date_disso"])
            except ValueError:
                yield BadRow(line, f"impossible date in {column}: {data[column][:12]!r}")
                continue
            try:
                maj_time = _datetime(data["maj_time"])
            except ValueError:
                yield BadRow(line, f"impossible date in maj_time: {data['maj_time'][:20]!r}")
                continue
            yield Row(line, data, date_disso, maj_time)
