"""Composed texts: a grammar of named rules with conditional alternatives and slots.

A rule is a list of alternatives; an alternative is a text with slots (`{rule}`, `{fact}`,
`{brand}`, `{?rule}` for an optional part) and agreement marks (`[sg|pl]` or
`[m|f|mpl|fpl]`, agreeing with the last slot whose value declared a gender or number), and may
require things of the post it is written for: a phase, a sentiment, a platform, facts known
or unknown in the team's world, whether the brand has spoken, the state of its promise.

Where rules come from, first found wins, for a persona P of archetype A:
    the scenario's `grammar.<lang>.personas.P`  (its own lines, its own voice)
    the scenario's `grammar.<lang>.rules`        (generic fragments of this scenario)
    the engine's `grammar/<lang>.yaml` archetypes.A (the archetype's voice)
    the engine's `grammar/<lang>.yaml` rules     (shared building blocks)
A post starts at `<platform>.<form>` (microblog.post, forum.title, news.headline...), which
only personas and archetypes define: a post never borrows another platform's lines.

Everything is compiled once per scenario and language; expanding draws from the post's own
random stream, so the storm stays a pure function of its inputs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..platforms import PLATFORMS
from ..rng import Rng
from .french import polish

HERE = Path(__file__).resolve().parent
PLATFORM_FORMS = {name: p.forms for name, p in PLATFORMS.items()}
START_RULES = frozenset(f"{p}.{f}" for p, forms in PLATFORM_FORMS.items() for f in forms)
# Slots the storm fills itself; a rule or fact cannot take these names.
BUILTINS = frozenset(
    {
        "brand",
        "handle",
        "topic",
        "hashtag",
        "mention",
        "name",
        "city",
        "number",
        "quote",
        "author",
        "parent",
        "deadline",
        "promise",
    }
)
CONDITIONS = ("phase", "sentiment", "platform", "known", "unknown", "brand", "promise")
BRAND_STATES = ("silent", "spoken")
PROMISE_STATES = ("none", "pending", "kept", "broken")
AGREEMENT = ("m", "f", "mpl", "fpl", "sg", "pl")

_SLOT = re.compile(r"\{(\??)([a-z][a-z0-9_]*)\}|\[([^\[\]|]*(?:\|[^\[\]|]*)+)\]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Alt:
    """One alternative of a rule, compiled."""

    parts: tuple  # str, or (kind, name[, optional]) with kind r(ule) f(act) b(uiltin) a(gree)
    weight: float
    phases: frozenset[str] | None
    sentiments: frozenset[str] | None
    platforms: frozenset[str] | None
    known: frozenset[str]
    unknown: frozenset[str]
    brand: frozenset[str] | None
    promise: frozenset[str] | None
    agree: str | None
    source: tuple  # where it was written (file or section, then the path), for errors


class GrammarError(ValueError):
    """A grammar that cannot be compiled: (path, message) pairs."""

    def __init__(self, problems: list[tuple[tuple, str]]):
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


def parse_text(text: str, facts: Iterable[str]) -> tuple:
    """A text with slots -> parts; facts are told apart from rules by name."""
    facts = frozenset(facts)
    parts: list = []
    pos = 0
    for m in _SLOT.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        if m.group(3) is not None:
            parts.append(("a", tuple(m.group(3).split("|"))))
        else:
            name = m.group(2)
            if name in BUILTINS:
                parts.append(("b", name))
            elif name in facts:
                parts.append(("f", name))
            else:
                parts.append(("r", name, bool(m.group(1))))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def compile_alt(raw: Any, facts: Iterable[str], source: tuple) -> Alt:
    facts = frozenset(facts)
    if isinstance(raw, str):
        parts = parse_text(raw, facts)
        used = frozenset(p[1] for p in parts if isinstance(p, tuple) and p[0] == "f")
        return Alt(parts, 1.0, None, None, None, used, frozenset(), None, None, None, source)
    parts = parse_text(str(raw["text"]), facts)
    used = frozenset(p[1] for p in parts if isinstance(p, tuple) and p[0] == "f")

    def opt(key: str) -> frozenset[str] | None:
        return frozenset(map(str, _as_list(raw[key]))) if key in raw else None

    agree = None
    if "gender" in raw or "number" in raw:
        g = raw.get("gender", "m")
        agree = ("f" if g == "f" else "m") + ("pl" if raw.get("number") == "pl" else "")
    return Alt(
        parts,
        float(raw.get("weight", 1.0)),
        opt("phase"),
        opt("sentiment"),
        opt("platform"),
        used | frozenset(_as_list(raw.get("known"))),
        frozenset(_as_list(raw.get("unknown"))),
        opt("brand"),
        opt("promise"),
        agree,
        source,
    )


def compile_rules(raw: Mapping, facts: Iterable[str], source: tuple) -> dict[str, tuple[Alt, ...]]:
    """A block of rules (`name: [alternatives]`, platform blocks of start rules) compiled."""
    out: dict[str, tuple[Alt, ...]] = {}
    for name, value in (raw or {}).items():
        if name in PLATFORM_FORMS and isinstance(value, Mapping):
            for form, alts in value.items():
                out[f"{name}.{form}"] = _alts(alts, facts, source + (name, form))
        else:
            out[name] = _alts(value, facts, source + (name,))
    return out


def _alts(value: Any, facts: Iterable[str], path: tuple) -> tuple[Alt, ...]:
    if isinstance(value, list):
        return tuple(compile_alt(a, facts, path + (i,)) for i, a in enumerate(value))
    return (compile_alt(value, facts, path),)


@lru_cache(maxsize=4)
def shared(lang: str) -> dict:
    """The engine's building blocks for one language (grammar/<lang>.yaml), compiled."""
    data = yaml.safe_load((HERE / f"{lang}.yaml").read_text(encoding="utf-8")) or {}
    rules = compile_rules(data.get("rules") or {}, (), (f"grammar/{lang}.yaml", "rules"))
    archetypes = {
        a: compile_rules(block or {}, (), (f"grammar/{lang}.yaml", "archetypes", a))
        for a, block in (data.get("archetypes") or {}).items()
    }
    return {"rules": rules, "archetypes": archetypes}


