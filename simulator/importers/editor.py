"""The scenario editor's model: a scenario's data as form data, form data as scenario YAML.

The browser edits a scenario through forms whose fields are plain texts; this module turns a
scenario (the dict its YAML loads to) into those texts and back, and says which field a
loader error is about. Nothing here validates a scenario: the loader does, on the YAML that
`form_to_yaml` writes, so that the editor and `scenario validate` give the same errors.

Whatever a form has no field for (an author with `verified`, a persona's voice, a fact's
values, an empty list) stays as YAML in the item's `more` text, or in a section's YAML text,
so that YAML -> form -> YAML keeps every field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import yaml

from ..engine.scenario import PLATFORMS

LANG_KEYS = ("fr", "en")
SENTIMENT_KEYS = ("negative", "neutral", "positive")

# The order keys are written in, as in docs/example-scenario.yaml.
TOP_ORDER = (
    "id",
    "title",
    "synopsis",
    "severity",
    "crisis_type",
    "duration",
    "clock",
    "languages",
    "memo_deadline",
    "response_deadline",
    "brand",
    "platforms",
    "hashtags",
    "personas",
    "phases",
    "replies",
    "platform_templates",
    "grammar",
    "injects",
    "facts",
    "roles",
    "objectives",
    "playbook",
    "rubric",
    "reactions",
)
# Top-level sections edited as YAML texts, one field each.
YAML_SECTIONS = {"rubric": "rubric_yaml", "reactions": "reactions_yaml", "grammar": "grammar_yaml"}
OTHER = "other_yaml"  # everything else the form has no field for (replies, platform_templates)
# libyaml when installed: the form's YAML texts are parsed on every keystroke
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class EditorError(Exception):
    """A YAML text of the form that does not parse: (field, message) per problem."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


# --- what a value must look like for a field to hold it ------------------------------------


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != "" and v == v.strip("\n")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_duration(v: Any) -> bool:
    return _is_number(v) or (_is_text(v) and _number(v) is None)


def _is_l10n(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and bool(v)
        and all(k in LANG_KEYS and _is_text(t) for k, t in v.items())
    )


def _is_words(v: Any) -> bool:
    """A non-empty list of texts that a comma-separated field gives back as they were."""
    return (
        isinstance(v, list)
        and bool(v)
        and all(_is_text(x) and "," not in x and x == x.strip() for x in v)
    )


def _is_lines(v: Any) -> bool:
    return isinstance(v, list) and all(_is_text(x) and "\n" not in x and x == x.strip() for x in v)


def _number(text: str) -> int | float | None:
    t = text.strip()
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    if re.fullmatch(r"-?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)", t):
        return float(t)
    return None


def _show_number(v: int | float) -> str:
    return repr(v) if isinstance(v, float) else str(v)


def _dump(value: Any) -> str:
    if value is None or value == {}:
        return ""
    return dump(value)


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)


@lru_cache(maxsize=256)
def _parse(text: str) -> tuple[Any, str | None]:
    """A YAML text's value, or None and what is wrong with it; the same text is parsed once
    (the value is shared: read it, never change it)."""
    try:
        return yaml.load(text, Loader=_LOADER), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, f"not YAML ({where}{problem})"


# --- scenario dict -> form data -------------------------------------------------------------


class _Taker:
    """Moves the keys a form has fields for out of a dict; what is left is `rest`."""

    def __init__(self, d: Mapping[str, Any]):
        self.rest = dict(d)
        self.out: dict[str, Any] = {}

    def take(self, key: str, check: Callable[[Any], bool]) -> Any:
        if key in self.rest and check(self.rest[key]):
            return self.rest.pop(key)
        return None

    def text(self, key: str, field: str | None = None) -> None:
        v = self.take(key, _is_text)
        self.out[field or key] = v or ""

    def number(self, key: str, field: str | None = None) -> None:
        v = self.take(key, _is_number)
        self.out[field or key] = "" if v is None else _show_number(v)

    def duration(self, key: str, field: str | None = None) -> None:
        v = self.take(key, _is_duration)
        self.out[field or key] = "" if v is None else (_show_number(v) if _is_number(v) else v)

    def l10n(self, key: str, field: str | None = None) -> None:
        v = self.take(key, _is_l10n) or {}
        for lang in LANG_KEYS:
            self.out[f"{field or key}_{lang}"] = v.get(lang, "")

    def words(self, key: str, field: str | None = None) -> None:
        v = self.take(key, _is_words)
        self.out[field or key] = ", ".join(v) if v else ""

    def flag(self, key: str) -> None:
        self.out[key] = bool(self.take(key, lambda v: v is True))

    def more(self) -> dict[str, Any]:
        self.out["more"] = _dump(self.rest)
        return self.out


