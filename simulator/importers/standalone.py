"""An MSEL on its own: a whole scenario from the sheet and a few answers, no base scenario.

The sheet gives the injects (and, in its title block, perhaps the brand, the duration, the
severity); the import page gives what a sheet rarely says: the brand and what happened, in a
few words, for the crowd to talk about. Everything else every drill needs (roles, objectives,
a playbook, a reply rubric, reactions, a crowd speaking with the engine's archetype voices)
comes from blank.yaml beside this file. The senders the sheet names ("From") become personas
of their own that post only their injects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..engine.loader import ScenarioError, load_scenario_text
from .msel import MselError, MselRow, MselSheet, _capped, _explain, _resolve, inject_dicts
from .sheet import normalise

BLANK = Path(__file__).with_name("blank.yaml")
MIN_DURATION = 30 * 60
SEVERITY_RATE = {1: 0.5, 2: 1.0, 3: 1.8, 4: 3.0}  # the crowd's volume, by severity
PHASE_STARTS = (0.0, 0.2, 0.45, 0.8)  # of the duration: signals, spread, peak, aftermath

# Words in a sender's name that say what kind of account it is, first match wins.
_ARCHETYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "journalist",
        (
            "journalist",
            "journaliste",
            "reporter",
            "press",
            "presse",
            "media",
            "redac",
            "redaction",
            "newsroom",
            "editor",
            "tv",
            "radio",
            "news",
        ),
    ),
    (
        "official",
        (
            "authority",
            "autorite",
            "agency",
            "agence",
            "ministry",
            "ministere",
            "mayor",
            "maire",
            "prefecture",
            "regulator",
            "regulateur",
            "police",
            "government",
            "gouvernement",
            "official",
            "officiel",
            "council",
            "conseil",
        ),
    ),
    (
        "influencer",
        (
            "influencer",
            "influenceur",
            "influenceuse",
            "youtuber",
            "blogger",
            "blogueur",
            "creator",
            "createur",
        ),
    ),
    (
        "activist",
        ("activist", "militant", "ngo", "ong", "association", "collectif", "union", "syndicat"),
    ),
    (
        "employee",
        (
            "employee",
            "salarie",
            "staff",
            "agent",
            "adviser",
            "advisor",
            "conseiller",
            "colleague",
            "collegue",
            "driver",
            "livreur",
            "crew",
            "equipage",
            "pilot",
        ),
    ),
    ("competitor", ("competitor", "concurrent", "rival")),
    (
        "expert",
        (
            "expert",
            "researcher",
            "chercheur",
            "chercheuse",
            "analyst",
            "analyste",
            "professor",
            "professeur",
            "doctor",
            "medecin",
        ),
    ),
    ("troll", ("troll", "parody", "parodie", "fake", "faux")),
    (
        "angry_customer",
        ("angry", "furious", "victim", "victime", "excede", "passenger", "passager", "patient"),
    ),
    ("customer", ("customer", "client", "consumer", "consommateur", "user", "utilisateur")),
)
_FOLLOWERS = {
    "journalist": 18000,
    "official": 40000,
    "influencer": 120000,
    "expert": 9000,
    "activist": 6000,
    "competitor": 20000,
}


@dataclass(frozen=True, slots=True)
class Standalone:
    """What the import page asks when there is no base scenario."""

    new_id: str
    title_fr: str
    title_en: str
    brand: str
    incident: str  # what happened, as the crowd would say it ("la panne de Volta Air")
    severity: int = 2
    duration: float | None = None  # seconds; from the last inject when not given


def build_scenario(sheet: MselSheet, answers: Standalone) -> str:
    """A complete scenario's YAML from the sheet and the page's answers; MselError when the
    result is not valid, each error told as the row and column to fix."""
    rows = sheet.rows
    langs = _languages(rows)
    data = yaml.safe_load(BLANK.read_text(encoding="utf-8"))
    slug = re.sub(r"[^A-Za-z0-9]", "", normalise(answers.brand).title()) or "Brand"
    tokens = {
        "__ID__": answers.new_id,
        "__TITLE__": answers.title_en if langs == ["en"] else answers.title_fr,
        "__BRAND__": answers.brand,
        "__HANDLE__": slug[:15],
        "__SLUG__": slug,
    }
    data = _replace(data, tokens)
    data["title"] = {"fr": answers.title_fr, "en": answers.title_en}
    data["synopsis"] = {lang: _synopsis(lang, answers, sheet, len(rows)) for lang in ("fr", "en")}
    data["languages"] = langs
    data["severity"] = answers.severity
    duration = answers.duration or _duration_for(rows)
    data["duration"] = f"{round(duration / 60)}m"
    scale = SEVERITY_RATE.get(answers.severity, 1.0)
    for phase, share in zip(data["phases"], PHASE_STARTS, strict=True):
        phase["start"] = f"{round(duration * share / 60)}m" if share else 0
        phase["rates"] = {p: round(r * scale, 2) for p, r in phase["rates"].items()}
    for lang in ("fr", "en"):
        if lang in langs:
            data["grammar"][lang]["rules"]["incident"] = [answers.incident]
        else:
            del data["grammar"][lang]
    _add_senders(data, rows)
    _add_named(data, "roles", [r.must_escalate_to for r in rows])
    _add_named(data, "objectives", [r.objective for r in rows])
    data["injects"] = inject_dicts(rows, data)
    for inject, row in zip(data["injects"], rows, strict=True):
        sender = _sender(data, row.persona)
        if sender and sender.get("fixed"):
            inject["author"] = sender["fixed"]
    for persona in data["personas"]:
        persona.pop("fixed", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    try:
        load_scenario_text(text, f"{answers.new_id}.yaml")
    except ScenarioError as exc:
        raise MselError(_capped([_explain(line, rows) for line in exc.errors])) from None
    return text


def _languages(rows: Sequence[MselRow]) -> list[str]:
    fr = all(r.text_fr for r in rows)
    en = all(r.text_en for r in rows)
    return ["fr", "en"] if fr and en else ["fr"] if fr else ["en"]


def _duration_for(rows: Sequence[MselRow]) -> float:
    """The last inject and a quarter of an hour to answer it, in five-minute steps."""
    from ..engine.loader import parse_duration

    last = max((parse_duration(r.time) or 0.0) for r in rows)
    return max(MIN_DURATION, math.ceil((last + 15 * 60) / 300) * 300)


def _synopsis(lang: str, answers: Standalone, sheet: MselSheet, count: int) -> str:
    title = sheet.title or (answers.title_fr if lang == "fr" else answers.title_en)
    if lang == "fr":
        return f"{title}. Exercice importé d'une MSEL ({count} injects) : {answers.incident}."
    return f"{title}. Exercise imported from an MSEL ({count} injects): {answers.incident}."


def _replace(node: Any, tokens: dict[str, str]) -> Any:
    if isinstance(node, str):
        for token, value in tokens.items():
            node = node.replace(token, value)
        return node
    if isinstance(node, list):
        return [_replace(v, tokens) for v in node]
    if isinstance(node, dict):
        return {k: _replace(v, tokens) for k, v in node.items()}
    return node


def _archetype(sender: str) -> str:
    key = f"_{normalise(sender)}_"
    for archetype, words in _ARCHETYPE_WORDS:
        if any(f"_{w}" in key for w in words):
            return archetype
    return "bystander"


def _add_senders(data: dict, rows: Sequence[MselRow]) -> None:
    """A persona for each sender the crowd's personas are not: it posts only its injects."""
    taken = {p["id"] for p in data["personas"]}
    for row in rows:
        if _resolve(row.persona, data["personas"], ("archetype",)):
            continue
        persona_id = _unique_id(row.persona, taken)
        taken.add(persona_id)
        archetype = _archetype(row.persona)
        handle = "@" + re.sub(r"[^A-Za-z0-9_]", "", row.persona.title().replace(" ", ""))[:15]
        data["personas"].append(
            {
                "id": persona_id,
                "archetype": archetype,
                "label": {"fr": row.persona, "en": row.persona},
                "weight": 0,  # its injects only: the crowd speaks through the others
                "followers": {"median": _FOLLOWERS.get(archetype, 400), "spread": 0.5},
                "verified": 1 if archetype in ("official", "journalist") else 0,
                "stance": "neutral",
                "platforms": [row.platform],
                "fixed": {
                    "handle": handle if len(handle) > 1 else "@sender",
                    "name": row.persona[:80],
                },
            }
        )


def _sender(data: dict, persona: str) -> dict | None:
    found = _resolve(persona, data["personas"])
    return next((p for p in data["personas"] if p["id"] == found), None)


def _add_named(data: dict, section: str, values: Sequence[str | None]) -> None:
    """Roles or objectives the sheet names that the blank scenario has not: one each."""
    items = data[section]
    taken = {i["id"] for i in items}
    for value in values:
        if not value or _resolve(value, items):
            continue
        new_id = _unique_id(value, taken)
        taken.add(new_id)
        items.append({"id": new_id, "title": {"fr": value[:200], "en": value[:200]}})


def _unique_id(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", normalise(text).replace("_", "-")).strip("-")[:56]
    base = base if base and base[0].isalnum() else f"x-{base}".strip("-")
    candidate, n = base or "sender", 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
