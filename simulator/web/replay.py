"""The replay page: a team's workspace at any simulated time, on a timeline scrubber.

The page loads nothing of the storm itself; it asks two JSON endpoints: the scrubber's marks
(phases, injects, actions) once per team, and one frame (the newest posts per platform, the
counters and the actions up to `t`) each time the scrubber moves.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import lazy_gettext
from flask_login import current_user, login_required

from ..labels import inject_labels
from ..services import replay
from ..services import sessions as svc

bp = Blueprint("replay", __name__)

ERRORS = {
    "missing_t": lazy_gettext("Give the simulated time in seconds, for example ?t=600."),
    "bad_t": lazy_gettext("The time must be a number of simulated seconds, zero or more."),
}


@bp.before_request
@login_required
def _trainers_only() -> None:
    """Every page here is a trainer's, for their own sessions."""


def _own(session_id: int, team_id: int | None):
    """The trainer's session and one of its teams (the first if none is asked); 404 otherwise."""
    try:
        session = svc.session_for(current_user, session_id)
        team = svc.team_of(session, team_id) if team_id is not None else None
    except svc.SessionError:
        abort(404)
    team = team or (session.teams[0] if session.teams else None)
    if team is None:
        abort(404)
    return session, team


@bp.get("/<int:session_id>/replay")
def page(session_id: int):
    """?team=ID&t=SECONDS: a shared moment; a missing or bad t starts at the end."""
    raw = request.args.get("team")
    if raw is not None and not (raw.isascii() and raw.isdigit()):
        abort(404)
    session, team = _own(session_id, int(raw) if raw else None)
    try:
        t = replay.parse_time(request.args.get("t"))
    except replay.ReplayError:
        t = None
    scenario = svc.scenario_of(session)
    return render_template(
        "trainer/replay.html",
        session=session,
        scenario=scenario,
        team=team,
        t=t,
        roles={r.id: r.title(session.lang) for r in scenario.roles},
        inject_labels=inject_labels(scenario, session.lang),
    )


@bp.get("/<int:session_id>/replay/<int:team_id>/marks.json")
def marks(session_id: int, team_id: int):
    session, team = _own(session_id, team_id)
    return jsonify(replay.marks(session, team))


@bp.get("/<int:session_id>/replay/<int:team_id>/frame.json")
def frame(session_id: int, team_id: int):
    """?t=SECONDS (clamped to the end); a bad t is a 400 with a code and a message."""
    session, team = _own(session_id, team_id)
    try:
        t = replay.parse_time(request.args.get("t"))
    except replay.ReplayError as exc:
        response = jsonify(error=exc.code, message=str(ERRORS.get(exc.code, exc.message)))
        response.status_code = 400
        return response
    return jsonify(replay.frame(session, team, t))
