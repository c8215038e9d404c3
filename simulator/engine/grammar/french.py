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
_CONTRACT = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}
# A quick test that a text holds anything this pass could change.
_CANDIDATE = re.compile(
    r"(?<![\w'’])(?:[àÀ]|[dD]e|[lL][ea]|[qQ]ue|[jJ]e|[mMtTsSnN]e|[cC]e|[sS]i|[lL]orsque|"
    r"[pP]uisque|[jJ]usque)\s"
)
_TOKEN = re.compile(r"\S+|\s+")


def vowel_start(word: str) -> bool:
    """Whether a word takes elision before it (a vowel, or a mute h)."""
    w = word.lstrip("«“\"'(")
    if not w:
        return False
    if w[0] in _VOWELS:
        return True
    if w[0] in "hH":
        low = w.lower()
        return low.startswith(H_MUET)
    return False


def _case(src: str, out: str) -> str:
    if src[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def polish(text: str) -> str:
    """Elide and contract where the words meet; leaves everything else as written."""
    if not _CANDIDATE.search(text):
        return text
    tokens = _TOKEN.findall(text)
    words = [i for i, tok in enumerate(tokens) if not tok.isspace()]
    out = list(tokens)
    skip = set()
    for n, i in enumerate(words):
        if i in skip:
            continue
        low = tokens[i].lower()
        nxt = words[n + 1] if n + 1 < len(words) else None
        if nxt is None or not tokens[i + 1].isspace() or tokens[i + 1] != " ":
            continue
        nlow = tokens[nxt].lower()
        if (low, nlow) in _CONTRACT:
            after = words[n + 2] if n + 2 < len(words) else None
            if nlow == "les" or after is None or not vowel_start(tokens[after]):
                out[i] = _case(tokens[i], _CONTRACT[low, nlow])
                out[i + 1] = ""
                out[nxt] = ""
                skip.add(nxt)
                continue
            continue  # "à le hôtel" -> "à l'hôtel": the article elides on its own turn
        if low == "si" and nlow in ("il", "ils"):
            out[i] = _case(tokens[i], "s'")
            out[i + 1] = ""
            continue
        if low in _ELIDE and vowel_start(tokens[nxt]):
            if low == "ce" and nlow not in _CE_BEFORE:
                continue
            out[i] = _case(tokens[i], _ELIDE[low])
            out[i + 1] = ""
    return "".join(out)