def lookup_for(
    lang: str, archetype: str, scenario_rules: Mapping, persona_rules: Mapping
) -> dict[str, tuple[Alt, ...]]:
    """Every rule a persona can reach, first found wins: its own, the scenario's, its
    archetype's, the shared ones."""
    base = shared(lang)
    merged = dict(base["rules"])
    merged.update(base["archetypes"].get(archetype, {}))
    merged.update(scenario_rules)
    merged.update(persona_rules)
    return merged


def references(alts: Iterable[Alt]) -> Iterable[tuple[str, bool, tuple]]:
    """(rule name, optional, source) of every rule slot in these alternatives."""
    for alt in alts:
        for p in alt.parts:
            if isinstance(p, tuple) and p[0] == "r":
                yield p[1], p[2], alt.source


@dataclass
class State:
    """What a team's world knows, as of now: changed only by injects, actions and deadlines."""

    known: set[str]
    brand: str = "silent"
    promise: str = "none"
    version: int = 0

    def learn(self, fact: str) -> None:
        if fact not in self.known:
            self.known.add(fact)
            self.version += 1

    def set(self, brand: str | None = None, promise: str | None = None) -> None:
        if brand is not None and brand != self.brand:
            self.brand = brand
            self.version += 1
        if promise is not None and promise != self.promise:
            self.promise = promise
            self.version += 1


MAX_DEPTH = 12  # rules within rules: deeper than this, an expansion fails


class Ctx:
    """What an expansion knows of the post it writes."""

    __slots__ = ("persona", "phase", "phase_id", "sentiment", "platform", "rng", "agree", "extra")

    def __init__(self, persona, phase, phase_id, sentiment, platform, rng, extra=None):
        self.persona, self.phase, self.phase_id = persona, phase, phase_id
        self.sentiment, self.platform, self.rng = sentiment, platform, rng
        self.agree = "m"
        self.extra = extra


