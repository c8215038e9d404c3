"""Spreadsheets as planners write them: a table of cells read from CSV or XLSX, its header
row found wherever it stands, the title block above it read as key-value pairs.

Nothing here knows what an MSEL column means (see msel.py); this module only turns bytes
into numbered rows of cells, and says where a cell is (sheet, row, column letter) so that
every message can point at it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
MAX_COLUMNS = 40
MAX_UNZIPPED = 40 * 1024 * 1024  # an XLSX is a zip: refuse zip bombs before opening it
HEADER_SEARCH = 30  # the header row is looked for among the first rows that hold something


def N_(message: str) -> str:
    """Marks a message for the catalogue; the web layer translates it when it shows it."""
    return message


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the spreadsheet: its sheet (XLSX), row and column, as the planner sees them."""

    row: int | None = None
    column: int | None = None  # 0-based index
    header: str | None = None  # the column's header, as written
    sheet: str | None = None

    @property
    def cell(self) -> str | None:
        if self.row is None or self.column is None:
            return None
        return f"{column_letter(self.column)}{self.row}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix: where it is and what is wrong, as a catalogue message with values."""

    where: Where
    message: str  # an English catalogue message with %(name)s placeholders
    values: tuple[tuple[str, str], ...] = ()

    def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
        body = (
            translate(self.message) % dict(self.values) if self.values else translate(self.message)
        )
        if not place(self.where):
            return body
        where = place(self.where, translate)
        return translate(N_("%(place)s: %(problem)s")) % {"place": where, "problem": body}

    def __str__(self) -> str:
        return self.text()


def problem(where: Where, message: str, **values: Any) -> Problem:
    return Problem(where, message, tuple((k, str(v)) for k, v in values.items()))


def place(where: Where, translate: Callable[[str], str] = lambda s: s) -> str:
    """`sheet "MSEL", row 7, column "Scenario Time" (C7)`, as much of it as is known."""
    parts = []
    if where.sheet:
        parts.append(translate(N_('sheet "%(sheet)s"')) % {"sheet": where.sheet})
    if where.row is not None:
        parts.append(translate(N_("row %(row)s")) % {"row": where.row})
    if where.header is not None:
        column = translate(N_('column "%(column)s"')) % {"column": where.header}
        parts.append(f"{column} ({where.cell})" if where.cell else column)
    return ", ".join(parts)