def _persona(p: dict) -> dict:
    t = _Taker(p)
    t.text("id")
    t.text("archetype")
    t.l10n("label")
    t.number("weight")
    t.text("stance")
    followers = t.take(
        "followers",
        lambda v: (
            isinstance(v, dict)
            and "median" in v
            and set(v) <= {"median", "spread"}
            and all(_is_number(x) for x in v.values())
        ),
    )
    followers = followers or {}
    t.out["followers_median"] = _show_number(followers["median"]) if followers else ""
    t.out["followers_spread"] = _show_number(followers["spread"]) if "spread" in followers else ""
    t.number("verified")
    t.words("platforms")
    return t.more()


def _phase(ph: dict) -> dict:
    t = _Taker(ph)
    t.text("id")
    t.duration("start")
    t.l10n("title")
    rates = t.take(
        "rates",
        lambda v: (
            isinstance(v, dict)
            and bool(v)
            and all(k in PLATFORMS and _is_number(x) for k, x in v.items())
        ),
    )
    for p in PLATFORMS:
        t.out[f"rate_{p}"] = _show_number(rates[p]) if rates and p in rates else ""
    sentiment = t.take(
        "sentiment",
        lambda v: (
            isinstance(v, dict)
            and set(v) == set(SENTIMENT_KEYS)
            and all(_is_number(x) for x in v.values())
        ),
    )
    for s in SENTIMENT_KEYS:
        t.out[s] = _show_number(sentiment[s]) if sentiment else ""
    return t.more()


def _is_author(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and set(v) <= {"handle", "name", "followers"}
        and {"handle", "name"} <= set(v)
        and _is_text(v["handle"])
        and _is_text(v["name"])
        and (
            "followers" not in v or (isinstance(v["followers"], int) and _is_number(v["followers"]))
        )
    )


def _inject(inj: dict) -> dict:
    t = _Taker(inj)
    t.text("id")
    t.duration("time")
    t.text("phase")
    t.text("platform")
    t.text("kind")
    t.text("persona")
    author = t.take("author", _is_author) or {}
    t.out["author_handle"] = author.get("handle", "")
    t.out["author_name"] = author.get("name", "")
    t.out["author_followers"] = str(author["followers"]) if "followers" in author else ""
    t.text("reply_to")
    t.l10n("text")
    t.text("sentiment")
    t.number("severity")
    t.number("virality")
    t.text("must_escalate_to")
    t.words("expected_actions")
    t.duration("deadline")
    t.text("objective")
    t.flag("optional")
    t.flag("bait")
    t.l10n("note")
    return t.more()


def _titled(item: dict, *extra: str) -> dict:
    t = _Taker(item)
    t.text("id")
    t.l10n("title")
    for key in extra:
        if key == "approval_by":
            t.text(key)
        else:
            t.l10n(key)
    return t.more()


def _fact(f: dict) -> dict:
    t = _Taker(f)
    t.text("id")
    revealed = t.take(
        "revealed_by",
        lambda v: (
            isinstance(v, dict)
            and bool(v)
            and set(v) <= {"inject", "action", "at"}
            and all(_is_text(v[k]) for k in ("inject", "action") if k in v)
            and ("at" not in v or _is_duration(v["at"]))
        ),
    )
    revealed = revealed or {}
    t.out["revealed_inject"] = revealed.get("inject", "")
    t.out["revealed_action"] = revealed.get("action", "")
    at = revealed.get("at", "")
    t.out["revealed_at"] = _show_number(at) if _is_number(at) else at
    return t.more()