class Expander:
    """Expands start rules for the personas of one scenario in one language.

    Each alternative is compiled once into a writer (a Python function written for it: its
    texts joined as constants, its slots filled in order), and each rule whose alternatives
    carry no condition into a ready choice table; both are shared by every storm of the
    scenario. Expanding then draws from the post's stream exactly as the alternatives read.
    """

    MAX_DEPTH = MAX_DEPTH

    def __init__(
        self,
        lookup: Mapping[str, Mapping[str, tuple[Alt, ...]]],
        facts: Mapping[str, tuple[tuple[str, str | None], ...]],
        lang: str,
        builtin: Callable[[str, Ctx], str],
        state: State,
    ):
        self.lookup = lookup  # persona id -> rule name -> alternatives (chain resolved)
        self.facts = facts  # fact id -> ((text, agreement), ...)
        self.lang = lang
        self.builtin = builtin
        self.state = state
        self._cache: dict[tuple, _Choice] = {}
        self._version = -1
        # rules none of whose alternatives has a condition: drawn from without filtering
        self._static = static_choices(lookup)

    def has(self, persona: str, rule: str) -> bool:
        return rule in self.lookup.get(persona, {})

    def _eligible(self, ctx: Ctx, name: str) -> _Choice:
        st = self.state
        if st.version != self._version:
            self._cache.clear()
            self._version = st.version
        key = (ctx.persona, name, ctx.phase, ctx.sentiment, ctx.platform)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        alts = self.lookup[ctx.persona].get(name, ())
        known, brand, promise = st.known, st.brand, st.promise
        ok = []
        for a in alts:
            if a.phases is not None and ctx.phase_id not in a.phases:
                continue
            if a.sentiments is not None and ctx.sentiment not in a.sentiments:
                continue
            if a.platforms is not None and ctx.platform not in a.platforms:
                continue
            if a.known and not a.known <= known:
                continue
            if a.unknown and not a.unknown.isdisjoint(known):
                continue
            if a.brand is not None and brand not in a.brand:
                continue
            if a.promise is not None and promise not in a.promise:
                continue
            ok.append(a)
        hit = _choice_of(ok)
        if len(self._cache) < 20_000:
            self._cache[key] = hit
        return hit

    def expand(self, ctx: Ctx, name: str, depth: int = 0) -> str | None:
        """One expansion of a rule, or None when nothing fits (the post stays unwritten)."""
        choice = self._static[ctx.persona].get(name)
        if choice is None:
            choice = self._eligible(ctx, name)
        writers, cum, total, last, agrees = choice
        if last < 0:
            return None
        rng: Rng = ctx.rng
        tries = 3
        while tries:
            tries -= 1
            # rng.random(), inlined: the grammar draws most of a post's numbers
            i = rng.i
            if i == 16:
                rng._refill()
                i = 0
            rng.i = i + 1
            if last:
                k = bisect_right(cum, rng.block[i] * _UNIT * total)
                if k > last:
                    k = last
            else:  # one alternative: drawn for all that, so that the stream reads the same
                k = 0
            w = writers[k]
            if w.__class__ is str:
                text = w if depth <= MAX_DEPTH else None
            else:
                text = w(self, ctx, depth)
            if text is not None:
                agree = agrees[k]
                if agree is not None:
                    ctx.agree = agree
                return text
        return None

    def _write(self, ctx: Ctx, alt: Alt, depth: int) -> str | None:
        w = writer(alt)
        if w.__class__ is str:
            return w if depth <= self.MAX_DEPTH else None
        return w(self, ctx, depth)

    def _fact(self, ctx: Ctx, name: str) -> str | None:
        """A fact's value in a text: one of its variants, whose agreement it declares."""
        variants = self.facts.get(name)
        if not variants:
            return None
        value, agree = variants[int(ctx.rng.random() * len(variants))]
        if agree is not None:
            ctx.agree = agree
        return value

    def write_alt(self, ctx: Ctx, alt: Alt) -> str | None:
        text = self._write(ctx, alt, 0)
        return None if text is None else finish(text, self.lang)

    def write(self, ctx: Ctx, name: str) -> str | None:
        """A whole text from a start rule, cleaned and (in French) elided."""
        text = self.expand(ctx, name)
        if text is None:
            return None
        return finish(text, self.lang)


# A rule's alternatives ready to draw from: (writers, cumulative weights, total weight,
# index of the last one or -1 when there is none, agreement each declares).
_Choice = tuple[tuple, tuple[float, ...], float, int, tuple]
_UNIT = 1.0 / (1 << 32)  # as in Rng.random
_NO_CHOICE: _Choice = ((), (), 0.0, -1, ())


def _choice(alts: Iterable[Alt]) -> _Choice:
    alts = tuple(alts)
    if not alts:
        return _NO_CHOICE
    cum, total = [], 0.0
    for a in alts:
        total += a.weight
        cum.append(total)
    return (
        tuple(writer(a) for a in alts),
        tuple(cum),
        cum[-1],
        len(alts) - 1,
        tuple(a.agree for a in alts),
    )


_CHOICES: dict[tuple[int, ...], tuple[tuple[Alt, ...], _Choice]] = {}


def _choice_of(alts: list[Alt]) -> _Choice:
    """_choice, remembered by the alternatives' identity: the same few subsets of a rule's
    alternatives are eligible again and again as a storm's world changes."""
    key = tuple(map(id, alts))
    hit = _CHOICES.get(key)
    if hit is not None:
        return hit[1]
    if len(_CHOICES) >= 20_000:
        _CHOICES.clear()
    choice = _choice(alts)
    _CHOICES[key] = (tuple(alts), choice)  # holding the alternatives keeps their ids theirs
    return choice


_STATIC: dict[int, tuple[Mapping, dict[str, dict[str, _Choice]]]] = {}


