"""Reading the published tables (CSV and Excel) row by row, and saying what is wrong with them.

Every row keeps the number a person sees in a spreadsheet program or a text
editor (the header is row 1), so a reported problem can be found and fixed.
A file that cannot be read at all (missing, not CSV or not a workbook, wrong
columns) is an ``InputError``; a bad cell is a ``Problem`` and the rest of the
file still imports.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cskg.errors import InputError

#: Text that stands for "no value" in the published files (pandas and Python leave these behind).
MISSING_MARKERS = {"none", "nan", "null", "n/a", "na", "#n/a", "notknown", "not known", "unknown"}


@dataclass(frozen=True)
class Row:
    """One data row: its number in the file (the header is row 1) and its cells by column."""

    number: int
    cells: dict[str, object]

    def raw(self, column: str) -> object:
        return self.cells.get(column)


@dataclass(frozen=True)
class Problem:
    """A defect in one cell, and what the import did about it."""

    file: str
    row: int
    column: str
    value: str
    problem: str
    action: str

    def where(self) -> str:
        return f"{self.file}:{self.row}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value,
                "problem": self.problem, "action": self.action}


class Table:
    """The rows of one file with the problems found while reading them."""

    def __init__(self, display: str, columns: list[str], rows: list[Row]) -> None:
        self.display = display
        self.columns = columns
        self.rows = rows
        self.problems: list[Problem] = []

    def report(self, row: Row | int, column: str, value: object, problem: str, action: str) -> None:
        number = row.number if isinstance(row, Row) else row
        shown = "" if value is None else str(value)
        self.problems.append(Problem(self.display, number, column, shown, problem, action))

    def text(self, row: Row, column: str, action: str, required: bool = True) -> str | None:
        """The cell as trimmed text, or None (reported) when it is empty or a missing-value marker.

        An empty optional cell is not a defect and is not reported.
        """
        value = row.raw(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(row, column, value, "empty cell", action)
            return None
        if isinstance(value, float) and value != value:  # NaN from a numeric cell
            self.report(row, column, "nan", "the text 'nan' instead of a value", action)
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if text.casefold() in MISSING_MARKERS:
            self.report(row, column, text, f"the text {text!r} instead of a value", action)
            return None
        return text

    def scan_unused(self, used: Iterable[str], why: str) -> None:
        """Report the missing-value markers in the columns the import does not read."""
        for row in self.rows:
            for column in self.columns:
                if column in used or not column:
                    continue
                value = row.raw(column)
                if isinstance(value, float) and value != value:
                    value = "nan"
                if isinstance(value, str) and value.strip().casefold() in MISSING_MARKERS:
                    self.report(row, column, value.strip(), f"the text {value.strip()!r} instead "
                                "of a value", f"nothing imported: {why}")

    def date(self, row: Row, column: str, action: str, required: bool = True) -> date | None:
        """A day from an Excel date or from dd/mm/yyyy, dd/mm/yy or yyyy-mm-dd text."""
        value = row.raw(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(row, column, action, required)
        if text is None:
            return None
        parsed = parse_day(text)
        if parsed is None:
            self.report(row, column, text, "not a date (expected dd/mm/yyyy, dd/mm/yy or yyyy-mm-dd)",
                        action)
        return parsed


def parse_day(text: str) -> date | None:
    """``dd/mm/yyyy``, ``dd/mm/yy`` (20yy: the data starts in 2012) or ISO ``yyyy-mm-dd``."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?", text)
        if match:
            return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return None


def read_table(path: Path, display: str, required: Iterable[str], kind: str) -> Table:
    """The rows of a CSV file or the first sheet of an .xlsx workbook.

    ``required`` are the columns the importer needs; a file without them is
    not of the expected kind (``kind`` names it in the message).
    """
    if not path.is_file():
        raise InputError(f"{display}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, display)
    else:
        table = _read_csv(path, display)
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(
            f"{display}:1: missing column{'s' if len(missing) > 1 else ''} "
            + ", ".join(missing) + f"; this is not {kind}",
            "the header row has: " + ", ".join(c for c in table.columns if c) if table.columns
            else "the file is empty",
        )
    return table


def _read_csv(path: Path, display: str) -> Table:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"{display}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x})",
                         "save the file as UTF-8 CSV") from None
    if "\x00" in text:
        raise InputError(f"{display}: not a CSV file (it holds binary data)")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        table = Table(display, header, rows)
        start = reader.line_num + 1
        for record in reader:
            number = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                table.report(number, "(row)", f"{len(record)} fields",
                             f"the row has {len(record)} fields where the header has {len(header)}",
                             "row skipped")
                continue
            rows.append(Row(number, dict(zip(header, record))))
    except csv.Error as err:
        raise InputError(f"{display}:{reader.line_num}: not valid CSV: {err}") from None
    return table


def _read_xlsx(path: Path, display: str) -> Table:
    import openpyxl  # imported here: only the Excel importer needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as err:
        raise InputError(f"{display}: not an Excel .xlsx workbook ({err})") from None
    try:
        sheet = book.worksheets[0]
        records = sheet.iter_rows(values_only=True)
        first = next(records, None) or ()
        header = ["" if h is None else str(h).strip() for h in first]
        rows: list[Row] = []
        table = Table(f"{display}", header, rows)
        for number, record in enumerate(records, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in record):
                continue
            rows.append(Row(number, {h: v for h, v in zip(header, record) if h}))
        return table
    finally:
        book.close()
