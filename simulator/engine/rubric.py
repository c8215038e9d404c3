"""The reply rubric: which required and forbidden elements a text contains, and where.

Phrases match without regard to case or accents, on word boundaries; each hit carries its
place in the original text so the debrief can highlight it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .scenario import Rubric, RubricElement


@dataclass(frozen=True, slots=True)
class Hit:
    element: str
    phrase: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Assessment:
    required: tuple[Hit, ...]
    forbidden: tuple[Hit, ...]
    missing: tuple[str, ...]  # required elements not found
    min_required: int

    @property
    def met(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.element for h in self.required))

    @property
    def verdict(self) -> str:
        """`bad` (a forbidden element), `good` (enough required ones), `partial` or `empty`."""
        if self.forbidden:
            return "bad"
        if len(self.met) >= self.min_required:
            return "good"
        return "partial" if self.required else "empty"


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free text, and for each of its characters the index in `text`."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in "’‘`´":
            ch = "'"
        for c in unicodedata.normalize("NFKD", ch.casefold()):
            if not unicodedata.combining(c):
                out.append(c)
                where.append(i)
    return "".join(out), where


@lru_cache(maxsize=512)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    folded = sorted({fold(p)[0].strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not folded:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in folded)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _hits(
    element: RubricElement, phrases: tuple[str, ...], text: str, folded: str, where: list[int]
) -> list[Hit]:
    pattern = _pattern(phrases)
    if pattern is None:
        return []
    hits = []
    for m in pattern.finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        hits.append(Hit(element.id, text[start:end], start, end))
    return hits


def assess(rubric: Rubric, text: str, lang: str) -> Assessment:
    folded, where = fold(text)
    required: list[Hit] = []
    missing: list[str] = []
    for element in rubric.required:
        found = _hits(element, element.phrases.get(lang, ()), text, folded, where)
        required.extend(found)
        if not found:
            missing.append(element.id)
    forbidden: list[Hit] = []
    for element in rubric.forbidden:
        found = _hits(element, element.phrases.get(lang, ()), text, folded, where)
        if found and element.with_phrases is not None:
            other = _hits(element, element.with_phrases.get(lang, ()), text, folded, where)
            found = found + other if other else []
        forbidden.extend(found)
    return Assessment(
        required=tuple(sorted(required, key=lambda h: h.start)),
        forbidden=tuple(sorted(forbidden, key=lambda h: h.start)),
        missing=tuple(missing),
        min_required=rubric.min_required,
    )
