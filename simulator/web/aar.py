"""The debrief's forms: score overrides and the after-action review, one team at a time.

Every route is a POST from templates/trainer/_aar.html (CSRF token in the form), and
redirects back to the team on the debrief page; an error is flashed there.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user, login_required

from ..services import aar
from ..services import sessions as svc

bp = Blueprint("aar", __name__)

ERRORS = {
    "not_yours": lazy_gettext("This session is not yours."),
    "bad_criterion": lazy_gettext("No such criterion."),
    "bad_points": lazy_gettext("Points must be a number between 0 and the criterion's maximum."),
    "note_required": lazy_gettext("Say why: a note is required."),
    "too_long": lazy_gettext("That text is too long."),
    "bad_text": lazy_gettext(
        "The text contains a control character: only line breaks and tabs are allowed."
    ),
    "bad_objective": lazy_gettext("No such objective in this scenario."),
    "bad_rating": lazy_gettext("The rating must be P, S, M or U."),
    "bad_kind": lazy_gettext("Only an improvement plan action has an owner and a due date."),
    "text_required": lazy_gettext("The text is required."),
    "bad_due": lazy_gettext("The due date must be a date (YYYY-MM-DD)."),
    "no_item": lazy_gettext("No such item."),
}


@bp.before_request
@login_required
def _trainers_only() -> None:
    """Every form here is a trainer's."""


def _do(session_id: int, team_id: int, change: Callable[..., object]):
    """Run `change(team)` on the trainer's own session's team, then go back to the team."""
    try:
        session = svc.session_for(current_user, session_id)
        team = svc.team_of(session, team_id)
    except svc.SessionError:
        abort(404)
    try:
        change(team)
    except aar.AarError as error:
        flash(ERRORS.get(error.code, error.message), f"aar-{team_id}")
    return redirect(url_for("trainer.debrief", session_id=session_id) + f"#team-{team_id}")


@bp.post("/<int:session_id>/debrief/<int:team_id>/override")
def override(session_id: int, team_id: int):
    """Sent by the criterion's override form: criterion, points, note."""
    form = request.form
    return _do(
        session_id,
        team_id,
        lambda team: aar.override(
            current_user, team, form.get("criterion", ""), form.get("points", ""), form.get("note")
        ),
    )


@bp.post("/<int:session_id>/debrief/<int:team_id>/rate")
def rate(session_id: int, team_id: int):
    """Sent by the objectives table: objective, rating (P/S/M/U), note."""
    form = request.form
    return _do(
        session_id,
        team_id,
        lambda team: aar.rate(
            team, form.get("objective", ""), form.get("rating", ""), form.get("note", "")
        ),
    )


@bp.post("/<int:session_id>/debrief/<int:team_id>/items")
def add_item(session_id: int, team_id: int):
    """Sent by the strengths, improvements and plan forms: kind, text, owner, due."""
    form = request.form
    return _do(
        session_id,
        team_id,
        lambda team: aar.add_item(
            team,
            form.get("kind", ""),
            form.get("text", ""),
            form.get("owner", ""),
            form.get("due", ""),
        ),
    )


@bp.post("/<int:session_id>/debrief/<int:team_id>/items/<int:item_id>/delete")
def delete_item(session_id: int, team_id: int, item_id: int):
    """Sent by an item's delete button."""
    return _do(session_id, team_id, lambda team: aar.delete_item(team, item_id))
