"""Scenario files: YAML in, a validated `Scenario` out, or errors that say where and what.

Every error is one line, `file:line:col: path: message`, so that a trainer can fix a file
from the message alone. Hostile files (binary, empty, huge, alias bombs) get an error too,
never a traceback and never a hang.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml
from jsonschema import Draft202012Validator
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from . import grammar as g
from .platforms import PLATFORMS
from .scenario import (
    LANGS,
    SENTIMENTS,
    Brand,
    Fact,
    HoldingStatement,
    Inject,
    InjectAuthor,
    L10n,
    Objective,
    Persona,
    Phase,
    ReactionRule,
    Role,
    Rubric,
    RubricElement,
    Scenario,
    frozen_map,
)
from .voice import voice_for

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "scenarios" / "scenario.schema.json"
MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64  # nested collections; a scenario needs fewer than 10
MAX_ERRORS = 50
DEFAULT_RESPONSE_DEADLINE = 3600.0
_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)|(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?)\s*$")

Path_ = tuple[str | int, ...]


class ScenarioError(Exception):
    """A scenario that cannot be loaded; `errors` holds one line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_duration(value: Any) -> float | None:
    """`25m`, `1h30m`, `90s`, `1h`, or a number of seconds; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    m = _DURATION.match(value)
    if not m or not value.strip():
        return None
    if m.group(1) is not None:
        return float(m.group(1))
    h, mi, s = (int(g) if g else 0 for g in m.groups()[1:])
    return float(h * 3600 + mi * 60 + s)


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


@dataclass
class _Doc:
    """A parsed YAML document with the position of every value and key."""

    data: Any
    values: dict[Path_, tuple[int, int]]
    keys: dict[Path_, tuple[int, int]]


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}
_MERGE = "tag:yaml.org,2002:merge"


class _Guards:
    """PyYAML's composer recurses once per nested collection: refuse depth before Python does;
    and bound what merge keys expand to."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    problem=f"nested more than {MAX_DEPTH} levels deep",
                    problem_mark=self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    merged = 0  # pairs looked at while flattening merge keys (<<), bounded like values
    merging: yaml.MappingNode | None = None  # the mapping whose merge keys are flattened

    def flatten_mapping(self, node):
        # one mapping merged many times over costs its size each time: count it
        outer = self.merging is None
        self.merging = self.merging or node
        try:
            self.merged += len(node.value)
            if self.merged > MAX_NODES:
                raise yaml.constructor.ConstructorError(
                    problem=f"the document expands to more than {MAX_NODES} values "
                    "(merge keys); write it out plainly",
                    problem_mark=self.merging.start_mark,
                )
            super().flatten_mapping(node)
        finally:
            if outer:
                self.merging = None


class _Loader(_Guards, yaml.SafeLoader):
    """Pure Python: slow, but its error messages are the ones the loader reports."""


try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    CParser = None

