"""Finishing touches on a written text, kept apart from the grammar's expansion.

- `fits_opener` / `fits_ending`: whether a persona's opening or sign-off suits the text it
  frames (never two greetings, a "quick question:" only before a question, "thanks in advance"
  only after one, no "courage!" or "thanks!" closing an angry post).
- `repeats`: a text that says the same three words twice ("my mobile number, my mobile
  number") is drawn again.
- `tidy`: punctuation where slots meet ("?," "!." "..", a capital after a comma), and French
  spacing: a narrow no-break space before ; ! ? » and after «, a no-break space before :.
- `rating_for`: a review's stars agree with what its text says.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? and inside « »
NBSP = "\u00a0"  # no-break space: before :

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

GREETINGS = {
    "fr": ("bonjour", "bonsoir", "salut", "coucou", "hello", "re,", "bonne journée"),
    "en": ("hello", "hi ", "hi,", "hey", "good morning", "good evening", "morning", "evening"),
}
# openers that announce a question: only before a text that asks one
ASKING_OPENERS = {
    "fr": ("question", "je me demande", "dites,", "dites "),
    "en": ("question", "quick one", "i wonder", "just wondering", "genuine question"),
}
# sign-offs that thank for an answer or ask for one: only after a question
ASKING_ENDINGS = {
    "fr": (
        "merci d'avance",
        "si quelqu'un sait",
        "qui a l'info",
        "qui sait",
        "merci à qui répondra",
        "je suis preneur",
        "je préfère demander",
        "merci de votre retour",
        "merci de vos retours",
        "dites-moi",
    ),
    "en": (
        "thanks in advance",
        "if anyone knows",
        "anyone?",
        "let me know",
        "who knows",
        "any info welcome",
        "tell me below",
    ),
}
# sign-offs that cheer, comfort or thank: never after an angry text
WARM_ENDINGS = {
    "fr": (
        "courage",
        "merci !",
        "merci.",
        "merci bien",
        "bonne journée",
        "force aux",
        "on tient",
        "ça va aller",
        "pas de panique",
        "bisous",
        "prenez soin",
        "je garde confiance",
        "merci à eux",
    ),
    "en": (
        "hang in there",
        "stay strong",
        "thanks!",
        "thanks.",
        "have a good",
        "love you",
        "look after",
        "keep calm",
        "it'll be ok",
    ),
}


def _low(text: str) -> str:
    return text.lower().replace("’", "'").replace(NNBSP, " ").replace(NBSP, " ")


def _greets(text: str, lang: str) -> bool:
    low = _low(text).lstrip("«\"' ")
    return low.startswith(GREETINGS[lang])


def fits_opener(head: str, text: str, lang: str) -> bool:
    """Whether an opener may stand before this text."""
    low_head, low_text = _low(head), _low(text)
    if _greets(text, lang):  # the text greets already: no second greeting, no preamble
        return False
    if repeats(f"{head} {text}"):  # "Pour info, ... Pour info le vrai Bleuet..."
        return False
    if text.startswith("[") or (head.rstrip().endswith((":", "]")) and ":" in text[:60]):
        return False  # « Précision : Sur notre fil : la vidéo : ... »
    head_words, text_words = _WORD.findall(low_head), _WORD.findall(low_text)
    if head_words and text_words and head_words[-1] == text_words[0]:
        return False  # "Bon. Bon, ..."
    if low_head.startswith(ASKING_OPENERS[lang]) or "question" in low_head:
        head_words = low_text.split(" ")[:3]
        # a question to come, and not one that the text itself is about ("good question")
        return "?" in text and "question" not in head_words
    return True


def fits_ending(tail: str, text: str, lang: str, sentiment: str) -> bool:
    """Whether a sign-off may close this text, as this post's sentiment feels."""
    low_tail, low_text = _low(tail), _low(text)
    if not low_tail.strip():
        return True
    if low_tail.strip(" .!?…") and low_tail.strip(" .!?…") in low_text:
        return False  # "Merci. Merci."
    if repeats(f"{text} {tail}"):
        return False
    first = _WORD.findall(low_tail)[:1]
    if first and len(first[0]) >= 4 and first[0] in _WORD.findall(low_text[-40:]):
        return False  # "Thanks. Thanks in advance."
    stems = {w[:6] for w in _WORD.findall(low_text) if len(w) >= 7}
    if any(w[:6] in stems for w in _WORD.findall(low_tail) if len(w) >= 7):
        return False  # « Nous avons sollicité la banque. Sollicitée, la marque... »
    if low_tail.startswith(ASKING_ENDINGS[lang]) and "?" not in text:
        return False
    return not (sentiment == "negative" and low_tail.startswith(WARM_ENDINGS[lang]))


