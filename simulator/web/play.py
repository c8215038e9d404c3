"""The participants' pages: join with a code and a name, then the live workspace."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext

from ..labels import page_lang
from ..services import participants
from ..services import sessions as svc
from ..services.actions import approver_of
from ..throttle import throttles
from .forms_drill import JoinForm

bp = Blueprint("play", __name__)


def current_participant():
    return participants.participant_for_token(session.get("participant_token"))


def _wants_json() -> bool:
    """A program asked for JSON (`Accept: application/json`), not a browser for the page."""
    accepted = request.accept_mimetypes
    return accepted.best_match(["text/html", "application/json"]) == "application/json"


def joined_view(participant, token: str) -> dict[str, Any]:
    """What a program needs after joining: its token for `auth.token`, teams and roles."""
    drill = participant.session
    scenario = svc.scenario_of(drill)
    return {
        "token": token,
        "participant": {"id": participant.id, "name": participant.name},
        "session": {
            "id": drill.id,
            "name": drill.name,
            "lang": drill.lang,
            "status": drill.status,
            "team_choice": drill.team_choice,
        },
        "teams": [{"id": t.id, "name": t.name} for t in drill.teams],
        "roles": [
            {"id": r.id, "title": r.title(drill.lang), "approval_by": r.approval_by}
            for r in scenario.roles
        ],
    }


@bp.route("/join", methods=["GET", "POST"])
@bp.route("/join/<code>", methods=["GET"])
def join(code: str | None = None):
    """The join form; a program sending `Accept: application/json` gets JSON back."""
    form = JoinForm()
    if request.method == "GET" and code:
        form.code.data = code.upper()
    status, error = 200, "bad_field"
    if form.validate_on_submit():
        address = request.remote_addr or "?"
        if throttles().join_codes.wait(address):
            form.code.errors = [
                gettext("Too many wrong codes. Wait a few minutes, then try again.")
            ]
            status, error = 429, "too_many_codes"
        else:
            try:
                participant, token = participants.join(form.code.data, form.name.data)
            except svc.SessionError as exc:
                error = exc.code
                if exc.code in ("bad_code", "ended_code"):
                    throttles().join_codes.hit(address)
                    form.code.errors = [
                        gettext("This code does not match any session. Check it on the screen.")
                        if exc.code == "bad_code"
                        else gettext("This session has ended.")
                    ]
                    status = 404 if exc.code == "bad_code" else 410
                else:
                    form.name.errors = [gettext("Your name has 1 to 40 characters.")]
                    status = 400
            else:
                session["participant_token"] = token
                session.permanent = True
                if _wants_json():
                    return jsonify(joined_view(participant, token)), 201
                return redirect(url_for("play.workspace"))
    elif request.method == "POST":
        status = 400
    if request.method == "POST" and _wants_json():
        field, messages = next(iter(form.errors.items()), ("code", [""]))
        return jsonify(error=error, field=field, message=str(messages[0])), status
    return render_template("play/join.html", form=form), status


@bp.get("/play")
def workspace():
    participant = current_participant()
    if participant is None:
        return redirect(url_for("play.join"))
    drill = participant.session
    scenario = svc.scenario_of(drill)
    # Roles are the page's words (the participant's language), not the storm's.
    roles = [
        {"id": r.id, "title": r.title(page_lang()), "approval_by": r.approval_by}
        for r in scenario.roles
    ]
    playbook = [
        {"title": s.title(drill.lang), "text": s.text(drill.lang)} for s in scenario.playbook
    ]
    return render_template(
        "play/play.html",
        participant=participant,
        drill=drill,
        scenario=scenario,
        roles=roles,
        playbook=playbook,
        needs_approval=bool(approver_of(participant)),
    )


@bp.post("/play/leave")
def leave():
    session.pop("participant_token", None)
    return redirect(url_for("play.join"))
