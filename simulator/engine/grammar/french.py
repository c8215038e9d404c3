"""French after expansion: elision (de/d', le/l', que/qu'...) and contraction (à le/au, de les/des).

Slots are written with their full words ("de {ville}", "à le {service}"); this pass fixes the
seams once the words are known, so that a writer never has to guess what a slot will hold.
"""

from __future__ import annotations

import re

# Words starting with a mute h take elision ("l'hôpital"); every other h is aspirated
# ("le héros", "la honte"). Lowercase, without the rest of the word's inflections.
H_MUET = (
    "habit",
    "habitu",
    "habitant",
    "heure",
    "heureu",
    "hier",
    "histoire",
    "historique",
    "homme",
    "honnête",
    "honneur",
    "hôpita",
    "horaire",
    "horreur",
    "horrible",
    "hôtel",
    "huile",
    "humain",
    "humanit",
    "humeur",
    "humilia",
    "hygiène",
    "hypocrisie",
    "hypocrite",
    "hyper",
    "hébergement",
    "hésit",
    "héritage",
    "hélas",
    "hôtesse",
    "herbe",
)
_VOWELS = frozenset("aeiouyàâäéèêëîïôöûùüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÙÜŒÆ")
_ELIDE = {
    "de": "d'",
    "le": "l'",
    "la": "l'",
    "que": "qu'",
    "je": "j'",
    "me": "m'",
    "te": "t'",
    "se": "s'",
    "ne": "n'",
    "lorsque": "lorsqu'",
    "puisque": "puisqu'",
    "jusque": "jusqu'",
    "ce": "c'",  # only before forms of être: "c'est", "c'était"
}
_CE_BEFORE = ("est", "était", "étaient", "en")
_CONTRACT = {"à les": "aux", "À les": "Aux", "de les": "des", "De les": "Des"}
_CONTRACT_LE = {
    "à": ("au", "à l'"),
    "À": ("Au", "À l'"),
    "de": ("du", "de l'"),
    "De": ("Du", "De l'"),
}
_LES = re.compile(r"(?<![\w'’])([àÀ]|[dD]e) les\b")
_LE = re.compile(r"(?<![\w'’])([àÀ]|[dD]e) le (?=(\S+))")
_ELIDABLE = frozenset({*_ELIDE, *(w.capitalize() for w in _ELIDE), "si", "Si"})
_WORDS = "|".join(sorted(_ELIDABLE, key=len))
_ELISION = re.compile(
    r"(?<![\w'’])(" + _WORDS + r") (?=([aeiouyàâäéèêëîïôöûùüœæhAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÙÜŒÆH]\S*))"
)


# The same places as _ELISION, found from the space between the words: a pattern that starts
# with a plain space is scanned fast, and looks behind only at spaces before a vowel, where
# _ELISION tries every elidable word at every position. It decides whether _ELISION runs
# (one text in ten has a place where words may meet), not what it does.
_MAY_ELIDE = re.compile(
    r" (?=[aeiouyàâäéèêëîïôöûùüœæhAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÙÜŒÆH])(?:"
    + "|".join(  # a look-behind has one width: one per length of word
        r"(?<=(?<![\w'’])(?:" + "|".join(sorted(w for w in _ELIDABLE if len(w) == n)) + ") )"
        for n in sorted({len(w) for w in _ELIDABLE})
    )
    + ")"
)


def _le(m: re.Match) -> str:
    contracted, elided = _CONTRACT_LE[m.group(1)]
    return elided if vowel_start(m.group(2)) else contracted + " "


def _elide(m: re.Match) -> str:
    word, nxt = m.group(1), m.group(2)
    low = word.lower()
    if low == "si":
        return word[0] + "'" if nxt.lower().rstrip(",.;:!?") in ("il", "ils") else m.group(0)
    if low == "ce" and nxt.lower().rstrip(",.;:!?") not in _CE_BEFORE:
        return m.group(0)
    if not vowel_start(nxt):
        return m.group(0)
    return _ELIDE[low][:-1] + "'" if word[:1].islower() else _ELIDE[low][:-1].capitalize() + "'"


def vowel_start(word: str) -> bool:
    """Whether a word takes elision before it (a vowel, or a mute h)."""
    w = word.lstrip("«“\"'(")
    if not w:
        return False
    if w[0] in _VOWELS:
        return True
    if w[0] in "hH":
        return w.lower().startswith(H_MUET)
    return False


def polish(text: str) -> str:
    """Elide and contract where the words meet; leaves everything else as written."""
    if "e les" in text or "à les" in text or "À les" in text:
        text = _LES.sub(lambda m: _CONTRACT[m.group(0)], text)
    if "e le " in text or "à le " in text or "À le " in text:
        text = _LE.sub(_le, text)
    return _ELISION.sub(_elide, text) if _MAY_ELIDE.search(text) else text