if CParser is not None:

    class _FastLoader(_Guards, yaml.composer.Composer, CParser, SafeConstructor, Resolver):
        """libyaml scans and parses (twenty times faster on a large scenario); the nodes are
        composed in Python, under the same guards, with the same marks (line and column)."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = None


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    """The loader and the document's node: libyaml when it has no complaint, else PyYAML
    (whose messages, with their marks, are the ones reported)."""
    yaml.reader.Reader(text)  # refuses control characters, as the pure loader does
    if _FastLoader is not None:
        loader = _FastLoader(text)
        try:
            return loader, loader.get_single_node()
        except yaml.YAMLError:
            loader.dispose()
    loader = _Loader(text)
    return loader, loader.get_single_node()


def _merges_into_itself(node: yaml.MappingNode) -> bool:
    """Whether `<<` merge keys lead from `node` back to a mapping already on the way."""
    stack, on_way, done = [(node, iter(_merged(node)))], {id(node)}, set()
    while stack:
        child = next(stack[-1][1], None)
        if child is None:
            finished = id(stack.pop()[0])
            on_way.discard(finished)
            done.add(finished)  # merged again elsewhere: no cycle below it, seen once
        elif id(child) in on_way:
            return True
        elif id(child) not in done:
            on_way.add(id(child))
            stack.append((child, iter(_merged(child))))
    return False


def _merged(node: yaml.MappingNode) -> list[yaml.MappingNode]:
    out = []
    for key, value in node.value:
        if key.tag == _MERGE:
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            out.extend(n for n in items if isinstance(n, yaml.MappingNode))
    return out


class _Builder:
    """Turns a composed YAML node graph into plain data, counting every node it expands."""

    def __init__(self, loader: yaml.SafeLoader, source: str):
        self.loader = loader
        self.source = source
        self.count = 0
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.errors: list[str] = []
        self.open: set[int] = set()  # the collections being built: an alias to one is a cycle

    def where(self, mark: yaml.Mark) -> tuple[int, int]:
        return mark.line + 1, mark.column + 1

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ScenarioError(
                [
                    f"{self.source}:{self.where(node.start_mark)[0]}:1: the document expands to "
                    f"more than {MAX_NODES} values (anchors and aliases); write it out plainly"
                ]
            )
        self.values[path] = self.where(node.start_mark)
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
            line, col = self.where(node.start_mark)
            raise ScenarioError(
                [f"{self.source}:{line}:{col}: malformed YAML: unsupported tag {node.tag!r}"]
            )
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.open or (
                isinstance(node, yaml.MappingNode) and _merges_into_itself(node)
            ):
                line, col = self.where(node.start_mark)
                raise ScenarioError(
                    [
                        f"{self.source}:{line}:{col}: malformed YAML: {format_path(path)}: "
                        "an alias refers to the value that contains it"
                    ]
                )
            if len(path) > MAX_DEPTH:
                line, col = self.where(node.start_mark)
                raise ScenarioError(
                    [
                        f"{self.source}:{line}:{col}: malformed YAML: "
                        f"nested more than {MAX_DEPTH} levels deep"
                    ]
                )
            self.open.add(id(node))
            try:
                return self._collection(node, path)
            finally:
                self.open.discard(id(node))
        value = self.loader.construct_object(node)
        if not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)  # dates and other YAML types are read as text
        return value

    def _collection(self, node: yaml.CollectionNode, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            self.loader.flatten_mapping(node)
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = self.where(key_node.start_mark)
                    raise ScenarioError(
                        [f"{self.source}:{line}:{col}: malformed YAML: a key is a plain value"]
                    )
                key = self.loader.construct_object(key_node)
                if not isinstance(key, str):
                    key = str(key)
                if key in out:
                    line, col = self.where(key_node.start_mark)
                    self.errors.append(
                        f"{self.source}:{line}:{col}: {format_path(path + (key,))}: duplicate key"
                    )
                self.keys[path + (key,)] = self.where(key_node.start_mark)
                out[key] = self.build(value_node, path + (key,))
            return out
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]


def _parse(text: str, source: str) -> _Doc:
    loader = None
    try:
        loader, node = _compose(text)
        if node is None:
            raise ScenarioError([f"{source}:1:1: the file holds no YAML document"])
        builder = _Builder(loader, source)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "malformed YAML"
        raise ScenarioError([f"{source}:{line}:{col}: malformed YAML: {problem}"]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise ScenarioError(
            [f"{source}:{line}:{col}: malformed YAML: character {char!r} is not allowed"]
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "malformed YAML"
        raise ScenarioError([f"{source}:1:1: malformed YAML: {first}"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.errors:
        raise ScenarioError(builder.errors)
    return _Doc(data, builder.values, builder.keys)


def _read(path: Path, source: str) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError([f"{source}:1:1: cannot read the file: {exc.strerror}"]) from None
    if size > MAX_BYTES:
        raise ScenarioError(
            [
                f"{source}:1:1: the file is too large ({size / 1e6:.1f} MB; a scenario is at most "
                f"{MAX_BYTES // (1024 * 1024)} MB)"
            ]
        )
    return decode(path.read_bytes(), source)


def decode(raw: bytes, source: str) -> str:
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [
                f"{source}:1:1: the file is too large ({len(raw) / 1e6:.1f} MB; a scenario is at "
                f"most {MAX_BYTES // (1024 * 1024)} MB)"
            ]
        )
    if b"\x00" in raw:
        raise ScenarioError([f"{source}:1:1: this is a binary file, not a YAML text file"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [f"{source}:{line}:1: the file is not UTF-8 text (save it as UTF-8 YAML)"]
        ) from None
    if not text.strip():
        raise ScenarioError([f"{source}:1:1: the file is empty"])
    return text


_schema_validators: dict[tuple[str, ...], Draft202012Validator] = {}
_schema_checks: dict[tuple[str, ...], Callable[[Any], Any]] = {}


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _validator(langs: tuple[str, ...] = LANGS) -> Draft202012Validator:
    """The schema's validator for a scenario written in `langs`: every text in each of them.

    A scenario needs only one language; it says which in `languages` (both by default).
    """
    if langs not in _schema_validators:
        _schema_validators[langs] = Draft202012Validator(_schema_for(langs))
    return _schema_validators[langs]


def _schema_for(langs: tuple[str, ...]) -> dict:
    s = schema()
    s["$defs"]["l10n"]["required"] = list(langs)
    s["$defs"]["fact"]["required"] = [*s["$defs"]["fact"]["required"], *langs]
    return s


def _schema_errors(data: Any, langs: tuple[str, ...]) -> Iterator[Any]:
    """The schema's errors on `data`. A valid scenario (the common case, checked as a trainer
    types) is told valid by the schema compiled to Python code (fastjsonschema: the schema
    uses draft-07 keywords only, and it is tens of times faster); the errors themselves, with
    their paths, always come from jsonschema."""
    if langs not in _schema_checks:
        s = _schema_for(langs)
        s["$schema"] = "http://json-schema.org/draft-07/schema#"
        _schema_checks[langs] = fastjsonschema.compile(s)
    try:
        _schema_checks[langs](data)
        return iter(())
    except fastjsonschema.JsonSchemaException:
        return _validator(langs).iter_errors(data)


def _declared_languages(data: dict) -> tuple[str, ...]:
    """The languages a scenario says it is written in; both when it says nothing usable."""
    langs = data.get("languages")
    if isinstance(langs, list) and langs and all(lang in LANGS for lang in langs):
        return tuple(lang for lang in LANGS if lang in langs)
    return LANGS


def _show(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value)


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _schema_message(error) -> tuple[Path_, str, bool]:
    """(path, message, at_key) for one jsonschema error, in words a trainer reads."""
    path = tuple(error.absolute_path)
    kind = error.schema.get("x-kind") if isinstance(error.schema, dict) else None
    v, inst = error.validator, error.instance
    if kind == "duration" and v in ("pattern", "type", "minimum"):
        return (
            path,
            f"{_show(inst)} is not a duration (use 25m, 1h30m or a number of seconds)",
            False,
        )
    if kind == "id" and v == "pattern":
        return (
            path,
            (
                f"{_show(inst)} is not a valid id (lowercase letters, digits, '-' and '_', "
                f"starting with a letter or digit)"
            ),
            False,
        )
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed)
        key = extra[0] if extra else "?"
        hint = f" (expected one of: {', '.join(allowed)})" if allowed else ""
        return path + (key,), f"unknown key{hint}", True
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return (
            path,
            f"missing required key {_show(missing[0] if missing else error.message)}",
            False,
        )
    if v == "enum":
        return (
            path,
            f"{_show(inst)} is not one of: {', '.join(map(str, error.validator_value))}",
            False,
        )
    if v == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        return (
            path,
            (f"expected {' or '.join(_TYPE_NAMES.get(n, n) for n in names)}, got {_show(inst)}"),
            False,
        )
    if v == "oneOf" and path and path[-1] in ("must_escalate_to", "approval_by"):
        return path, f"{_show(inst)} is not a role id (or null)", False
    if kind == "rule" and v == "pattern":
        return (
            path,
            f"{_show(inst)} is not a valid rule or fact name (lowercase letters, digits and '_', "
            f"starting with a letter)",
            False,
        )
    if v == "oneOf" and error.context:
        # say what is wrong with the branch that fits the value's shape
        want = "object" if isinstance(inst, dict) else "array" if isinstance(inst, list) else None
        subs = [
            e
            for e in error.context
            if not (e.validator == "type" and len(e.relative_path) == 0)
            and (want is None or e.schema.get("type") != ("string"))
        ]
        if subs:
            best = max(subs, key=lambda e: len(e.absolute_path))
            return _schema_message(best)
        if isinstance(inst, str | int | float):
            return path, f"{_show(inst)} is not allowed here", False
        return path, f"expected a text or a list of texts, got {_show(inst)}", False
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return path, f"{_show(inst)} must be {word} {error.validator_value}", False
    if v == "minItems":
        return path, f"needs at least {error.validator_value} item(s)", False
    if v == "minLength":
        return path, "must not be empty", False
    if v == "maxLength":
        return path, f"is too long (at most {error.validator_value} characters)", False
    if v == "uniqueItems":
        return path, "has the same item twice", False
    if v == "propertyNames":
        return path, f"{_show(inst)} has a key that is not allowed", False
    return path, error.message, False


class _Errors:
    def __init__(self, doc: _Doc, source: str):
        self.doc, self.source, self.lines = doc, source, []

    def add(self, path: Path_, message: str, *, at_key: bool = False) -> None:
        where = (self.doc.keys if at_key else self.doc.values).get(path)
        probe = path
        while where is None and probe:
            probe = probe[:-1]
            where = self.doc.values.get(probe)
        line, col = where or (1, 1)
        self.lines.append(
            (line, col, f"{self.source}:{line}:{col}: {format_path(path)}: {message}")
        )

    def raise_if_any(self) -> None:
        if self.lines:
            self.lines.sort(key=lambda item: (item[0], item[1]))
            out = [text for _, _, text in self.lines[:MAX_ERRORS]]
            if len(self.lines) > MAX_ERRORS:
                out.append(f"{self.source}: ... and {len(self.lines) - MAX_ERRORS} more errors")
            raise ScenarioError(out)


def load_scenario(path: str | Path, *, source: str | None = None) -> Scenario:
    """Load and validate one scenario file; raises ScenarioError with every problem found."""
    path = Path(path)
    source = source or str(path)
    return load_scenario_text(_read(path, source), source)


def load_scenario_bytes(raw: bytes, source: str) -> Scenario:
    return load_scenario_text(decode(raw, source), source)


def load_scenario_text(text: str, source: str) -> Scenario:
    doc = _parse(text, source)
    errors = _Errors(doc, source)
    if not isinstance(doc.data, dict):
        errors.add((), f"a scenario is a mapping of keys, got {_show(doc.data)}")
        errors.raise_if_any()
    for error in _schema_errors(doc.data, _declared_languages(doc.data)):
        path, message, at_key = _schema_message(error)
        errors.add(path, message, at_key=at_key)
    errors.raise_if_any()
    _check_references(doc.data, errors)
    errors.raise_if_any()
    scenario = _build(doc.data, source)
    return scenario


def _seconds(value: Any) -> float:
    result = parse_duration(value)
    assert result is not None  # the schema accepted it
    return result


def _check_references(d: dict, errors: _Errors) -> None:
    duration = _seconds(d["duration"])
    if duration < 60:
        errors.add(("duration",), "a scenario lasts at least one minute")
    platforms = set(d["platforms"])
    langs = d.get("languages", list(LANGS))

    def unique(section: str, items: list[dict]) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item["id"] in seen:
                errors.add((section, i, "id"), f"{_show(item['id'])} is used twice in {section}")
            seen.add(item["id"])
        return seen

    personas = unique("personas", d["personas"])
    phases = unique("phases", d["phases"])
    injects = unique("injects", d["injects"])
    roles = unique("roles", d["roles"])
    objectives = unique("objectives", d["objectives"])
    unique("playbook", d["playbook"])
    unique("reactions", d["reactions"])

    def known(path: Path_, value: Any, ids: set[str], what: str) -> None:
        if value is not None and value not in ids:
            choices = ", ".join(sorted(ids)) or "none defined"
            errors.add(path, f"{_show(value)} is not a {what} of this scenario ({choices})")

    def on_platform(path: Path_, value: str) -> None:
        if value not in platforms:
            errors.add(
                path,
                f"{_show(value)} is not in this scenario's platforms ({', '.join(d['platforms'])})",
            )

    for key in d["brand"]["handles"]:
        on_platform(("brand", "handles", key), key)
    for i, p in enumerate(d["personas"]):
        for j, plat in enumerate(p.get("platforms", [])):
            on_platform(("personas", i, "platforms", j), plat)

    starts = []
    for i, ph in enumerate(d["phases"]):
        start = _seconds(ph["start"])
        if i == 0 and start != 0:
            errors.add(("phases", 0, "start"), "the first phase starts at 0")
        if starts and start <= starts[-1]:
            errors.add(
                ("phases", i, "start"),
                "phases must be in order: this one starts no later than the one before",
            )
        if start >= duration:
            errors.add(("phases", i, "start"), f"starts after the scenario ends ({d['duration']})")
        starts.append(start)
        for plat, rate in ph["rates"].items():
            on_platform(("phases", i, "rates", plat), plat)
            if rate > 0:
                for lang in langs:
                    if not any(
                        plat in p.get("platforms", d["platforms"])
                        and lang in p.get("languages", langs)
                        and p["weight"] > 0
                        for p in d["personas"]
                    ):
                        errors.add(
                            ("phases", i, "rates", plat), f"no persona posts on {plat} in {lang}"
                        )
        if sum(ph["sentiment"].values()) <= 0:
            errors.add(("phases", i, "sentiment"), "the sentiment mix adds up to 0")
        for plat in ph.get("platform_templates", {}):
            on_platform(("phases", i, "platform_templates", plat), plat)

    inject_times: dict[str, float] = {}
    for i, inj in enumerate(d["injects"]):
        t = _seconds(inj["time"])
        inject_times[inj["id"]] = t
        if t >= duration:
            errors.add(
                ("injects", i, "time"),
                f"{_show(inj['time'])} is after the end of the scenario ({d['duration']})",
            )
        on_platform(("injects", i, "platform"), inj["platform"])
        known(("injects", i, "persona"), inj["persona"], personas, "persona")
        known(("injects", i, "must_escalate_to"), inj.get("must_escalate_to"), roles, "role")
        known(("injects", i, "objective"), inj.get("objective"), objectives, "objective")
        if "phase" in inj:
            known(("injects", i, "phase"), inj["phase"], phases, "phase")
            if inj["phase"] in phases and not inj.get("optional"):
                k = [ph["id"] for ph in d["phases"]].index(inj["phase"])
                lo = starts[k] if k < len(starts) else 0
                hi = starts[k + 1] if k + 1 < len(starts) else duration
                if not lo <= t < hi:
                    errors.add(
                        ("injects", i, "time"),
                        f"{_show(inj['time'])} is outside phase {_show(inj['phase'])}",
                    )
        if "deadline" in inj and _seconds(inj["deadline"]) <= 0:
            errors.add(("injects", i, "deadline"), "a deadline is longer than 0")
    for i, inj in enumerate(d["injects"]):
        if "reply_to" in inj:
            known(("injects", i, "reply_to"), inj["reply_to"], injects, "inject")
            parent_t = inject_times.get(inj["reply_to"])
            if (
                parent_t is not None
                and not inj.get("optional")
                and parent_t >= inject_times[inj["id"]]
            ):
                errors.add(("injects", i, "reply_to"), "replies to an inject that comes later")

    for i, role in enumerate(d["roles"]):
        known(("roles", i, "approval_by"), role.get("approval_by"), roles, "role")
        if role.get("approval_by") == role["id"]:
            errors.add(("roles", i, "approval_by"), "a role cannot approve its own replies")
    for key in ("memo_deadline", "response_deadline"):
        if key in d and _seconds(d[key]) > duration:
            errors.add((key,), f"is after the end of the scenario ({d['duration']})")
    for i, rule in enumerate(d["reactions"]):
        known(("reactions", i, "persona"), rule.get("persona"), personas, "persona")
        for j, plat in enumerate(rule.get("platforms", [])):
            on_platform(("reactions", i, "platforms", j), plat)
    for section in ("required", "forbidden"):
        seen: set[str] = set()
        for i, el in enumerate(d["rubric"][section]):
            if el["id"] in seen:
                errors.add(("rubric", section, i, "id"), f"{_show(el['id'])} is used twice")
            seen.add(el["id"])
    del objectives  # objectives need no cross-checks beyond unique ids
    if "grammar" in d:
        for i, ph in enumerate(d["phases"]):
            for key in ("templates", "platform_templates"):
                if key in ph:
                    errors.add(
                        ("phases", i, key),
                        "this scenario has a grammar: write these lines in grammar.<lang> "
                        "(per persona, with `phase:` conditions) instead of phase templates",
                        at_key=True,
                    )
        for key in ("platform_templates", "replies"):
            if key in d:
                errors.add(
                    (key,),
                    f"this scenario has a grammar: `{key}` is the old format; write these "
                    f"lines in grammar.<lang>.personas (see docs/scenario-format.md)",
                    at_key=True,
                )
        _check_grammar(d, errors, injects, phases, personas, platforms, langs)
        _check_placeholders(
            {k: v for k, v in d.items() if k not in ("reactions", "grammar", "facts")}, (), errors
        )
    else:
        for i, ph in enumerate(d["phases"]):
            if "templates" not in ph:
                errors.add(
                    ("phases", i),
                    'missing required key "templates" (an old-style scenario needs phase '
                    "templates; or give the scenario a `grammar:`, see docs/scenario-format.md)",
                )
        if "facts" in d:
            errors.add(
                ("facts",),
                "facts are used by a grammar: add `grammar:` (see docs/scenario-format.md)",
                at_key=True,
            )
        _check_placeholders(d, (), errors)


def _check_grammar(
    d: dict,
    errors: _Errors,
    injects: set[str],
    phases: set[str],
    personas: set[str],
    platforms: set[str],
    langs: list[str],
) -> None:
    """Every slot resolves, every condition names something real, every persona has lines."""
    facts: set[str] = set()
    for i, f in enumerate(d.get("facts", [])):
        if f["id"] in facts:
            errors.add(("facts", i, "id"), f"{_show(f['id'])} is used twice in facts")
        if f["id"] in g.BUILTINS:
            errors.add(("facts", i, "id"), f"{_show(f['id'])} is a slot the storm fills itself")
        facts.add(f["id"])
        inj = f["revealed_by"].get("inject")
        if inj is not None and inj not in injects:
            errors.add(
                ("facts", i, "revealed_by", "inject"),
                f"{_show(inj)} is not an inject of this scenario ({', '.join(sorted(injects))})",
            )
    gram = d["grammar"]
    for lang in langs:
        if lang not in gram:
            errors.add(("grammar",), f"no grammar for {lang} (the scenario is written in {lang})")
    weights = {p["id"]: p for p in d["personas"]}
    for lang, block in gram.items():
        if lang not in langs:
            continue
        scen = g.compile_rules(block.get("rules") or {}, facts, ("grammar", lang, "rules"))
        for name in scen:
            if name in facts:
                errors.add(
                    ("grammar", lang, "rules", name),
                    f"{_show(name)} is both a rule and a fact: rename one",
                    at_key=True,
                )
            if name in g.BUILTINS:
                errors.add(
                    ("grammar", lang, "rules", name),
                    f"{_show(name)} is a slot the storm fills itself: pick another name",
                    at_key=True,
                )
            if "." in name or name in g.PLATFORM_FORMS:
                errors.add(
                    ("grammar", lang, "rules", name),
                    "a scenario's shared rules cannot hold a platform's posts (those belong to "
                    "a persona: grammar.<lang>.personas.<id>.<platform>)",
                    at_key=True,
                )
        own = block.get("personas") or {}
        for pid in own:
            if pid not in personas:
                errors.add(
                    ("grammar", lang, "personas", pid),
                    f"{_show(pid)} is not a persona of this scenario "
                    f"({', '.join(sorted(personas))})",
                    at_key=True,
                )
        reported: set[tuple] = set()
        for i, p in enumerate(d["personas"]):
            if lang not in p.get("languages", langs):
                continue
            mine = g.compile_rules(
                own.get(p["id"]) or {}, facts, ("grammar", lang, "personas", p["id"])
            )
            lookup = g.lookup_for(lang, p["archetype"], scen, mine)
            for alts in lookup.values():
                for alt in alts:
                    if alt.source[0] != "grammar" or alt.source in reported:
                        continue
                    problems = _alt_problems(alt, lookup, facts, phases)
                    if problems:
                        reported.add(alt.source)
                        for message in problems:
                            errors.add(alt.source, message)
            if weights[p["id"]]["weight"] <= 0:
                continue
            for plat in p.get("platforms", d["platforms"]):
                if plat not in platforms or not any(
                    ph["rates"].get(plat, 0) > 0 for ph in d["phases"]
                ):
                    continue
                for form in PLATFORMS[plat].root_forms:
                    if f"{plat}.{form}" not in lookup:
                        errors.add(
                            ("personas", i, "platforms"),
                            f"persona {_show(p['id'])} posts on {plat} but has no lines for it "
                            f"in {lang}: write grammar.{lang}.personas.{p['id']}.{plat}.{form} "
                            f"(its archetype {p['archetype']} has none), or remove {plat} "
                            f"from its platforms",
                        )


def _alt_problems(alt, lookup: dict, facts: set[str], phases: set[str]) -> list[str]:
    out = []
    for name, optional, _ in g.references((alt,)):
        if name not in lookup and not optional:
            out.append(
                f"{{{name}}} is not a rule or a fact of this scenario, nor a shared one "
                f"(declare it under grammar.<lang>.rules, the persona, or facts)"
            )
    for fact in sorted((alt.known | alt.unknown) - facts):
        out.append(f"{_show(fact)} is not a fact of this scenario ({', '.join(sorted(facts))})")
    for phase in sorted((alt.phases or frozenset()) - phases):
        out.append(f"{_show(phase)} is not a phase of this scenario ({', '.join(sorted(phases))})")
    return out


PLACEHOLDERS = frozenset(
    {"brand", "handle", "topic", "hashtag", "mention", "name", "city", "number"}
)
REACTION_PLACEHOLDERS = PLACEHOLDERS | {"quote", "author"}
PLACEHOLDER = re.compile(r"\{(\w*)\}")
_TEXT_KEYS = {"templates", "platform_templates", "replies", "texts", "text"}


def _check_placeholders(node: Any, path: Path_, errors: _Errors, inside: bool = False) -> None:
    """Templates may only use the placeholders the storm knows how to fill."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_placeholders(value, path + (key,), errors, inside or key in _TEXT_KEYS)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_placeholders(value, path + (i,), errors, inside)
    elif inside and isinstance(node, str):
        allowed = REACTION_PLACEHOLDERS if path and path[0] == "reactions" else PLACEHOLDERS
        for name in PLACEHOLDER.findall(node):
            if name not in allowed:
                known_names = ", ".join("{" + p + "}" for p in sorted(allowed))
                errors.add(path, f"unknown placeholder {{{name}}} (use {known_names})")


