"""Forms of the live drill: creating a session (trainer) and joining one (participant)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .forms import plain_text

SPEEDS = [1, 2, 5, 10, 20, 30]


class NewSessionForm(FlaskForm):
    scenario = SelectField(_l("Scenario"), validators=[DataRequired()])
    name = StringField(
        _l("Session name (optional)"), validators=[Optional(), Length(max=120), plain_text]
    )
    lang = RadioField(
        _l("Language of the storm"),
        choices=[SelectChoice("fr", _l("French")), SelectChoice("en", _l("English"))],
        default="fr",
    )
    speed = SelectField(
        _l("Speed"),
        coerce=float,
        default=1.0,
        choices=[SelectChoice(float(s), f"{s}×") for s in SPEEDS],
    )
    seed = IntegerField(
        _l("Seed"),
        validators=[InputRequired(), NumberRange(0, 999_999_999)],
        description=_l("The same seed replays the same storm."),
    )
    teams = TextAreaField(
        _l("Teams, one per line"),
        validators=[DataRequired(), Length(max=2000), plain_text],
        default="Équipe A\nÉquipe B",
    )
    team_choice = RadioField(
        _l("Teams"),
        default="pick",
        choices=[
            SelectChoice("pick", _l("Participants pick their team")),
            SelectChoice("assign", _l("I assign participants to teams")),
        ],
    )
    intensity = SelectField(
        _l("Feed intensity"),
        default="calm",
        choices=[
            SelectChoice("calm", _l("Calm: about one post every two minutes per column")),
            SelectChoice("busy", _l("Busy: about one post a minute per column")),
            SelectChoice("overwhelming", _l("Overwhelming: about three posts a minute per column")),
        ],
        description=_l(
            "What each column shows at the storm's peak, in simulated minutes, beside the key "
            "posts always shown. Everything else is counted and searchable."
        ),
    )
    # the language the trainer agreed to run a scenario in when it lacks the one asked
    lang_agreed = HiddenField()
    submit = SubmitField(_l("Create the session"))


class JoinForm(FlaskForm):
    code = StringField(
        _l("Join code"),
        validators=[DataRequired(_l("Enter the join code.")), Length(max=12)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "inputmode": "text",
        },
    )
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=40), plain_text],
        render_kw={"autocomplete": "nickname", "maxlength": 40},
    )
    submit = SubmitField(_l("Join"))