class SheetError(Exception):
    """A spreadsheet that cannot be read at all; `problems` says why."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class Table:
    """The non-empty rows of one sheet: (row number as the spreadsheet shows it, cells)."""

    sheet: str | None  # the XLSX sheet's name; None for CSV
    records: tuple[tuple[int, tuple[Any, ...]], ...]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column's name in a spreadsheet."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell as the planner reads it: numbers without '.0', times as h:mm:ss."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M") if value.second == 0 else value.strftime("%H:%M:%S")
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}" + (
            f":{value.second:02d}" if value.second else ""
        )
    return str(value).strip()


def normalise(value: Any) -> str:
    """A header or a keyword compared without case, accents, punctuation or spacing."""
    text = unicodedata.normalize("NFKD", cell_text(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read_table(raw: bytes, filename: str) -> Table:
    """The rows of a CSV or XLSX file; SheetError when it is not a readable spreadsheet."""

    def fail(message: str, **values: Any) -> SheetError:
        return SheetError([problem(Where(), message, **values)])

    if len(raw) > MAX_BYTES:
        raise fail(
            N_("the file is too large (%(size)s MB; an MSEL is at most %(limit)s MB)"),
            size=f"{len(raw) / 1e6:.1f}",
            limit=MAX_BYTES // (1024 * 1024),
        )
    if not raw.strip():
        raise fail(N_("the file is empty"))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise fail(
            N_("%(suffix)s files cannot be read: save the spreadsheet as .xlsx or as CSV (UTF-8)"),
            suffix=suffix,
        )
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ""):
        raise fail(N_("%(suffix)s is not a spreadsheet: use a .csv or .xlsx file"), suffix=suffix)
    if suffix in (".xlsx", ".xlsm") and not raw.startswith(b"PK\x03\x04"):
        raise fail(N_("this is not a readable .xlsx file"))
    # an XLSX is a zip file, whatever its name says
    table = _read_xlsx(raw, fail) if raw.startswith(b"PK\x03\x04") else _read_csv(raw, fail)
    _check_width(table)
    return table


def _check_width(table: Table) -> None:
    """Refuse a row with a value beyond the last column read (a CSV line could hold 100,000)."""
    for number, cells in table.records:
        beyond = next((i for i, c in enumerate(cells) if i >= MAX_COLUMNS and cell_text(c)), None)
        if beyond is not None:
            message = N_(
                "an MSEL has at most %(limit)s columns, and this row has a value in column "
                "%(letter)s (%(value)s)"
            )
            value = f'"{cell_text(cells[beyond])[:60]}"'
            where = Where(number, sheet=table.sheet)
            letter = column_letter(beyond)
            raise SheetError(
                [problem(where, message, limit=MAX_COLUMNS, letter=letter, value=value)]
            )


def _read_csv(raw: bytes, fail: Callable[..., SheetError]) -> Table:
    if b"\x00" in raw:
        raise fail(N_("this is a binary file, not CSV text (or save the sheet as .xlsx)"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(
            N_(
                'line %(line)s: the file is not UTF-8 text; in Excel, save it as "CSV UTF-8", '
                "or use .xlsx"
            ),
            line=line,
        ) from None
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH]
    # French Excel separates with ';', others with ','; the busiest separator wins
    delimiter = max(";,\t", key=lambda d: max((line.count(d) for line in lines), default=0))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # spreadsheets number records, not lines: a quoted cell may hold line breaks
        records = tuple(
            (number, tuple(cells))
            for number, cells in enumerate(reader, start=1)
            if any(c.strip() for c in cells)
        )
    except csv.Error as exc:
        raise fail(
            N_("line %(line)s: malformed CSV: %(error)s"), line=reader.line_num, error=exc
        ) from None
    return Table(None, records)


def _read_xlsx(raw: bytes, fail: Callable[..., SheetError]) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise fail(N_("this is not a readable .xlsx file")) from None
    if unzipped > MAX_UNZIPPED:
        raise fail(N_("the .xlsx file expands to too much data to be an MSEL"))
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (styles, data validation): not our concern
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                # data_only: a formula cell gives the value Excel saved, never the formula.
                # Merged cells hold their value in the first cell, the others read empty.
                rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
                records = []
                for number, cells in enumerate(rows, start=1):
                    if any(cell_text(c) for c in cells):
                        records.append((number, tuple(cells)))
                        if len(records) > MAX_ROWS + HEADER_SEARCH:
                            break  # enough to say there are too many rows
                title = sheet.title
            finally:
                book.close()
    except SheetError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise fail(N_("this is not a readable .xlsx file")) from None
    return Table(title, tuple(records))


def find_header(
    table: Table, is_column: Callable[[str], bool]
) -> tuple[int, tuple[Any, ...], int] | None:
    """(index in records, cells, known columns) of the row that names the most known columns.

    Real MSELs carry a title block (exercise name, date, classification, start time) above
    the header and blank rows around it: the header is the row among the first ones that
    names the most columns we know, at least two; the earliest wins a tie.
    """
    best: tuple[int, tuple[Any, ...], int] | None = None
    for k, (_number, cells) in enumerate(table.records[:HEADER_SEARCH]):
        known = sum(1 for c in cells if cell_text(c) and is_column(normalise(c)))
        if known >= 2 and (best is None or known > best[2]):
            best = (k, cells, known)
    return best


def title_block(records: Sequence[tuple[int, tuple[Any, ...]]]) -> dict[str, tuple[int, int, Any]]:
    """Key-value pairs above the header: `Start time: 09:00` in one cell, or in two cells.

    Keys are normalised; each value keeps its row and column so that messages can point at it.
    """
    found: dict[str, tuple[int, int, Any]] = {}
    for number, cells in records:
        for i, cell in enumerate(cells):
            text = cell_text(cell)
            if not text:
                continue
            inline = re.match(r"^([^:]{2,40}?)\s*:\s*(\S.*)$", text)
            if inline and not re.match(r"^\d", text):
                found.setdefault(normalise(inline[1]), (number, i, inline[2].strip()))
                continue
            rest = [(j, c) for j, c in enumerate(cells[i + 1 :], start=i + 1) if cell_text(c)]
            if rest and re.search(r"[A-Za-zÀ-ÿ]", text.rstrip(":")):
                j, value = rest[0]
                found.setdefault(normalise(text.rstrip(": ")), (number, j, value))
    return found
