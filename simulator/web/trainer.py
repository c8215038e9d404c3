"""The trainer's pages: sessions, creating one, the control room and the projector page."""

from __future__ import annotations

import io
import secrets
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..labels import inject_labels, page_lang
from ..network import is_loopback
from ..services import scenarios as library
from ..services import sessions as svc
from .forms_drill import NewSessionForm
from .main import language_name, severity_label

bp = Blueprint("trainer", __name__)


@bp.before_request
@login_required
def _trainers_only() -> None:
    """Every page here is a trainer's."""


def _own(session_id: int):
    try:
        return svc.session_for(current_user, session_id)
    except svc.SessionError:
        abort(404)


def join_url(session) -> str:
    """The link for participants' devices: the server's LAN address, not the trainer's localhost."""
    public = current_app.config.get("PUBLIC_URL")
    if public and is_loopback(request.host.rsplit(":", 1)[0]):
        return public + url_for("play.join", code=session.join_code)
    return url_for("play.join", code=session.join_code, _external=True)


def unreachable_reason(link: str) -> str | None:
    """Why phones in the room cannot open `link`, or None when they can.

    "loopback": the server listens only on this computer; "no_lan": it listens on every
    interface but this computer has no address on a local network.
    """
    if not is_loopback(urlsplit(link).hostname or ""):
        return None
    return "loopback" if is_loopback(current_app.config.get("HOST") or "") else "no_lan"


