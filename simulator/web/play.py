"""The participants' pages: join with a code and a name, then the live workspace."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext

from ..services import sessions as svc
from ..services.actions import approver_of
from ..throttle import throttles
from .forms_drill import JoinForm

bp = Blueprint("play", __name__)


def current_participant():
    return svc.participant_for_token(session.get("participant_token"))


@bp.route("/join", methods=["GET", "POST"])
@bp.route("/join/<code>", methods=["GET"])
def join(code: str | None = None):
    form = JoinForm()
    if request.method == "GET" and code:
        form.code.data = code.upper()
    status = 200
    if form.validate_on_submit():
        address = request.remote_addr or "?"
        if throttles().join_codes.wait(address):
            form.code.errors = [
                gettext("Too many wrong codes. Wait a few minutes, then try again.")
            ]
            status = 429
        else:
            try:
                participant, token = svc.join(form.code.data, form.name.data)
            except svc.SessionError as exc:
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
                return redirect(url_for("play.workspace"))
    elif request.method == "POST":
        status = 400
    return render_template("play/join.html", form=form), status


@bp.get("/play")
def workspace():
    participant = current_participant()
    if participant is None:
        return redirect(url_for("play.join"))
    drill = participant.session
    scenario = svc.scenario_of(drill)
    roles = [
        {"id": r.id, "title": r.title(drill.lang), "approval_by": r.approval_by}
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
