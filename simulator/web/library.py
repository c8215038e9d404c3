"""The trainer's scenario library: list, preview, upload a scenario, import an MSEL.

Every page is for a logged-in trainer, who sees the shipped scenarios and their own uploads.
"""

from __future__ import annotations

import base64
import binascii
import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from ..engine.loader import MAX_BYTES, ScenarioError, parse_duration
from ..engine.scenario import PLATFORMS, Scenario
from ..importers.msel import FIELD_NAMES as MSEL_FIELDS
from ..importers.msel import FIELDS as MSEL_FIELD_LIST
from ..importers.msel import IGNORE as MSEL_IGNORE
from ..importers.msel import MselError, MselSheet
from ..importers.msel_export import msel_xlsx
from ..importers.standalone import Standalone
from ..labels import action_label, kind_label, platform_label
from ..services import scenarios as library_service
from .forms_library import DeleteForm, ImportForm, ImportResultForm, UploadForm
from .main import language_name, severity_label

bp = Blueprint("library", __name__)

# multipart bodies carry a 2 MB file (or a 2 MB YAML text) plus the form's other fields
MAX_REQUEST = 4 * MAX_BYTES
_LOADER_LINE = re.compile(r"^.*?:(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$", re.S)
MIN_MARKER_GAP = 7.0  # percent of the timeline between two markers in one lane


