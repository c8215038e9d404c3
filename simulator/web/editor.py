"""The scenario editor: a scenario's sections as forms, checked as you type, previewed, saved.

Every page is for a logged-in trainer. The form's data goes to services/editor.py, which
writes the scenario's YAML and lets the loader judge it (the same errors as `scenario
validate`); the page's ES modules (editor.js, timeline.js, preview.js) post the form as it is.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required

from ..engine.loader import MAX_BYTES
from ..engine.scenario import PLATFORMS, SENTIMENTS
from ..importers.msel_export import msel_xlsx
from ..labels import platform_label
from ..services import editor as service
from ..services import scenarios as library_service
from .forms_editor import (
    AccountForm,
    EditorForm,
    FactForm,
    InjectForm,
    NewScenarioForm,
    ObjectiveForm,
    PersonaForm,
    PhaseForm,
    RoleForm,
    StatementForm,
)

bp = Blueprint("editor", __name__)

ACTIONS = (
    "reply",
    "escalate",
    "tag",
    "dm",
    "hide",
    "delete",
    "holding_statement",
    "memo",
    "ignore",
)
KINDS = ("post", "reply", "share", "comment", "review", "article", "message", "call")
ARCHETYPES = (
    "angry_customer",
    "customer",
    "journalist",
    "influencer",
    "activist",
    "employee",
    "ex_employee",
    "competitor",
    "troll",
    "supporter",
    "expert",
    "official",
    "bystander",
)
STANCES = ("negative", "neutral", "positive", "mixed")
PROTOS = {
    "accounts": AccountForm,
    "personas": PersonaForm,
    "phases": PhaseForm,
    "injects": InjectForm,
    "facts": FactForm,
    "roles": RoleForm,
    "objectives": ObjectiveForm,
    "playbook": StatementForm,
}


@bp.url_value_preprocessor
def _limits(endpoint, values):
    """A scenario's form is large (hundreds of fields, its crowd's lines as YAML texts)."""
    request.max_content_length = 4 * MAX_BYTES
    request.max_form_memory_size = 2 * MAX_BYTES
    request.max_form_parts = 50_000


def _user():
    return current_user._get_current_object()


def _lang() -> str:
    return str(get_locale())


def _form_data(form: EditorForm) -> dict[str, Any]:
    data = dict(form.data)
    data.pop("csrf_token", None)
    return data


def _dom_id(form: EditorForm, field: str) -> str:
    """The element id of a dotted field (`injects.3.text_fr`) in this form as posted."""
    parts = field.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        entries = getattr(form, parts[0]).entries
        index = int(parts[1])
        if index < len(entries):
            return f"{entries[index].id}-{parts[2]}"
    return field.replace(".", "-")


def _errors(form: EditorForm, errors: list[dict]) -> list[dict]:
    return [
        {
            "id": _dom_id(form, e["field"]),
            "path": e["path"],
            "message": e["message"],
            "line": e["line"],
        }
        for e in errors
    ]


def _page(form: EditorForm, *, slug: str | None = None, errors=(), status: int = 200):
    return (
        render_template(
            "library/editor.html",
            form=form,
            slug=slug,
            errors=list(errors),
            platforms=PLATFORMS,
            platform_label=platform_label,
            actions=ACTIONS,
            kinds=KINDS,
            archetypes=ARCHETYPES,
            stances=STANCES,
            sentiments=SENTIMENTS,
            lang=_lang(),
            protos={name: sub(prefix=f"{name}-__i__-") for name, sub in PROTOS.items()},
        ),
        status,
    )


def _editor(data: dict, slug: str | None = None):
    return _page(EditorForm(formdata=None, data=data), slug=slug)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """From scratch (the form below), or a copy of a library entry (`?from=slug`)."""
    source = request.args.get("from")
    if request.method == "GET" and source:
        try:
            return _editor(service.start(_user(), source, copy=True))
        except library_service.ScenarioNotFound:
            abort(404)
    form = NewScenarioForm()
    if form.validate_on_submit():
        minutes = form.minutes.data.strip() if form.minutes.data else "45"
        data = service.start_new(
            _user(),
            form.new_id.data,
            form.title.data.strip(),
            form.brand.data.strip(),
            form.incident.data.strip(),
            _lang(),
            int(minutes) if minutes.isdigit() and 5 <= int(minutes) <= 600 else 45,
        )
        return _editor(data)
    entries = library_service.library(_user())
    status = 400 if form.errors else 200
    return render_template("library/new.html", form=form, entries=entries, lang=_lang()), status


@bp.get("/<slug>/edit")
@login_required
def edit(slug: str):
    """A trainer's own scenario is edited as it is; a shipped one as a copy of its own."""
    try:
        own = library_service.is_uploaded(_user(), slug)
        return _editor(service.start(_user(), slug, copy=not own), slug=slug if own else None)
    except library_service.ScenarioNotFound:
        abort(404)


@bp.post("/edit/check")
@login_required
def check():
    """Sent by editor.js as the trainer types: the loader's errors, each with its field."""
    form = EditorForm()
    if not form.validate_on_submit():
        abort(400)
    result = service.check(_form_data(form))
    return jsonify({"errors": _errors(form, result["errors"])})


@bp.post("/edit/preview")
@login_required
def preview():
    """Sent by preview.js: the storm after one inject and the curve of the whole scenario."""
    form = EditorForm()
    if not form.validate_on_submit():
        abort(400)
    result = service.preview(_form_data(form), request.args.get("inject", ""), _lang())
    result["errors"] = _errors(form, result["errors"])
    return jsonify(result)


@bp.post("/edit/save")
@login_required
def save():
    """Sent by the editor's Save button: stored in the trainer's library when valid."""
    form = EditorForm()
    if not form.validate_on_submit():
        abort(400)
    scenario, version, checked = service.save(_user(), _form_data(form))
    if scenario is None:
        return _page(form, errors=_errors(form, checked["errors"]), status=400)
    flash(gettext("Scenario saved in your library (version %(num)d).", num=version), "success")
    return redirect(url_for("library.preview", slug=scenario.id))


@bp.post("/edit/export/<kind>")
@login_required
def export(kind: str):
    """Sent by the export buttons: the YAML `scenario validate` accepts, or an MSEL workbook."""
    if kind not in ("yaml", "xlsx"):
        abort(404)
    form = EditorForm()
    if not form.validate_on_submit():
        abort(400)
    checked = service.check(_form_data(form))
    if checked["errors"]:
        return _page(form, errors=_errors(form, checked["errors"]), status=400)
    scenario, _lines = service.load(checked["yaml"])
    if kind == "yaml":
        return Response(
            checked["yaml"],
            mimetype="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{scenario.id}.yaml"'},
        )
    return Response(
        msel_xlsx(scenario, _lang()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{scenario.id}-msel.xlsx"'},
    )
