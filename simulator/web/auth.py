"""Trainer login (password or one-time link), logout, and the account page.

Participants have no account: only trainers log in. `init_auth(app)` configures
Flask-Login. Failed logins are throttled by address across names, and slowed down per name
(throttle.py).
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError

from ..extensions import login_manager
from ..services import accounts
from ..throttle import throttles
from .forms import ButtonForm, ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)

NO_STORE = {"Cache-Control": "no-store"}


def init_auth(app: Flask) -> None:
    """Send anonymous visitors of trainer pages to the login page."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to open this page.")
    login_manager.login_message_category = "info"
    # Flash a plain string in the visitor's language, not a lazy string, into the session.
    login_manager.localize_callback = str


def login_url(base_url: str, token: str) -> str:
    """The one-time login link for `token` on the server at `base_url` (no request needed)."""
    path = current_app.url_map.bind("localhost").build("auth.login_link", {"token": token})
    return base_url.rstrip("/") + path


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (with its query), else None: no open redirect."""
    if not target or len(target) > 2000 or any(ord(c) < 33 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def after_login(target: str | None) -> str:
    if safe := safe_next(target):
        return safe
    if "trainer.sessions" in current_app.view_functions:
        return url_for("trainer.sessions")
    return "/"


def _too_many(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Try again in %(num)d minute.",
        "Too many failed attempts. Try again in %(num)d minutes.",
        minutes,
    )


def _login_page(form: LoginForm, status: int = 200, error: str | None = None):
    return render_template("auth/login.html", form=form, error=error), status, NO_STORE


def _refused(form: LoginForm, seconds: float):
    page, status, headers = _login_page(form, 429, _too_many(seconds))
    return page, status, {**headers, "Retry-After": str(math.ceil(seconds))}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form: a trainer's name and password."""
    form = LoginForm(next=safe_next(request.args.get("next")) or "")
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(after_login(form.next.data))
    if not form.validate_on_submit():
        return _login_page(form)
    # By address, whatever the names tried; by name, from anywhere, for a minute at most.
    address, name = request.remote_addr or "?", accounts.login_key(form.name.data)
    limits = throttles()
    if wait := max(limits.login_address.wait(address), limits.login_name.wait(name)):
        return _refused(form, wait)
    trainer = accounts.authenticate(form.name.data, form.password.data)
    if trainer is None:
        wait = max(limits.login_address.hit(address), limits.login_name.hit(name))
        if wait:
            return _refused(form, wait)
        return _login_page(form, 200, gettext("Wrong name or password."))
    limits.login_name.clear(name)
    login_user(trainer, remember=False)
    return redirect(after_login(form.next.data))


@bp.get("/login/<token>")
def login_link(token: str):
    """A one-time login link, as printed by `run.py` and `flask trainer login-link`."""
    trainer = accounts.consume_login_token(token)
    if trainer is None:
        return render_template("auth/link_invalid.html"), 410, NO_STORE
    login_user(trainer, remember=False)
    return redirect(after_login(request.args.get("next")))


@bp.post("/logout")
def logout():
    logout_user()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the password; create (shown once) or revoke the API token."""
    action = request.form.get("action") if request.method == "POST" else None
    password_form = ChangePasswordForm(formdata=request.form if action == "password" else None)
    if action == "password" and password_form.validate():
        try:
            accounts.change_password(
                current_user, password_form.current.data, password_form.new.data
            )
        except accounts.AccountError as exc:
            password_form.form_errors.append(account_error_message(exc))
        else:
            flash(gettext("Your password was changed."), "success")
            return redirect(url_for("auth.account"), 303)
    new_token = None
    if action == "create_api_token" and ButtonForm().validate():
        new_token = accounts.issue_api_token(current_user)
    elif action == "revoke_api_token" and ButtonForm().validate():
        accounts.revoke_api_token(current_user)
        flash(gettext("The API token was revoked: it no longer works."), "success")
        return redirect(url_for("auth.account"), 303)
    page = render_template(
        "auth/account.html",
        password_form=password_form,
        new_token=new_token,
        password_min=accounts.PASSWORD_MIN,
    )
    return page, 200, NO_STORE


def account_error_message(exc: accounts.AccountError) -> str:
    """An `AccountError` in the visitor's language."""
    messages = {
        "wrong_password": gettext("The current password is wrong."),
        "password_too_short": gettext(
            "The password must be at least %(min)d characters long.", min=accounts.PASSWORD_MIN
        ),
        "password_too_long": gettext(
            "The password must be at most %(max)d characters long.", max=accounts.PASSWORD_MAX
        ),
    }
    return messages.get(exc.code, str(exc))


@bp.errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    """A form without its CSRF token: an old page, or another site posting here."""
    message = gettext("This form has expired. Please try again.")
    if request.endpoint == "auth.login":
        return _login_page(LoginForm(formdata=None), 400, message)
    return render_template("auth/form_expired.html", message=message), 400, NO_STORE
