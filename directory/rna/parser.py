"""Reads an RNA `rna_waldec` departmental CSV: encoding, header, rows checked one by one.

The file is `;`-separated, Latin-1 (Windows-1252 in practice: its œ and ’ are decoded too), with
a header of lower-case column names; it is read by header name so that the 2018 layout (with
`telephone` and `email`) is accepted. UTF-8 files, with or without a BOM, are detected.
A bad row (wrong number of columns, invalid id, impossible date, a field the csv module
refuses, such as one over its 131 072-character limit) becomes a `BadRow` with its
line number and reason; reading goes on.
"""

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass

from directory.validators import RNA_RE

# The columns the importer reads; the file has more (39 today, 41 in 2018).
REQUIRED_COLUMNS = (
    "id",
    "siret",
    "date_creat",
    "date_disso",
    "titre",
    "titre_court",
    "objet",
    "objet_social1",
    "objet_social2",
    "adrs_complement",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_distrib",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "siteweb",
    "publiweb",
    "position",
    "maj_time",
)
DATE_COLUMNS = ("date_creat", "date_decla", "date_publi", "date_disso")
NO_DATE = {"", "0001-01-01", "null", "NULL"}

# Windows-1252 characters that a strict Latin-1 decoding leaves as C1 control characters.
_CP1252_FIXES = {
    chr(code): bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_C1_RE = re.compile("[\x80-\x9f]")


class NotAnRnaFile(ValueError):
    pass


@dataclass
class Row:
    line: int
    data: dict
    date_disso: datetime.date | None
    maj_time: datetime.datetime | None


@dataclass
class BadRow:
    line: int
    reason: str


def decode(raw):
    """Text of the file and the encoding used: UTF-8 (BOM or strict) first, else Latin-1/CP1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        return _C1_RE.sub(lambda m: _CP1252_FIXES.get(m.group(), m.group()), text), "latin-1"


def _date(value):
    value = value.strip()
    if value in NO_DATE:
        return None
    return datetime.date.fromisoformat(value[:10])


def _datetime(value):
    value = value.strip()
    if value in NO_DATE:
        return None
    return datetime.datetime.fromisoformat(value)


class RnaFile:
    """Iterates over the rows of a file; `encoding`, `columns` and `approx_rows` are known upfront."""

    def __init__(self, path):
        with open(path, "rb") as handle:
            raw = handle.read()
        self.text, self.encoding = decode(raw)
        del raw
        self.approx_rows = max(self.text.count("\n") - 1, 0)
        self._reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=";", quotechar='"')
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

    def __iter__(self):
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
