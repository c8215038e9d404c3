"""How a persona types: emoji, hashtags, capitals, typos, signature phrases.

Each archetype has a default voice; a scenario's persona may override any figure
(`voice:` in its YAML). What a persona says lives in the grammar; this is only how it looks
once written: a journalist never shouts, a troll rarely spells well, an institution never uses
emoji.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from .rng import Rng


@dataclass(frozen=True, slots=True)
class Voice:
    emoji: float = 0.12  # chance of an emoji at the end
    hashtags: float = 0.15  # chance of a phase hashtag (microblog only)
    shouting: float = 0.03  # chance of all capitals (negative posts only)
    typos: float = 0.06  # chance of two swapped letters
    lowercase: float = 0.06  # chance of no capital and no final full stop
    signature: float = 0.0  # chance of the persona's `signature` rule at the end
    openers: float = 0.35  # chance of the persona's `opener` rule before a post
    endings: float = 0.35  # chance of the persona's `ending` rule after a post
    register: str = "casual"  # casual, chat, press, formal: a condition grammars may use


ARCHETYPE_VOICES: dict[str, Voice] = {
    "angry_customer": Voice(
        emoji=0.25, hashtags=0.2, shouting=0.08, typos=0.08, lowercase=0.1, openers=0.5, endings=0.5
    ),
    "customer": Voice(
        emoji=0.12,
        hashtags=0.08,
        shouting=0.01,
        typos=0.06,
        lowercase=0.08,
        openers=0.5,
        endings=0.5,
    ),
    "journalist": Voice(
        emoji=0.0,
        hashtags=0.05,
        shouting=0.0,
        typos=0.0,
        lowercase=0.0,
        register="press",
        openers=0.2,
        endings=0.2,
    ),
    "influencer": Voice(emoji=0.5, hashtags=0.35, shouting=0.04, typos=0.02, lowercase=0.03),
    "activist": Voice(emoji=0.15, hashtags=0.5, shouting=0.06, typos=0.02, lowercase=0.02),
    "employee": Voice(
        emoji=0.15, hashtags=0.0, shouting=0.0, typos=0.07, lowercase=0.15, register="chat"
    ),
    "ex_employee": Voice(emoji=0.05, hashtags=0.05, shouting=0.02, typos=0.03, lowercase=0.05),
    "competitor": Voice(emoji=0.2, hashtags=0.3, shouting=0.0, typos=0.0, lowercase=0.0),
    "troll": Voice(
        emoji=0.45, hashtags=0.1, shouting=0.12, typos=0.15, lowercase=0.3, openers=0.5, endings=0.5
    ),
    "supporter": Voice(
        emoji=0.3, hashtags=0.1, shouting=0.0, typos=0.05, lowercase=0.06, openers=0.5, endings=0.5
    ),
    "expert": Voice(
        emoji=0.03, hashtags=0.1, shouting=0.0, typos=0.01, lowercase=0.0, register="formal"
    ),
    "official": Voice(
        emoji=0.0,
        hashtags=0.0,
        shouting=0.0,
        typos=0.0,
        lowercase=0.0,
        register="formal",
        openers=0.0,
        endings=0.0,
    ),
    "bystander": Voice(
        emoji=0.2, hashtags=0.1, shouting=0.02, typos=0.07, lowercase=0.12, openers=0.5, endings=0.5
    ),
}
VOICE_KEYS = tuple(f.name for f in fields(Voice))

EMOJI = {
    "negative": ("😡", "🤬", "🙄", "😤", "👎", "💀", "😠", "🤦"),
    "neutral": ("🤔", "👀", "🧐", "🤷"),
    "positive": ("👍", "🙏", "👏", "😊", "❤️", "💪"),
}


def voice_for(archetype: str, overrides: dict[str, Any] | None) -> Voice:
    base = ARCHETYPE_VOICES.get(archetype, Voice())
    return replace(base, **overrides) if overrides else base


def typed(text: str, voice: Voice, rng: Rng, sentiment: str) -> str:
    """The text as this voice types it; one draw decides, so voices stay cheap."""
    r = rng.random()
    edge = voice.typos
    if r < edge:
        words = text.split(" ")
        i = rng.below(len(words))
        w = words[i]
        if len(w) >= 5 and w.isalpha():
            j = 1 + rng.below(len(w) - 3)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            return " ".join(words)
        return text
    edge += voice.lowercase
    if r < edge:
        text = text[:1].lower() + text[1:]
        if text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
        return text
    edge += voice.shouting
    if r < edge:
        if sentiment == "negative" and len(text) < 120:
            return text.upper()
        return text
    edge += voice.emoji
    if r < edge:
        return f"{text} {rng.choice(EMOJI[sentiment])}"
    return text