def _l10n(v: dict | None) -> L10n | None:
    """A text in both languages; a scenario written in one gives that one for both (the
    session page warns the trainer when the session's language is not the scenario's)."""
    if not v:
        return None
    return L10n(fr=v.get("fr") or v["en"], en=v.get("en") or v["fr"])


def _phrases(v: dict | None) -> dict[str, tuple[str, ...]]:
    v = v or {}
    return frozen_map({lang: tuple(v.get(lang, ())) for lang in LANGS})


def _by_sentiment(v: dict | None):
    return frozen_map({s: _phrases(v[s]) for s in SENTIMENTS if v and s in v})


def _platform_templates(v: dict | None):
    return frozen_map({p: _by_sentiment(t) for p, t in (v or {}).items()})


def _author(a: dict) -> InjectAuthor:
    return InjectAuthor(
        handle=a["handle"],
        name=a["name"],
        followers=a.get("followers"),
        verified=a.get("verified", False),
    )


def _facts(d: dict) -> tuple[Fact, ...]:
    out = []
    for f in d.get("facts", []):
        by = f["revealed_by"]
        out.append(
            Fact(
                id=f["id"],
                values=frozen_map({lang: g.fact_values(f[lang]) for lang in LANGS if lang in f}),
                inject=by.get("inject"),
                action=by.get("action"),
                at=_seconds(by["at"]) if "at" in by else None,
                trainer=False,
            )
        )
    return tuple(out)


