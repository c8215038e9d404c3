"""The trainer's scenario library: shipped scenarios, their own uploads, MSEL imports.

A trainer sees every shipped scenario (the files in SCENARIO_DIR) and the scenarios they
uploaded or imported themselves, never another trainer's. Uploads are validated by the same
loader as the shipped files and stored only when valid.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from flask import Flask, current_app
from sqlalchemy import select

from ..engine.loader import ScenarioError, load_directory, load_scenario_bytes, load_scenario_text
from ..engine.scenario import Phase, Scenario
from ..engine.storm import post_dict, window
from ..extensions import db
from ..importers.msel import MselError, MselSheet, merge_msel, read_msel
from ..importers.standalone import Standalone, build_scenario
from ..models import ScenarioUpload, Trainer

SAMPLE_SIZE = 40
SAMPLE_SPAN = 600.0  # simulated seconds of storm the preview samples from
SAMPLE_SEED = 1
# ids that would hide a page of the library (/library/upload, /library/import)
RESERVED_IDS = frozenset({"upload", "import"})


_CATALOGUE = "stormdrill.scenarios"


def scenario_catalogue(app: Flask) -> tuple[list[Scenario], list[str]]:
    """The scenarios in SCENARIO_DIR, mildest first, loaded once per app; and the load errors."""
    if _CATALOGUE not in app.extensions:
        scenarios, errors = load_directory(app.config["SCENARIO_DIR"])
        for line in errors:
            app.logger.warning("scenario not loaded: %s", line)
        scenarios.sort(key=lambda s: (s.severity, s.id))
        app.extensions[_CATALOGUE] = (scenarios, errors)
    return app.extensions[_CATALOGUE]


class ScenarioNotFound(LookupError):
    """No scenario with this slug among the shipped ones and this trainer's uploads."""


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    slug: str
    scenario: Scenario
    source: Literal["shipped", "uploaded"]


def _shipped() -> list[Scenario]:
    scenarios, _errors = scenario_catalogue(current_app._get_current_object())
    return scenarios


def _shipped_by_id() -> dict[str, Scenario]:
    return {s.id: s for s in _shipped()}


@lru_cache(maxsize=64)
def _load_upload(yaml_text: str, source: str) -> Scenario:
    """Stored uploads were valid when stored; loading them again is the slow part of a page."""
    return load_scenario_text(yaml_text, source)


def _uploads(trainer: Trainer) -> list[ScenarioUpload]:
    query = select(ScenarioUpload).where(ScenarioUpload.trainer_id == trainer.id)
    return list(db.session.scalars(query.order_by(ScenarioUpload.slug)))


def _upload(trainer: Trainer, slug: str) -> ScenarioUpload | None:
    query = select(ScenarioUpload).where(
        ScenarioUpload.trainer_id == trainer.id, ScenarioUpload.slug == slug
    )
    return db.session.scalars(query).first()


def library(trainer: Trainer) -> list[LibraryEntry]:
    """The shipped scenarios, mildest first, then the trainer's own uploads."""
    shipped = _shipped()
    entries = [LibraryEntry(s.id, s, "shipped") for s in shipped]
    shipped_ids = {s.id for s in shipped}
    uploaded = []
    for upload in _uploads(trainer):
        if upload.slug in shipped_ids:
            continue  # a shipped scenario took this id since; the shipped one wins
        try:
            scenario = _load_upload(upload.yaml_text, f"upload:{upload.slug}")
        except ScenarioError as exc:
            current_app.logger.warning("upload %s no longer loads: %s", upload.id, exc)
            continue
        uploaded.append(LibraryEntry(upload.slug, scenario, "uploaded"))
    uploaded.sort(key=lambda e: (e.scenario.severity, e.slug))
    return entries + uploaded


def get_scenario(trainer: Trainer, slug: str) -> tuple[Scenario, str]:
    """A scenario of this trainer's library and its YAML text; ScenarioNotFound otherwise."""
    shipped = _shipped_by_id().get(slug)
    if shipped is not None:
        path = Path(current_app.config["SCENARIO_DIR"]) / Path(shipped.source).name
        return shipped, path.read_text(encoding="utf-8-sig")
    upload = _upload(trainer, slug)
    if upload is None:
        raise ScenarioNotFound(slug)
    try:
        return _load_upload(upload.yaml_text, f"upload:{slug}"), upload.yaml_text
    except ScenarioError:
        raise ScenarioNotFound(slug) from None


def is_uploaded(trainer: Trainer, slug: str) -> bool:
    return slug not in _shipped_by_id() and _upload(trainer, slug) is not None


