"""The scenario editor's forms: one field per thing a trainer edits, all plain texts.

Fields are texts on purpose: the loader judges what they say (a duration, a number, an id),
so that the editor's messages are `scenario validate`'s. simulator/importers/editor.py turns
the form's data into the scenario's YAML and back.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from ..engine.scenario import PLATFORMS
from .forms_library import ID_PATTERN

MAX_ITEMS = 400  # entries per list: more than any scenario needs


class AccountForm(Form):
    platform = StringField(_l("Platform"))
    handle = StringField(_l("Handle or page name"))


class PersonaForm(Form):
    id = StringField(_l("Id"))
    archetype = StringField(_l("Archetype"))
    label_fr = StringField(_l("Name (French)"))
    label_en = StringField(_l("Name (English)"))
    weight = StringField(_l("Share of the chatter"))
    stance = StringField(_l("Stance"))
    followers_median = StringField(_l("Followers (median)"))
    followers_spread = StringField(_l("Followers (spread)"))
    verified = StringField(_l("Share verified (0–1)"))
    platforms = StringField(_l("Platforms"), description=_l("Comma-separated."))
    more = TextAreaField(_l("Voice and more (YAML)"))


class PhaseForm(Form):
    id = StringField(_l("Id"))
    start = StringField(_l("Start"))
    title_fr = StringField(_l("Title (French)"))
    title_en = StringField(_l("Title (English)"))
    negative = StringField(_l("Negative"))
    neutral = StringField(_l("Neutral"))
    positive = StringField(_l("Positive"))
    more = TextAreaField(_l("Topics, templates and more (YAML)"))


for _platform in PLATFORMS:
    setattr(PhaseForm, f"rate_{_platform}", StringField(_platform))


class InjectForm(Form):
    id = StringField(_l("Id"))
    time = StringField(_l("Time"), description=_l("From the start: 5m, 1h10m."))
    phase = StringField(_l("Phase"))
    platform = StringField(_l("Platform"))
    kind = StringField(_l("Kind"))
    persona = StringField(_l("Persona"))
    author_handle = StringField(_l("Fixed author: handle"))
    author_name = StringField(_l("Fixed author: name"))
    author_followers = StringField(_l("Fixed author: followers"))
    reply_to = StringField(_l("Reply to (inject id)"))
    text_fr = TextAreaField(_l("Text (French)"))
    text_en = TextAreaField(_l("Text (English)"))
    sentiment = StringField(_l("Sentiment"))
    severity = StringField(_l("Severity (1–4)"))
    virality = StringField(_l("Virality"))
    must_escalate_to = StringField(_l("Escalate to (role)"))
    expected_actions = StringField(
        _l("Expected actions"),
        description=_l(
            "Comma-separated: reply, escalate, tag, dm, hide, delete, holding_statement, memo, "
            "ignore."
        ),
    )
    deadline = StringField(_l("Deadline to act"))
    objective = StringField(_l("Objective"))
    optional = BooleanField(_l("Curveball (thrown by the trainer)"))
    bait = BooleanField(_l("Bait (a reply feeds it)"))
    note_fr = TextAreaField(_l("Note for the trainer (French)"))
    note_en = TextAreaField(_l("Note for the trainer (English)"))
    more = TextAreaField(_l("More (YAML)"))


class StatementForm(Form):
    id = StringField(_l("Id"))
    title_fr = StringField(_l("Title (French)"))
    title_en = StringField(_l("Title (English)"))
    text_fr = TextAreaField(_l("Text (French)"))
    text_en = TextAreaField(_l("Text (English)"))
    more = TextAreaField(_l("More (YAML)"))


class RoleForm(Form):
    id = StringField(_l("Id"))
    title_fr = StringField(_l("Title (French)"))
    title_en = StringField(_l("Title (English)"))
    approval_by = StringField(_l("Replies approved by (role)"))
    description_fr = TextAreaField(_l("Description (French)"))
    description_en = TextAreaField(_l("Description (English)"))
    more = TextAreaField(_l("More (YAML)"))


class ObjectiveForm(Form):
    id = StringField(_l("Id"))
    title_fr = StringField(_l("Title (French)"))
    title_en = StringField(_l("Title (English)"))
    description_fr = TextAreaField(_l("Description (French)"))
    description_en = TextAreaField(_l("Description (English)"))
    more = TextAreaField(_l("More (YAML)"))


class FactForm(Form):
    id = StringField(_l("Id"))
    revealed_inject = StringField(_l("Revealed by the inject"))
    revealed_action = StringField(_l("Revealed by the team's action"))
    revealed_at = StringField(_l("Revealed at"))
    more = TextAreaField(_l("What the crowd says of it (YAML)"))


def _items(form: type[Form]) -> FieldList:
    return FieldList(FormField(form), max_entries=MAX_ITEMS)


class EditorForm(FlaskForm):
    id = StringField(_l("Id"), description=_l("Lowercase letters, digits, - and _."))
    title_fr = StringField(_l("Title (French)"))
    title_en = StringField(_l("Title (English)"))
    synopsis_fr = TextAreaField(_l("Synopsis (French)"))
    synopsis_en = TextAreaField(_l("Synopsis (English)"))
    severity = StringField(_l("Severity (1–5)"))
    crisis_type = StringField(_l("Crisis type"))
    duration = StringField(_l("Duration"), description=_l("45m, 1h30m."))
    clock = StringField(_l("Time of day at the start"), description=_l("HH:MM, such as 09:00."))
    languages = StringField(_l("Languages"), description=_l("fr, en or both."))
    memo_deadline = StringField(_l("Internal memo due by"))
    response_deadline = StringField(_l("First public response due by"))
    platforms = StringField(_l("Platforms"), description=_l("Comma-separated, in feed order."))
    hashtags_fr = TextAreaField(_l("Hashtags (French)"), description=_l("One per line."))
    hashtags_en = TextAreaField(_l("Hashtags (English)"), description=_l("One per line."))
    brand_name = StringField(_l("Brand name"))
    brand_sector_fr = StringField(_l("Sector (French)"))
    brand_sector_en = StringField(_l("Sector (English)"))
    brand_voice_fr = StringField(_l("Tone of voice (French)"))
    brand_voice_en = StringField(_l("Tone of voice (English)"))
    accounts = _items(AccountForm)
    personas = _items(PersonaForm)
    phases = _items(PhaseForm)
    injects = _items(InjectForm)
    facts = _items(FactForm)
    roles = _items(RoleForm)
    objectives = _items(ObjectiveForm)
    playbook = _items(StatementForm)
    rubric_yaml = TextAreaField(_l("Reply rubric (YAML)"))
    reactions_yaml = TextAreaField(_l("Reactions (YAML)"))
    grammar_yaml = TextAreaField(_l("The crowd's lines (YAML)"))
    other_yaml = TextAreaField(_l("Everything else (YAML)"))


class NewScenarioForm(FlaskForm):
    new_id = StringField(
        _l("Id of the new scenario"),
        validators=[
            DataRequired(_l("Give the scenario an id.")),
            Regexp(ID_PATTERN, message=_l("Lowercase letters, digits, - and _.")),
        ],
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give it a title.")), Length(max=200)]
    )
    brand = StringField(
        _l("Brand"), validators=[DataRequired(_l("Name the brand.")), Length(max=80)]
    )
    incident = StringField(
        _l("What happened, in a few words"),
        validators=[DataRequired(_l("Say what happened.")), Length(max=300)],
    )
    minutes = StringField(_l("Duration in minutes"), default="45")