ITEMS: dict[str, Callable[[dict], dict]] = {
    "personas": _persona,
    "phases": _phase,
    "injects": _inject,
    "facts": _fact,
    "roles": lambda r: _titled(r, "description", "approval_by"),
    "objectives": lambda o: _titled(o, "description"),
    "playbook": lambda s: _titled(s, "text"),
}


def scenario_to_form(data: Mapping[str, Any]) -> dict[str, Any]:
    """The editor's form data for a scenario's data (the dict its YAML loads to)."""
    t = _Taker(data)
    t.text("id")
    t.l10n("title")
    t.l10n("synopsis")
    t.number("severity")
    t.text("crisis_type")
    t.duration("duration")
    t.text("clock")
    t.words("languages")
    t.duration("memo_deadline")
    t.duration("response_deadline")
    t.words("platforms")
    hashtags = t.take(
        "hashtags",
        lambda v: (
            isinstance(v, dict)
            and set(v) == set(LANG_KEYS)
            and all(_is_lines(x) for x in v.values())
            and any(v.values())
        ),
    )
    for lang in LANG_KEYS:
        t.out[f"hashtags_{lang}"] = "\n".join(hashtags[lang]) if hashtags else ""
    brand = t.take(
        "brand",
        lambda v: (
            isinstance(v, dict)
            and set(v) == {"name", "handles", "sector", "voice"}
            and _is_text(v["name"])
            and isinstance(v["handles"], dict)
            and bool(v["handles"])
            and all(_is_text(k) and _is_text(h) for k, h in v["handles"].items())
            and _is_l10n(v["sector"])
            and _is_l10n(v["voice"])
        ),
    )
    t.out["brand_name"] = brand["name"] if brand else ""
    t.out["accounts"] = (
        [{"platform": p, "handle": h} for p, h in brand["handles"].items()] if brand else []
    )
    for key in ("sector", "voice"):
        for lang in LANG_KEYS:
            t.out[f"brand_{key}_{lang}"] = brand[key].get(lang, "") if brand else ""
    for section, convert in ITEMS.items():
        items = t.take(
            section, lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v) and v
        )
        t.out[section] = [convert(item) for item in items] if items else []
    for section, field in YAML_SECTIONS.items():
        t.out[field] = _dump(t.rest.pop(section)) if section in t.rest else ""
    t.out[OTHER] = _dump(t.rest)
    return t.out


def yaml_to_form(text: str) -> dict[str, Any]:
    """The form data for a scenario's YAML text (valid or not, as long as it parses)."""
    data = yaml.load(text, Loader=_LOADER)
    return scenario_to_form(data if isinstance(data, dict) else {})


# --- form data -> scenario dict -> YAML -------------------------------------------------------


class _Giver:
    """Builds a scenario dict from form texts, collecting YAML texts that do not parse."""

    def __init__(self, form: Mapping[str, Any], prefix: str, problems: list[tuple[str, str]]):
        self.form, self.prefix, self.problems = form, prefix, problems
        self.out: dict[str, Any] = {}

    def _get(self, field: str) -> str:
        v = self.form.get(field)
        return v if isinstance(v, str) else ""

    def text(self, key: str, field: str | None = None, into: dict | None = None) -> None:
        v = self._get(field or key)
        if v.strip():
            (self.out if into is None else into)[key] = v.strip("\n").strip("\r")

    def number(self, key: str, field: str | None = None, into: dict | None = None) -> None:
        v = self._get(field or key)
        if v.strip():
            n = _number(v)
            (self.out if into is None else into)[key] = v.strip() if n is None else n

    duration = number  # a number of seconds, or a text such as 25m for the loader to read

    def l10n(self, key: str, field: str | None = None) -> None:
        value = {}
        for lang in LANG_KEYS:
            self.text(lang, f"{field or key}_{lang}", into=value)
        if value:
            self.out[key] = value

    def words(self, key: str, field: str | None = None) -> None:
        words = [w.strip() for w in self._get(field or key).split(",") if w.strip()]
        if words:
            self.out[key] = words

    def flag(self, key: str) -> None:
        if self.form.get(key) is True or self.form.get(key) in ("y", "on", "true"):
            self.out[key] = True

    def yaml(self, field: str) -> Any:
        text = self._get(field)
        if not text.strip():
            return None
        value, problem = _parse(text)
        if problem:
            self.problems.append((self.prefix + field, problem))
        return value

    def more(self) -> dict[str, Any]:
        extra = self.yaml("more")
        if extra is not None and not isinstance(extra, dict):
            self.problems.append((self.prefix + "more", "expected keys and values (key: value)"))
            extra = None
        return {**(extra or {}), **self.out}


