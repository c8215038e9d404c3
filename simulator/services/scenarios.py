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
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..engine.loader import ScenarioError, decode, load_directory, load_scenario_text
from ..engine.scenario import Phase, Scenario
from ..engine.storm import post_dict, window
from ..extensions import db
from ..importers.msel import MselError, MselSheet, merge_msel, read_msel
from ..importers.standalone import Standalone, build_scenario
from ..models import ScenarioUpload, Trainer

SAMPLE_SIZE = 40
SAMPLE_SPAN = 600.0  # simulated seconds of storm the preview samples from
SAMPLE_SEED = 1
# ids that would hide a page of the library (/library/upload, /library/import, /library/new)
RESERVED_IDS = frozenset({"upload", "import", "new", "edit"})


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
    version: int | None = None  # the latest version of a trainer's scenario


@dataclass(frozen=True, slots=True)
class Version:
    """One stored version of a trainer's scenario, as the library lists it."""

    slug: str
    version: int
    created_at: datetime
    origin: str
    latest: bool


@dataclass(frozen=True, slots=True)
class Saved:
    """What saving a scenario did: the version it is now, and the version it was before."""

    scenario: Scenario
    version: int
    previous: int  # 0 when the trainer had no scenario with this id

    @property
    def stored(self) -> bool:
        """False when the text was the latest version's own: nothing new was stored."""
        return self.version > self.previous


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
    """The latest version of each of the trainer's scenarios."""
    latest = (
        select(ScenarioUpload.slug, func.max(ScenarioUpload.version).label("version"))
        .where(ScenarioUpload.trainer_id == trainer.id)
        .group_by(ScenarioUpload.slug)
        .subquery()
    )
    query = (
        select(ScenarioUpload)
        .join(
            latest,
            (ScenarioUpload.slug == latest.c.slug) & (ScenarioUpload.version == latest.c.version),
        )
        .where(ScenarioUpload.trainer_id == trainer.id)
    )
    return list(db.session.scalars(query.order_by(ScenarioUpload.slug)))


def _upload(trainer: Trainer, slug: str, version: int | None = None) -> ScenarioUpload | None:
    """One version of the trainer's scenario, the latest when `version` is None."""
    query = select(ScenarioUpload).where(
        ScenarioUpload.trainer_id == trainer.id, ScenarioUpload.slug == slug
    )
    if version is not None:
        query = query.where(ScenarioUpload.version == version)
    return db.session.scalars(query.order_by(ScenarioUpload.version.desc())).first()


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
        uploaded.append(LibraryEntry(upload.slug, scenario, "uploaded", upload.version))
    uploaded.sort(key=lambda e: (e.scenario.severity, e.slug))
    return entries + uploaded


def get_scenario(trainer: Trainer, slug: str, version: int | None = None) -> tuple[Scenario, str]:
    """A scenario of this trainer's library and its YAML text; ScenarioNotFound otherwise."""
    scenario, text, _version = get_version(trainer, slug, version)
    return scenario, text


def get_version(
    trainer: Trainer, slug: str, version: int | None = None
) -> tuple[Scenario, str, int | None]:
    """A scenario of the library, its YAML text and its version number (None when shipped).

    `version` None is the latest; a shipped scenario has no versions, so asking one for a
    version is ScenarioNotFound, as is a version the trainer never saved.
    """
    shipped = _shipped_by_id().get(slug)
    if shipped is not None:
        if version is not None:
            raise ScenarioNotFound(slug)
        path = Path(current_app.config["SCENARIO_DIR"]) / Path(shipped.source).name
        return shipped, path.read_text(encoding="utf-8-sig"), None
    upload = _upload(trainer, slug, version)
    if upload is None:
        raise ScenarioNotFound(slug)
    try:
        return _load_upload(upload.yaml_text, f"upload:{slug}"), upload.yaml_text, upload.version
    except ScenarioError:
        raise ScenarioNotFound(slug) from None


def is_uploaded(trainer: Trainer, slug: str) -> bool:
    return slug not in _shipped_by_id() and _upload(trainer, slug) is not None