_LIGHT_WORDS = (
    "dans pour avec mais plus tout tous être fait faire comme très bien encore même rien "
    "suis sont avez avons était avait nous vous elle elles leur leurs cette "
    "that this with have from they their them what when your just been were very"
)
_LIGHT = frozenset(_LIGHT_WORDS.split())


def repeats(text: str) -> bool:
    """Whether two words in a row, one of them a content word of four letters or more, or one
    long word, come back in the same text ("my name AND my name", « rassurant ... rassurant »)."""
    words = list(map(str.lower, _WORD.findall(text)))
    long = [w for w in words if len(w) >= 9]
    if len(set(long)) < len(long):  # "wondering whether this text is a scam. Wondering."
        return True
    pairs = list(zip(words, words[1:], strict=False))
    if len(set(pairs)) == len(pairs):  # most texts: no pair of words comes back at all
        return False
    seen: set[tuple[str, str]] = set()
    for a, b in zip(words, words[1:], strict=False):
        if (a, b) in seen and any(len(w) >= 4 and w not in _LIGHT for w in (a, b)):
            return True
        seen.add((a, b))
    return False


# words that start a sentence and are never names: after a comma or a colon they lose their
# capital even where a scenario's grammar never writes them in lowercase
_FUNCTION_WORDS = (
    "aucun aucune personne rien tout toute tous toutes même moi toi lui elle elles nous "
    "vous ils on je tu il le la les un une des du de ce cet cette ces mon ma mes ton ta tes "
    "son sa ses notre nos votre vos leur leurs et mais ou donc car ni si quand comme "
    "pourquoi comment qui que quoi où pas plus jamais toujours encore déjà bien merci oui "
    "non bon alors enfin ça cela ici là voilà franchement sérieusement honnêtement "
    "the a an my your his her our their its this that these those no not nothing nobody "
    "everyone anyone someone still just so and but or if when why how what who where same "
    "thanks yes we you they he she it there here been got is are was were can could would "
    "will do does did have has had me"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
_DOUBLED = re.compile(r"([?!])\s*[,.;:]+(?!\.)|([,;:])\s*([.?!])|(?<!\.)\.\.(?!\.)|…\.|\.…")
_TWICE_WORD = re.compile(r"\b(the|a|an|le|la|les|de|des|du|un|une) \1\b", re.IGNORECASE)
_TWICE_OPEN = re.compile(r"«[ \u00a0\u202f]*«")
_TWICE_CLOSE = re.compile(r"»[ \u00a0\u202f]*»")
_SENTENCE = re.compile(r"([.!?] )([a-zà-ÿ])")
_COMMA_CAP = re.compile(r"(, )([A-ZÀÂÉÈÊÎÔÛÇ][a-zà-ÿ'’]*)(?=[\s,.!?;:]|$)")
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]*([;!?»])")
_FR_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_FR_AFTER = re.compile(r"«[ \u00a0\u202f]*")
_URLISH = re.compile(r"https?:|www\.")


def _undouble(m: re.Match) -> str:
    s = m.group(0)
    if m.group(1):  # "?," "!." -> "?" "!"
        return m.group(1)
    if m.group(2):  # ",." ":?" -> "." "?"
        return m.group(3)
    if s == "..":
        return "."
    return "…"


def _cap(m: re.Match) -> str:
    return m.group(1) + m.group(2).upper()


def _comma_word(m: re.Match, text: str, common: frozenset[str]) -> str:
    """« , Le colis » -> « , le colis », but « , La Voix du Rhône » and « , Marion » stay."""
    word = m.group(2)
    low = word.lower()
    if word == "I" or word.startswith("I'") or not (low in common or low in FUNCTION_WORDS):
        return m.group(0)
    after = text[m.end() : m.end() + 2].strip()
    if after[:1].isupper():  # a name that starts with a common word (La Voix du Rhône)
        return m.group(0)
    return m.group(1) + low


def tidy(text: str, lang: str, common: frozenset[str] = frozenset()) -> str:
    """Punctuation where slots meet, a capital after a comma only for a name, and French
    spacing. `common`: lowercase words of the language's grammar (a capitalised word after a
    comma that is one of them is a sentence's first word that lost its place)."""
    if not text:
        return text
    if ("«" in text and "««" in text.replace(" ", "")) or (
        "»" in text and "»»" in text.replace(" ", "")
    ):  # a quoted slot, quoted
        text = _TWICE_OPEN.sub("«", _TWICE_CLOSE.sub("»", text))
    if _TWICE_WORD.search(text):  # "on the the authority's website": a slot's article, twice
        text = _TWICE_WORD.sub(r"\1", text)
    if _DOUBLED.search(text):
        text = _SENTENCE.sub(_cap, _DOUBLED.sub(_undouble, text))
    if ", " in text:
        text = _COMMA_CAP.sub(lambda m: _comma_word(m, text, common), text)
    if lang == "fr":
        text = french_spacing(text)
    return text


