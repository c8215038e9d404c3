"""The cohort pages: a team against the trainer's earlier teams of the same scenario, and every
team of a scenario's ended sessions. Trainer-only; another trainer's team is a 404."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required

from ..services import cohort
from ..services import debrief as debriefs
from ..services import scenarios as library
from ..services import sessions as svc
from .main import language_name

bp = Blueprint("cohort", __name__)

ORDINALS_EN = {1: "st", 2: "nd", 3: "rd"}


@bp.before_request
@login_required
def _trainers_only() -> None:
    """Every page here is a trainer's."""


def _ui_lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "fr"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th in English; 1er, 2e in French."""
    if _ui_lang() == "en":
        return f"{n}{'th' if 10 <= n % 100 <= 20 else ORDINALS_EN.get(n % 10, 'th')}"
    return f"{n}er" if n == 1 else f"{n}e"


def _filters(default_lang: str | None) -> cohort.Filters:
    """?lang=all|fr|en &version=all|N &scope=earlier|all; anything else is the default."""
    lang = request.args.get("lang")
    version = request.args.get("version", "")
    return cohort.Filters(
        lang=lang if lang in ("all", "fr", "en") else default_lang,
        version=int(version) if version.isascii() and version.isdigit() else None,
        scope="all" if request.args.get("scope") == "all" else "earlier",
    )


def _library_text(slug: str) -> tuple[str | None, str | None]:
    """The scenario's title and text in the trainer's library today, if it is still there."""
    try:
        scenario, text = library.get_scenario(current_user, slug)
    except library.ScenarioNotFound:
        return None, None
    return scenario.title(_ui_lang()), text


def _render(data: dict, **context):
    return render_template(
        "trainer/cohort.html",
        cohort=data,
        ordinal=ordinal,
        language_name=language_name,
        label_lang=_ui_lang(),
        **context,
    )


@bp.get("/<int:session_id>/debrief/<int:team_id>/cohort")
def team(session_id: int, team_id: int):
    """One team against the cohort; scores not stored yet are computed (a few per view)."""
    try:
        session = svc.session_for(current_user, session_id)
        own = svc.team_of(session, team_id)
        title, text = _library_text(session.scenario_slug)
        data = cohort.team_cohort(
            current_user, session, own, _filters(None), _ui_lang(), current_yaml=text
        )
    except (svc.SessionError, cohort.CohortError):
        abort(404)
    return _render(
        data,
        session=session,
        team=own,
        colour=debriefs.colour_of(session, own),
        slug=session.scenario_slug,
        title=svc.scenario_of(session).title(_ui_lang()),
        heading=gettext("%(team)s against earlier teams", team=own.name),
    )


@bp.get("/library/<slug>/cohort")
def scenario(slug: str):
    """Every team of the trainer's ended sessions of this scenario, ranked."""
    title, text = _library_text(slug)
    latest = cohort.latest_session(current_user, slug)
    if title is None and latest is None:
        abort(404)
    if title is None:
        title = svc.scenario_of(latest).title(_ui_lang())
    data = cohort.scenario_cohort(
        current_user, slug, _filters("all"), _ui_lang(), current_yaml=text
    )
    return _render(
        data,
        session=None,
        team=None,
        slug=slug,
        title=title,
        heading=gettext("Teams compared · %(scenario)s", scenario=title),
    )
