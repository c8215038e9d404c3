"""WTForms forms for every page, grouped by page. Each carries a CSRF token (Flask-WTF).

Labels are lazy strings, so a form built at import time still speaks the visitor's language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..plaintext import control_character
from ..services.accounts import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN


def plain_text(form: FlaskForm, field) -> None:
    """A validator: no control characters but line breaks and tabs (see plaintext.py)."""
    if isinstance(field.data, str) and control_character(field.data):
        raise ValidationError(
            _l("The text contains a control character: only line breaks and tabs are allowed.")
        )


class ButtonForm(FlaskForm):
    """Nothing but the CSRF token: a button that POSTs (log out, revoke a token...)."""


# Trainer accounts (web/auth.py)


class LoginForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=PASSWORD_MIN,
                message=_l("The password must be at least %(min)d characters long."),
            ),
            Length(max=PASSWORD_MAX),
        ],
        render_kw={"autocomplete": "new-password", "minlength": PASSWORD_MIN},
    )
    confirm = PasswordField(
        _l("New password, again"),
        validators=[
            DataRequired(_l("Type the new password a second time.")),
            EqualTo("new", _l("The two new passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change the password"))
