"""A scenario's injects as an MSEL spreadsheet (.xlsx), in the columns the importer reads.

The sheet is the one a planner edits in a meeting: a title block (the scenario's title and
its start at 0:00), then one row per inject with its time from the start, platform, sender,
texts, expected actions, role, objective, severity, deadline, whether it is a curveball and
the facilitator's note. Importing it back (msel.read_msel) gives the same injects.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..engine.scenario import Inject, Scenario

COLUMNS: tuple[str, ...] = (
    "id",
    "time",
    "platform",
    "persona",
    "text_fr",
    "text_en",
    "expected_action",
    "must_escalate_to",
    "objective",
    "severity",
    "deadline",
    "optional",
    "notes",
)


def clock(seconds: float | None) -> str:
    """h:mm(:ss) from the start: the importer reads it back as elapsed time."""
    total = round(seconds or 0)
    h, m, s = total // 3600, total % 3600 // 60, total % 60
    return f"{h}:{m:02d}:{s:02d}" if s else f"{h}:{m:02d}"


def inject_row(scenario: Scenario, inject: Inject) -> list[str | int]:
    langs = scenario.languages
    note = inject.note(langs[0]) if inject.note else ""
    return [
        inject.id,
        clock(inject.time),
        "phone call" if inject.kind == "call" else inject.platform,
        inject.persona,
        inject.text.fr if "fr" in langs else "",
        inject.text.en if "en" in langs else "",
        ", ".join(inject.expected_actions),
        inject.must_escalate_to or "",
        inject.objective or "",
        inject.severity,
        clock(inject.deadline) if inject.deadline is not None else "none",
        "yes" if inject.optional else "",
        note,
    ]


def msel_rows(scenario: Scenario) -> list[list[str | int]]:
    """The header and one row per inject, in the scenario's order."""
    columns = [c for c in COLUMNS if c[-2:] not in ("fr", "en") or c[-2:] in scenario.languages]
    keep = [COLUMNS.index(c) for c in columns]
    rows: list[list[str | int]] = [list(columns)]
    for inject in scenario.injects:
        row = inject_row(scenario, inject)
        rows.append([row[i] for i in keep])
    return rows


def msel_xlsx(scenario: Scenario, lang: str = "en") -> bytes:
    """The workbook: a title block, a blank row, the header and the injects."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "MSEL"
    sheet.append([scenario.title(lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Start time:", "0:00", "Scenario:", scenario.id])
    sheet.append([])
    rows = msel_rows(scenario)
    header_row = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text that starts with = stays text, never a formula
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    widths = {"text_fr": 60, "text_en": 60, "notes": 40, "expected_action": 24}
    for i, name in enumerate(rows[0], start=1):
        letter = sheet.cell(row=header_row, column=i).column_letter
        sheet.column_dimensions[letter].width = widths.get(str(name), 16)
        if name in widths:
            for (cell,) in sheet.iter_rows(
                min_row=header_row + 1, min_col=i, max_col=i, max_row=sheet.max_row
            ):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def round_trip_fields(injects: Sequence[Inject]) -> list[tuple]:
    """What an MSEL carries of each inject, to compare a scenario with its re-import."""
    return [
        (
            i.id,
            i.time,
            i.platform,
            i.persona,
            i.text,
            i.expected_actions,
            i.must_escalate_to,
            i.objective,
            i.severity,
            i.deadline,
            i.optional,
        )
        for i in injects
    ]
