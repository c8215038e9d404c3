"""The debrief outside the trainer's account: read-only share links and the hot wash.

Anyone with a live share link reads the whole debrief; a participant reads their own
team's debrief once the trainer released the hot wash. The trainer makes, revokes and
releases them from the debrief page.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required

from ..labels import page_lang
from ..services import aar, broadcast, sharing
from ..services import debrief as debriefs
from ..services import sessions as svc
from .play import current_participant

bp = Blueprint("shared", __name__)


@bp.app_context_processor
def _share_links():
    """The debrief page's share panel (trainer/_share.html) lists the session's links."""
    return {"share_links": sharing.links}


def _own(session_id: int):
    try:
        return svc.session_for(current_user, session_id)
    except svc.SessionError:
        abort(404)


def _back(session_id: int):
    return redirect(url_for("trainer.debrief", session_id=session_id))


def share_url(token: str) -> str:
    """The link to hand out: the server's LAN address, not the trainer's localhost."""
    public = current_app.config.get("PUBLIC_URL")
    if public and request.host.split(":")[0] in ("127.0.0.1", "localhost", "[::1]"):
        return public + url_for("shared.debrief", token=token)
    return url_for("shared.debrief", token=token, _external=True)


@bp.get("/shared/<token>")
def debrief(token: str):
    """Sent by anyone holding the link: the whole debrief, read-only."""
    session = sharing.session_for_token(token)
    if session is None:
        abort(404)
    response = make_response(
        render_template(
            "debrief/shared.html",
            drill=session,
            debrief=aar.reviewed(session, page_lang()),
            scenario=svc.scenario_of(session),
            pdf=url_for("report.shared_pdf", token=token),
        )
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _own_team(drill, team):
    """A team's debrief with the facilitator's corrections, as the trainer's page shows it
    (the after-action review itself is not shown: the hot wash comes before it)."""
    return aar.review(drill, debriefs.team_debrief(drill, team, page_lang()), page_lang())


@bp.get("/play/debrief")
def hotwash():
    """Sent by a participant: their own team's debrief, once the trainer released it."""
    participant = current_participant()
    if participant is None:
        return redirect(url_for("play.join"))
    drill = participant.session
    released = drill.hotwash and participant.team is not None
    return render_template(
        "play/hotwash.html",
        drill=drill,
        participant=participant,
        team=_own_team(drill, participant.team) if released else None,
        scenario=svc.scenario_of(drill),
    )


@bp.post("/trainer/<int:session_id>/share")
@login_required
def create_link(session_id: int):
    session = _own(session_id)
    token = sharing.create_link(session)
    flash(share_url(token), "share-link")  # shown once, by _share.html
    flash(gettext("Share link created. Copy it now: it will not be shown again."), "share")
    return _back(session.id)


@bp.post("/trainer/<int:session_id>/share/<int:link_id>/revoke")
@login_required
def revoke_link(session_id: int, link_id: int):
    session = _own(session_id)
    if sharing.revoke(session, link_id) is None:
        abort(404)
    flash(gettext("Share link revoked: it no longer opens the debrief."), "share")
    return _back(session.id)


@bp.post("/trainer/<int:session_id>/hotwash")
@login_required
def toggle_hotwash(session_id: int):
    """The form says which way (`on` = 1 or 0), so a second click or tab cannot flip it back."""
    session = _own(session_id)
    sharing.release_hotwash(session, request.form.get("on") == "1")
    if session.hotwash:
        url = url_for("shared.hotwash")
        broadcast.hotwash_released(session, url)
        flash(gettext("Hot wash released: participants see their own team's debrief."), "share")
    else:
        flash(gettext("Hot wash withdrawn: participants no longer see the debrief."), "share")
    return _back(session.id)
