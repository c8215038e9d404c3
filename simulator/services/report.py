"""The printable debrief report and its PDF, in the session's language.

One template (templates/debrief/report.html) makes both: the printable HTML page and, through
WeasyPrint, the PDF. WeasyPrint runs no JavaScript, so the charts are SVG drawn here by
`charts`. WeasyPrint reads nothing but our own static files (no network, no file outside
static/), so a report cannot reach out whatever its text says.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from flask import current_app, render_template
from flask_babel import force_locale, format_date, gettext
from markupsafe import Markup

from ..models import DrillSession
from . import aar, charts
from . import sessions as svc
from .views import plain

PANGO = "libpango-1.0-0 libpangoft2-1.0-0"


class ReportUnavailable(RuntimeError):
    """WeasyPrint cannot run here; the message says what is missing."""


def _weasyprint():
    try:
        import weasyprint
        import weasyprint.urls
    except ImportError as exc:
        raise ReportUnavailable(
            f"WeasyPrint is not installed ({exc}): pip install -r requirements.txt"
        ) from None
    except OSError as exc:  # cffi could not load Pango: the system libraries are missing
        raise ReportUnavailable(
            f"WeasyPrint cannot load the Pango libraries ({exc}). "
            f"Install the Debian packages {PANGO} (make system-deps)."
        ) from None
    return weasyprint


def chart_labels() -> dict[str, str]:
    """The charts' words, in the current locale (call inside force_locale)."""
    return {
        "volume": gettext("posts per minute"),
        "negative": gettext("negative posts"),
        "unanswered": gettext("negative, same storm unanswered"),
        "actions": gettext("team actions"),
        "injects": gettext("injects"),
        "time": gettext("simulated time (h:mm)"),
        "title": gettext(
            "Volume and negative posts over simulated time, with the team actions and the injects"
        ),
    }


def _context(session: DrillSession, internal: bool) -> dict[str, Any]:
    data = aar.reviewed(session)
    scenario = svc.scenario_of(session)
    labels = chart_labels()
    # Markup: charts escapes every text it draws (team names, labels, action authors)
    timelines = {
        t.team.id: Markup(charts.timeline_svg(plain(t.timeline), labels, session.lang))
        for t in data.teams
    }
    criteria_svg = charts.criteria_svg(
        [
            {"name": t.team.name, "colour": t.team.colour, "criteria": plain(t.score)["criteria"]}
            for t in data.teams
        ],
        {"title": gettext("Criteria per team")},
        lang=session.lang,
    )
    when = session.started_at or session.created_at
    return {
        "drill": session,
        "debrief": data,
        "scenario": scenario,
        "lang": session.lang,
        "date": format_date(when, "long") if when else "",
        "roles": {r.id: r.title(session.lang) for r in scenario.roles},
        "criteria_svg": Markup(criteria_svg),
        "timelines": timelines,
        "internal": internal,
    }


def render_html(session: DrillSession, *, internal: bool = True, **page: Any) -> str:
    """The report page in the session's language. `page`: pdf (bool) and the page's links."""
    with force_locale(session.lang):
        return render_template("debrief/report.html", **_context(session, internal), **page)


def _static_only(weasyprint, static: Path):
    """A WeasyPrint URL fetcher that serves files under static/ and refuses anything else."""

    class StaticOnly(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not path.is_relative_to(static) or not path.is_file():
                raise ValueError(f"the report only reads its own static files, not {url!r}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": kind}
            )

    return StaticOnly()


def render_pdf(session: DrillSession, *, internal: bool = True) -> bytes:
    """The report as a PDF (A4), in the session's language; raises ReportUnavailable."""
    weasyprint = _weasyprint()
    static = Path(current_app.static_folder or "static").resolve()
    html = render_html(session, internal=internal, pdf=True)
    key = hashlib.sha256(html.encode()).digest()
    if key not in _made:  # the same page again (a share link opened by a room): made once
        document = weasyprint.HTML(
            string=html,
            base_url=static.as_uri() + "/",
            url_fetcher=_static_only(weasyprint, static),
        )
        if len(_made) >= PDF_CACHE:
            _made.pop(next(iter(_made)))
        _made[key] = document.write_pdf()
    return _made[key]


PDF_CACHE = 8  # PDFs kept, by the page they were made from
_made: dict[bytes, bytes] = {}
