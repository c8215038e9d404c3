"""The debrief's printable report and its PDF: for the session's trainer, and the PDF for
anyone holding a live share link. Both are in the session's language."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template_string, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..services import report as reports
from ..services import sessions as svc
from ..services import sharing

bp = Blueprint("report", __name__)

UNAVAILABLE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block main %}<section class="panel"><h1 class="page-title">{{ title }}</h1>
<p>{{ intro }}</p><p class="mono">{{ detail }}</p></section>{% endblock %}"""


def _own(session_id: int):
    try:
        return svc.session_for(current_user, session_id)
    except svc.SessionError:
        abort(404)


def _pdf(session, internal: bool) -> Response:
    try:
        data = reports.render_pdf(session, internal=internal)
    except reports.ReportUnavailable as exc:
        page = render_template_string(
            UNAVAILABLE,
            title=gettext("The PDF cannot be made on this server"),
            intro=gettext(
                "The printable report still works: open it and print it from the browser."
            ),
            detail=str(exc),
        )
        return Response(page, status=503, mimetype="text/html")
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="stormdrill-session-{session.id}.pdf"'
        },
    )


@bp.get("/trainer/<int:session_id>/report")
@login_required
def printable(session_id: int):
    session = _own(session_id)
    return reports.render_html(
        session,
        back_url=url_for("trainer.debrief", session_id=session.id),
        pdf_url=url_for("report.pdf", session_id=session.id),
    )


@bp.get("/trainer/<int:session_id>/report.pdf")
@login_required
def pdf(session_id: int):
    return _pdf(_own(session_id), internal=True)


@bp.get("/shared/<token>/report.pdf")
def shared_pdf(token: str):
    """Sent by anyone holding a live share link: the report without the team's memos."""
    session = sharing.session_for_token(token)
    if session is None:
        abort(404)
    response = _pdf(session, internal=False)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "private, no-store"
    return response
