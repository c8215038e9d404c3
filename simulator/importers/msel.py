"""MSEL import: a master scenario events list (CSV or XLSX) as a scenario's injects.

An MSEL is the spreadsheet exercise planners already write: one row per inject, with its
time, platform, who sends it, its text, the expected actions, the role it must be escalated
to and the objective it tests. Planners write them their own way: with the HSEEP/CISA
template's headers ("Inject #", "Scenario Time", "From", "To", "Inject Description",
"Expected Player Action", "Objective/Capability", "Responsible Controller"...), with a title
block above the header, in French or English, with clock times (09:05) or elapsed ones
(0:25, T+25). `read_msel` reads and checks the rows on their own and lists the columns it
could not map, for the trainer to map or ignore; `merge_msel` puts the rows in place of a
base scenario's injects and validates the result with the scenario loader, so that every
error names the row, column and cell to fix.

Nothing here imports Flask: the web layer and the tests call it the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from ..engine.loader import ScenarioError, load_scenario_text, parse_duration, schema
from ..engine.scenario import PLATFORMS
from .sheet import (
    MAX_BYTES,
    MAX_ROWS,
    N_,
    Problem,
    SheetError,
    Table,
    Where,
    cell_text,
    column_letter,
    find_header,
    normalise,
    problem,
    read_table,
    title_block,
)

__all__ = [
    "FIELDS",
    "MAX_BYTES",
    "Column",
    "MselError",
    "MselRow",
    "MselSheet",
    "merge_msel",
    "parse_msel",
    "read_msel",
]

MAX_ERRORS = 50
DEFAULT_SEVERITY = 2
DEFAULT_DEADLINE = "15m"
IGNORE = "ignore"  # what a trainer maps a column to when it holds nothing for us


@dataclass(frozen=True, slots=True)
class Field:
    """One thing an MSEL column can say, and the headers planners write for it."""

    name: str
    label: str  # for the mapping page (a catalogue message)
    headers: tuple[str, ...]  # normalised (see sheet.normalise)


FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        N_("Inject id"),
        (
            "id",
            "inject",
            "inject_id",
            "inject_no",
            "inject_number",
            "n_inject",
            "numero_inject",
            "ref",
            "reference",
        ),
    ),
    Field(
        "time",
        N_("Time"),
        (
            "time",
            "heure",
            "scenario_time",
            "exercise_time",
            "inject_time",
            "elapsed_time",
            "delivery_time",
            "temps",
            "horaire",
            "timing",
            "heure_scenario",
            "h",
            "t",
        ),
    ),
    Field(
        "platform",
        N_("Platform"),
        (
            "platform",
            "plateforme",
            "channel",
            "canal",
            "media",
            "medium",
            "reseau",
            "reseau_social",
            "social_network",
        ),
    ),
    Field(
        "event_type",
        N_("Event type (gives the platform)"),
        (
            "event_type",
            "type",
            "inject_type",
            "type_d_evenement",
            "type_evenement",
            "delivery_method",
            "method",
            "mode",
            "inject_mode",
            "type_d_inject",
        ),
    ),
    Field(
        "persona",
        N_("From (persona)"),
        ("persona", "auteur", "author", "from", "de", "expediteur", "sender", "emetteur", "source"),
    ),
    Field(
        "to",
        N_("To"),
        (
            "to",
            "a",
            "destinataire",
            "destinataires",
            "recipient",
            "recipients",
            "addressee",
            "pour",
        ),
    ),
    Field(
        "text",
        N_("Text (one language)"),
        (
            "text",
            "texte",
            "inject_description",
            "description",
            "message",
            "content",
            "contenu",
            "inject_text",
            "texte_de_l_inject",
            "post",
            "publication",
        ),
    ),
    Field("text_fr", N_("Text in French"), ("text_fr", "texte_fr", "french", "francais")),
    Field("text_en", N_("Text in English"), ("text_en", "texte_en", "english", "anglais")),
    Field(
        "expected_action",
        N_("Expected action"),
        (
            "expected_action",
            "expected_actions",
            "action_attendue",
            "actions_attendues",
            "expected_player_action",
            "expected_player_actions",
            "expected_response",
            "reponse_attendue",
            "player_action",
        ),
    ),
    Field(
        "must_escalate_to",
        N_("Escalate to (role)"),
        ("must_escalate_to", "escalader_a", "escalate_to", "escalation", "escalade"),
    ),
    Field(
        "objective",
        N_("Objective"),
        (
            "objective",
            "objectif",
            "objective_capability",
            "objectives",
            "objectifs",
            "capability",
            "core_capability",
            "objectif_capacite",
        ),
    ),
    Field(
        "controller",
        N_("Responsible controller"),
        (
            "responsible_controller",
            "controller",
            "controleur",
            "animateur",
            "animateur_responsable",
            "responsable",
        ),
    ),
    Field(
        "notes",
        N_("Controller notes"),
        (
            "notes",
            "note",
            "controller_notes",
            "remarks",
            "remarques",
            "notes_animateur",
            "comments",
            "commentaires",
            "consignes",
        ),
    ),
    Field("severity", N_("Severity"), ("severity", "gravite", "priority", "priorite")),
    Field("deadline", N_("Deadline"), ("deadline", "delai", "due", "response_time")),
    Field(
        "optional",
        N_("Optional (curveball)"),
        ("optional", "optionnel", "contingency", "curveball"),
    ),
    Field(
        "event",
        N_("Event number (ignored)"),
        ("event", "event_no", "event_number", "evenement", "n_evenement"),
    ),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
_FIELD_OF_HEADER = {h: f.name for f in FIELDS for h in f.headers}
# keys of the title block above the header
_START_KEYS = (
    "start_time",
    "start",
    "startex",
    "heure_de_debut",
    "debut",
    "h0",
    "heure_debut",
    "exercise_start",
    "start_of_exercise",
    "debut_de_l_exercice",
)

_NOBODY = {"", "-", "none", "null", "nobody", "aucun", "aucune", "personne", "n_a", "na"}
_TRUE = {"true", "yes", "y", "1", "x", "oui", "o", "vrai"}
_FALSE = {"", "false", "no", "n", "0", "non", "faux"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CLOCK = re.compile(r"^(\d{1,3})[:h]([0-5]\d)(?::([0-5]\d))?$")
_LOADER_ERROR = re.compile(r"^[^\n]*?:\d+:\d+: (?P<path>\S+): (?P<message>.*)$", re.S)
_INJECT_PATH = re.compile(r"^injects\[(?P<index>\d+)\](?:\.(?P<key>\w+))?(?P<rest>\S*)$")
# A drill is not five hours long: an h:mm time from 5:00 on is a time of day.
CLOCK_FROM_HOUR = 5

# Free-text platforms and event types, normalised, to a platform (first match wins).
_PLATFORM_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "internal",
        (
            "internal",
            "interne",
            "email",
            "e_mail",
            "mail",
            "courriel",
            "slack",
            "teams",
            "intranet",
            "phone",
            "telephone",
            "call",
            "appel",
            "memo",
            "chat_interne",
            "sms_interne",
            "radio",
        ),
    ),
    (
        "news",
        (
            "news",
            "press",
            "presse",
            "article",
            "media_report",
            "journal",
            "tv",
            "television",
            "radio_report",
            "blog",
            "newspaper",
            "quotidien",
            "depeche",
            "wire",
        ),
    ),
    (
        "brand_page",
        (
            "brand_page",
            "page",
            "facebook",
            "instagram",
            "linkedin",
            "comment",
            "commentaire",
            "page_de_marque",
        ),
    ),
    ("forum", ("forum", "reddit", "review", "reviews", "avis", "trustpilot", "thread", "fil")),
    (
        "microblog",
        (
            "microblog",
            "twitter",
            "tweet",
            "x",
            "bluesky",
            "threads",
            "mastodon",
            "social_media",
            "social",
            "reseaux_sociaux",
            "post",
        ),
    ),
)
# Free-text expected actions, normalised, to action ids. "Do not respond" is checked first.
_IGNORE_WORDS = (
    "ignore",
    "no_action",
    "aucune_action",
    "ne_pas_repondre",
    "do_not_respond",
    "dont_respond",
    "don_t_respond",
    "do_not_reply",
    "ne_rien_faire",
    "no_response",
)
_ACTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "holding_statement",
        (
            "holding_statement",
            "declaration_d_attente",
            "statement",
            "communique",
            "press_release",
            "declaration",
        ),
    ),
    (
        "memo",
        (
            "memo",
            "note_interne",
            "brief_staff",
            "briefs_staff",
            "brief_employees",
            "briefs_employees",
            "internal_note",
            "internal_message",
            "message_interne",
            "informer_les_salaries",
            "informer_le_personnel",
            "briefer",
            "brief",
        ),
    ),
    (
        "escalate",
        (
            "escalat",
            "escalad",
            "alert",
            "notif",
            "inform_management",
            "prevenir",
            "remonter",
            "remonte",
            "inform_the",
        ),
    ),
    ("dm", ("private_message", "direct_message", "dm", "message_prive", "en_prive", "privately")),
    ("reply", ("reply", "replies", "respond", "responds", "answer", "repond", "reponse")),
    ("hide", ("hide", "masquer", "masque")),
    ("delete", ("delete", "supprimer", "supprime", "remove")),
    ("tag", ("monitor", "flag", "tag", "surveill", "trier", "triage", "track")),
)


class MselError(Exception):
    """An MSEL that cannot be imported: `problems` lists each with its place; `errors` the
    same as English lines."""

    def __init__(self, problems: Sequence[Problem | str]):
        self.problems = [
            p if isinstance(p, Problem) else problem(Where(), "%(text)s", text=p) for p in problems
        ]
        self.errors = [str(p) for p in self.problems]
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the sheet: its header as written, its letter, and what it was mapped to."""

    index: int
    header: str
    field: str | None  # None: a column nobody has mapped yet
    samples: tuple[str, ...] = ()  # its first values, to help the trainer map it

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True, slots=True)
class MselRow:
    """One inject as the MSEL gives it, checked and normalised."""

    row: int  # as the spreadsheet numbers it
    time: str  # a loader duration: 25m, 1h30m, 1h30m15s
    platform: str
    persona: str  # a persona id, or the sender as written (resolved against a scenario)
    text_fr: str
    text_en: str
    expected_actions: tuple[str, ...]
    must_escalate_to: str | None
    objective: str | None
    id: str | None = None
    severity: int = DEFAULT_SEVERITY
    deadline: str | None = DEFAULT_DEADLINE  # None: no deadline
    optional: bool = False
    kind: str | None = None  # "call" for a phone call
    to: str | None = None
    controller: str | None = None
    notes: str | None = None
    expected_text: str | None = None  # the expected action as written, when it is prose
    # canonical field -> the header as written in the file, for error messages
    columns: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    letters: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    sheet: str | None = field(default=None, compare=False, repr=False)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def where(self, name: str) -> Where:
        letter = self.letters.get(name)
        index = _letter_index(letter) if letter else None
        return Where(self.row, index, self.columns.get(name, name), self.sheet)