def _give_persona(g: _Giver) -> dict:
    g.text("id")
    g.text("archetype")
    g.l10n("label")
    g.number("weight")
    followers: dict[str, Any] = {}
    g.number("median", "followers_median", into=followers)
    g.number("spread", "followers_spread", into=followers)
    if followers:
        g.out["followers"] = followers
    g.number("verified")
    g.text("stance")
    g.words("platforms")
    return g.more()


def _give_phase(g: _Giver) -> dict:
    g.text("id")
    g.duration("start")
    g.l10n("title")
    rates: dict[str, Any] = {}
    for p in PLATFORMS:
        g.number(p, f"rate_{p}", into=rates)
    if rates:
        g.out["rates"] = rates
    sentiment: dict[str, Any] = {}
    for s in SENTIMENT_KEYS:
        g.number(s, into=sentiment)
    if sentiment:
        g.out["sentiment"] = sentiment
    return g.more()


def _give_inject(g: _Giver) -> dict:
    g.text("id")
    g.duration("time")
    g.text("phase")
    g.text("platform")
    g.text("kind")
    g.text("persona")
    author: dict[str, Any] = {}
    g.text("handle", "author_handle", into=author)
    g.text("name", "author_name", into=author)
    g.number("followers", "author_followers", into=author)
    if author:
        g.out["author"] = author
    g.text("reply_to")
    g.l10n("text")
    g.text("sentiment")
    g.number("severity")
    g.number("virality")
    g.text("must_escalate_to")
    g.words("expected_actions")
    g.duration("deadline")
    g.text("objective")
    g.flag("optional")
    g.flag("bait")
    g.l10n("note")
    return g.more()


def _give_titled(*extra: str) -> Callable[[_Giver], dict]:
    def give(g: _Giver) -> dict:
        g.text("id")
        g.l10n("title")
        for key in extra:
            if key == "approval_by":
                g.text(key)
            else:
                g.l10n(key)
        return g.more()

    return give


def _give_fact(g: _Giver) -> dict:
    g.text("id")
    revealed: dict[str, Any] = {}
    g.text("inject", "revealed_inject", into=revealed)
    g.text("action", "revealed_action", into=revealed)
    g.duration("at", "revealed_at", into=revealed)
    if revealed:
        g.out["revealed_by"] = revealed
    return g.more()


GIVE: dict[str, Callable[[_Giver], dict]] = {
    "personas": _give_persona,
    "phases": _give_phase,
    "injects": _give_inject,
    "facts": _give_fact,
    "roles": _give_titled("description", "approval_by"),
    "objectives": _give_titled("description"),
    "playbook": _give_titled("text"),
}


