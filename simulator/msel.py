"""MSEL import: a master scenario events list (CSV or XLSX) onto a base scenario.

An MSEL is the spreadsheet exercise planners already write: one row per inject, with its
time, platform, author persona, text in both languages, the expected actions, the role it
must be escalated to and the objective it tests. `parse_msel` reads and checks the rows on
their own; `merge_msel` puts them in place of a base scenario's injects and validates the
result with the scenario loader, so that every error names the row and column to fix.

Nothing here imports Flask: the web layer and the tests call it the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml

from .engine.loader import MAX_BYTES, ScenarioError, load_scenario_text, parse_duration, schema
from .engine.scenario import PLATFORMS

MAX_ROWS = 500
MAX_COLUMNS = 40
MAX_ERRORS = 50
MAX_UNZIPPED = 40 * 1024 * 1024  # an XLSX is a zip: refuse zip bombs before opening it
DEFAULT_SEVERITY = 2
DEFAULT_DEADLINE = "15m"

# canonical field -> accepted headers (compared lowercased, without accents, `_` for spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "time": ("time", "heure"),
    "platform": ("platform", "plateforme"),
    "persona": ("persona", "auteur"),
    "text_fr": ("text_fr", "texte_fr"),
    "text_en": ("text_en", "texte_en"),
    "expected_action": ("expected_action", "action_attendue"),
    "must_escalate_to": ("must_escalate_to", "escalader_a"),
    "objective": ("objective", "objectif"),
    "id": ("id",),
    "severity": ("severity", "gravite"),
    "deadline": ("deadline", "delai"),
    "optional": ("optional", "optionnel"),
}
REQUIRED = (
    "time",
    "platform",
    "persona",
    "text_fr",
    "text_en",
    "expected_action",
    "must_escalate_to",
    "objective",
)
_ALIASES = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
# what an inject's key in the generated YAML is called in the MSEL
_COLUMN_OF_KEY = {
    "id": "id",
    "time": "time",
    "platform": "platform",
    "persona": "persona",
    "severity": "severity",
    "must_escalate_to": "must_escalate_to",
    "expected_actions": "expected_action",
    "deadline": "deadline",
    "objective": "objective",
    "optional": "optional",
}
_NOBODY = {"", "-", "none", "null", "nobody", "aucun", "aucune", "personne"}
_TRUE = {"true", "yes", "y", "1", "x", "oui", "o", "vrai"}
_FALSE = {"", "false", "no", "n", "0", "non", "faux"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_LOADER_ERROR = re.compile(r"^[^\n]*?:\d+:\d+: (?P<path>\S+): (?P<message>.*)$", re.S)
_INJECT_PATH = re.compile(r"^injects\[(?P<index>\d+)\](?:\.(?P<key>\w+))?(?P<rest>\S*)$")


class MselError(Exception):
    """An MSEL that cannot be imported; `errors` holds one message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class MselRow:
    """One inject as the MSEL gives it, checked and normalised."""

    row: int  # as the spreadsheet numbers it (the header is usually row 1)
    time: str  # a loader duration: 25m, 1h30m, 1h30m15s
    platform: str
    persona: str
    text_fr: str
    text_en: str
    expected_actions: tuple[str, ...]
    must_escalate_to: str | None
    objective: str | None
    id: str | None = None
    severity: int = DEFAULT_SEVERITY
    deadline: str = DEFAULT_DEADLINE
    optional: bool = False
    # canonical field -> the header as written in the file, for error messages
    columns: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


def expected_action_names() -> tuple[str, ...]:
    """The actions an inject may expect, as the scenario schema lists them."""
    inject = schema()["$defs"]["inject"]["properties"]
    return tuple(inject["expected_actions"]["items"]["enum"])


# -- reading the file ----------------------------------------------------------------------


