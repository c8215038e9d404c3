"""What if: replay a team's storm with some of its later actions dropped or moved.

The engine makes it exact: the same scenario, seed and controls, the team's actions before
the fork time unchanged, and the changed ones after. Nothing is stored in the database; the
team's storm is kept in memory as snapshots every ten simulated minutes, so a what-if only
plays the storm from the last snapshot before its first change (bench/fork.py).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from ..engine.actions import Action
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


STEP = 10 * 60.0  # a snapshot of the team's storm every ten simulated minutes
KEPT = 4  # teams whose snapshots are kept
_snapshots: OrderedDict[tuple, list[tuple[float, Storm]]] = OrderedDict()


def _snapshots_of(session: DrillSession, team: Team, inputs: list[Action]):
    """The team's storm as played, as of every STEP simulated seconds: replayed once (the
    inputs added as the runner adds them, each when its time comes) and kept."""
    key = (session.id, team.id, session.scenario_yaml, session.seed, team.emitted_until)
    key += (tuple((a.t, a.type, a.id, a.target, a.text) for a in inputs),)
    if key in _snapshots:
        _snapshots.move_to_end(key)
        return _snapshots[key]
    storm = Storm(svc.scenario_of(session), session.seed, session.lang)
    pending, points, t = list(inputs), [], 0.0
    while t < team.emitted_until:
        points.append((t, storm.fork()))
        t = min(t + STEP, team.emitted_until)
        while pending and pending[0].t < t:
            storm.add_action(pending.pop(0))
        storm.advance(t)
    _snapshots[key] = points
    while len(_snapshots) > KEPT:
        _snapshots.popitem(last=False)
    return points


def _forked(session, team, inputs, what_if, changed, played: Tally) -> Tally:
    """The what-if storm's tally: the played one up to the first change (nothing differs
    before it), then the storm from the last snapshot before that change, with the changed
    actions; not the whole storm replayed from the start."""
    until = team.emitted_until
    if not changed:
        return played
    start, snapshot = max(
        ((t, s) for t, s in _snapshots_of(session, team, inputs) if t <= min(changed)),
        key=lambda p: p[0],
    )
    storm = snapshot.fork()
    for action in what_if:
        if action.t >= start:
            storm.add_action(action)
    minute = int(start // 60)
    kept = [p for p in played.injects if p.t < start]
    forked = Tally(played.volume[:minute], played.negative[:minute], kept, start)
    forked.extend(storm.advance(until), until)
    return forked


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
    actual, what_if, changed = [], [], []  # (time and place the runner gave it, action)
    for r in records:
        place, action = debriefs.action_input(r)
        actual.append((place, action))
        if action.t < at:
            what_if.append((place, action))
        elif r.id in drop:
            changed.append(action.t)
            continue
        elif r.id in moves:
            t = max(at, min(float(moves[r.id]), team.emitted_until))
            what_if.append(((t, *place[1:]), replace(action, t=t)))
            changed += [action.t, t]
        else:
            what_if.append((place, action))
    controls = debriefs.control_inputs(session, team)
    until = team.emitted_until
    played, unanswered = debriefs.tallies(session, team)
    inputs = debriefs.in_order(controls + actual)
    forked = _forked(session, team, inputs, debriefs.in_order(controls + what_if), changed, played)
    score_a = score(scenario, played, [a for _, a in actual], unanswered, session.lang)
    score_b = score(scenario, forked, [a for _, a in what_if], unanswered, session.lang)
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