def french_spacing(text: str) -> str:
    """A narrow no-break space before ; ! ? » and after «, a no-break space before :."""
    if _URLISH.search(text):
        return text
    if "«" in text:
        text = _FR_AFTER.sub("«" + NNBSP, text)
    if any(c in text for c in ";!?»"):
        text = _FR_BEFORE.sub(lambda m: _before(m, text), text)
    if ":" in text:
        text = _FR_COLON.sub(NBSP + ":", text)
    return text


def _before(m: re.Match, text: str) -> str:
    start, mark = m.start(), m.group(1)
    if start == 0 or (mark in "!?" and text[start - 1] in "!?"):  # "?!" stays together
        return mark
    return NNBSP + mark


_STARS = {
    "fr": (
        (re.compile(r"\b([1-5])\s*/\s*5\b"), None),
        (re.compile(r"\b(z[ée]ro|une|1) [ée]toile"), 1),
        (re.compile(r"\b(deux|2) [ée]toiles"), 2),
        (re.compile(r"\b(trois|3) [ée]toiles"), 3),
        (re.compile(r"\b(quatre|4) [ée]toiles"), 4),
        (re.compile(r"\b(cinq|5) [ée]toiles"), 5),
    ),
    "en": (
        (re.compile(r"\b([1-5])\s*/\s*5\b"), None),
        (re.compile(r"\b(zero|one|1) stars?\b"), 1),
        (re.compile(r"\b(two|2) stars\b"), 2),
        (re.compile(r"\b(three|3) stars\b"), 3),
        (re.compile(r"\b(four|4) stars\b"), 4),
        (re.compile(r"\b(five|5) stars\b"), 5),
    ),
}
_BUT = {"fr": " mais ", "en": " but "}
_GOOD = {
    "fr": (
        "recommande",
        "satisfait",
        "ravi",
        "impeccable",
        "parfait",
        "réactif",
        "réactifs",
        "rassur",
        "bravo",
        "excellent",
        "top",
        "fidèle",
        "humain",
        "bien géré",
        "merci",
        "confiance",
        "au top",
        "rien à redire",
    ),
    "en": (
        "recommend",
        "satisfied",
        "happy",
        "great",
        "perfect",
        "responsive",
        "reassur",
        "well done",
        "excellent",
        "loyal",
        "well handled",
        "thank",
        "trust",
        "spot on",
        "no complaints",
        "still happy",
    ),
}
_BAD = {
    "fr": (
        "à fuir",
        "fuyez",
        "honte",
        "scandal",
        "inadmissible",
        "déçu",
        "arnaque",
        "nul",
        "lamentable",
        "pire",
        "jamais plus",
        "plus jamais",
        "personne au bout",
        "aucune réponse",
        "je clôture",
        "je résilie",
        "je pars",
        "dangereu",
        "mensonge",
        "menti",
        "inquiète",
        "inquiet",
        "m'inquiète",
        "colère",
        "dégoût",
        "écœur",
    ),
    "en": (
        "avoid",
        "shame",
        "disgrac",
        "disappoint",
        "scam",
        "useless",
        "pathetic",
        "worst",
        "never again",
        "no one answers",
        "nobody",
        "no answer",
        "closing my account",
        "cancel",
        "dangerous",
        "lied",
        "lying",
        "worried",
        "worries me",
        "furious",
        "appalling",
        "disgust",
    ),
}


def rating_for(text: str, lang: str, sentiment: str, draw: float) -> int:
    """A review's stars from what its text says (an explicit "1/5" or "one star" first, then
    its praise and complaints), the post's sentiment deciding only where the text does not."""
    low = _low(text)
    for pattern, stars in _STARS[lang]:
        m = pattern.search(low)
        if m:
            return int(m.group(1)) if stars is None else stars
    good = sum(1 for w in _GOOD[lang] if w in low)
    bad = sum(1 for w in _BAD[lang] if w in low)
    if good and not bad and _BUT[lang] not in low:
        return 4 + (draw < 0.5)
    if bad and not good:
        return 1 + (draw < 0.4)
    if good and bad:  # "satisfied until now, but this worries me"
        return 2 + (draw < 0.5)
    if good and _BUT[lang] in low:  # "good app so far, but I wonder..."
        return 3
    return {"negative": 1 + (draw < 0.5), "neutral": 3, "positive": 4 + (draw < 0.5)}[sentiment]