@dataclass(frozen=True, slots=True)
class MselSheet:
    """What a sheet says: its rows, its columns and how they were mapped, its title block."""

    sheet: str | None
    header_row: int
    columns: tuple[Column, ...]
    rows: tuple[MselRow, ...]
    title: str | None  # the first line of the title block, often the exercise's name
    start: str | None  # the clock time of the start, as used ("09:00"), if any

    @property
    def unmapped(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.field is None)


def expected_action_names() -> tuple[str, ...]:
    """The actions an inject may expect, as the scenario schema lists them."""
    inject = schema()["$defs"]["inject"]["properties"]
    return tuple(inject["expected_actions"]["items"]["enum"])


def parse_msel(raw: bytes, filename: str, **options: Any) -> list[MselRow]:
    """The rows of an MSEL file; MselError lists every problem, unmapped columns included."""
    sheet = read_msel(raw, filename, **options)
    if sheet.unmapped:
        raise MselError([_unmapped_problem(sheet, c) for c in sheet.unmapped])
    return list(sheet.rows)


def read_msel(
    raw: bytes,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    start: str | None = None,
    lang: str | None = None,
    default_platform: str | None = None,
    allow_unmapped: bool = False,
) -> MselSheet:
    """Read an MSEL: header found, columns mapped, rows checked.

    `mapping` maps a header as written to a field name or to "ignore" (the mapping page's
    answers). `start` is the exercise's start as a time of day ("09:00") for sheets with clock
    times, when the title block does not give it. `lang` is the language of a single text
    column ("text", "Inject Description"). `default_platform` is used for rows whose platform
    nothing says. Columns that nothing maps are listed in `MselSheet.unmapped`; rows are read
    only once every column is mapped or ignored, unless `allow_unmapped`.
    """
    try:
        table = read_table(raw, filename)
    except SheetError as exc:
        raise MselError(exc.problems) from None
    if not table.records:
        raise MselError([problem(Where(), N_("the file holds no rows"))])
    mapping = {normalise(k): v for k, v in (mapping or {}).items()}

    def is_column(header: str) -> bool:
        return header in _FIELD_OF_HEADER or mapping.get(header) in (*FIELD_NAMES, IGNORE)

    found = find_header(table, is_column)
    if found is None:
        known = ", ".join(f.headers[0] for f in FIELDS if f.name != "event")
        raise MselError(
            [
                problem(
                    Where(sheet=table.sheet),
                    N_(
                        "no header row found: none of the first rows names two MSEL columns "
                        "(for example: %(known)s)"
                    ),
                    known=known,
                )
            ]
        )
    k, header_cells, _known = found
    header_row = table.records[k][0]
    columns, problems = _columns(table, header_row, header_cells, mapping)
    block = title_block(table.records[:k])
    title = next((cell_text(c) for c in table.records[0][1] if cell_text(c)), None) if k else None
    if problems:
        raise MselError(problems)
    sheet_start = start or _title_value(block, _START_KEYS)
    if any(c.field is None for c in columns) and not allow_unmapped:
        below = table.records[k + 1 :]
        columns = tuple(
            c if c.field else replace(c, samples=_samples(below, c.index)) for c in columns
        )
        return MselSheet(table.sheet, header_row, columns, (), title, sheet_start)

    mapped = {c.field: c for c in columns if c.field not in (None, IGNORE)}
    problems = _required(mapped, table.sheet, header_row, lang, default_platform)
    if problems:
        raise MselError(problems)
    start_seconds = None
    if sheet_start:
        start_seconds = _clock_seconds(sheet_start)
        if start_seconds is None:
            raise MselError(
                [
                    problem(
                        Where(sheet=table.sheet),
                        N_("the start time %(value)s is not a time of day (write 09:00)"),
                        value=_show(sheet_start),
                    )
                ]
            )
    reader = _RowReader(table.sheet, mapped, lang, default_platform, start_seconds)
    rows: list[MselRow] = []
    for number, cells in table.records[k + 1 :]:
        values = {
            name: (cells[c.index] if c.index < len(cells) else None) for name, c in mapped.items()
        }
        if not any(cell_text(v) for v in values.values()):
            continue  # blank lines between blocks of injects, or trailing empty rows
        if len(rows) >= MAX_ROWS:
            problems.append(
                problem(
                    Where(number, sheet=table.sheet),
                    N_("an MSEL has at most %(limit)s rows"),
                    limit=MAX_ROWS,
                )
            )
            break
        row = reader.row(number, values, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(
            problem(
                Where(sheet=table.sheet),
                N_("the file has column headers but no injects below them"),
            )
        )
    if problems:
        raise MselError(_capped(problems))
    return MselSheet(table.sheet, header_row, columns, tuple(rows), title, sheet_start)


def _samples(records, index: int, count: int = 3) -> tuple[str, ...]:
    values = (cell_text(cells[index]) for _n, cells in records if index < len(cells))
    return tuple(v[:60] for v in values if v)[:count]


def _unmapped_problem(sheet: MselSheet, column: Column) -> Problem:
    return problem(
        Where(sheet.header_row, column.index, column.header, sheet.sheet),
        N_(
            "this column is not one the importer knows: map it to a field or ignore it "
            "(on the import page), or start its header with # to keep it as notes"
        ),
    )


def _columns(
    table: Table, header_row: int, cells: Sequence[Any], mapping: Mapping[str, str]
) -> tuple[tuple[Column, ...], list[Problem]]:
    columns: list[Column] = []
    problems: list[Problem] = []
    seen: dict[str, Column] = {}
    for index, cell in enumerate(cells):
        text = cell_text(cell)
        if not text or text.startswith("#"):
            continue  # blank headers (merged cells) and '#...' columns are planners' notes
        key = normalise(text)
        name = mapping.get(key) or _FIELD_OF_HEADER.get(key)
        if name is not None and name not in (*FIELD_NAMES, IGNORE):
            name = None
        if name not in (None, IGNORE, "event") and name in seen:
            problems.append(
                problem(
                    Where(header_row, index, text, table.sheet),
                    N_('this column says the same as column "%(other)s" (%(letter)s)'),
                    other=seen[name].header,
                    letter=seen[name].letter,
                )
            )
            continue
        column = Column(index, text, IGNORE if name == "event" else name)
        if name not in (None, IGNORE, "event"):
            seen[name] = column
        columns.append(column)
    return tuple(columns), problems


def _required(
    mapped: Mapping[str, Column],
    sheet: str | None,
    header_row: int,
    lang: str | None,
    default_platform: str | None,
) -> list[Problem]:
    problems = []
    where = Where(header_row, sheet=sheet)
    if "time" not in mapped:
        problems.append(
            problem(
                where,
                N_('missing column "%(name)s" (or "%(other)s")'),
                name="time",
                other="Scenario Time",
            )
        )
    if not {"text", "text_fr", "text_en"} & set(mapped):
        problems.append(
            problem(
                where,
                N_('missing column "%(name)s" (or "%(other)s", or text_fr and text_en)'),
                name="text",
                other="Inject Description",
            )
        )
    if "text" in mapped and lang not in ("fr", "en"):
        problems.append(
            problem(
                where,
                N_("say in which language the column %(column)s is written"),
                column=_show(mapped["text"].header),
            )
        )
    if "persona" not in mapped:
        problems.append(
            problem(
                where,
                N_('missing column "%(name)s" (or "%(other)s")'),
                name="persona",
                other="From",
            )
        )
    if not {"platform", "event_type"} & set(mapped) and default_platform not in PLATFORMS:
        problems.append(
            problem(
                where,
                N_(
                    'missing column "%(name)s" (or "%(other)s"), and no platform chosen for '
                    "every row"
                ),
                name="platform",
                other="Event Type",
            )
        )
    return problems


class _RowReader:
    """Checks one row at a time, every problem pointing at its cell and quoting its text."""

    def __init__(
        self,
        sheet: str | None,
        mapped: Mapping[str, Column],
        lang: str | None,
        default_platform: str | None,
        start: float | None,
    ):
        self.sheet = sheet
        self.mapped = mapped
        self.lang = lang
        self.default_platform = default_platform
        self.start = start
        self.actions = expected_action_names()

    def row(self, number: int, raw: Mapping[str, Any], problems: list[Problem]):
        count = len(problems)
        v = {name: cell_text(value) for name, value in raw.items()}

        def bad(name: str, message: str, **values: Any) -> None:
            c = self.mapped[name]
            problems.append(
                problem(Where(number, c.index, c.header, self.sheet), message, **values)
            )

        time = self._time(raw["time"], v["time"])
        if isinstance(time, str):
            bad("time", time, value=_show(v["time"]), start=_clock_text(self.start))
            time = None
        platform, kind = self._platform(v, bad)
        persona = v.get("persona", "")
        if not persona:
            bad("persona", N_("is empty (write who sends the inject: a persona of the scenario)"))
        text_fr, text_en = v.get("text_fr", ""), v.get("text_en", "")
        if "text" in v:
            if self.lang == "fr":
                text_fr = text_fr or v["text"]
            else:
                text_en = text_en or v["text"]
        if "text_fr" in self.mapped and "text_en" in self.mapped and (text_fr or text_en):
            for name, text in (("text_fr", text_fr), ("text_en", text_en)):
                if not text:
                    bad(
                        name,
                        N_(
                            "is empty (this sheet has a text column per language: write "
                            "both texts, or keep only one language's column)"
                        ),
                    )
        elif not (text_fr or text_en):
            name = next(n for n in ("text", "text_fr", "text_en") if n in self.mapped)
            bad(name, N_("is empty (every inject needs its text)"))
        actions, expected_text = self._actions(v.get("expected_action", ""), bad)
        escalate: str | None = v.get("must_escalate_to", "")
        if normalise(escalate) in _NOBODY:
            escalate = None
        objective = v.get("objective") or None
        inject_id = v.get("id") or None
        if inject_id is not None and not _ID.match(inject_id):
            if re.fullmatch(r"[\w .#-]{1,60}", inject_id):
                inject_id = _slug(inject_id)  # "Inject #4" or "4": an id made from it
            else:
                bad(
                    "id",
                    N_("%(value)s is not a valid id (lowercase letters, digits, - and _)"),
                    value=_show(inject_id),
                )
        severity = DEFAULT_SEVERITY
        if v.get("severity"):
            severity = _severity(v["severity"])
            if severity is None:
                bad(
                    "severity",
                    N_("%(value)s is not a severity (1, 2, 3 or 4)"),
                    value=_show(v["severity"]),
                )
        deadline: str | None = DEFAULT_DEADLINE
        if normalise(v.get("deadline", "")) in _NOBODY - {""}:
            deadline = None  # "none", "-": nothing is expected by a time
        elif v.get("deadline"):
            seconds = _duration(v["deadline"])
            if not seconds:
                bad(
                    "deadline",
                    N_("%(value)s is not a delay (write 15m, 1h or 0:15)"),
                    value=_show(v["deadline"]),
                )
            else:
                deadline = _format_duration(seconds)
        optional = normalise(v.get("optional", ""))
        if optional not in _TRUE | _FALSE:
            bad("optional", N_("%(value)s is not yes or no"), value=_show(v["optional"]))
        if len(problems) > count:
            return None
        return MselRow(
            row=number,
            time=_format_duration(time),
            platform=platform or "microblog",
            persona=persona,
            text_fr=text_fr,
            text_en=text_en,
            expected_actions=actions,
            must_escalate_to=escalate,
            objective=objective,
            id=inject_id,
            severity=severity if severity is not None else DEFAULT_SEVERITY,
            deadline=deadline,
            optional=optional in _TRUE,
            kind=kind,
            to=v.get("to") or None,
            controller=v.get("controller") or None,
            notes=v.get("notes") or None,
            expected_text=expected_text,
            columns={name: c.header for name, c in self.mapped.items()},
            letters={name: c.letter for name, c in self.mapped.items()},
            sheet=self.sheet,
        )

    def _time(self, raw: Any, text: str) -> float | str:
        """Seconds from the start, or a message saying what is wrong with the cell."""
        if isinstance(raw, dt.timedelta):
            return raw.total_seconds()
        clock: float | None = None
        if isinstance(raw, dt.datetime | dt.time):
            clock = raw.hour * 3600 + raw.minute * 60 + raw.second
        elif not re.match(r"^\s*[tT]\s*\+", text):
            m = _CLOCK.match(text.strip().lower())
            if m and int(m[1]) >= CLOCK_FROM_HOUR or (m and self.start is not None):
                clock = _clock_seconds(text)
        if clock is not None and (self.start is not None or clock >= CLOCK_FROM_HOUR * 3600):
            if self.start is None:
                return N_(
                    "%(value)s is a time of day: give the exercise's start time (on the import "
                    'page, or as "Start time: 09:00" above the header) to count from it'
                )
            if clock < self.start:
                return N_("%(value)s is before the start of the exercise (%(start)s)")
            return clock - self.start
        seconds = _duration(text)
        if seconds is None:
            return N_(
                "%(value)s is not a time (write 0:25 or 25m or T+25 from the start, or a time of "
                "day such as 09:05 with the start time)"
            )
        return seconds

    def _platform(self, v: Mapping[str, str], bad) -> tuple[str | None, str | None]:
        for name in ("platform", "event_type"):
            text = v.get(name, "")
            if not text:
                continue
            key = normalise(text)
            kind = "call" if re.search(r"(^|_)(phone|telephone|call|appel)", key) else None
            if key in PLATFORMS:
                return key, kind
            for platform, words in _PLATFORM_WORDS:
                if any(re.search(rf"(^|_){w}(_|$)", key) for w in words):
                    return platform, kind
            if name == "platform" or "platform" not in v:
                if name == "event_type" and self.default_platform in PLATFORMS:
                    return self.default_platform, None
                bad(
                    name,
                    N_(
                        "%(value)s is not a platform (%(platforms)s, or a word such as tweet, "
                        "Facebook, forum, article, email, phone call)"
                    ),
                    value=_show(text),
                    platforms=", ".join(PLATFORMS),
                )
                return None, None
        if self.default_platform in PLATFORMS:
            return self.default_platform, None
        name = "platform" if "platform" in self.mapped else "event_type"
        bad(
            name, N_("is empty (write the platform: %(platforms)s)"), platforms=", ".join(PLATFORMS)
        )
        return None, None

    def _actions(self, text: str, bad) -> tuple[tuple[str, ...], str | None]:
        """Action ids from a cell of ids ("reply, dm") or of prose ("Issue a holding
        statement and brief staff"); the prose is kept for the trainer."""
        parts = [p.strip() for p in re.split(r"[,;/\n]", text) if p.strip()]
        if all(re.fullmatch(r"[A-Za-z_ ]{1,30}", p) and len(p.split()) <= 2 for p in parts):
            ids = [normalise(p) for p in parts]
            if all(i in self.actions for i in ids):
                return tuple(dict.fromkeys(ids)), None
            prose = [p for p, i in zip(parts, ids, strict=True) if i not in self.actions]
            if not any(_keyword_actions(p) for p in prose) and all(
                len(p.split()) == 1 for p in prose
            ):
                for p in prose:
                    bad(
                        "expected_action",
                        N_("%(value)s is not an action (%(actions)s)"),
                        value=_show(p),
                        actions=", ".join(self.actions),
                    )
                return (), None
        if not text.strip():
            return (), None
        return _keyword_actions(text), text.strip()


# "do not delete", "never hide", "ne supprimez pas": the action named is the one to avoid
_NEGATED = re.compile(
    r"_(?:do_not|don_t|dont|never|avoid|without|ne_pas|ne_jamais|sans)_[a-z]+"
    r"|_n?e?_[a-z]+_(?:pas|jamais)(?=_)"
)


def _keyword_actions(text: str) -> tuple[str, ...]:
    key = f"_{normalise(text)}_"
    if any(f"_{w}_" in key for w in _IGNORE_WORDS):
        return ("ignore",)
    key = _NEGATED.sub("_", key)
    found = [
        action for action, words in _ACTION_WORDS if any(re.search(rf"_{w}", key) for w in words)
    ]
    return tuple(found)


def _severity(text: str) -> int | None:
    words = {
        "low": 1,
        "faible": 1,
        "medium": 2,
        "moyen": 2,
        "moyenne": 2,
        "high": 3,
        "haute": 3,
        "eleve": 3,
        "elevee": 3,
        "critical": 4,
        "critique": 4,
    }
    key = normalise(text)
    if key in words:
        return words[key]
    try:
        value = int(key)
    except ValueError:
        return None
    return value if 1 <= value <= 4 else None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise(text).replace("_", "-")).strip("-")
    slug = slug[:64]
    return slug if _ID.match(slug) else "inject"


