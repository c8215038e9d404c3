"""The scenario model: frozen values built by the loader from a validated YAML file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .voice import Voice

LANGS = ("fr", "en")
PLATFORMS = ("microblog", "brand_page", "forum", "news", "internal")
SENTIMENTS = ("negative", "neutral", "positive")
PUBLIC_RESPONSES = frozenset({"reply", "holding_statement"})


@dataclass(frozen=True, slots=True)
class L10n:
    """A text in every language the product speaks."""

    fr: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


Phrases = Mapping[str, tuple[str, ...]]  # lang -> phrases
BySentiment = Mapping[str, Phrases]  # sentiment -> lang -> templates


def frozen_map(d: dict | None) -> Mapping:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    handles: Mapping[str, str]
    sector: L10n
    voice: L10n

    def handle(self, platform: str) -> str:
        return self.handles.get(platform) or next(iter(self.handles.values()))


@dataclass(frozen=True, slots=True)
class InjectAuthor:
    handle: str
    name: str
    followers: int | None
    verified: bool


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    archetype: str
    label: L10n
    weight: float
    followers_median: int
    followers_spread: float
    followers_max: int
    verified: float
    stance: str
    platforms: tuple[str, ...]
    languages: tuple[str, ...]
    pool: int | None
    voice: Voice = Voice()
    authors: tuple[InjectAuthor, ...] = ()  # fixed accounts (an agency, a newspaper)


@dataclass(frozen=True, slots=True)
class Fact:
    """Something the crowd can only say once its team's world knows it."""

    id: str
    values: Mapping[str, tuple[tuple[str, str | None], ...]]  # lang -> (text, agreement)
    inject: str | None  # revealed when this inject appears
    action: str | None  # or by this team action (holding_statement, reply)
    at: float | None  # or at this time (seconds)
    trainer: bool  # or only when the trainer sends an inject that reveals it


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    start: float
    title: L10n
    rates: Mapping[str, float]  # posts per simulated minute, per platform
    sentiment: Mapping[str, float]
    topics: Phrases
    hashtags: Phrases
    templates: BySentiment
    platform_templates: Mapping[str, BySentiment]


@dataclass(frozen=True, slots=True)
class Inject:
    id: str
    time: float
    phase: str
    platform: str
    kind: str
    persona: str
    author: InjectAuthor | None
    reply_to: str | None
    text: L10n
    sentiment: str
    severity: int
    virality: float
    must_escalate_to: str | None
    expected_actions: tuple[str, ...]
    deadline: float | None  # seconds after the inject appears
    objective: str | None
    optional: bool
    note: L10n | None
    bait: bool = False  # a provocation: a public reply feeds it, silence starves it
    reveals: tuple[str, ...] = ()  # facts this inject makes known
    title: L10n | None = None  # a forum thread's title or an article's headline
    rating: int | None = None  # a review's stars (1-5); else read from its text

    @property
    def post_id(self) -> str:
        return f"i-{self.id}"


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    title: L10n
    description: L10n | None
    approval_by: str | None


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    title: L10n
    description: L10n | None


@dataclass(frozen=True, slots=True)
class HoldingStatement:
    id: str
    title: L10n
    text: L10n


@dataclass(frozen=True, slots=True)
class RubricElement:
    id: str
    label: L10n
    phrases: Phrases
    with_phrases: Phrases | None = None  # forbidden combinations: both lists must match


@dataclass(frozen=True, slots=True)
class Rubric:
    required: tuple[RubricElement, ...]
    forbidden: tuple[RubricElement, ...]
    min_required: int


@dataclass(frozen=True, slots=True)
class ReactionRule:
    id: str
    type: str
    label: L10n | None
    persona: str | None
    platforms: tuple[str, ...]
    factor: float | None
    shift: float | None
    posts: int | None
    virality: float | None
    lag: float | None
    duration: float | None
    texts: Phrases


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: L10n
    synopsis: L10n
    severity: int
    crisis_type: str | None
    duration: float
    languages: tuple[str, ...]
    memo_deadline: float | None
    response_deadline: float
    brand: Brand
    platforms: tuple[str, ...]
    hashtags: Phrases
    personas: tuple[Persona, ...]
    phases: tuple[Phase, ...]
    platform_templates: Mapping[str, BySentiment]
    replies: BySentiment
    injects: tuple[Inject, ...]
    roles: tuple[Role, ...]
    objectives: tuple[Objective, ...]
    playbook: tuple[HoldingStatement, ...]
    rubric: Rubric
    reactions: tuple[ReactionRule, ...]
    facts: tuple[Fact, ...] = ()
    # compiled grammar: lang -> persona id -> rule name -> alternatives; empty = old style
    grammar: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    start_clock: float | None = None  # time of day at t=0, in seconds after midnight
    source: str = field(default="", compare=False)

    def persona(self, persona_id: str) -> Persona:
        return next(p for p in self.personas if p.id == persona_id)

    def inject(self, inject_id: str) -> Inject:
        return next(i for i in self.injects if i.id == inject_id)

    def phase_at(self, t: float) -> Phase:
        current = self.phases[0]
        for phase in self.phases:
            if phase.start <= t:
                current = phase
            else:
                break
        return current

    @property
    def scheduled_injects(self) -> tuple[Inject, ...]:
        return tuple(i for i in self.injects if not i.optional)