def parse_msel(raw: bytes, filename: str) -> list[MselRow]:
    """The rows of an MSEL file (CSV or XLSX), checked; MselError lists every problem."""
    if len(raw) > MAX_BYTES:
        raise MselError(
            [
                f"the file is too large ({len(raw) / 1e6:.1f} MB; an MSEL is at most "
                f"{MAX_BYTES // (1024 * 1024)} MB)"
            ]
        )
    if not raw.strip():
        raise MselError(["the file is empty"])
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise MselError(
            [f"{suffix} files cannot be read: save the spreadsheet as .xlsx or as CSV (UTF-8)"]
        )
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ""):
        raise MselError([f"{suffix} is not a spreadsheet: use a .csv or .xlsx file"])
    if suffix in (".xlsx", ".xlsm") and not raw.startswith(b"PK\x03\x04"):
        raise MselError(["this is not a readable .xlsx file"])
    # an XLSX is a zip file, whatever its name says
    table = _read_xlsx(raw) if raw.startswith(b"PK\x03\x04") else _read_csv(raw)
    return _rows(table)


def _read_csv(raw: bytes) -> Iterator[tuple[int, list[Any]]]:
    if b"\x00" in raw:
        raise MselError(["this is a binary file, not CSV text (or save the sheet as .xlsx)"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MselError(
            [
                f"line {line}: the file is not UTF-8 text; in Excel, save it as "
                f'"CSV UTF-8", or use .xlsx'
            ]
        ) from None
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    # French Excel separates with ';', others with ','; the header line tells which
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # spreadsheets number records, not lines: a quoted cell may hold line breaks
        records = [(number, list(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise MselError([f"line {reader.line_num}: malformed CSV: {exc}"]) from None
    return iter(records)


def _read_xlsx(raw: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise MselError(["this is not a readable .xlsx file"]) from None
    if unzipped > MAX_UNZIPPED:
        raise MselError(["the .xlsx file expands to too much data to be an MSEL"])
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (styles, data validation): not our concern
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                # data_only: a formula cell gives the value Excel saved, never the formula
                rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                records = []
                for number, cells in enumerate(rows, start=1):
                    if any(c not in (None, "") for c in cells):
                        records.append((number, list(cells)))
                        if len(records) > MAX_ROWS + 1:
                            break  # enough to say there are too many rows
            finally:
                book.close()
    except MselError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise MselError(["this is not a readable .xlsx file"]) from None
    return iter(records)


# -- checking the rows ---------------------------------------------------------------------


def _normalise_header(value: Any) -> str:
    text = unicodedata.normalize("NFKD", _cell_text(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-/]+", "_", text.strip().lower())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    return str(value).strip()


def _rows(table: Iterable[tuple[int, list[Any]]]) -> list[MselRow]:
    records = [(number, cells) for number, cells in table if any(_cell_text(c) for c in cells)]
    if not records:
        raise MselError(["the file holds no rows"])
    # the header is the first row that names MSEL columns: a title may stand above it
    start = next(
        (
            k
            for k, (_number, cells) in enumerate(records[:10])
            if sum(_normalise_header(c) in _ALIASES for c in cells) >= 3
        ),
        0,
    )
    header_row, header = records[start]

    errors: list[str] = []
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown = []
    for index, cell in enumerate(header):
        text = _cell_text(cell)
        if not text or text.startswith("#"):
            continue  # blank headers and '#...' columns are the planners' own notes
        name = _ALIASES.get(_normalise_header(text))
        if name is None:
            unknown.append(text)
        elif name in columns:
            errors.append(f'row {header_row}: column "{text}" appears twice')
        else:
            columns[name], written[name] = index, text
    if unknown:
        known = ", ".join(HEADERS)
        for text in unknown:
            errors.append(
                f'row {header_row}: column "{text}" is not an MSEL column (known: {known}; '
                f"start a header with # to keep a column of notes)"
            )
    for name in REQUIRED:
        if name not in columns:
            french = HEADERS[name][1:]
            errors.append(f'missing column "{name}"' + (f' (or "{french[0]}")' if french else ""))
    if errors:
        raise MselError(errors)

    rows: list[MselRow] = []
    for number, cells in records[start + 1 :]:
        values = {
            name: _cell_text(cells[i]) if i < len(cells) else "" for name, i in columns.items()
        }
        if not any(values.values()):
            continue  # blank lines between blocks of injects, or trailing empty rows
        if len(rows) >= MAX_ROWS:
            errors.append(f"row {number}: an MSEL has at most {MAX_ROWS} rows")
            break
        row = _row(number, values, written, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append("the file has column headers but no injects below them")
    if errors:
        raise MselError(_capped(errors))
    return rows


def _row(number: int, v: dict[str, str], written: dict[str, str], errors: list[str]):
    count = len(errors)

    def bad(name: str, message: str) -> None:
        errors.append(f'row {number}, column "{written.get(name, name)}": {message}')

    time = _duration(v["time"])
    if time is None:
        bad("time", f"{_show(v['time'])} is not a time (write 25m, 1h30m or 0:25 for h:mm)")
    platform = v["platform"].lower()
    if platform not in PLATFORMS:
        bad("platform", f"{_show(v['platform'])} is not a platform ({', '.join(PLATFORMS)})")
    persona = v["persona"]
    if not persona:
        bad("persona", "is empty (write the id of one of the base scenario's personas)")
    elif not _ID.match(persona):
        bad("persona", f"{_show(persona)} is not a persona id (lowercase letters, digits, - and _)")
    for name in ("text_fr", "text_en"):
        if not v[name]:
            bad(name, "is empty (every inject needs its text in French and in English)")
    allowed = expected_action_names()
    actions: list[str] = []
    for part in re.split(r"[,;]", v["expected_action"]):
        action = part.strip().lower().replace(" ", "_")
        if not action:
            continue
        if action not in allowed:
            bad("expected_action", f"{_show(part.strip())} is not an action ({', '.join(allowed)})")
        elif action not in actions:
            actions.append(action)
    escalate: str | None = v["must_escalate_to"]
    if escalate.lower() in _NOBODY:
        escalate = None
    elif not _ID.match(escalate):
        bad("must_escalate_to", f"{_show(escalate)} is not a role id")
    objective = v["objective"] or None
    if objective is not None and not _ID.match(objective):
        bad("objective", f"{_show(objective)} is not an objective id")
    inject_id = v.get("id") or None
    if inject_id is not None and not _ID.match(inject_id):
        bad("id", f"{_show(inject_id)} is not a valid id (lowercase letters, digits, - and _)")
    severity = DEFAULT_SEVERITY
    if v.get("severity"):
        try:
            severity = int(v["severity"])
        except ValueError:
            severity = 0
        if not 1 <= severity <= 4:
            bad("severity", f"{_show(v['severity'])} is not a severity (1, 2, 3 or 4)")
    deadline = DEFAULT_DEADLINE
    if v.get("deadline"):
        seconds = _duration(v["deadline"])
        if not seconds:
            bad("deadline", f"{_show(v['deadline'])} is not a delay (write 15m, 1h or 0:15)")
        else:
            deadline = _format_duration(seconds)
    optional = v.get("optional", "").lower()
    if optional not in _TRUE | _FALSE:
        bad("optional", f"{_show(v['optional'])} is not yes or no")
    if len(errors) > count:
        return None
    return MselRow(
        row=number,
        time=_format_duration(time),
        platform=platform,
        persona=persona,
        text_fr=v["text_fr"],
        text_en=v["text_en"],
        expected_actions=tuple(actions),
        must_escalate_to=escalate,
        objective=objective,
        id=inject_id,
        severity=severity,
        deadline=deadline,
        optional=optional in _TRUE,
        columns=written,
    )


def _duration(text: str) -> float | None:
    """Seconds from 25m, 1h30m, 90s, 25 min, 0:25, 0:25:30 or T+00:25; None otherwise.

    A bare number is refused: in a spreadsheet "25" could mean minutes as well as seconds.
    """
    t = text.strip().lower().replace(" ", "")
    t = re.sub(r"^t?\+", "", t)
    t = re.sub(r"(min|mn)$", "m", re.sub(r"(min|mn)(?=\d)", "m", t))
    t = re.sub(r"sec$", "s", t)
    clock = _CLOCK.match(t)
    if clock:
        h, m, s = (int(g) if g else 0 for g in clock.groups())
        return float(h * 3600 + m * 60 + s)
    if not t or re.fullmatch(r"[\d.]+", t):
        return None
    return parse_duration(t)


def _format_duration(seconds: float | None) -> str:
    total = round(seconds or 0)
    h, m, s = total // 3600, total % 3600 // 60, total % 60
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out or "0s"


def _show(value: str) -> str:
    return '""' if value == "" else f'"{value}"'


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    return errors[:MAX_ERRORS] + [f"... and {len(errors) - MAX_ERRORS} more errors"]


# -- merging onto a base scenario ----------------------------------------------------------


def inject_dicts(rows: Sequence[MselRow]) -> list[dict[str, Any]]:
    """The rows as scenario injects, in the order of the MSEL."""
    width = max(2, len(str(len(rows))))
    out = []
    for n, row in enumerate(rows, start=1):
        inject: dict[str, Any] = {
            "id": row.id or f"msel-{n:0{width}d}",
            "time": row.time,
            "platform": row.platform,
            "persona": row.persona,
            "text": {"fr": row.text_fr, "en": row.text_en},
            "severity": row.severity,
            "must_escalate_to": row.must_escalate_to,
            "expected_actions": list(row.expected_actions),
            "deadline": row.deadline,
        }
        if row.objective:
            inject["objective"] = row.objective
        if row.optional:
            inject["optional"] = True
        out.append(inject)
    return out


def merge_msel(
    base_yaml_text: str,
    rows: Sequence[MselRow],
    new_id: str,
    new_title_fr: str,
    new_title_en: str,
) -> str:
    """The base scenario with its injects replaced by the MSEL's rows, validated, as YAML."""
    base = yaml.safe_load(base_yaml_text)
    if not isinstance(base, dict):
        raise MselError(["the base scenario is not a scenario"])
    merged: dict[str, Any] = {}
    for key, value in base.items():
        merged[key] = value
        if key == "id":
            merged["id"] = new_id
        elif key == "title":
            merged["title"] = {"fr": new_title_fr, "en": new_title_en}
        elif key == "injects":
            merged["injects"] = inject_dicts(rows)
    merged.setdefault("id", new_id)
    merged.setdefault("title", {"fr": new_title_fr, "en": new_title_en})
    merged.setdefault("injects", inject_dicts(rows))
    text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=100)
    try:
        load_scenario_text(text, f"{new_id}.yaml")
    except ScenarioError as exc:
        raise MselError(_capped([_explain(line, rows) for line in exc.errors])) from None
    return text


def _explain(line: str, rows: Sequence[MselRow]) -> str:
    """A loader error on the merged scenario, told as the MSEL row and column to fix."""
    m = _LOADER_ERROR.match(line)
    if not m:
        return line
    path, message = m["path"], m["message"]
    inject = _INJECT_PATH.match(path)
    if not inject or int(inject["index"]) >= len(rows):
        return f"{path}: {message}"
    row = rows[int(inject["index"])]
    key = inject["key"]
    if key == "text":
        lang = inject["rest"].lstrip(".") or "fr"
        column = f"text_{lang}" if lang in ("fr", "en") else "text_fr"
        return f'row {row.row}, column "{row.column(column)}": {message}'
    if key in _COLUMN_OF_KEY and (key != "id" or "id" in row.columns):
        return f'row {row.row}, column "{row.column(_COLUMN_OF_KEY[key])}": {message}'
    return f"row {row.row}: {key or 'inject'}: {message}" if key else f"row {row.row}: {message}"