def _title_value(block: Mapping[str, tuple[int, int, Any]], keys: Sequence[str]) -> str | None:
    for key in keys:
        if key in block:
            return cell_text(block[key][2]) or None
    return None


def _clock_seconds(text: str) -> float | None:
    m = _CLOCK.match(cell_text(text).strip().lower().replace(" ", ""))
    if not m:
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return float(h * 3600 + mi * 60 + s) if h < 24 else None


def _clock_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}"


def _letter_index(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _duration(text: str) -> float | None:
    """Seconds from 25m, 1h30m, 90s, 25 min, 0:25, 0:25:30, T+25 (minutes) or T+00:25.

    A bare number is refused: in a spreadsheet "25" could mean minutes as well as seconds;
    "T+25" is the planners' way of writing 25 minutes after the start.
    """
    t = text.strip().lower().replace(" ", "")
    plus = re.match(r"^t?\+", t)
    t = re.sub(r"^t?\+", "", t)
    if plus and re.fullmatch(r"\d+", t):
        return float(int(t) * 60)
    t = re.sub(r"(min|mn)$", "m", re.sub(r"(min|mn)(?=\d)", "m", t))
    t = re.sub(r"sec$", "s", t)
    clock = re.match(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$", t)
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


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_ERRORS:
        return problems
    more = problem(Where(), N_("... and %(count)s more errors"), count=len(problems) - MAX_ERRORS)
    return [*problems[:MAX_ERRORS], more]


# -- onto a scenario -------------------------------------------------------------------------


def _resolve(value: str, items: Sequence[dict], extra: Sequence[str] = ()) -> str | None:
    """The id of the item a free-text cell names: its id, its title or label in a language,
    or (for personas) its archetype; None when nothing matches."""
    key = normalise(value)
    for item in items:
        if normalise(item["id"]) == key:
            return item["id"]
    for item in items:
        for label in (item.get("label") or item.get("title") or {}).values():
            if normalise(label) == key:
                return item["id"]
    for name in extra:
        matches = [i["id"] for i in items if i.get(name) and normalise(i[name]) == key]
        if len(matches) == 1:
            return matches[0]
    return None


def inject_dicts(rows: Sequence[MselRow], base: Mapping[str, Any] | None = None) -> list[dict]:
    """The rows as scenario injects, in the order of the MSEL.

    With a base scenario, a sender, role or objective written as its title ("Journaliste
    presse tech") is the scenario's id for it; anything unknown stays as written, for the
    loader to report against the row.
    """
    base = base or {}
    width = max(2, len(str(len(rows))))
    out = []
    for n, row in enumerate(rows, start=1):
        persona = _resolve(row.persona, base.get("personas", []), ("archetype",))
        role = row.must_escalate_to and _resolve(row.must_escalate_to, base.get("roles", []))
        objective = row.objective and _resolve(row.objective, base.get("objectives", []))
        inject: dict[str, Any] = {
            "id": row.id or f"msel-{n:0{width}d}",
            "time": row.time,
            "platform": row.platform,
            "persona": persona or row.persona,
            "text": {k: v for k, v in (("fr", row.text_fr), ("en", row.text_en)) if v},
            "severity": row.severity,
            "must_escalate_to": role or row.must_escalate_to,
            "expected_actions": list(row.expected_actions),
        }
        if row.deadline is not None:
            inject["deadline"] = row.deadline
        if row.kind and row.platform == "internal":
            inject["kind"] = row.kind
        if row.objective:
            inject["objective"] = objective or row.objective
        if row.optional:
            inject["optional"] = True
        if row.notes or row.to or row.controller or row.expected_text:
            inject["note"] = {lang: _note(row, lang) for lang in ("fr", "en")}
        out.append(inject)
    return out


# what the trainer reads in the control room, labelled in the session's language
_NOTE_LABELS = {
    "fr": ("Destinataire : ", "Animateur : ", "Attendu : "),
    "en": ("To: ", "Controller: ", "Expected: "),
}


def _note(row: MselRow, lang: str) -> str:
    to, controller, expected = _NOTE_LABELS[lang]
    parts = (
        row.notes,
        to + row.to if row.to else None,
        controller + row.controller if row.controller else None,
        expected + row.expected_text if row.expected_text else None,
    )
    return "\n".join(part for part in parts if part)


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
    injects = inject_dicts(rows, base)
    merged: dict[str, Any] = {}
    for key, value in base.items():
        merged[key] = value
        if key == "facts":
            merged["facts"] = _facts_for(value, base, {i.get("id") for i in injects})
        elif key == "id":
            merged["id"] = new_id
        elif key == "title":
            merged["title"] = {"fr": new_title_fr, "en": new_title_en}
        elif key == "injects":
            merged["injects"] = injects
    written = {
        lang for row in rows for lang, text in (("fr", row.text_fr), ("en", row.text_en)) if text
    }
    if len(written) == 1:
        # a sheet in one language makes a scenario in that language (the base has both)
        merged["languages"] = sorted(written)
    merged.setdefault("id", new_id)
    merged.setdefault("title", {"fr": new_title_fr, "en": new_title_en})
    merged.setdefault("injects", injects)
    text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=100)
    try:
        load_scenario_text(text, f"{new_id}.yaml")
    except ScenarioError as exc:
        raise MselError(_capped([_explain(line, rows) for line in exc.errors])) from None
    return text


def _facts_for(facts: Any, base: Mapping[str, Any], kept: set) -> Any:
    """The base's facts with the MSEL's injects: a fact revealed by a base inject the MSEL
    replaced is revealed at that inject's time instead (never, for a trainer's curveball)."""
    if not isinstance(facts, list):
        return facts
    times = {
        i.get("id"): (base.get("duration") if i.get("optional") else i.get("time"))
        for i in base.get("injects") or []
        if isinstance(i, dict)
    }
    out = []
    for fact in facts:
        by = fact.get("revealed_by") if isinstance(fact, dict) else None
        if isinstance(by, dict) and by.get("inject") is not None and by["inject"] not in kept:
            by = {k: v for k, v in by.items() if k != "inject"}
            if "at" not in by and times.get(fact["revealed_by"]["inject"]) is not None:
                by["at"] = times[fact["revealed_by"]["inject"]]
            fact = {**fact, "revealed_by": by}
        out.append(fact)
    return out


def _explain(line: str, rows: Sequence[MselRow]) -> Problem:
    """A loader error on the merged scenario, told as the MSEL row and column to fix."""
    m = _LOADER_ERROR.match(line)
    if not m:
        return problem(Where(), "%(text)s", text=line)
    path, message = m["path"], m["message"]
    inject = _INJECT_PATH.match(path)
    if not inject or int(inject["index"]) >= len(rows):
        return problem(Where(), "%(text)s", text=f"{path}: {message}")
    row = rows[int(inject["index"])]
    key = inject["key"]
    column = {
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
    }.get(key or "")
    if key == "text":
        lang = inject["rest"].lstrip(".") or "fr"
        column = f"text_{lang}" if lang in ("fr", "en") else "text_fr"
        if column not in row.columns and "text" in row.columns:
            column = "text"
    if key == "platform" and "platform" not in row.columns and "event_type" in row.columns:
        column = "event_type"
    if column and (key != "id" or "id" in row.columns):
        return problem(row.where(column), "%(text)s", text=message)
    where = Where(row.row, sheet=row.sheet)
    return problem(where, "%(text)s", text=f"{key}: {message}" if key else message)