@bp.get("/")
def sessions():
    return render_template(
        "trainer/sessions.html",
        sessions=svc.sessions_of(current_user),
        scenario_of=svc.scenario_of,
        language_name=language_name,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    entries = library.library(current_user)
    form = NewSessionForm()
    form.scenario.choices = [
        SelectChoice(
            e.slug, f"{e.scenario.title(_ui_lang())} ({severity_label(e.scenario.severity)})"
        )
        for e in entries
    ]
    if request.method == "GET":
        form.seed.data = secrets.randbelow(1_000_000)
        if request.args.get("scenario"):
            form.scenario.data = request.args["scenario"]
    if form.validate_on_submit():
        found = _chosen_scenario(form)
        if found is not None:
            scenario, yaml_text, version = found
            storm_lang = svc.storm_language(scenario, form.lang.data)
            if not _language_agreed(form, storm_lang):
                warning = language_warning(storm_lang)
                return render_template("trainer/new.html", form=form, warning=warning)
            session = _create(form, yaml_text, version, storm_lang)
            if session is not None:
                return redirect(url_for("trainer.control", session_id=session.id))
    return render_template("trainer/new.html", form=form)


def _chosen_scenario(form: NewSessionForm):
    """(scenario, YAML text, version) of the form's choice, or None with the field's error."""
    try:
        return library.get_version(current_user, form.scenario.data)
    except LookupError:
        form.scenario.errors = [gettext("Choose a scenario from the library.")]
        return None


def _language_agreed(form: NewSessionForm, storm_lang: str) -> bool:
    """True when the storm speaks the language asked, or the trainer was told it will not and
    submitted again; else the form says so (warning) and asks to confirm."""
    agreed = f"{form.scenario.data}:{storm_lang}"
    if storm_lang == form.lang.data or form.lang_agreed.data == agreed:
        return True
    form.lang_agreed.data = agreed
    form.submit.label.text = gettext(
        "Create the session %(in_lang)s", in_lang=in_language(storm_lang)
    )
    return False


def _create(form: NewSessionForm, yaml_text: str, version: int | None, storm_lang: str):
    try:
        return svc.create_session(
            current_user,
            svc.NewSession(
                scenario_slug=form.scenario.data,
                scenario_yaml=yaml_text,
                scenario_version=version,
                lang=storm_lang,
                asked_lang=form.lang.data,
                speed=form.speed.data,
                seed=form.seed.data,
                team_names=form.teams.data.splitlines(),
                team_choice=form.team_choice.data,
                name=form.name.data or "",
                intensity=form.intensity.data,
            ),
        )
    except svc.SessionError as exc:
        form.teams.errors = [*form.teams.errors, _session_error(exc)]
        return None


def in_language(code: str) -> str:
    """ "in English", "in French": the words that end "the storm will be ..."."""
    return {"fr": gettext("in French"), "en": gettext("in English")}.get(code, code)


def language_warning(storm_lang: str) -> str:
    """What a session in a language its scenario lacks will do, said before and during it."""
    return gettext(
        "This scenario is written only %(in_lang)s: the storm and the injects will be "
        "%(in_lang)s, while each participant's pages stay in their own language.",
        in_lang=in_language(storm_lang),
    )


def running_language_warning(session) -> str | None:
    """The control room's reminder that the storm does not speak the language asked."""
    if not session.asked_lang or session.asked_lang == session.lang:
        return None
    return gettext(
        "You asked for a session %(asked)s, but this scenario is written only %(in_lang)s: "
        "the storm and the injects are %(in_lang)s; each participant's pages stay in their own "
        "language.",
        asked=in_language(session.asked_lang),
        in_lang=in_language(session.lang),
    )


def _ui_lang() -> str:
    from flask_babel import get_locale

    return str(get_locale())


def _session_error(exc: svc.SessionError) -> str:
    messages = {
        "bad_teams": gettext("Give 1 to 12 teams, one per line, each with its own name."),
        "bad_speed": gettext("The speed is 1× to 30×."),
        "bad_language": gettext("This scenario is not written in that language."),
    }
    return messages.get(exc.code, exc.message)


@bp.get("/<int:session_id>")
def control(session_id: int):
    session = _own(session_id)
    scenario = svc.scenario_of(session)
    return render_template(
        "trainer/control.html",
        session=session,
        scenario=scenario,
        join_url=join_url(session),
        lang=session.lang,
        phase_titles=[p.title(session.lang) for p in scenario.phases],
        roles={r.id: r.title(session.lang) for r in scenario.roles},
        personas={p.id: p.label(session.lang) for p in scenario.personas},
        inject_labels=inject_labels(scenario, session.lang),
        language_warning=running_language_warning(session),
    )


@bp.get("/<int:session_id>/projector")
def projector(session_id: int):
    session = _own(session_id)
    link = join_url(session)
    return render_template(
        "trainer/projector.html",
        session=session,
        scenario=svc.scenario_of(session),
        join_url=link,
        unreachable=unreachable_reason(link),
        port=current_app.config.get("PORT") or 5000,
    )


@bp.get("/<int:session_id>/qr.svg")
def qr(session_id: int):
    session = _own(session_id)
    out = io.BytesIO()
    segno.make(join_url(session), error="m").save(
        out, kind="svg", scale=10, border=2, xmldecl=False, title=gettext("Join code QR")
    )
    return Response(
        out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"}
    )


@bp.post("/<int:session_id>/delete")
def delete(session_id: int):
    session = _own(session_id)
    if session.status not in ("lobby", "ended"):
        flash(gettext("End the session before deleting it."), "error")
        return redirect(url_for("trainer.control", session_id=session.id))
    svc.delete_session(session)
    flash(gettext("Session deleted."), "info")
    return redirect(url_for("trainer.sessions"))


@bp.get("/<int:session_id>/debrief")
def debrief(session_id: int):
    from ..services import aar

    session = _own(session_id)
    return render_template(
        "trainer/debrief.html",
        session=session,
        debrief=aar.reviewed(session, page_lang()),
        scenario=svc.scenario_of(session),
    )


@bp.get("/<int:session_id>/debrief.csv")
def debrief_csv(session_id: int):
    from ..services import debrief as debriefs

    session = _own(session_id)
    return Response(
        debriefs.session_csv(session),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="stormdrill-session-{session.id}.csv"'
        },
    )


@bp.get("/<int:session_id>/debrief-posts.csv.gz")
def debrief_posts_csv(session_id: int):
    """Every post of every team's world: asked for on its own, compressed."""
    from ..services import debrief as debriefs

    session = _own(session_id)
    name = f"stormdrill-session-{session.id}-posts.csv.gz"
    return Response(
        debriefs.posts_csv_gz(session),
        mimetype="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