def _grammar(d: dict, langs: tuple[str, ...]) -> dict:
    """lang -> persona id -> every rule that persona can reach, compiled."""
    if "grammar" not in d:
        return {}
    facts = {f["id"] for f in d.get("facts", [])}
    out = {}
    for lang in langs:
        block = d["grammar"].get(lang) or {}
        scen = g.compile_rules(block.get("rules") or {}, facts, ("grammar", lang, "rules"))
        own = block.get("personas") or {}
        out[lang] = frozen_map(
            {
                p["id"]: frozen_map(
                    g.lookup_for(
                        lang,
                        p["archetype"],
                        scen,
                        g.compile_rules(
                            own.get(p["id"]) or {}, facts, ("grammar", lang, "personas", p["id"])
                        ),
                    )
                )
                for p in d["personas"]
            }
        )
    return frozen_map(out)


def _clock(value: str | None) -> float | None:
    if not value:
        return None
    h, m = value.split(":")
    return int(h) * 3600.0 + int(m) * 60.0


def _build(d: dict, source: str) -> Scenario:
    all_platforms = tuple(d["platforms"])
    langs = tuple(d.get("languages", LANGS))
    duration = _seconds(d["duration"])
    phases = tuple(
        Phase(
            id=ph["id"],
            start=_seconds(ph["start"]),
            title=_l10n(ph["title"]),
            rates=frozen_map({p: float(r) for p, r in ph["rates"].items()}),
            sentiment=frozen_map(
                {s: ph["sentiment"][s] / sum(ph["sentiment"].values()) for s in SENTIMENTS}
            ),
            topics=_phrases(ph.get("topics")),
            hashtags=_phrases(ph.get("hashtags")),
            templates=_by_sentiment(ph.get("templates")),
            platform_templates=_platform_templates(ph.get("platform_templates")),
        )
        for ph in d["phases"]
    )

    def phase_of(t: float) -> str:
        current = phases[0].id
        for ph in phases:
            if ph.start <= t:
                current = ph.id
        return current

    injects = []
    for inj in d["injects"]:
        t = _seconds(inj["time"])
        author = inj.get("author")
        injects.append(
            Inject(
                id=inj["id"],
                time=t,
                phase=inj.get("phase") or phase_of(t),
                platform=inj["platform"],
                kind=inj.get("kind") or PLATFORMS[inj["platform"]].default_kind,
                persona=inj["persona"],
                author=_author(author) if author else None,
                reply_to=inj.get("reply_to"),
                text=_l10n(inj["text"]),
                sentiment=inj.get("sentiment", "negative"),
                severity=inj["severity"],
                virality=float(inj.get("virality", 1.0)),
                must_escalate_to=inj.get("must_escalate_to"),
                expected_actions=tuple(inj.get("expected_actions", ())),
                deadline=_seconds(inj["deadline"]) if "deadline" in inj else None,
                objective=inj.get("objective"),
                optional=bool(inj.get("optional", False)),
                note=_l10n(inj.get("note")),
                bait=bool(inj.get("bait", False)),
                reveals=tuple(
                    f["id"]
                    for f in d.get("facts", [])
                    if f["revealed_by"].get("inject") == inj["id"]
                ),
                title=_l10n(inj.get("title")),
                rating=inj.get("rating"),
            )
        )
    return Scenario(
        id=d["id"],
        title=_l10n(d["title"]),
        synopsis=_l10n(d["synopsis"]),
        severity=d["severity"],
        crisis_type=d.get("crisis_type"),
        duration=duration,
        languages=langs,
        memo_deadline=_seconds(d["memo_deadline"]) if "memo_deadline" in d else None,
        response_deadline=_seconds(d["response_deadline"])
        if "response_deadline" in d
        else min(DEFAULT_RESPONSE_DEADLINE, duration),
        brand=Brand(
            name=d["brand"]["name"],
            handles=frozen_map(d["brand"]["handles"]),
            sector=_l10n(d["brand"]["sector"]),
            voice=_l10n(d["brand"]["voice"]),
        ),
        platforms=all_platforms,
        hashtags=_phrases(d.get("hashtags")),
        personas=tuple(
            Persona(
                id=p["id"],
                archetype=p["archetype"],
                label=_l10n(p["label"]),
                weight=float(p["weight"]),
                followers_median=p["followers"]["median"],
                followers_spread=float(p["followers"].get("spread", 1.0)),
                followers_max=p["followers"].get("max", 50_000_000),
                verified=float(p.get("verified", 0.0)),
                stance=p["stance"],
                platforms=tuple(p.get("platforms", all_platforms)),
                languages=tuple(p.get("languages", langs)),
                pool=p.get("pool"),
                voice=voice_for(p["archetype"], p.get("voice")),
                authors=tuple(_author(a) for a in p.get("authors", ())),
            )
            for p in d["personas"]
        ),
        phases=phases,
        platform_templates=_platform_templates(d.get("platform_templates")),
        replies=_by_sentiment(d.get("replies")),
        injects=tuple(injects),
        roles=tuple(
            Role(
                id=r["id"],
                title=_l10n(r["title"]),
                description=_l10n(r.get("description")),
                approval_by=r.get("approval_by"),
            )
            for r in d["roles"]
        ),
        objectives=tuple(
            Objective(id=o["id"], title=_l10n(o["title"]), description=_l10n(o.get("description")))
            for o in d["objectives"]
        ),
        playbook=tuple(
            HoldingStatement(id=s["id"], title=_l10n(s["title"]), text=_l10n(s["text"]))
            for s in d["playbook"]
        ),
        rubric=Rubric(
            required=tuple(_element(e) for e in d["rubric"]["required"]),
            forbidden=tuple(_element(e) for e in d["rubric"]["forbidden"]),
            min_required=d["rubric"].get("min_required", min(3, len(d["rubric"]["required"]))),
        ),
        reactions=tuple(
            ReactionRule(
                id=r["id"],
                type=r["type"],
                label=_l10n(r.get("label")),
                persona=r.get("persona"),
                platforms=tuple(r.get("platforms", ())),
                factor=r.get("factor"),
                shift=r.get("shift"),
                posts=r.get("posts"),
                virality=r.get("virality"),
                lag=_seconds(r["lag"]) if "lag" in r else None,
                duration=_seconds(r["duration"]) if "duration" in r else None,
                texts=_phrases(r.get("texts")),
            )
            for r in d["reactions"]
        ),
        facts=_facts(d),
        grammar=_grammar(d, langs),
        start_clock=_clock(d.get("clock")),
        source=source,
    )


def _element(e: dict) -> RubricElement:
    return RubricElement(
        id=e["id"],
        label=_l10n(e["label"]),
        phrases=_phrases(e["phrases"]),
        with_phrases=_phrases(e["with_phrases"]) if "with_phrases" in e else None,
    )


def load_directory(directory: str | Path) -> tuple[list[Scenario], list[str]]:
    """Every valid scenario in a folder, and the errors of the others."""
    scenarios, errors = [], []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            scenarios.append(load_scenario(path, source=f"{Path(directory).name}/{path.name}"))
        except ScenarioError as exc:
            errors.extend(exc.errors)
    return scenarios, errors
