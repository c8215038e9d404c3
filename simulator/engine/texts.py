"""Post texts: templates filled from the scenario, then roughened the way people type."""

from __future__ import annotations

import re
from collections.abc import Callable

from .rng import Rng

PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Used when a scenario gives no replies of its own for a sentiment.
DEFAULT_REPLIES = {
    "negative": {
        "fr": (
            "Pareil pour moi.",
            "C'est une honte",
            "Inadmissible !!",
            "Et toujours rien...",
            "jsuis dégoûté",
            "Ça ne m'étonne même plus",
            "Vraiment pas sérieux 😡",
        ),
        "en": (
            "Same here.",
            "This is a disgrace",
            "Unacceptable!!",
            "And still nothing...",
            "so done with them",
            "Not even surprised anymore",
            "Seriously not ok 😡",
        ),
    },
    "neutral": {
        "fr": (
            "Ah bon ?",
            "Quelqu'un a une source ?",
            "On verra bien",
            "Je suis l'affaire",
            "C'est où exactement ?",
        ),
        "en": ("Really?", "Anyone got a source?", "We'll see", "Following this", "Where exactly?"),
    },
    "positive": {
        "fr": (
            "Merci pour l'info",
            "Perso jamais eu de souci avec eux",
            "Bonne réaction 👍",
            "Au moins ils répondent",
        ),
        "en": (
            "Thanks for the info",
            "Never had a problem with them tbh",
            "Good response 👍",
            "At least they answer",
        ),
    },
}
QUOTE_COMMENTS = {
    "negative": {
        "fr": ("Incroyable.", "Lisez ça 👇", "Ça devient grave", "🤦", "Sans commentaire"),
        "en": ("Unbelievable.", "Read this 👇", "This is getting serious", "🤦", "Wow."),
    },
    "neutral": {
        "fr": ("À suivre", "Intéressant", "Hmm", "Quelqu'un confirme ?"),
        "en": ("Worth following", "Interesting", "Hmm", "Can anyone confirm?"),
    },
    "positive": {
        "fr": ("Enfin une bonne nouvelle", "Bien joué", "👏"),
        "en": ("Finally some good news", "Well done", "👏"),
    },
}
EMOJI = {
    "negative": ("😡", "🤬", "🙄", "😤", "👎", "💀"),
    "neutral": ("🤔", "👀", "🧐"),
    "positive": ("👍", "🙏", "👏", "😊", "❤️"),
}


def fill(template: str, value: Callable[[str], str]) -> str:
    if "{" not in template:
        return template
    return PLACEHOLDER.sub(lambda m: value(m.group(1)), template)


def roughen(text: str, rng: Rng, sentiment: str) -> str:
    """Typos, lower case, shouting and emoji now and then, so that no two feeds look machined."""
    r = rng.random()
    if r < 0.10:  # a typo: two letters swapped in a longer word
        words = text.split(" ")
        i = rng.below(len(words))
        w = words[i]
        if len(w) >= 5 and w.isalpha():
            j = 1 + rng.below(len(w) - 3)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            text = " ".join(words)
    elif r < 0.17:  # typed fast: no capital, no final full stop
        text = text[:1].lower() + text[1:]
        if text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
    elif r < 0.21 and sentiment == "negative" and len(text) < 90:
        text = text.upper()
    elif r < 0.32:
        text = f"{text} {rng.choice(EMOJI[sentiment])}"
    return text


CITIES = {
    "fr": (
        "Lyon",
        "Marseille",
        "Lille",
        "Nantes",
        "Bordeaux",
        "Toulouse",
        "Rennes",
        "Grenoble",
        "Strasbourg",
        "Montpellier",
        "Nice",
        "Dijon",
        "Angers",
        "Brest",
        "Metz",
        "Tours",
        "Clermont-Ferrand",
        "Rouen",
        "Reims",
        "Le Mans",
        "Besançon",
        "Pau",
        "Valence",
        "Saint-Étienne",
        "Orléans",
        "Limoges",
        "Caen",
        "Annecy",
        "Perpignan",
        "Nancy",
    ),
    "en": (
        "Leeds",
        "Manchester",
        "Bristol",
        "Glasgow",
        "Cardiff",
        "Birmingham",
        "Liverpool",
        "Sheffield",
        "Edinburgh",
        "Newcastle",
        "Nottingham",
        "Brighton",
        "Leicester",
        "Belfast",
        "Oxford",
        "Cambridge",
        "Southampton",
        "Norwich",
        "York",
        "Aberdeen",
        "Plymouth",
        "Bath",
        "Exeter",
        "Dundee",
        "Swansea",
        "Coventry",
        "Reading",
        "Derby",
        "Hull",
        "Leeds",
    ),
}
