"""The home page (the shipped scenarios), the language switch and the health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext

from ..i18n import supported
from ..services.scenarios import scenario_catalogue

bp = Blueprint("main", __name__)


def severity_label(severity: int) -> str:
    return {
        1: gettext("Mild"),
        2: gettext("Moderate"),
        3: gettext("Serious"),
        4: gettext("Severe"),
        5: gettext("Extreme"),
    }.get(severity, str(severity))


def language_name(code: str) -> str:
    return {"fr": gettext("French"), "en": gettext("English")}.get(code, code)


@bp.get("/")
def index():
    scenarios, errors = scenario_catalogue(current_app._get_current_object())
    return render_template(
        "index.html",
        scenarios=scenarios,
        load_errors=len(errors),
        lang=str(get_locale()),
        severity_label=severity_label,
        language_name=language_name,
    )


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    """Remember the visitor's language in a long-lived cookie and go back where they were."""
    if code not in supported():
        abort(404)
    target = _same_site(request.values.get("next")) or _same_site(request.referrer) or "/"
    response = redirect(target)
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        code,
        max_age=current_app.config["LANGUAGE_COOKIE_MAX_AGE"],
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


def _same_site(url: str | None) -> str | None:
    """`url` as a path on this site, or None when it points anywhere else (no open redirect)."""
    if not url or any(c in url for c in "\\\r\n\t") or any(ord(c) < 32 for c in url):
        return None
    parts = urlsplit(url)
    if (parts.scheme or parts.netloc) and (
        parts.scheme not in ("http", "https") or parts.netloc != request.host
    ):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it on pages that name no icon (a PDF, a printed report)."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
