"""The language of a page: the visitor's choice (a cookie), else the browser's, else French."""

from __future__ import annotations

from flask import current_app, request


def supported() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def chosen_language() -> str | None:
    """The language stored by the language switch, if it is one we speak."""
    code = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    return code if code in supported() else None


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return (
        chosen_language()
        or request.accept_languages.best_match(supported())
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