def static_choices(lookup: Mapping[str, Mapping[str, tuple[Alt, ...]]]) -> dict:
    """persona -> rule -> choice table, for the rules without conditions; built once per
    scenario and language (the lookup a loaded scenario holds) and shared by its storms."""
    hit = _STATIC.get(id(lookup))
    if hit is not None and hit[0] is lookup:
        return hit[1]
    tables: dict[str, dict[str, _Choice]] = {}
    done: dict[int, _Choice] = {}  # rules shared by personas (archetype and shared blocks)
    for persona, rules in lookup.items():
        mine = tables[persona] = {}
        for name, alts in rules.items():
            if alts and all(_unconditional(a) for a in alts):
                choice = done.get(id(alts))
                if choice is None:
                    choice = done[id(alts)] = _choice(alts)
                mine[name] = choice
    if len(_STATIC) >= 64:
        _STATIC.clear()
    _STATIC[id(lookup)] = (lookup, tables)
    return tables


_WRITERS: dict[tuple, Any] = {}


def writer(alt: Alt):
    """An alternative compiled: its text when it has no slot, else a function
    (expander, ctx, depth) -> text or None that fills its slots in order, drawing from the
    post's stream as the alternative reads."""
    hit = _WRITERS.get(alt.parts)
    if hit is None:
        hit = _WRITERS[alt.parts] = _compile_writer(alt.parts)
    return hit


def _compile_writer(parts: tuple):
    if all(p.__class__ is str for p in parts):
        return "".join(parts)
    lines = ["def write(x, ctx, depth):", f"    if depth > {MAX_DEPTH}:", "        return None"]
    pieces: list[str] = []
    consts: dict[str, Any] = {"_agree": _agree}
    for i, p in enumerate(parts):
        if p.__class__ is str:
            pieces.append(repr(p))
            continue
        v = f"v{i}"
        kind = p[0]
        if kind == "r":
            lines.append(f"    {v} = x.expand(ctx, {p[1]!r}, depth + 1)")
            lines.append(f"    if {v} is None:")
            lines.append(f"        {v} = ''" if p[2] else "        return None")
        elif kind == "f":
            lines.append(f"    {v} = x._fact(ctx, {p[1]!r})")
            lines.append(f"    if {v} is None:")
            lines.append("        return None")
        elif kind == "b":
            lines.append(f"    {v} = x.builtin({p[1]!r}, ctx)")
        else:
            consts[f"F{i}"] = p[1]
            lines.append(f"    {v} = _agree(F{i}, ctx.agree)")
        pieces.append(v)
    joined = " + ".join(pieces) if len(pieces) < 4 else f'"".join(({", ".join(pieces)},))'
    lines.append(f"    return {joined}")
    namespace = dict(consts)
    exec("\n".join(lines), namespace)  # noqa: S102  (source built above from parsed parts)
    return namespace["write"]


def _unconditional(a: Alt) -> bool:
    return (
        a.phases is None
        and a.sentiments is None
        and a.platforms is None
        and not a.known
        and not a.unknown
        and a.brand is None
        and a.promise is None
    )


def _agree(forms: tuple[str, ...], agree: str) -> str:
    plural = agree.endswith("pl")
    if len(forms) == 2:
        return forms[1] if plural else forms[0]
    fem = agree.startswith("f")
    i = (2 if plural else 0) + (1 if fem else 0)
    return forms[i] if i < len(forms) else forms[-1]


_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE = re.compile(r" +([,.)…])")


_SENTENCE = re.compile(r"([.!?…] )([a-zà-ÿ])")
_TRAILING = re.compile(r"[\s,;:–-]+$")


def _upper(m: re.Match) -> str:
    return m.group(1) + m.group(2).upper()


def finish(text: str, lang: str) -> str:
    if "  " in text:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    if " ," in text or " ." in text or " )" in text or " …" in text:
        text = _SPACE_BEFORE.sub(r"\1", text)
    if text and text[-1] in " ,;:–-":
        text = _TRAILING.sub("", text)
    if ". " in text or "? " in text or "! " in text or "… " in text:
        text = _SENTENCE.sub(_upper, text)
    if lang == "fr":
        text = polish(text)
    if text and text[0].islower() and not text.startswith(("@", "#")):
        text = text[0].upper() + text[1:]
    return text


def fact_values(raw: Any) -> tuple[tuple[str, str | None], ...]:
    """A fact's variants in one language: strings, or {text, gender, number}."""
    out = []
    for v in _as_list(raw):
        if isinstance(v, Mapping):
            g = v.get("gender")
            n = v.get("number")
            agree = None
            if g or n:
                agree = ("f" if g == "f" else "m") + ("pl" if n == "pl" else "")
            out.append((str(v["text"]), agree))
        else:
            out.append((str(v), None))
    return tuple(out)


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name))
