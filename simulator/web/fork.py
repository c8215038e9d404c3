"""The "what if" page: a team's storm against the same storm with some actions changed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..labels import page_lang
from ..services import debrief as debriefs
from ..services import sessions as svc
from ..services.fork import ForkError, fork

bp = Blueprint("fork", __name__)


@bp.get("/<int:session_id>/debrief/<int:team_id>/fork")
@login_required
def what_if(session_id: int, team_id: int):
    """GET computes (nothing is stored): ?at=MIN&drop=ID&move_ID=MIN."""
    try:
        session = svc.session_for(current_user, session_id)
        team = svc.team_of(session, team_id)
    except svc.SessionError:
        abort(404)
    actions = [r for r in debriefs.team_actions(team) if r.engine]
    result, error = None, None
    if "at" in request.args:
        try:
            at = float(request.args["at"]) * 60
            drop = {int(x) for x in request.args.getlist("drop")}
            moves = {
                int(key[5:]): float(value) * 60
                for key, value in request.args.items()
                if key.startswith("move_") and value.strip()
            }
            result = fork(session, team, at, drop, moves, page_lang())
        except (ValueError, OverflowError) as exc:
            error = exc.message if isinstance(exc, ForkError) else str(exc)
    return render_template(
        "trainer/fork.html",
        session=session,
        team=team,
        actions=actions,
        result=result,
        error=error,
        args=request.args,
    )
