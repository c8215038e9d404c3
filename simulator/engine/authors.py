"""The people behind a persona: believable names and handles, the same all storm long.

A persona with `authors:` in its scenario (the agency, the union, the newspaper) speaks only
through those accounts. Others get a pool of people from Faker in the storm's language, with
handles shaped the way people pick them (initials, a birth year, a nickname), never the
"Benoît Benoit @benoit_benoit" of a first name used as a surname.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from math import exp
from typing import NamedTuple

from faker import Faker

from .rng import Rng, derive

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
# Archetypes whose accounts carry a full name (they sign what they write).
FULL_NAMES = frozenset({"journalist", "expert", "official", "influencer", "competitor"})
NICKS = {
    "fr": ("lecteur", "citoyen", "maman", "papa", "team", "vraie", "lvrai", "leptit", "mamie"),
    "en": ("the", "real", "just", "mrs", "mr", "its", "not", "team", "lil"),
}
TROLL_WORDS = {
    "fr": ("verite", "eveille", "patriote", "libre", "anon", "bzh", "xx", "trader", "reveil"),
    "en": ("truth", "woke", "patriot", "free", "anon", "based", "xx", "trader", "redpill"),
}


class Author(NamedTuple):
    handle: str
    name: str
    persona: str
    followers: int
    verified: bool


@lru_cache(maxsize=4)
def _faker(locale: str) -> Faker:
    return Faker(locale)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in ascii_text if c.isalnum())


def _handle(first: str, last: str, archetype: str, lang: str, rng: Rng) -> str:
    f, la = slug(first), slug(last)
    year = str(60 + rng.below(45))[-2:]
    if archetype in FULL_NAMES:
        styles = (f"{f}{la}", f"{f}_{la}", f"{f[:1]}{la}", f"{f}.{la}", f"{la}{f[:1]}")
    elif archetype == "troll":
        word = rng.choice(TROLL_WORDS[lang])
        styles = (f"{word}_{f}{year}", f"{f[:3]}{word}", f"{word}{rng.below(1000)}", f"x{la}x")
    else:
        nick = rng.choice(NICKS[lang])
        styles = (
            f"{f}{la[:1]}{year}",
            f"{f}_{la}",
            f"{f[:1]}{la}",
            f"{f}{rng.below(1000)}",
            f"{la}.{f[:1]}",
            f"{nick}{f}",
            f"{f}{la}{year}",
            f"{f}_{la[:3]}",
        )
    handle = rng.choice(styles).replace(".", "_")
    return "@" + handle[:15]


def _name(first: str, last: str, archetype: str, rng: Rng) -> str:
    if archetype in FULL_NAMES:
        return f"{first} {last}"
    style = rng.below(6)
    if style == 0:
        return f"{first} {last[0]}."
    if style == 1:
        return first
    return f"{first} {last}"


@lru_cache(maxsize=256)
def author_pool(persona, seed: int, lang: str) -> tuple[Author, ...]:
    """The people behind a persona in one storm: the same few hundred voices recur."""
    if persona.authors:
        return tuple(
            Author(
                a.handle,
                a.name,
                persona.id,
                a.followers if a.followers is not None else persona.followers_median,
                a.verified,
            )
            for a in persona.authors
        )
    fake = _faker(LOCALES[lang])
    fake.seed_instance(derive(seed, "authors", persona.id, lang))
    rng = Rng(derive(seed, "followers", persona.id))  # the same reach in every language
    names = Rng(derive(seed, "handles", persona.id, lang))
    size = persona.pool or int(min(800, max(12, persona.weight * 60)))
    out, seen = [], set()
    for _ in range(size):
        first, last = fake.first_name(), fake.last_name()
        while slug(last)[:4] == slug(first)[:4] or " " in last:
            last = fake.last_name()
        handle = _handle(first, last, persona.archetype, lang, names)
        while handle in seen:
            handle = f"{handle[:13]}{names.below(100)}"
        seen.add(handle)
        followers = int(
            min(
                persona.followers_max,
                persona.followers_median * exp(persona.followers_spread * rng.gauss()),
            )
        )
        verified = rng.random() < persona.verified
        out.append(
            Author(
                handle,
                _name(first, last, persona.archetype, names),
                persona.id,
                followers,
                verified,
            )
        )
    return tuple(out)