def form_to_scenario(form: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario's data from the editor's form data; EditorError when a YAML text of the
    form does not parse (nothing else is checked here: the loader does that)."""
    problems: list[tuple[str, str]] = []
    g = _Giver(form, "", problems)
    g.text("id")
    g.l10n("title")
    g.l10n("synopsis")
    g.number("severity")
    g.text("crisis_type")
    g.duration("duration")
    g.text("clock")
    g.words("languages")
    g.duration("memo_deadline")
    g.duration("response_deadline")
    brand: dict[str, Any] = {}
    g.text("name", "brand_name", into=brand)
    handles = {}
    for account in form.get("accounts") or []:
        platform = (account.get("platform") or "").strip()
        handle = (account.get("handle") or "").strip()
        if platform or handle:
            handles[platform] = handle
    if handles:
        brand["handles"] = handles
    for key in ("sector", "voice"):
        sub = _Giver(form, "", problems)
        sub.l10n(key, f"brand_{key}")
        brand.update(sub.out)
    if brand:
        g.out["brand"] = brand
    g.words("platforms")
    tags = {
        lang: [h.strip() for h in g._get(f"hashtags_{lang}").splitlines() if h.strip()]
        for lang in LANG_KEYS
    }
    if any(tags.values()):
        g.out["hashtags"] = tags
    for section, give in GIVE.items():
        items = []
        for index, item in enumerate(form.get(section) or []):
            items.append(give(_Giver(item, f"{section}.{index}.", problems)))
        if items:
            g.out[section] = items
    for section, field in YAML_SECTIONS.items():
        value = g.yaml(field)
        if value is not None:
            g.out[section] = value
    other = g.yaml(OTHER)
    if other is not None and not isinstance(other, dict):
        problems.append((OTHER, "expected keys and values (key: value)"))
        other = None
    if problems:
        raise EditorError(problems)
    data = {**(other or {}), **g.out}
    order = {key: i for i, key in enumerate(TOP_ORDER)}
    return dict(sorted(data.items(), key=lambda kv: order.get(kv[0], len(order))))


def form_to_yaml(form: Mapping[str, Any]) -> str:
    """The scenario YAML text of the editor's form data, as `scenario validate` reads it."""
    return dump(form_to_scenario(form))


# --- loader errors -> form fields ---------------------------------------------------------------

_ERROR = re.compile(r"^.*?:\d+:\d+: (?P<path>.*?): (?P<message>.*)$", re.S)
_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")
_MISSING = re.compile(r'^missing required key "([^"]+)"')

_SCALARS = {
    "id",
    "severity",
    "crisis_type",
    "duration",
    "clock",
    "languages",
    "memo_deadline",
    "response_deadline",
    "platforms",
}
# per section: the YAML key -> the item's field (l10n keys take the language)
_ITEM_FIELDS: dict[str, dict[str, str]] = {
    "personas": {
        **{k: k for k in ("id", "archetype", "weight", "stance", "verified", "platforms")},
        "label": "label_",
        "followers": "followers_median",
        "followers.spread": "followers_spread",
    },
    "phases": {"id": "id", "start": "start", "title": "title_", "rates": "rate_"}
    | {f"sentiment.{s}": s for s in SENTIMENT_KEYS}
    | {"sentiment": "negative"},
    "injects": {
        **{
            k: k
            for k in (
                "id",
                "time",
                "phase",
                "platform",
                "kind",
                "persona",
                "reply_to",
                "sentiment",
                "severity",
                "virality",
                "must_escalate_to",
                "expected_actions",
                "deadline",
                "objective",
                "optional",
                "bait",
            )
        },
        "text": "text_",
        "note": "note_",
        "author": "author_handle",
        "author.name": "author_name",
        "author.followers": "author_followers",
    },
    "facts": {
        "id": "id",
        "revealed_by": "revealed_inject",
        "revealed_by.action": "revealed_action",
        "revealed_by.at": "revealed_at",
    },
    "roles": {
        "id": "id",
        "title": "title_",
        "description": "description_",
        "approval_by": "approval_by",
    },
    "objectives": {"id": "id", "title": "title_", "description": "description_"},
    "playbook": {"id": "id", "title": "title_", "text": "text_"},
}


def error_path(line: str) -> tuple[tuple[str | int, ...], str]:
    """A loader error line's path (as parts) and message; ((), line) when it has none."""
    m = _ERROR.match(line)
    if not m:
        return (), line
    path_text, message = m["path"], m["message"]
    if path_text == "(top)":
        parts: tuple[str | int, ...] = ()
    else:
        parts = tuple(int(i) if i else k for i, k in _PART.findall(path_text))
    missing = _MISSING.match(message)
    if missing:
        parts = (*parts, missing.group(1))
    return parts, message


def _l10n_field(prefix: str, rest: tuple) -> str:
    lang = rest[0] if rest and rest[0] in LANG_KEYS else LANG_KEYS[0]
    return f"{prefix}{lang}"


def field_for(path: tuple[str | int, ...], form: Mapping[str, Any]) -> str:
    """The form field (dotted: `injects.3.text_fr`) an error at this YAML path is about."""
    if not path:
        return "id"
    head, rest = path[0], path[1:]
    if head in _SCALARS:
        return str(head)
    if head in ("title", "synopsis"):
        return _l10n_field(f"{head}_", rest)
    if head == "hashtags":
        return _l10n_field("hashtags_", rest)
    if head == "brand":
        if not rest or rest[0] == "name":
            return "brand_name"
        if rest[0] in ("sector", "voice"):
            return _l10n_field(f"brand_{rest[0]}_", rest[1:])
        accounts = form.get("accounts") or []
        if len(rest) > 1:
            for i, account in enumerate(accounts):
                if (account.get("platform") or "").strip() == rest[1]:
                    return f"accounts.{i}.handle"
        return "accounts"
    if head in YAML_SECTIONS:
        return YAML_SECTIONS[str(head)]
    if head in _ITEM_FIELDS:
        if not rest or not isinstance(rest[0], int):
            return str(head)
        prefix = f"{head}.{rest[0]}."
        keys = rest[1:]
        if not keys:
            return prefix + "id"
        fields = _ITEM_FIELDS[str(head)]
        two = f"{keys[0]}.{keys[1]}" if len(keys) > 1 else None
        if two in fields:
            return prefix + fields[two]
        field = fields.get(str(keys[0]))
        if field is None:
            return prefix + "more"
        if field.endswith("_") and field != "rate_":
            return prefix + _l10n_field(field, keys[1:])
        if field == "rate_":
            platform = keys[1] if len(keys) > 1 and keys[1] in PLATFORMS else PLATFORMS[0]
            return f"{prefix}rate_{platform}"
        return prefix + field
    return OTHER


def errors_by_field(errors: list[str], form: Mapping[str, Any]) -> list[dict[str, str]]:
    """Loader errors as {field, path, message}, in the loader's order."""
    out = []
    for line in errors:
        path, message = error_path(line)
        shown = ""
        for part in path:
            shown += f"[{part}]" if isinstance(part, int) else ("." if shown else "") + str(part)
        # a line without a place (such as "... and 3 more errors") goes in the summary only
        field = field_for(path, form) if _ERROR.match(line) else ""
        out.append({"field": field, "path": shown, "message": message, "line": line})
    return out


# --- a scenario from nothing ---------------------------------------------------------------------


def new_scenario(
    new_id: str, title: str, brand: str, incident: str, lang: str, minutes: int = 45
) -> dict[str, Any]:
    """A scenario to start from: the crowd, roles, objectives, playbook, rubric and reactions
    every drill needs (blank.yaml, as an MSEL imported on its own gets), in one language, with
    one first inject for the trainer to change."""
    from .standalone import BLANK, PHASE_STARTS, _replace

    data = yaml.safe_load(BLANK.read_text(encoding="utf-8"))
    slug = re.sub(r"[^A-Za-z0-9]", "", brand.title()) or "Brand"
    tokens = {
        "__ID__": new_id,
        "__TITLE__": title,
        "__BRAND__": brand,
        "__HANDLE__": slug[:15],
        "__SLUG__": slug,
    }
    data = _replace(data, tokens)
    data["title"] = {lang: title}
    data["synopsis"] = {lang: incident}
    data["languages"] = [lang]
    data["duration"] = f"{minutes}m"
    for phase, share in zip(data["phases"], PHASE_STARTS, strict=True):
        phase["start"] = f"{round(minutes * share)}m" if share else 0
        phase["title"] = {lang: phase["title"][lang]}
    data["grammar"] = {lang: {"rules": {"incident": [incident]}}}
    first = {
        "fr": f"Quelqu'un d'autre a vu ça ? {incident}",
        "en": f"Has anyone else seen this? {incident}",
    }
    data["injects"] = [
        {
            "id": "first-post",
            "time": "2m",
            "platform": "microblog",
            "persona": data["personas"][0]["id"],
            "text": {lang: first[lang]},
            "severity": 2,
            "expected_actions": ["reply"],
        }
    ]
    return data