def upload_scenario(trainer: Trainer, raw: bytes, filename: str) -> Scenario:
    """Validate and store a scenario file; ScenarioError (nothing stored) when invalid.

    Uploading a scenario whose id the trainer already uploaded replaces it; an id taken by a
    shipped scenario is refused.
    """
    source = _clean_filename(filename)
    scenario = load_scenario_bytes(raw, source=source)
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    taken = _id_taken(scenario.id)
    if taken:
        raise ScenarioError([f"{source}:{_line_of_id(text)}:1: id: {taken}"])
    upload = _upload(trainer, scenario.id)
    if upload is None:
        upload = ScenarioUpload(trainer_id=trainer.id, slug=scenario.id, yaml_text=text)
        db.session.add(upload)
    else:
        upload.yaml_text = text
    db.session.commit()
    return scenario


def delete_upload(trainer: Trainer, slug: str) -> None:
    upload = _upload(trainer, slug)
    if upload is None or slug in _shipped_by_id():
        raise ScenarioNotFound(slug)
    db.session.delete(upload)
    db.session.commit()


class MselUnmapped(Exception):
    """The sheet has columns nobody has mapped yet: the trainer maps or ignores them."""

    def __init__(self, sheet: MselSheet):
        super().__init__(", ".join(c.header for c in sheet.unmapped))
        self.sheet = sheet


def import_msel(
    trainer: Trainer,
    raw: bytes,
    filename: str,
    base_slug: str,
    new_id: str,
    title_fr: str,
    title_en: str,
    *,
    mapping: dict[str, str] | None = None,
    start: str | None = None,
    lang: str | None = None,
    default_platform: str | None = None,
    standalone: Standalone | None = None,
) -> str:
    """The YAML of the base scenario with the MSEL's injects, or without a base (empty
    `base_slug`) a scenario of its own from the sheet and `standalone`'s answers; MselError
    lists what to fix, MselUnmapped names the columns to map first.

    Nothing is stored: the trainer downloads the result or adds it to the library.
    """
    base_text = get_scenario(trainer, base_slug)[1] if base_slug else None
    taken = _id_taken(new_id)
    if taken:
        raise MselError([f"id: {taken}"])
    sheet = read_msel(
        raw,
        filename,
        mapping=mapping,
        start=start,
        lang=lang,
        default_platform=default_platform,
    )
    if sheet.unmapped:
        raise MselUnmapped(sheet)
    if base_text is None:
        if standalone is None:
            raise MselError(["choose a base scenario, or name the brand and what happened"])
        return build_scenario(sheet, standalone)
    return merge_msel(base_text, sheet.rows, new_id, title_fr, title_en)


def check_yaml(text: str, source: str) -> Scenario:
    """Validate a scenario text (ScenarioError when invalid), without storing it."""
    return load_scenario_text(text, source)


def busiest_phase(scenario: Scenario) -> Phase:
    """The phase with the most posts per minute: where the preview samples the storm."""
    return max(scenario.phases, key=lambda ph: sum(ph.rates.values()))


_samples: OrderedDict[tuple[str, str], list[dict]] = OrderedDict()


def sample_posts(scenario: Scenario, yaml_text: str, lang: str) -> list[dict]:
    """About 40 posts of the storm (seed 1) from the start of its busiest phase, as dicts.

    The storm up to that phase is computed to get there, so samples are kept per scenario
    text and language.
    """
    key = (hashlib.sha256(yaml_text.encode()).hexdigest(), lang)
    if key in _samples:
        _samples.move_to_end(key)
        return _samples[key]
    t0 = busiest_phase(scenario).start
    t1 = min(t0 + SAMPLE_SPAN, scenario.duration)
    posts = window(scenario, SAMPLE_SEED, lang, (), t0, t1)
    if len(posts) > SAMPLE_SIZE:
        step = len(posts) / SAMPLE_SIZE
        picked = {int(i * step) for i in range(SAMPLE_SIZE)}
        picked |= {i for i, p in enumerate(posts) if p.inject}  # the scripted posts, always
        posts = [p for i, p in enumerate(posts) if i in picked]
    sample = [post_dict(p) for p in posts]
    _samples[key] = sample
    while len(_samples) > 32:
        _samples.popitem(last=False)
    return sample


def _id_taken(scenario_id: str) -> str | None:
    """Why a trainer's scenario cannot have this id, or None when it can."""
    if scenario_id in _shipped_by_id():
        return f'"{scenario_id}" is the id of a shipped scenario; choose another id'
    if scenario_id in RESERVED_IDS:
        return f'"{scenario_id}" is reserved; choose another id'
    return None


def _clean_filename(filename: str | None) -> str:
    name = Path((filename or "").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ]", "_", name).strip()[:100]
    return name or "scenario.yaml"


def _line_of_id(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^id\s*:", line):
            return number
    return 1
