"""What if: replay a team's storm with some of its later actions dropped or moved.

The engine makes it exact: the same scenario, seed and controls, the team's actions before
the fork time unchanged, and the changed ones after. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import replace

from ..engine.scoring import score
from ..engine.storm import Storm
from ..engine.tally import Tally
from ..models import DrillSession, Team
from . import debrief as debriefs
from . import sessions as svc
from . import views


class ForkError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def fork(
    session: DrillSession,
    team: Team,
    at: float,
    drop: set[int],
    moves: dict[int, float],
    lang: str | None = None,
) -> views.ForkView:
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
    played, unanswered = debriefs.tallies(session, team)
    forked = Tally.of(
        Storm(
            scenario, session.seed, session.lang, sorted(controls + what_if, key=lambda a: a.t)
        ).advance(until),
        until=until,
    )
    score_a = score(scenario, played, actual, unanswered, session.lang)
    score_b = score(scenario, forked, what_if, unanswered, session.lang)
    minutes = int(until // 60) + 1
    lang = lang or session.lang
    return views.ForkView(
        at=at,
        minutes=tuple(range(minutes)),
        actual=views.ForkSide(
            debriefs.score_view(score_a, lang), tuple(played.series(minutes)[1]), played.posts
        ),
        what_if=views.ForkSide(
            debriefs.score_view(score_b, lang), tuple(forked.series(minutes)[1]), forked.posts
        ),
        unanswered=tuple(unanswered.series(minutes)[1]),
        dropped=tuple(sorted(drop)),
        moved={str(k): v for k, v in moves.items()},
    )
