"""Forms of the scenario library: upload a scenario, import an MSEL, keep or delete a result."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..engine.loader import MAX_BYTES
from .forms import plain_text

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def _too_large():
    return _l("The file is too large: it must be at most 2 MB.")


class UploadForm(FlaskForm):
    file = FileField(
        _l("Scenario file (YAML)"),
        validators=[
            FileRequired(_l("Choose a scenario file.")),
            FileAllowed(["yaml", "yml"], _l("A scenario is a .yaml or .yml file.")),
            FileSize(MAX_BYTES, message=_too_large()),
        ],
    )


class ImportForm(FlaskForm):
    # Required unless the page already holds the file (kept while columns are being mapped)
    file = FileField(
        _l("MSEL spreadsheet (CSV or XLSX)"),
        validators=[
            FileAllowed(["csv", "xlsx"], _l("An MSEL is a .csv or .xlsx file.")),
            FileSize(MAX_BYTES, message=_too_large()),
        ],
    )
    kept_file = HiddenField()  # the file sent before, base64, while columns are mapped
    kept_name = HiddenField()
    text_lang = SelectField(
        _l("Language of the texts"),
        description=_l(
            "For a sheet with one text column (such as Inject Description). A sheet with "
            "text_fr and text_en columns gives both."
        ),
        choices=[SelectChoice("fr", _l("French")), SelectChoice("en", _l("English"))],
        default="fr",
    )
    start = StringField(
        _l("Start time of the exercise"),
        description=_l(
            "For a sheet whose times are times of day (09:05): the time the drill starts "
            "(09:00). Leave it empty when the sheet gives it above its header, or when its "
            "times count from the start (0:25, T+25)."
        ),
        validators=[
            Optional(),
            Regexp(r"^\s*\d{1,2}[:h]\d{2}\s*$", message=_l("Write a time of day, such as 09:00.")),
        ],
    )
    default_platform = SelectField(
        _l("Platform of rows that name none"),
        description=_l(
            "When the sheet has no platform or event-type column, or a row leaves it empty."
        ),
        validators=[Optional()],
    )
    base = SelectField(
        _l("Base scenario"),
        description=_l(
            "Its brand, personas, phases, roles, objectives and reactions are kept; "
            "its injects are replaced by the MSEL's rows. Or none: a scenario of its own, "
            "from the sheet and the four answers below."
        ),
    )
    brand = StringField(
        _l("Brand"),
        description=_l("Without a base scenario: the organisation the storm is about."),
        validators=[Optional(), Length(max=60), plain_text],
    )
    incident = StringField(
        _l("What happened, in a few words"),
        description=_l(
            "Without a base scenario: what the crowd talks about, as it would say it "
            "(the Volta Air outage; la panne de Volta Air), in the language of the texts."
        ),
        validators=[Optional(), Length(max=120), plain_text],
    )
    severity = SelectField(
        _l("Severity"),
        description=_l("Without a base scenario: how loud the storm gets."),
        choices=[
            SelectChoice("1", _l("1: mild")),
            SelectChoice("2", _l("2: serious")),
            SelectChoice("3", _l("3: severe")),
            SelectChoice("4", _l("4: extreme")),
        ],
        default="2",
    )
    duration = StringField(
        _l("Duration"),
        description=_l(
            "Without a base scenario: 45m, 1h30m... Empty: a quarter of an hour after the "
            "last inject."
        ),
        validators=[
            Optional(),
            Regexp(
                r"^\s*(\d+h)?\s*(\d+m)?\s*$", message=_l("Write a duration such as 45m or 1h30m.")
            ),
        ],
    )
    new_id = StringField(
        _l("Id of the new scenario"),
        description=_l("Lowercase letters, digits, - and _, for example late-delivery-lyon."),
        validators=[
            DataRequired(),
            Regexp(ID_PATTERN, message=_l("Use lowercase letters, digits, - and _ only.")),
        ],
    )
    title_fr = StringField(
        _l("Title in French"), validators=[DataRequired(), Length(max=200), plain_text]
    )
    title_en = StringField(
        _l("Title in English"), validators=[DataRequired(), Length(max=200), plain_text]
    )


class ImportResultForm(FlaskForm):
    """The YAML of an imported MSEL, posted back to download it or add it to the library."""

    yaml_text = TextAreaField(_l("Scenario (YAML)"), validators=[DataRequired()])
    msel_name = HiddenField()  # the MSEL's file name, for the version's origin


class DeleteForm(FlaskForm):
    """Only the CSRF token: deleting an upload is a POST from the trainer's own page."""
