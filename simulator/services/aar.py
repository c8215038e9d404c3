"""Facilitators' corrections and the after-action review (HSEEP) of each team.

Score overrides: a facilitator sets one criterion's points, with a note; every override is
kept, the latest per criterion counts, and the debrief shows it beside the engine's points.
The after-action review rates each scenario objective P, S, M or U, lists strengths and areas
for improvement, and an improvement plan (action, owner, due date).

The only module that commits these. `decorate()` adds all of it to a session debrief.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import AarItem, AarRating, DrillSession, ScoreOverride, Team, Trainer
from ..plaintext import refusal
from . import sessions as svc
from .views import (
    AarView,
    ItemView,
    OverrideView,
    RatingView,
    ScoreView,
    SessionDebrief,
    TeamDebrief,
    ranking,
)

RATINGS = ("P", "S", "M", "U")  # with no, some, major challenges; unable to be performed
KINDS = ("strength", "improvement", "plan")
MAX_TEXT = 2000
MAX_OWNER = 80
DUE = re.compile(r"\d{4}-\d{2}-\d{2}")


class AarError(ValueError):
    """A request that cannot be done; `code` is for programs, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _text(value: str | None, code: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise AarError(code, f"{code.removesuffix('_required')} is required")
    if len(text) > limit:
        raise AarError("too_long", f"at most {limit} characters")
    if why := refusal(code.removesuffix("_required"), text):
        raise AarError("bad_text", why)
    return text


# -- score overrides -------------------------------------------------------------------------


def _maxima(team: Team) -> dict[str, float]:
    from .debrief import team_score

    result, _, _ = team_score(team.session, team)
    return {c.id: c.max for c in result.criteria}


def override(
    trainer: Trainer, team: Team, criterion: str, points: float | str, note: str
) -> ScoreOverride:
    """Set one criterion's points for a team, 0 to the criterion's maximum, with a note."""
    if team.session.trainer_id != trainer.id:
        raise AarError("not_yours", "not your session")
    maxima = _maxima(team)
    if criterion not in maxima:
        raise AarError("bad_criterion", f"no criterion {criterion!r}")
    try:
        value = float(points)
    except (TypeError, ValueError):
        raise AarError("bad_points", "points must be a number") from None
    if not 0.0 <= value <= maxima[criterion]:  # also refuses NaN
        raise AarError("bad_points", f"points must be between 0 and {maxima[criterion]:g}")
    row = ScoreOverride(
        team_id=team.id,
        criterion=criterion,
        points=round(value, 2),
        note=_text(note, "note_required", required=True),
        trainer_id=trainer.id,
    )
    db.session.add(row)
    db.session.commit()
    return row


def overrides_for(team: Team) -> list[ScoreOverride]:
    """Every override of the team's score, oldest first (kept, never replaced)."""
    return list(
        db.session.scalars(
            select(ScoreOverride).where(ScoreOverride.team_id == team.id).order_by(ScoreOverride.id)
        )
    )


def apply_overrides(view: ScoreView, overrides: Iterable[ScoreOverride]) -> ScoreView:
    """A new score view: overridden criteria carry the facilitator's points, the engine's
    (`original`) and the note (`override`); the total is the sum of the criteria again."""
    latest = {o.criterion: o for o in overrides}  # oldest first: the last one wins
    criteria = tuple(
        c
        if c.id not in latest
        else replace(
            c,
            points=latest[c.id].points,
            original=c.points,
            override=OverrideView(
                points=latest[c.id].points,
                original=c.points,
                note=latest[c.id].note,
                at=latest[c.id].created_at.isoformat() if latest[c.id].created_at else None,
            ),
        )
        for c in view.criteria
    )
    return replace(view, criteria=criteria, total=round(sum(c.points for c in criteria), 2) + 0.0)


# -- after-action review ---------------------------------------------------------------------


def suggest(team_debrief: TeamDebrief) -> dict[str, str]:
    """The suggested P/S/M/U rating per objective: the engine's (scoring.suggest), from what
    the injects that test each objective expected and what the team did about them. It
    reads neither the facilitator's ratings nor the overrides, so saving them moves nothing."""
    return {oid: s.rating for oid, s in team_debrief.score.suggestions.items()}


def _objectives(team: Team) -> set[str]:
    return {o.id for o in svc.scenario_of(team.session).objectives}


def rate(team: Team, objective: str, rating: str, note: str = "") -> AarRating:
    """Set the facilitator's rating of one objective (P, S, M or U), with an optional note."""
    if objective not in _objectives(team):
        raise AarError("bad_objective", f"no objective {objective!r} in this scenario")
    rating = (rating or "").strip().upper()
    if rating not in RATINGS:
        raise AarError("bad_rating", "the rating must be P, S, M or U")
    note = _text(note, "note", required=False)
    row = db.session.scalar(
        select(AarRating).where(AarRating.team_id == team.id, AarRating.objective == objective)
    )
    if row is None:
        row = AarRating(team_id=team.id, objective=objective)
        db.session.add(row)
    row.rating, row.note, row.updated_at = rating, note, datetime.now(UTC)
    db.session.commit()
    return row


def _due(value: str | None) -> str:
    due = (value or "").strip()
    if not due:
        return ""
    try:
        if not DUE.fullmatch(due):
            raise ValueError
        date.fromisoformat(due)
    except ValueError:
        raise AarError("bad_due", "the due date must be YYYY-MM-DD") from None
    return due


def add_item(team: Team, kind: str, text: str, owner: str = "", due: str = "") -> AarItem:
    """Add a strength, an area for improvement, or a plan action; only a plan action has an
    owner and a due date (given to other kinds, they are refused)."""
    if kind not in KINDS:
        raise AarError("bad_kind", "the kind must be strength, improvement or plan")
    owner = _text(owner, "owner", required=False, limit=MAX_OWNER)
    due = _due(due)
    if kind != "plan" and (owner or due):
        raise AarError("bad_kind", "only a plan action has an owner and a due date")
    row = AarItem(
        team_id=team.id,
        kind=kind,
        text=_text(text, "text_required", required=True),
        owner=owner,
        due=due,
    )
    db.session.add(row)
    db.session.commit()
    return row


def delete_item(team: Team, item_id: int) -> None:
    item = db.session.get(AarItem, item_id)
    if item is None or item.team_id != team.id:
        raise AarError("no_item", "no such item for this team")
    db.session.delete(item)
    db.session.commit()


def items_of(team: Team) -> list[AarItem]:
    return list(
        db.session.scalars(select(AarItem).where(AarItem.team_id == team.id).order_by(AarItem.id))
    )


def ratings_of(team: Team) -> dict[str, AarRating]:
    rows = db.session.scalars(select(AarRating).where(AarRating.team_id == team.id))
    return {r.objective: r for r in rows}


# -- the debrief, decorated ------------------------------------------------------------------


def reviewed(session: DrillSession, lang: str | None = None) -> SessionDebrief:
    """The session debrief as facilitators made it: overrides applied, each team's AAR; its
    words in `lang` (the page's), the session's language by default."""
    from .debrief import session_debrief

    return decorate(session, session_debrief(session, lang), lang)


def decorate(
    session: DrillSession, debrief: SessionDebrief, lang: str | None = None
) -> SessionDebrief:
    """The session debrief with overrides applied (scores and ranking) and each team's AAR."""
    teams = tuple(review(session, data, lang) for data in debrief.teams)
    return replace(debrief, teams=teams, ranking=ranking(teams))


def review(session: DrillSession, data: TeamDebrief, lang: str | None = None) -> TeamDebrief:
    """One team's debrief with its overrides applied and its after-action review."""
    lang = lang or session.lang
    scenario = svc.scenario_of(session)
    team = svc.team_of(session, data.team.id)
    data = replace(data, score=apply_overrides(data.score, overrides_for(team)))
    rated = ratings_of(team)
    ratings = {}
    for o in scenario.objectives:
        suggestion = data.score.suggestions[o.id]
        ratings[o.id] = RatingView(
            title=o.title(lang),
            suggested=suggestion.rating,
            percent=suggestion.percent,
            because=suggestion.because,
            rating=rated[o.id].rating if o.id in rated else None,
            note=rated[o.id].note if o.id in rated else "",
        )
    items = tuple(ItemView(i.id, i.kind, i.text, i.owner, i.due) for i in items_of(team))
    return replace(data, aar=AarView(ratings, items))