def versions(trainer: Trainer, slug: str) -> list[Version]:
    """Every stored version of the trainer's scenario, newest first; [] for a shipped one."""
    if slug in _shipped_by_id():
        return []
    query = (
        select(ScenarioUpload.version, ScenarioUpload.created_at, ScenarioUpload.origin)
        .where(ScenarioUpload.trainer_id == trainer.id, ScenarioUpload.slug == slug)
        .order_by(ScenarioUpload.version.desc())
    )
    rows = db.session.execute(query).all()
    return [
        Version(slug, number, created_at, origin, latest=i == 0)
        for i, (number, created_at, origin) in enumerate(rows)
    ]


def save_version(trainer: Trainer, yaml_text: str, source: str) -> tuple[Scenario, int]:
    """Validate a scenario text and store it as the next version of the trainer's scenario
    with its id; ScenarioError (located messages, nothing stored) when invalid.

    `source` names the text in error messages ("mine.yaml", "editor") and is kept as the
    version's origin. A text identical to the latest version stores nothing and answers
    that version. A shipped scenario's id is refused: a copy needs an id of its own
    (`copy_id` proposes one).
    """
    saved = store(trainer, yaml_text, source)
    return saved.scenario, saved.version


def store(trainer: Trainer, yaml_text: str, source: str, origin: str | None = None) -> Saved:
    """save_version, saying also which version the scenario was at before; `origin` says
    where the version came from when it is not `source` ("upload:mine.yaml", "msel:plan.xlsx")."""
    source = _clean_filename(source)
    # the file's own checks (size, binary, UTF-8) for a text typed in the browser too
    text = decode(yaml_text.encode("utf-8", "surrogatepass"), source).replace("\r\n", "\n")
    scenario = load_scenario_text(text, source)
    taken = _id_taken(scenario.id)
    if taken:
        raise ScenarioError([f"{source}:{_line_of_id(text)}:1: id: {taken}"])
    latest = _upload(trainer, scenario.id)
    previous = latest.version if latest is not None else 0
    if latest is not None and latest.yaml_text == text:
        return Saved(scenario, previous, previous)
    for attempt in range(3):
        db.session.add(
            ScenarioUpload(
                trainer_id=trainer.id,
                slug=scenario.id,
                version=previous + 1,
                yaml_text=text,
                origin=(origin or source)[:120],
            )
        )
        try:
            db.session.commit()
        except IntegrityError:  # another save took this number first
            db.session.rollback()
            if attempt == 2:
                raise
            previous = _upload(trainer, scenario.id).version
        else:
            break
    return Saved(scenario, previous + 1, previous)


def copy_id(trainer: Trainer, slug: str) -> str:
    """A free id for the trainer's copy of scenario `slug`: slug-copy, slug-copy-2..."""
    base = f"{slug[:58]}-copy"
    candidate, n = base, 1
    while _id_taken(candidate) or _upload(trainer, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def upload_scenario(trainer: Trainer, raw: bytes, filename: str) -> Scenario:
    """Validate and store a scenario file; ScenarioError (nothing stored) when invalid.

    Uploading a scenario whose id the trainer already has stores it as a new version; an id
    taken by a shipped scenario is refused.
    """
    return upload_file(trainer, raw, filename).scenario


def upload_file(trainer: Trainer, raw: bytes, filename: str) -> Saved:
    source = _clean_filename(filename)
    return store(trainer, decode(raw, source), source, origin=f"upload:{source}")


def clean_filename(filename: str | None) -> str:
    """A file's name fit to show and store: no folders, no odd characters."""
    return _clean_filename(filename)


def delete_upload(trainer: Trainer, slug: str) -> None:
    """Delete the trainer's scenario, every version of it."""
    if slug in _shipped_by_id() or _upload(trainer, slug) is None:
        raise ScenarioNotFound(slug)
    db.session.execute(
        delete(ScenarioUpload).where(
            ScenarioUpload.trainer_id == trainer.id, ScenarioUpload.slug == slug
        )
    )
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
