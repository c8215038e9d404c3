"""Promises in what the brand says: "we will update you within the hour" starts a clock.

`find` reads a public text for a time-bound promise, in French or English: a delay ("dans
l'heure", "d'ici 30 minutes", "within the hour", "in the next 20 minutes") or, when the
scenario says what time of day the drill starts (`clock:`), an hour ("avant 18 h", "by 6pm").
The storm keeps the latest promise of each team's world: a new public statement before its
deadline keeps it (the crowd calms a little), silence past it breaks it (a wave of "it's been an
hour").
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD_NUMBERS = {"une": 1, "un": 1, "deux": 2, "trois": 3, "one": 1, "two": 2, "three": 3}
_N = r"(\d{1,3}|une|un|deux|trois|one|two|three)"

_DELAYS = {
    "fr": (
        (re.compile(r"\b(dans l'heure|d'ici une heure|dans une heure|dans l’heure)\b"), 3600),
        (re.compile(r"\b(?:d'ici|dans|sous) " + _N + r" ?(?:minutes|min)\b"), 60),
        (re.compile(r"\b(?:d'ici|dans|sous) " + _N + r" ?(?:heures?|h)\b(?! ?\d)"), 3600),
    ),
    "en": (
        (re.compile(r"\b(within the hour|in the next hour|within an hour|in an hour)\b"), 3600),
        (re.compile(r"\b(?:within|in the next|in) " + _N + r" ?(?:minutes|mins?)\b"), 60),
        (re.compile(r"\b(?:within|in the next|in) " + _N + r" ?hours?\b"), 3600),
    ),
}
_HOURS = {
    "fr": re.compile(r"\b(?:avant|d'ici|à) (\d{1,2}) ?h ?(\d{2})?\b"),
    "en": re.compile(r"\b(?:by|before|at) (\d{1,2})(?::(\d{2}))? ?(am|pm)?\b"),
}


class Promise(NamedTuple):
    words: str  # as the brand wrote it, for the crowd to quote back
    deadline: float  # storm time, seconds


def _count(token: str) -> int:
    return int(token) if token.isdigit() else _WORD_NUMBERS.get(token.lower(), 1)


def find(text: str, lang: str, t: float, start_clock: float | None) -> Promise | None:
    """The first time-bound promise in a public text, or None."""
    low = text.lower()
    for pattern, unit in _DELAYS.get(lang, ()):
        m = pattern.search(low)
        if m is None:
            continue
        token = m.group(1)
        count = _count(token) if token.isdigit() or token in _WORD_NUMBERS else 1
        delay = count * unit
        if 0 < delay <= 12 * 3600:
            return Promise(text[m.start() : m.end()], t + delay)
    if start_clock is None:
        return None
    m = _HOURS[lang].search(low)
    if m is None:
        return None
    hour = int(m.group(1))
    minute = int(m.group(2) or 0)
    if lang == "en":
        if m.group(3) is None and not m.group(2):
            return None  # "at 3" is not a time
        if m.group(3) == "pm" and hour < 12:
            hour += 12
    if hour > 23 or minute > 59:
        return None
    now = (start_clock + t) % 86400
    delay = (hour * 3600 + minute * 60 - now) % 86400
    if delay == 0 or delay > 12 * 3600:
        return None
    return Promise(text[m.start() : m.end()], t + delay)
