"""The scenario editor's use cases: check a form as the loader would, preview its storm, save it.

The form's data becomes YAML (simulator/importers/editor.py) and the loader judges that YAML,
the same function `scenario validate` calls: one validator. Parsed scenarios are kept for
the next keystroke, which usually changes nothing the preview computes.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import yaml

from ..engine.loader import ScenarioError, load_scenario_text
from ..engine.posts import post_dict
from ..engine.scenario import Scenario
from ..engine.storm import iter_posts
from ..engine.tally import Tally
from ..importers import editor as model
from ..models import Trainer
from . import scenarios as library

SOURCE = "scenario.yaml"  # how the editor's errors name the file, as `scenario validate` would
PREVIEW_SPAN = 180.0  # simulated seconds of storm shown after the inject being edited
PREVIEW_POSTS = 30
CURVE_POSTS = 10_000  # the whole-scenario curve stops counting after this many posts
MAX_POSTS = 60_000  # and the storm stops there, even before the inject's window
PREVIEW_SEED = 1

_checked: OrderedDict[str, tuple[Scenario | None, tuple[str, ...]]] = OrderedDict()
_curves: OrderedDict[tuple[str, str, str], dict] = OrderedDict()


def _remember(cache: OrderedDict, key: Any, value: Any, size: int = 16) -> Any:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
    return value


def load(text: str) -> tuple[Scenario | None, tuple[str, ...]]:
    """The scenario this YAML text makes, or the loader's errors; kept for the next call."""
    if text in _checked:
        _checked.move_to_end(text)
        return _checked[text]
    try:
        result: tuple[Scenario | None, tuple[str, ...]] = (load_scenario_text(text, SOURCE), ())
    except ScenarioError as exc:
        result = (None, tuple(exc.errors))
    return _remember(_checked, text, result)


def check(form: Mapping[str, Any]) -> dict[str, Any]:
    """{yaml, errors: [{field, path, message, line}]} for the editor's form data."""
    try:
        text = model.form_to_yaml(form)
    except model.EditorError as exc:
        errors = [{"field": f, "path": "", "message": m, "line": m} for f, m in exc.problems]
        return {"yaml": None, "errors": errors}
    _scenario, lines = load(text)
    return {"yaml": text, "errors": model.errors_by_field(list(lines), form)}


def _lang(scenario: Scenario, lang: str) -> str:
    return lang if lang in scenario.languages else scenario.languages[0]


def _planned(scenario: Scenario, minutes: int) -> list[float]:
    """Root posts per minute the phases ask for (replies and shares come on top)."""
    out = []
    for m in range(minutes):
        t = m * 60.0
        phase = scenario.phases[0]
        for ph in scenario.phases:
            if ph.start <= t:
                phase = ph
        out.append(round(sum(phase.rates.values()), 2))
    return out


def preview(form: Mapping[str, Any], inject_id: str, lang: str) -> dict[str, Any]:
    """The storm of the first minutes after an inject and the scenario's curve, per minute.

    One pass of the engine's storm (seed 1, no team action), as a session would play it, up
    to the end or CURVE_POSTS posts (and past the inject's window, up to MAX_POSTS).
    """
    started = time.perf_counter()
    checked = check(form)
    if checked["errors"]:
        return {"errors": checked["errors"]}
    text = checked["yaml"]
    scenario, _lines = load(text)
    assert scenario is not None
    lang = _lang(scenario, lang)
    inject = next((i for i in scenario.injects if i.id == inject_id), None)
    if inject is None:
        inject = min(scenario.scheduled_injects or scenario.injects, key=lambda i: i.time)
    t0 = inject.time
    t1 = min(t0 + PREVIEW_SPAN, scenario.duration)
    key = (text, lang, inject.id)
    if key in _curves:
        result = _curves[key]
    else:
        tally, window, until = Tally(), [], 0.0
        for post in iter_posts(scenario, PREVIEW_SEED, lang):
            until = post.t
            if (tally.posts >= CURVE_POSTS and post.t >= t1) or tally.posts >= MAX_POSTS:
                break
            tally.add(post)
            if t0 <= post.t < t1 and len(window) < PREVIEW_POSTS:
                window.append(post)
        minutes = int(-(-scenario.duration // 60))
        volume, negative = tally.series(minutes)
        counted = minutes if tally.posts < CURVE_POSTS else int(until // 60)
        result = _remember(
            _curves,
            key,
            {
                "inject": {"id": inject.id, "t": t0, "text": inject.text(lang)},
                "posts": [post_dict(p) for p in window],
                "minutes": minutes,
                "counted": counted,
                "volume": volume[:counted],
                "negative": negative[:counted],
                "planned": _planned(scenario, minutes),
                "phases": [
                    {"id": ph.id, "start": ph.start, "title": ph.title(lang)}
                    for ph in scenario.phases
                ],
                "injects": [{"id": i.id, "t": i.time} for i in scenario.scheduled_injects],
                "lang": lang,
            },
        )
    return {**result, "errors": [], "ms": round(1000 * (time.perf_counter() - started))}


def start(trainer: Trainer, slug: str | None, copy: bool) -> dict[str, Any]:
    """The form data to edit a library entry (a copy of it with `copy`)."""
    _scenario, text = library.get_scenario(trainer, slug) if slug else (None, "")
    data = yaml.safe_load(text) if text else {}
    if copy and isinstance(data, dict) and slug:
        data["id"] = library.copy_id(trainer, slug)
    return model.scenario_to_form(data if isinstance(data, dict) else {})


def start_new(
    trainer: Trainer, new_id: str, title: str, brand: str, incident: str, lang: str, minutes: int
) -> dict[str, Any]:
    data = model.new_scenario(new_id, title, brand, incident, lang, minutes)
    return model.scenario_to_form(data)


def save(trainer: Trainer, form: Mapping[str, Any]) -> tuple[Scenario | None, int, dict[str, Any]]:
    """Store the form's scenario as the next version of the trainer's scenario with its id,
    when valid; (scenario, version, check)."""
    checked = check(form)
    if checked["errors"]:
        return None, 0, checked
    try:
        scenario, version = library.save_version(trainer, checked["yaml"], "editor")
    except ScenarioError as exc:  # an id taken by a shipped scenario
        checked["errors"] = model.errors_by_field(exc.errors, form)
        return None, 0, checked
    return scenario, version, checked
