"""The debrief as it travels from services to templates, the PDF and the API: typed, frozen.

Built once per request in one language (the page's, or the session's for its report), read
by Jinja by attribute, turned into JSON by Flask's JSON provider (dataclasses become
objects). A facilitator's override is a `dataclasses.replace` of the criterion and score.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ReasonView:
    text: str
    points: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OverrideView:
    """A facilitator's correction: its points, the engine's, the note and when."""

    points: float
    original: float
    note: str
    at: str | None


@dataclass(frozen=True, slots=True)
class CriterionView:
    id: str
    label: str
    points: float
    max: float
    reasons: tuple[ReasonView, ...]
    original: float | None = None  # the engine's points, when a facilitator overrode them
    override: OverrideView | None = None


@dataclass(frozen=True, slots=True)
class SuggestionView:
    """A suggested HSEEP rating, its percentage and the checks it comes from."""

    rating: str
    percent: float
    because: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreView:
    total: float
    max: float
    containment: float
    people: dict[str, float]
    criteria: tuple[CriterionView, ...]
    suggestions: dict[str, SuggestionView]

    def criterion(self, criterion_id: str) -> CriterionView:
        return next(c for c in self.criteria if c.id == criterion_id)


@dataclass(frozen=True, slots=True)
class PersonView:
    """One participant: what they did and the points they earned (as author or approver)."""

    role: str | None
    actions: int
    points: float
    approved: int = 0  # colleagues' replies this person released


@dataclass(frozen=True, slots=True)
class ActionMark:
    t: float
    type: str
    by: str  # who did it; for a reply released on approval, who wrote it
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class InjectMark:
    t: float
    id: str
    label: str  # the first words of its post


@dataclass(frozen=True, slots=True)
class PhaseMark:
    start: float
    title: str
    title_en: str


@dataclass(frozen=True, slots=True)
class TimelineView:
    minutes: tuple[int, ...]
    volume: tuple[int, ...]
    negative: tuple[int, ...]
    unanswered_negative: tuple[int, ...]
    actions: tuple[ActionMark, ...]
    injects: tuple[InjectMark, ...]
    phases: tuple[PhaseMark, ...]


@dataclass(frozen=True, slots=True)
class Escalated:
    role: str | None
    role_title: str
    t: float
    severity: int | None


@dataclass(frozen=True, slots=True)
class InjectRow:
    inject: str
    label: str  # the first words of its post, in the page's language
    post: str
    text: str
    appeared: float
    first_seen: float | None
    must_escalate_to: str | None
    escalated: tuple[Escalated, ...]
    answered: float | None
    deadline: float | None
    expects_answer: bool
    on_time: bool | None


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    element: str
    forbidden: bool


@dataclass(frozen=True, slots=True)
class ReplyView:
    id: int
    t: float
    type: str
    status: str
    by: str  # its author
    approved_by: str | None
    target: str | None
    text: str
    verdict: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """A memo or a chat message."""

    t: float
    by: str
    text: str


@dataclass(frozen=True, slots=True)
class TeamRef:
    id: int
    name: str
    colour: str  # its name's colour ("Rouge" is red), else the session's palette


@dataclass(frozen=True, slots=True)
class RatingView:
    """One objective of the after-action review: the suggestion, and the facilitator's."""

    title: str
    suggested: str
    percent: float
    because: tuple[str, ...]
    rating: str | None
    note: str


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    kind: str
    text: str
    owner: str
    due: str


@dataclass(frozen=True, slots=True)
class AarView:
    ratings: dict[str, RatingView]
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class TeamDebrief:
    team: TeamRef
    score: ScoreView
    timeline: TimelineView
    injects: tuple[InjectRow, ...]
    replies: tuple[ReplyView, ...]
    chat: tuple[Line, ...]
    memos: tuple[Line, ...]
    people: dict[str, PersonView]
    posts: int
    aar: AarView | None = None


@dataclass(frozen=True, slots=True)
class RankingRow:
    team: TeamRef
    total: float
    criteria: dict[str, float]


@dataclass(frozen=True, slots=True)
class SessionRef:
    id: int
    name: str
    lang: str
    status: str
    scenario: str


@dataclass(frozen=True, slots=True)
class SessionDebrief:
    session: SessionRef
    ranking: tuple[RankingRow, ...]
    teams: tuple[TeamDebrief, ...]


@dataclass(frozen=True, slots=True)
class ForkSide:
    score: ScoreView
    negative: tuple[int, ...]
    posts: int


@dataclass(frozen=True, slots=True)
class ForkView:
    """A "what if": the team's storm and score against those with some actions changed."""

    at: float
    minutes: tuple[int, ...]
    actual: ForkSide
    what_if: ForkSide
    unanswered: tuple[int, ...]
    dropped: tuple[int, ...]
    moved: dict[str, float]


def ranking(teams: tuple[TeamDebrief, ...]) -> tuple[RankingRow, ...]:
    return tuple(
        RankingRow(t.team, t.score.total, {c.id: c.points for c in t.score.criteria})
        for t in sorted(teams, key=lambda t: -t.score.total)
    )


def plain(view: Any) -> Any:
    """A view as JSON data, exactly as the API sends it (objects, lists, numbers, text)."""
    return json.loads(json.dumps(asdict(view) if is_dataclass(view) else view))
