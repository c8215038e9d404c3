"""What if: replay a team's storm with some of its later actions dropped or moved.

The engine makes it exact: the same scenario, seed and controls, the team's actions before
the fork time unchanged, and the changed ones after. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..engine.scoring import negative_curve, score
from ..engine.storm import Storm
from ..models import DrillSession, Team
from . import debrief as debriefs
from . import sessions as svc


class ForkError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def fork(
    session: DrillSession, team: Team, at: float, drop: set[int], moves: dict[int, float]
) -> dict[str, Any]:
    """Compare the team's storm with the one where, from `at` on, actions in `drop` are gone
    and those in `moves` happen at the given simulated time (never before `at`)."""
    scenario = svc.scenario_of(session)
    if not 0 <= at <= team.emitted_until:
        raise ForkError("bad_time", "fork at a time the drill reached")
    records = [r for r in debriefs.team_actions(team) if r.engine]
    known = {r.id for r in records}
    if not drop <= known or not set(moves) <= known:
        raise ForkError("bad_action", "no such action in this team's record")
    actual, what_if = [], []
    for r in records:
        action = debriefs.acts.engine_action(r, r.applied_t if r.applied_t is not None else r.sim_t)
        actual.append(action)
        if action.t < at:
            what_if.append(action)
        elif r.id in drop:
            continue
        elif r.id in moves:
            t = max(at, min(float(moves[r.id]), team.emitted_until))
            what_if.append(replace(action, t=t))
        else:
            what_if.append(action)
    controls = list(debriefs._controls(session, team))
    until = team.emitted_until
    baseline = debriefs.counterfactual(session, team)
    posts_a = debriefs.team_posts(team)
    posts_b = Storm(
        scenario, session.seed, session.lang, sorted(controls + what_if, key=lambda a: a.t)
    ).advance(until)
    score_a = score(scenario, posts_a, actual, baseline, session.lang)
    score_b = score(scenario, posts_b, what_if, baseline, session.lang)
    last = int(until // 60)
    curve = lambda posts: [negative_curve(posts).get(m, 0) for m in range(last + 1)]  # noqa: E731
    return {
        "at": at,
        "minutes": list(range(last + 1)),
        "actual": {
            "score": debriefs.score_view(score_a, session.lang),
            "negative": curve(posts_a),
            "posts": len(posts_a),
        },
        "what_if": {
            "score": debriefs.score_view(score_b, session.lang),
            "negative": curve(posts_b),
            "posts": len(posts_b),
        },
        "unanswered": curve(baseline),
        "changed": {"dropped": sorted(drop), "moved": {str(k): v for k, v in moves.items()}},
    }
