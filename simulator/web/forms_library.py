"""Forms of the scenario library: upload a scenario, import an MSEL, keep or delete a result."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

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
    file = FileField(
        _l("MSEL spreadsheet (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose an MSEL file.")),
            FileAllowed(["csv", "xlsx"], _l("An MSEL is a .csv or .xlsx file.")),
            FileSize(MAX_BYTES, message=_too_large()),
        ],
    )
    base = SelectField(
        _l("Base scenario"),
        description=_l(
            "Its brand, personas, phases, roles, objectives and reactions are kept; "
            "its injects are replaced by the MSEL's rows."
        ),
        validators=[DataRequired()],
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


class DeleteForm(FlaskForm):
    """Only the CSRF token: deleting an upload is a POST from the trainer's own page."""