@bp.url_value_preprocessor
def _limit_request_size(endpoint, values):
    """Bound what a library request may send; runs before CSRF reads the form."""
    request.max_content_length = MAX_REQUEST
    # the largest field: an MSEL kept base64 (a third larger) while its columns are mapped
    request.max_form_memory_size = 4 * -(-MAX_BYTES // 3) + 64 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    message = gettext("The file is too large: it must be at most 2 MB.")
    return render_template("library/too_large.html", message=message), 413


def _user():
    return current_user._get_current_object()


def _lang() -> str:
    return str(get_locale())


def _text_lang(scenario: Scenario) -> str:
    lang = _lang()
    return lang if lang in scenario.languages else scenario.languages[0]


def actions_text(actions: tuple[str, ...]) -> str:
    return ", ".join(action_label(a) for a in actions)


def clock(seconds: float, with_seconds: bool = False) -> str:
    """Simulated time as h:mm, or h:mm:ss when asked or when it is not a whole minute."""
    total = int(seconds)
    h, m, s = total // 3600, total % 3600 // 60, total % 60
    return f"{h}:{m:02d}:{s:02d}" if s or with_seconds else f"{h}:{m:02d}"


def origin_label(origin: str) -> str:
    """Where a version came from, in the page's language."""
    kind, _sep, name = origin.partition(":")
    if kind == "upload" and name:
        return gettext("Uploaded file %(name)s", name=name)
    if kind == "msel" and name:
        return gettext("MSEL import (%(name)s)", name=name)
    if origin == "editor":
        return gettext("Scenario editor")
    return origin or "—"


def _helpers() -> dict:
    return {
        "origin_label": origin_label,
        "lang": _lang(),
        "severity_label": severity_label,
        "language_name": language_name,
        "platform_label": platform_label,
        "action_label": action_label,
        "actions_text": actions_text,
        "kind_label": kind_label,
        "clock": clock,
    }


def _error_lines(errors: list[str]) -> list[dict]:
    """Loader errors (`file:line:col: path: message`) as line, column and message."""
    out = []
    for text in errors:
        m = _LOADER_LINE.match(text)
        if m:
            out.append({"line": int(m["line"]), "col": int(m["col"]), "message": m["message"]})
        else:
            out.append({"line": None, "col": None, "message": text})
    return out


def _version_arg() -> int | None:
    """The version asked in the query string (?version=2); None for the latest."""
    raw = request.args.get("version")
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        abort(404)
    return int(raw)


def _get(slug: str) -> tuple[Scenario, str, int | None]:
    """The scenario, its text and its version, at the version the query string asks."""
    try:
        return library_service.get_version(_user(), slug, _version_arg())
    except library_service.ScenarioNotFound:
        abort(404)


def _filename(scenario: Scenario, version: int | None, ext: str) -> str:
    suffix = f"-v{version}" if version is not None else ""
    return f"{scenario.id}{suffix}{ext}"


@bp.get("/")
@login_required
def index():
    entries = library_service.library(_user())
    return render_template(
        "library/index.html", entries=entries, delete_form=DeleteForm(), **_helpers()
    )


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    form = UploadForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        file = form.file.data
        try:
            saved = library_service.upload_file(_user(), file.read(), file.filename)
        except ScenarioError as exc:
            errors = _error_lines(exc.errors)
        else:
            _flash_saved(saved)
            return redirect(url_for(".preview", slug=saved.scenario.id))
    status = 400 if errors or form.errors else 200
    return render_template("library/upload.html", form=form, errors=errors, **_helpers()), status


def _flash_saved(saved: library_service.Saved) -> None:
    """Say what saving did: a new scenario, a new version of one, or nothing new."""
    if not saved.stored:
        message = gettext(
            "This is the same text as version %(version)d of %(id)s: nothing new was stored.",
            version=saved.version,
            id=saved.scenario.id,
        )
    elif saved.previous:
        message = gettext(
            "You already had the scenario %(id)s: this one is saved as version %(version)d; "
            "the earlier versions stay in your library.",
            id=saved.scenario.id,
            version=saved.version,
        )
    else:
        message = gettext("Scenario added to your library.")
    flash(message, "success")


def _import_page(
    form: ImportForm,
    errors: list[str],
    result=None,
    status: int = 200,
    unmapped: MselSheet | None = None,
    replaces: int | None = None,
):
    return (
        render_template(
            "library/import.html",
            form=form,
            errors=errors,
            result=result,
            result_id=form.new_id.data,
            replaces=replaces,
            unmapped=unmapped,
            fields=[(f.name, gettext(f.label)) for f in MSEL_FIELD_LIST],
            **_helpers(),
        ),
        status,
    )


def _import_form() -> ImportForm:
    form = ImportForm()
    lang = _lang()
    if not form.is_submitted():
        form.text_lang.data = lang
    form.default_platform.choices = [SelectChoice("", gettext("None: the sheet says"))] + [
        SelectChoice(p, platform_label(p)) for p in PLATFORMS
    ]
    form.base.choices = [SelectChoice("", gettext("None: a new scenario from the sheet"))] + [
        SelectChoice(e.slug, f"{e.scenario.title(lang)} ({e.slug})")
        for e in library_service.library(_user())
    ]
    return form


def _standalone(form: ImportForm) -> Standalone | None:
    """The answers for a scenario of its own, or None with the form's errors set."""
    missing = gettext("Without a base scenario, this is needed.")
    for field in (form.brand, form.incident):
        if not (field.data or "").strip():
            field.errors = [*field.errors, missing]
    if form.brand.errors or form.incident.errors:
        return None
    duration = parse_duration(form.duration.data.strip()) if form.duration.data else None
    return Standalone(
        new_id=form.new_id.data,
        title_fr=form.title_fr.data.strip(),
        title_en=form.title_en.data.strip(),
        brand=form.brand.data.strip(),
        incident=form.incident.data.strip(),
        severity=int(form.severity.data or 2),
        duration=duration or None,
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_msel():
    form = _import_form()
    if request.method == "GET" and request.args.get("base") in {c.value for c in form.base.choices}:
        form.base.data = request.args["base"]
    if not form.validate_on_submit():
        return _import_page(form, [], status=400 if form.errors else 200)
    standalone = None if form.base.data else _standalone(form)
    raw, filename = _msel_file(form)
    if raw is None or (not form.base.data and standalone is None):
        return _import_page(form, [], status=400)
    try:
        text = library_service.import_msel(
            _user(),
            raw,
            filename,
            form.base.data,
            form.new_id.data,
            form.title_fr.data.strip(),
            form.title_en.data.strip(),
            mapping=_posted_mapping(),
            start=(form.start.data or "").strip() or None,
            lang=form.text_lang.data,
            default_platform=form.default_platform.data or None,
            standalone=standalone,
        )
    except MselError as exc:
        return _import_page(form, [p.text(gettext) for p in exc.problems], status=400)
    except library_service.MselUnmapped as exc:
        return _import_page(form, [], unmapped=exc.sheet, status=200)
    except library_service.ScenarioNotFound:
        abort(404)
    result = ImportResultForm(formdata=None, yaml_text=text, msel_name=form.kept_name.data)
    known = library_service.versions(_user(), form.new_id.data)
    return _import_page(form, [], result, replaces=known[0].version if known else None)


def _msel_file(form: ImportForm) -> tuple[bytes | None, str]:
    """The file just sent, or the one the page kept while its columns were being mapped."""
    if form.file.data:
        raw = form.file.data.read()
        form.kept_file.data = base64.b64encode(raw).decode()
        form.kept_name.data = form.file.data.filename or "msel.csv"
        return raw, form.kept_name.data
    try:
        raw = base64.b64decode(form.kept_file.data or "", validate=True)
    except binascii.Error:
        raw = b""
    if not raw or len(raw) > MAX_BYTES:
        form.file.errors = [gettext("Choose an MSEL file.")]
        return None, ""
    return raw, form.kept_name.data or "msel.csv"


def _posted_mapping() -> dict[str, str]:
    """The mapping page's answers: a column's header -> a field's name, or "ignore"."""
    names = {*MSEL_FIELDS, MSEL_IGNORE}
    return {
        key[4:]: value
        for key, value in request.form.items()
        if key.startswith("map:") and value in names
    }


def _posted_yaml() -> tuple[str | None, ImportResultForm]:
    form = ImportResultForm()
    if not form.validate_on_submit():
        return None, form
    return form.yaml_text.data.replace("\r\n", "\n"), form


@bp.post("/import/download")
@login_required
def import_download():
    """Sent by the "Download YAML" button of an import's result; validated again."""
    text, _form = _posted_yaml()
    if text is None:
        abort(400)
    try:
        scenario = library_service.check_yaml(text, "msel-import.yaml")
    except ScenarioError as exc:
        return _import_page(_import_form(), exc.errors, status=400)
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{scenario.id}.yaml"'},
    )


@bp.post("/import/add")
@login_required
def import_add():
    """Sent by the "Add to library" button of an import's result."""
    text, form = _posted_yaml()
    if text is None:
        abort(400)
    name = library_service.clean_filename(form.msel_name.data or "msel")
    try:
        saved = library_service.store(_user(), text, "msel-import.yaml", origin=f"msel:{name}")
    except ScenarioError as exc:
        return _import_page(_import_form(), exc.errors, status=400)
    _flash_saved(saved)
    return redirect(url_for(".preview", slug=saved.scenario.id))


def timeline(scenario: Scenario) -> dict:
    """Phases as bands and scheduled injects as markers, in percent of the duration."""
    d = scenario.duration
    phases = []
    for i, ph in enumerate(scenario.phases):
        end = scenario.phases[i + 1].start if i + 1 < len(scenario.phases) else d
        phases.append(
            {"phase": ph, "left": 100 * ph.start / d, "width": 100 * (end - ph.start) / d}
        )
    markers, lanes = [], []  # lanes: the position of the last marker in each lane
    scheduled = sorted(scenario.scheduled_injects, key=lambda inj: inj.time)
    for number, inj in enumerate(scheduled, start=1):
        left = 100 * inj.time / d
        lane = next((k for k, last in enumerate(lanes) if left - last >= MIN_MARKER_GAP), None)
        if lane is None:
            lane = len(lanes)
            lanes.append(left)
        lanes[lane] = left
        markers.append({"inject": inj, "number": number, "left": left, "lane": lane})
    step = 900 if d <= 2 * 3600 else 1800
    ticks = [{"t": t, "left": 100 * t / d} for t in range(0, int(d) + 1, step)]
    optional = [inj for inj in scenario.injects if inj.optional]
    return {
        "phases": phases,
        "markers": markers,
        "lanes": max(1, len(lanes)),
        "ticks": ticks,
        "optional": optional,
        "busiest": library_service.busiest_phase(scenario),
    }


@bp.get("/<slug>")
@login_required
def preview(slug: str):
    scenario, text, version = _get(slug)
    lang = _text_lang(scenario)
    known = library_service.versions(_user(), slug)
    return render_template(
        "library/preview.html",
        s=scenario,
        slug=slug,
        text_lang=lang,
        personas={p.id: p.label(lang) for p in scenario.personas},
        roles={r.id: r.title(lang) for r in scenario.roles},
        objectives={o.id: o.title(lang) for o in scenario.objectives},
        timeline=timeline(scenario),
        posts=library_service.sample_posts(scenario, text, lang),
        uploaded=bool(known),
        version=version,
        versions=known,
        latest=not known or version == known[0].version,
        delete_form=DeleteForm(),
        **_helpers(),
    )


@bp.get("/<slug>/download")
@login_required
def download(slug: str):
    """The exact text stored (or shipped), which `scenario validate` accepts."""
    scenario, text, version = _get(slug)
    name = _filename(scenario, version, ".yaml")
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/<slug>/msel.xlsx")
@login_required
def download_msel(slug: str):
    """The scenario's injects as an MSEL workbook, in the columns the import reads back."""
    scenario, _text, version = _get(slug)
    name = _filename(scenario, version, "-msel.xlsx")
    return Response(
        msel_xlsx(scenario, _lang()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/<slug>/delete")
@login_required
def delete(slug: str):
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        library_service.delete_upload(_user(), slug)
    except library_service.ScenarioNotFound:
        abort(404)
    flash(gettext("Scenario deleted."), "success")
    return redirect(url_for(".index"))
