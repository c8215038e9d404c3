"""MSEL import: a spreadsheet of injects (CSV or XLSX) onto a base scenario, or row-level errors."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from simulator.engine.loader import MAX_BYTES, load_scenario_text
from simulator.importers.msel import (
    MselError,
    inject_dicts,
    merge_msel,
    parse_msel,
    read_msel,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "msel-example.csv"
BASE = (ROOT / "scenarios" / "late-delivery.yaml").read_text(encoding="utf-8")

HEADER = [
    "time",
    "platform",
    "persona",
    "text_fr",
    "text_en",
    "expected_action",
    "must_escalate_to",
    "objective",
]
ROW = ["0:05", "microblog", "angry_customer", "Colis perdu", "Lost parcel", "reply, dm"]
ROW += ["customer_service", "detect"]


def csv_bytes(rows: list[list[str]], sep: str = ",", bom: bool = False) -> bytes:
    def cell(value: str) -> str:
        if any(c in value for c in f'{sep}"\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(raw: bytes, filename: str = "msel.csv") -> list[str]:
    with pytest.raises(MselError) as info:
        parse_msel(raw, filename)
    return info.value.errors


def merge_errors(rows, **kw) -> list[str]:
    with pytest.raises(MselError) as info:
        merge_msel(BASE, rows, kw.get("new_id", "msel-test"), "Essai", "Trial")
    return info.value.errors


def test_facts_the_base_revealed_by_replaced_injects_are_revealed_at_their_times():
    # late-delivery's crowd learns of the bike at birthday-complaint (6m), which the example
    # replaces; of the screenshot at chat-screenshot, which the example keeps by id
    rows = parse_msel(EXAMPLE.read_bytes(), EXAMPLE.name)
    scenario = load_scenario_text(merge_msel(BASE, rows, "m", "m", "m"), "m.yaml")
    facts = {f.id: f for f in scenario.facts}
    assert (facts["bike"].inject, facts["bike"].at) == (None, 6 * 60)
    assert facts["toy"].inject == "chat-screenshot"


# -- reading ------------------------------------------------------------------------------------


def test_the_documented_example_imports_onto_late_delivery():
    rows = parse_msel(EXAMPLE.read_bytes(), EXAMPLE.name)
    assert len(rows) == 11
    text = merge_msel(BASE, rows, "late-delivery-msel", "Colis perdu (MSEL)", "Lost parcel (MSEL)")
    scenario = load_scenario_text(text, "merged.yaml")
    assert scenario.id == "late-delivery-msel"
    assert scenario.title.en == "Lost parcel (MSEL)"
    assert [i.id for i in scenario.injects] == [r.id for r in rows]
    first = scenario.inject("lost-bike")
    assert first.time == 5 * 60
    assert first.expected_actions == ("reply", "dm", "escalate")
    assert first.must_escalate_to == "customer_service"
    assert scenario.inject("pun").must_escalate_to is None
    assert scenario.inject("mayor-call").optional
    assert len(scenario.scheduled_injects) == 10
    # everything but the injects comes from the base
    base = load_scenario_text(BASE, "base.yaml")
    assert scenario.personas == base.personas and scenario.phases == base.phases


def test_comma_csv():
    rows = parse_msel(csv_bytes([HEADER, ROW]), "msel.csv")
    assert len(rows) == 1
    row = rows[0]
    assert (row.row, row.time, row.platform) == (2, "5m", "microblog")
    assert row.persona == "angry_customer"
    assert (row.text_fr, row.text_en) == ("Colis perdu", "Lost parcel")
    assert row.expected_actions == ("reply", "dm")
    assert (row.must_escalate_to, row.objective) == ("customer_service", "detect")
    assert (row.id, row.severity, row.deadline, row.optional) == (None, 2, "15m", False)


def test_semicolon_csv_with_french_headers_and_a_bom_as_french_excel_saves_it():
    header = ["Heure", "Plateforme", "Auteur", "Texte_FR", "Texte_EN", "Action attendue"]
    header += ["Escalader à", "Objectif", "Gravité", "Délai", "Optionnel"]
    row = ["T+00:25", "forum", "ex_driver", "On scanne « livré », point.", "We scan it; done."]
    row += ["escalate; reply", "executive", "escalate", "4", "0:20", "non"]
    raw = csv_bytes([header, row], sep=";", bom=True)
    assert raw.startswith(b"\xef\xbb\xbf")
    [parsed] = parse_msel(raw, "msel.csv")
    assert parsed.time == "25m" and parsed.deadline == "20m"
    assert parsed.text_fr == "On scanne « livré », point."
    assert parsed.text_en == "We scan it; done."
    assert parsed.expected_actions == ("escalate", "reply")
    assert (parsed.severity, parsed.optional) == (4, False)
    assert parsed.column("time") == "Heure"


def test_xlsx_built_with_openpyxl():
    raw = xlsx_bytes(
        [
            ["Scenario: lost parcel drill"],  # a title row above the headers
            [],
            [*HEADER, "severity", "id", "# notes"],
            [dt.time(0, 5), *ROW[1:], 3, "first", "our own note"],
            [],
            ["1h10m", "news", "journalist", "Article", "Article", "escalate", "", "hold", 1.0],
        ]
    )
    rows = parse_msel(raw, "plan.xlsx")
    assert [r.row for r in rows] == [4, 6]
    assert rows[0].time == "5m" and rows[0].severity == 3 and rows[0].id == "first"
    assert rows[1].time == "1h10m" and rows[1].must_escalate_to is None
    assert rows[1].severity == 1
    scenario = load_scenario_text(merge_msel(BASE, rows, "x", "x", "x"), "x.yaml")
    assert [i.id for i in scenario.injects] == ["first", "msel-02"]


def test_generated_ids_and_defaults():
    rows = parse_msel(csv_bytes([HEADER, ROW, ROW]), "msel.csv")
    data = yaml.safe_load(merge_msel(BASE, rows, "msel-test", "Essai", "Trial"))
    injects = data["injects"]
    assert [i["id"] for i in injects] == ["msel-01", "msel-02"]
    assert injects[0]["severity"] == 2 and injects[0]["deadline"] == "15m"
    assert data["id"] == "msel-test" and data["title"] == {"fr": "Essai", "en": "Trial"}
    assert list(data)[:3] == ["id", "title", "synopsis"]  # the base's order is kept


# -- errors that name the row and the column ----------------------------------------------------


def test_missing_column():
    errors = errors_of(csv_bytes([HEADER[:1] + HEADER[2:], ROW[:1] + ROW[2:]]))
    assert errors == [
        'row 1: missing column "platform" (or "Event Type"), and no platform chosen for every row'
    ]


def test_unknown_and_duplicate_columns():
    errors = errors_of(csv_bytes([[*HEADER, "sevrity", "Time"], [*ROW, "3", "0:06"]]))
    assert 'row 1, column "Time" (J1): this column says the same as column "time" (A)' in errors
    # an unknown column is for the trainer to map or ignore, not a wrong file
    sheet = read_msel(csv_bytes([[*HEADER, "sevrity"], [*ROW, "3"]]), "msel.csv")
    assert [(c.header, c.letter) for c in sheet.unmapped] == [("sevrity", "I")]
    assert sheet.rows == ()
    mapped = read_msel(
        csv_bytes([[*HEADER, "sevrity"], [*ROW, "3"]]), "m.csv", mapping={"sevrity": "severity"}
    )
    assert mapped.unmapped == () and mapped.rows[0].severity == 3
    ignored = read_msel(
        csv_bytes([[*HEADER, "sevrity"], [*ROW, "3"]]), "m.csv", mapping={"sevrity": "ignore"}
    )
    assert ignored.rows[0].severity == 2


def test_bad_platform_time_and_persona_name_row_and_column():
    bad_platform = ["0:10", "tiktok", *ROW[2:]]
    bad_time = ["25", *ROW[1:]]
    errors = errors_of(csv_bytes([HEADER, ROW, bad_platform, bad_time]))
    assert errors == [
        'row 3, column "platform" (B3): "tiktok" is not a platform (microblog, brand_page, '
        "forum, news, internal, or a word such as tweet, Facebook, forum, article, email, "
        "phone call)",
        'row 4, column "time" (A4): "25" is not a time (write 0:25 or 25m or T+25 from the '
        "start, or a time of day such as 09:05 with the start time)",
    ]


def test_unknown_persona_role_and_objective_are_found_against_the_base():
    rows = parse_msel(
        csv_bytes(
            [
                HEADER,
                ROW,
                ["0:10", "microblog", "hacker", *ROW[3:]],
                [*ROW[:6], "ceo", "world_peace"],
            ]
        ),
        "msel.csv",
    )
    errors = merge_errors(rows)
    starts = [
        'row 3, column "persona" (C3): "hacker" is not a persona of this scenario',
        'row 4, column "must_escalate_to" (G4): "ceo" is not a role of this scenario',
        'row 4, column "objective" (H4): "world_peace" is not a',
    ]
    for start in starts:
        assert any(e.startswith(start) for e in errors), (start, errors)


def test_a_time_after_the_end_and_a_platform_the_base_lacks_are_mapped_back(tmp_path):
    rows = parse_msel(csv_bytes([["heure", *HEADER[1:]], ["3h", *ROW[1:]]]), "msel.csv")
    [error] = merge_errors(rows)
    assert error.startswith('row 2, column "heure" (A2): "3h" is after the end of the scenario')


def test_duplicate_ids_name_the_id_column():
    rows = parse_msel(csv_bytes([[*HEADER, "id"], [*ROW, "same"], [*ROW, "same"]]), "m.csv")
    assert merge_errors(rows) == ['row 3, column "id" (I3): "same" is used twice in injects']


def test_bad_values_in_optional_columns():
    header = [*HEADER, "severity", "deadline", "optional", "id"]
    errors = errors_of(csv_bytes([header, [*ROW, "9", "soon", "maybe", "Not An Id"]]))
    assert 'row 2, column "severity" (I2): "9" is not a severity (1, 2, 3 or 4)' in errors
    assert any(e.startswith('row 2, column "deadline" (J2): "soon"') for e in errors)
    assert 'row 2, column "optional" (K2): "maybe" is not yes or no' in errors
    # an id written as planners do ("Inject 4") becomes one
    [row] = parse_msel(csv_bytes([header, [*ROW, "1", "10m", "", "Inject 4"]]), "m.csv")
    assert row.id == "inject-4"


def test_bad_expected_action_and_empty_text():
    row = [*ROW[:3], "", "Lost", "reply, shout", *ROW[6:]]
    errors = errors_of(csv_bytes([HEADER, row]))
    assert errors == [
        'row 2, column "text_fr" (D2): is empty (this sheet has a text column per language: '
        "write both texts, or keep only one language's column)",
        'row 2, column "expected_action" (F2): "shout" is not an action (tag, escalate, reply, '
        "dm, hide, delete, holding_statement, memo, ignore)",
    ]


def test_formula_injection_cells_stay_text():
    formulas = ['=HYPERLINK("http://evil.example","click")', "+33 6 12 34 56 78", "@SUM(A1)"]
    rows = parse_msel(
        csv_bytes([HEADER, [*ROW[:3], formulas[0], formulas[1], *ROW[5:]]]), "msel.csv"
    )
    assert (rows[0].text_fr, rows[0].text_en) == (formulas[0], formulas[1])
    scenario = load_scenario_text(merge_msel(BASE, rows, "f", "f", "f"), "f.yaml")
    assert scenario.injects[0].text.fr == formulas[0]

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROW)
    sheet["D2"] = formulas[2]
    sheet["D2"].data_type = "s"  # typed as text in Excel: it stays text
    sheet["E2"] = "=1+1"  # a real formula: never computed, and Excel saved no value here
    out = io.BytesIO()
    book.save(out)
    errors = errors_of(out.getvalue(), "msel.xlsx")
    assert errors == [
        'sheet "Sheet", row 2, column "text_en" (E2): is empty (this sheet has a text column '
        "per language: write both texts, or keep only one language's column)"
    ]
    sheet["E2"] = "Lost"
    out = io.BytesIO()
    book.save(out)
    [row] = parse_msel(out.getvalue(), "msel.xlsx")
    assert row.text_fr == "@SUM(A1)"


def test_oversized_file():
    assert errors_of(b"x" * (MAX_BYTES + 1)) == [
        "the file is too large (2.1 MB; an MSEL is at most 2 MB)"
    ]


@pytest.mark.parametrize(
    ("raw", "filename", "message"),
    [
        (b"", "msel.csv", "the file is empty"),
        (b"time,platform\n", "msel.csv", 'row 1: missing column "text" (or "Inject'),
        (csv_bytes([HEADER]), "msel.csv", "the file has column headers but no injects below them"),
        ("heure;texte\né".encode("latin-1"), "msel.csv", "line 2: the file is not UTF-8 text"),
        (b"PK\x03\x04 not really a zip", "msel.xlsx", "this is not a readable .xlsx file"),
        (b"\xd0\xcf\x11\xe0 an old excel file", "msel.xls", ".xls files cannot be read"),
        (b"hello", "msel.pdf", ".pdf is not a spreadsheet"),
        (b"a,b\x00c", "msel.csv", "this is a binary file"),
    ],
)
def test_hostile_or_wrong_files_get_one_clear_error(raw, filename, message):
    errors = errors_of(raw, filename)
    assert errors[0].startswith(message), errors


def test_too_many_rows():
    errors = errors_of(csv_bytes([HEADER] + [ROW] * 501))
    assert errors == ["row 502: an MSEL has at most 500 rows"]


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes])
def test_too_many_columns(make):
    """A sheet is read 40 columns wide, CSV as XLSX: a wider one is said, not offered whole."""
    wide = [*HEADER, *(f"c{i}" for i in range(100))]
    filename = "msel.csv" if make is csv_bytes else "msel.xlsx"
    assert errors_of(make([wide, ROW]), filename)[0].endswith(
        'row 1: an MSEL has at most 40 columns, and this row has a value in column AO ("c32")'
    )


# -- the sheets planners already have ---------------------------------------------------------

HSEEP = [
    "Event #",
    "Inject #",
    "Scenario Time",
    "Event Type",
    "Responsible Controller",
    "From",
    "To",
    "Inject Description",
    "Expected Player Action",
    "Objective/Capability",
    "Notes",
]


def hseep_sheet(rows: list[list[object]], start: object = "09:00") -> bytes:
    """An HSEEP/CISA-style MSEL: a title block above the header, as real ones have."""
    return xlsx_bytes(
        [
            ["Hopla Parcel Outage Tabletop Exercise (TTX)"],
            ["Master Scenario Events List", None, "Exercise date:", "2026-12-05"],
            ["Start time:", start],
            [],
            HSEEP,
            *rows,
        ]
    )


HSEEP_ROWS = [
    [
        1,
        "1.1",
        "09:05",
        "Social media post",
        "Camille",
        "Fed-up customer",
        "Community manager",
        "Parcel delivered to a safe place yesterday, says @HoplaColis. It wasn't.",
        "Team replies publicly with empathy and escalates to customer service",
        "Spot the weak signal",
        "Send only if the team is quiet",
    ],
    [
        1,
        "1.2",
        "09:20",
        "Phone call",
        "Hugo",
        "journalist",
        "Press office",
        "Regional reporter calls about lost parcels in Lyon",
        "Escalate to the communications director; issue a holding statement",
        "Speak early",
        "",
    ],
    [
        2,
        "2.1",
        "09:40",
        "News article",
        "Hugo",
        "Regional press reporter",
        "All staff",
        "Lost parcels pile up in Lyon depots",
        "Do not respond; monitor",
        "contain",
        "",
    ],
]


def test_an_hseep_sheet_with_a_title_block_imports_as_planners_wrote_it():
    sheet = read_msel(hseep_sheet(HSEEP_ROWS), "volta.xlsx", lang="en")
    assert sheet.header_row == 5 and sheet.unmapped == ()
    assert sheet.title == "Hopla Parcel Outage Tabletop Exercise (TTX)"
    assert sheet.start == "09:00"
    first, call, article = sheet.rows
    assert (first.id, first.time, first.platform) == ("1-1", "5m", "microblog")
    assert (call.time, call.platform, call.kind) == ("20m", "internal", "call")
    assert (article.time, article.platform) == ("40m", "news")
    assert first.text_en.startswith("Parcel delivered") and first.text_fr == ""
    assert first.expected_actions == ("escalate", "reply")
    assert call.expected_actions == ("holding_statement", "escalate")
    assert article.expected_actions == ("ignore",)
    # what the trainer needs during the drill is kept
    assert (first.to, first.controller, first.notes) == (
        "Community manager",
        "Camille",
        "Send only if the team is quiet",
    )
    assert first.expected_text.startswith("Team replies publicly")
    # senders, roles and objectives written as titles find the base scenario's ids
    injects = inject_dicts(sheet.rows, yaml.safe_load(BASE))
    assert [i["persona"] for i in injects] == ["angry_customer", "journalist", "journalist"]
    assert [i.get("objective") for i in injects] == ["detect", "hold", "contain"]
    assert "Send only if the team is quiet" in injects[0]["note"]["en"]
    assert "Controller: Camille" in injects[0]["note"]["en"]
    # labelled in the session's language: a French control room reads French
    assert injects[0]["note"]["fr"].splitlines() == [
        "Send only if the team is quiet",
        "Destinataire : Community manager",
        "Animateur : Camille",
        "Attendu : " + first.expected_text,
    ]


def test_clock_times_count_from_the_start_given_on_the_page_or_in_the_sheet():
    no_start = hseep_sheet(HSEEP_ROWS, start=None)
    errors = errors_of_read(no_start, lang="en")
    assert errors[0] == (
        'sheet "Sheet", row 6, column "Scenario Time" (C6): "09:05" is a time of day: give the '
        'exercise\'s start time (on the import page, or as "Start time: 09:00" above the '
        "header) to count from it"
    )
    sheet = read_msel(no_start, "m.xlsx", lang="en", start="08:50")
    assert [r.time for r in sheet.rows] == ["15m", "30m", "50m"]
    # Excel time cells are times of day too
    rows = [[*r[:2], dt.time(9, int(r[2][3:])), *r[3:]] for r in HSEEP_ROWS]
    assert [r.time for r in read_msel(hseep_sheet(rows), "m.xlsx", lang="en").rows] == [
        "5m",
        "20m",
        "40m",
    ]
    early = [[*HSEEP_ROWS[0][:2], "08:30", *HSEEP_ROWS[0][3:]]]
    assert errors_of_read(hseep_sheet(early), lang="en") == [
        'sheet "Sheet", row 6, column "Scenario Time" (C6): "08:30" is before the start of the '
        "exercise (09:00)"
    ]


def test_elapsed_times_as_planners_write_them():
    for written, expected in (
        ("0:25", "25m"),
        ("25m", "25m"),
        ("T+25", "25m"),
        ("T+01:10", "1h10m"),
        ("1:30", "1h30m"),
    ):
        rows = [[*HSEEP_ROWS[0][:2], written, *HSEEP_ROWS[0][3:]]]
        sheet = read_msel(hseep_sheet(rows, start=None), "m.xlsx", lang="en")
        assert sheet.rows[0].time == expected, written


def test_a_bad_cell_is_quoted_with_its_sheet_row_and_column():
    rows = [[*HSEEP_ROWS[0][:2], "9h65", "Carrier pigeon", *HSEEP_ROWS[0][4:]]]
    assert errors_of_read(hseep_sheet(rows), lang="en") == [
        'sheet "Sheet", row 6, column "Scenario Time" (C6): "9h65" is not a time (write 0:25 or '
        "25m or T+25 from the start, or a time of day such as 09:05 with the start time)",
        'sheet "Sheet", row 6, column "Event Type" (D6): "Carrier pigeon" is not a platform '
        "(microblog, brand_page, forum, news, internal, or a word such as tweet, Facebook, "
        "forum, article, email, phone call)",
    ]


def test_unknown_columns_are_offered_for_mapping_not_reported_one_error_each():
    header = [*HSEEP, "Statut"]
    raw = xlsx_bytes([["Exercice Hopla"], header, [*HSEEP_ROWS[0], "prêt"]])
    sheet = read_msel(raw, "m.xlsx", lang="en", start="09:00")
    assert [(c.header, c.letter) for c in sheet.unmapped] == [("Statut", "L")]
    assert sheet.rows == ()  # read once every column is mapped or ignored
    with pytest.raises(MselError) as info:
        parse_msel(raw, "m.xlsx", lang="en", start="09:00")
    assert len(info.value.errors) == 1 and "Statut" in info.value.errors[0]
    sheet = read_msel(raw, "m.xlsx", lang="en", start="09:00", mapping={"Statut": "ignore"})
    assert sheet.rows[0].platform == "microblog"


def test_one_language_is_enough_and_the_single_text_column_needs_one():
    errors = errors_of_read(hseep_sheet(HSEEP_ROWS))
    assert errors == [
        'sheet "Sheet", row 5: say in which language the column "Inject Description" is written'
    ]
    french = read_msel(hseep_sheet(HSEEP_ROWS), "m.xlsx", lang="fr").rows[0]
    assert french.text_fr.startswith("Parcel") and french.text_en == ""


def test_no_header_row_says_so():
    raw = xlsx_bytes([["Plan"], ["a", "b", "c"], ["d", "e", "f"]])
    assert errors_of_read(raw) == [
        'sheet "Sheet": no header row found: none of the first rows names two MSEL columns '
        "(for example: id, time, platform, event_type, persona, to, text, text_fr, text_en, "
        "expected_action, must_escalate_to, objective, responsible_controller, notes, severity, "
        "deadline, optional)"
    ]


def errors_of_read(raw: bytes, **options) -> list[str]:
    with pytest.raises(MselError) as info:
        read_msel(raw, "m.xlsx", **options)
    return info.value.errors


def test_a_scenario_of_its_own_from_the_sheet_alone():
    from simulator.importers.standalone import Standalone, build_scenario

    ministry = [*HSEEP_ROWS[0][:5], "Ministère des Transports", *HSEEP_ROWS[0][6:]]
    rows = [[0, "0.1", *ministry[2:]], *HSEEP_ROWS]
    sheet = read_msel(hseep_sheet(rows), "m.xlsx", lang="fr")
    answers = Standalone("volta", "Panne Volta", "Volta outage", "Volta Air", "la panne", 2)
    scenario = load_scenario_text(build_scenario(sheet, answers), "v.yaml")
    assert scenario.languages == ("fr",)
    # a quarter of an hour after the last inject (40m), in five-minute steps
    assert scenario.duration == 55 * 60
    ministry = scenario.persona(scenario.injects[0].persona)
    assert (ministry.archetype, ministry.weight) == ("official", 0)
    assert scenario.injects[0].author.name == "Ministère des Transports"
    # the sheet's objectives and roles that the blank scenario lacks are added, once
    assert scenario.injects[2].objective == "hold"  # "Speak early" is the blank's
    added = scenario.injects[1].objective
    assert [o.title.fr for o in scenario.objectives if o.id == added] == ["Spot the weak signal"]
    assert [p.start for p in scenario.phases] == [0, 11 * 60, 25 * 60, 44 * 60]


# -- and back: a scenario's injects as an MSEL ------------------------------------------------


@pytest.mark.parametrize("name", ["late-delivery", "data-breach"])
def test_a_scenario_exported_as_an_msel_imports_back_to_the_same_injects(name):
    from simulator.importers.msel_export import msel_xlsx, round_trip_fields

    text = (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
    scenario = load_scenario_text(text, f"{name}.yaml")
    raw = msel_xlsx(scenario, "fr")
    sheet = read_msel(raw, f"{name}.xlsx")
    assert sheet.title == scenario.title.fr and sheet.unmapped == ()
    again = load_scenario_text(merge_msel(text, sheet.rows, name, "t", "t"), "again.yaml")
    assert round_trip_fields(again.injects) == round_trip_fields(scenario.injects)
    notes = {i.id: i.note.fr for i in again.injects if i.note}
    assert notes == {i.id: i.note.fr for i in scenario.injects if i.note}


def test_an_msel_round_trip_keeps_every_column():
    from simulator.importers.msel_export import msel_xlsx

    rows = [
        ["0:05", "microblog", "angry_customer", "=Colis perdu", "Lost parcel", "reply, dm"],
        ["1:10:30", "internal", "staff", "Appel du dépôt", "Depot calls", "escalate"],
    ]
    header = [*HEADER, "severity", "deadline", "optional", "id", "notes"]
    rows[0] += ["customer_service", "detect", "3", "0:20", "", "first", "Watch the CM"]
    rows[1] += ["operations", "escalate", "4", "0:10", "yes", "depot", ""]
    first = parse_msel(csv_bytes([header, *rows]), "m.csv")
    scenario = load_scenario_text(merge_msel(BASE, first, "t", "t", "t"), "t.yaml")
    second = read_msel(msel_xlsx(scenario), "t.xlsx").rows
    fields = (
        "time",
        "platform",
        "persona",
        "text_fr",
        "text_en",
        "expected_actions",
        "must_escalate_to",
        "objective",
        "id",
        "severity",
        "deadline",
        "optional",
        "notes",
    )
    assert [[getattr(r, f) for f in fields] for r in second] == [
        [getattr(r, f) for f in fields] for r in first
    ]


def test_a_one_language_scenario_from_an_hseep_sheet_exports_and_imports_back():
    """MSEL -> scenario of its own (English only) -> MSEL -> scenario: the injects, their
    notes (recipient, controller, expected action) and the language survive."""
    from simulator.importers.msel_export import msel_xlsx, round_trip_fields
    from simulator.importers.standalone import Standalone, build_scenario

    sheet = read_msel(hseep_sheet(HSEEP_ROWS), "m.xlsx", lang="en")
    answers = Standalone("hopla", "Panne Hopla", "Hopla outage", "Hopla", "the outage", 2)
    text = build_scenario(sheet, answers)
    scenario = load_scenario_text(text, "hopla.yaml")
    assert scenario.languages == ("en",)
    exported = read_msel(msel_xlsx(scenario, "en"), "hopla.xlsx")
    assert exported.unmapped == () and exported.title == "Hopla outage"
    assert all(r.text_fr == "" and r.text_en for r in exported.rows)
    again = load_scenario_text(merge_msel(text, exported.rows, "hopla", "t", "t"), "again.yaml")
    assert again.languages == ("en",)
    assert round_trip_fields(again.injects) == round_trip_fields(scenario.injects)
    assert [i.note.en for i in again.injects] == [i.note.en for i in scenario.injects]
    assert "Controller: Camille" in again.injects[0].note.en


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Reply publicly and own it; do not delete anything else", ("reply",)),
        ("Répondre publiquement ; ne supprimez pas le commentaire", ("reply",)),
        ("Never hide comments; reply with empathy", ("reply",)),
        ("Ne jamais masquer les commentaires, répondre", ("reply",)),
        ("Delete the spam post", ("delete",)),
    ],
)
def test_an_action_the_sheet_says_not_to_take_is_not_expected(written, expected):
    rows = [[*HSEEP_ROWS[0][:8], written, *HSEEP_ROWS[0][9:]]]
    sheet = read_msel(hseep_sheet(rows), "m.xlsx", lang="en")
    assert sheet.rows[0].expected_actions == expected
    assert sheet.rows[0].expected_text == written
