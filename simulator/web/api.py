"""The REST API, `/api/v1`: JSON in, JSON out, for a trainer's scripts. See docs/api.md.

Every request but the OpenAPI document carries the trainer's token in `Authorization:
Bearer <token>`; a trainer reaches only their own sessions and uploads (another trainer's
are answered 404, as if missing). Every answer is JSON, errors included:
`{"error": code, "message": text}`. Controls are services/controls.py's registry, checked
and run as the control room's are, so a body gets the same answer and everyone in the drill
is told.
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from typing import Any, NoReturn

import yaml
from flask import Blueprint, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ..engine.loader import MAX_BYTES, ScenarioError, load_scenario_bytes
from ..extensions import db
from ..models import DrillSession
from ..plaintext import refusal
from ..services import accounts, controls, messages
from ..services import scenarios as library
from ..services import sessions as svc
from ..services.payloads import MAX_ID, NUMBER, PayloadError, check
from .openapi import document

bp = Blueprint("api", __name__)

MAX_BODY = MAX_BYTES + 64 * 1024  # a 2 MB scenario, and room for the JSON around it
YAML_TYPES = ("text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml", "text/plain")
ID = f"int(max={MAX_ID})"  # larger ids are not found (the database's INTEGER stops there)
_PREFIX = "stormdrill.api_prefix"
SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")  # as in scenarios/scenario.schema.json

MOVE_BODY = {"team": (int, True), "role": (str, False)}
SESSION_BODY = {
    "scenario": (str, True),
    "lang": (str, True),
    "speed": (NUMBER, True),
    "seed": (int, False),
    "teams": (list, True),
    "team_choice": (str, False),
    "name": (str, False),
    "intensity": (str, False),
}
SCENARIO_BODY = {"yaml": (str, True), "filename": (str, False)}

# SessionError codes that are not the client's bad input (400)
STATUS = {
    "not_found": 404,
    "bad_participant": 404,
    "running": 409,
    "not_running": 409,
    "ended": 409,
    "last_phase": 409,
    "bad_jump": 409,
    "assigned": 409,
    "no_code": 503,
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _error(status: int, code: str, message: str, **extra: Any):
    response = jsonify(error=code, message=message, **extra)
    response.status_code = status
    return response


# -- plumbing: registration, size limit, authentication, errors --------------------------


@bp.record_once
def _remember_prefix(state) -> None:
    state.app.extensions[_PREFIX] = (state.url_prefix or "").rstrip("/")


@bp.before_app_request
def _routing_errors_in_json():
    """URLs under the API's prefix that match no route, or not with this method, get JSON.

    Routing errors never reach a blueprint's error handlers (no endpoint, no blueprint), so
    this runs app-wide and answers only for the API's paths.
    """
    exc = request.routing_exception
    prefix = current_app.extensions.get(_PREFIX)
    if not isinstance(exc, NotFound | MethodNotAllowed) or not prefix:
        return None
    if request.path == prefix or request.path.startswith(prefix + "/"):
        return _http_error(exc)
    return None


@bp.url_value_preprocessor
def _limit_body(endpoint, values) -> None:
    request.max_content_length = MAX_BODY


@bp.before_request
def _authenticate() -> None:
    if request.endpoint == "api.openapi":
        return  # the document is public: it is how clients learn to authenticate
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if not header:
        raise ApiError(
            401, "unauthorized", "send your API token as 'Authorization: Bearer <token>'"
        )
    trainer = accounts.trainer_for_api_token(token.strip()) if scheme.lower() == "bearer" else None
    if trainer is None:
        raise ApiError(
            401, "unauthorized", "the API token is not valid: it may have been replaced or revoked"
        )
    g.api_trainer = trainer


@bp.after_request
def _no_html(response):
    """Flask answers OPTIONS itself with an empty text/html body: say it with no body at all."""
    if request.method == "OPTIONS" and not response.get_data():
        response.status_code = 204
        del response.headers["Content-Type"]
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    response = _error(exc.status, exc.code, exc.message, **exc.extra)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="stormdrill"'
    return response


@bp.errorhandler(PayloadError)
def _payload_error(exc: PayloadError):
    return _error(413 if exc.code == "too_big" else 400, exc.code, exc.message)


@bp.errorhandler(svc.SessionError)
def _session_error(exc: svc.SessionError):
    db.session.rollback()
    return _error(STATUS.get(exc.code, 400), exc.code, exc.message)


@bp.errorhandler(library.ScenarioNotFound)
def _scenario_not_found(exc: library.ScenarioNotFound):
    return _error(404, "not_found", "no such scenario in your library")


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    messages = {
        404: ("not_found", "no such resource"),
        405: ("method_not_allowed", f"{request.method} is not allowed here"),
        413: ("too_large", f"the body is larger than {MAX_BYTES // (1024 * 1024)} MB"),
    }
    name = (exc.name or "error").lower().replace(" ", "_").replace("'", "")
    code, message = messages.get(exc.code or 500, (name, exc.description or name))
    response = _error(exc.code or 500, code, message)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


@bp.errorhandler(Exception)
def _bug(exc: Exception):
    """A genuine bug: log it, answer in JSON all the same."""
    db.session.rollback()
    current_app.logger.exception("API request failed: %s %s", request.method, request.path)
    return _error(500, "internal_error", "the server failed to answer; the error was logged")


# -- reading requests --------------------------------------------------------------------


def _trainer():
    return g.api_trainer


def _bad(message: str, code: str = "bad_field") -> NoReturn:
    raise ApiError(400, code, message)


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _json_object() -> dict[str, Any]:
    """The body as a JSON object of plain text and numbers (else 400, or 415)."""
    if not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "send a JSON object with Content-Type: application/json"
        )
    try:
        data = json.loads(request.get_data(cache=True), parse_constant=_no_constants)
    except (ValueError, RecursionError):
        _bad("the body is not valid JSON", "malformed_json")
    if not isinstance(data, dict):
        _bad("the body must be a JSON object", "bad_payload")
    _plain_text(data)
    return data


def _plain_text(data: Any) -> None:
    """No control characters (but line breaks and tabs) and no lone surrogates in any text."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                _text(where or key, key)
                stack.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str):
            _text(where, value)


def _text(where: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        _bad(f"'{where}' is not valid Unicode text")
    if why := refusal(where, value):
        _bad(why, "bad_text")


def _finite(data: dict[str, Any], *names: str) -> None:
    for name in names:
        value = data.get(name)
        if value is None or isinstance(value, bool):
            continue
        try:
            ok = math.isfinite(float(value))
        except OverflowError:
            ok = False
        if not ok:
            _bad(f"'{name}' is out of range")


def _scenario_body() -> tuple[bytes, str]:
    """The scenario YAML as bytes and a file name, from a YAML body or {"yaml": ...}."""
    if request.mimetype in YAML_TYPES:
        return request.get_data(cache=True), "scenario.yaml"
    if not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            'send the scenario as text/yaml, or as JSON: {"yaml": "..."}',
        )
    data = _json_object()
    unknown = sorted(set(data) - set(SCENARIO_BODY))
    if unknown:
        _bad(f"unknown field '{unknown[0]}'")
    for name, (kind, required) in SCENARIO_BODY.items():
        if data.get(name) is None:
            if required:
                raise ApiError(400, "missing_field", f"'{name}' is required")
        elif not isinstance(data[name], kind):
            _bad(f"'{name}' has the wrong type")
    filename = data.get("filename") or "scenario.yaml"
    if len(filename) > 255:
        _bad("'filename' is longer than 255 characters", "too_long")
    return data["yaml"].encode("utf-8"), filename


@contextmanager
def _yaml_errors(filename: str):
    """The loader lets PyYAML's reader errors (control characters) escape: report them alike."""
    try:
        yield
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [f"{filename}:1:1: malformed YAML: {str(exc).splitlines()[0]}"]
        ) from None


def _scenario_version(trainer, slug: str):
    """(scenario, YAML text, version) of the trainer's library; ScenarioNotFound otherwise."""
    if not SCENARIO_ID.fullmatch(slug):
        raise library.ScenarioNotFound(slug)  # not worth a query (PostgreSQL refuses NULs)
    return library.get_version(trainer, slug)


def _scenario(trainer, slug: str):
    """(scenario, YAML text) of the trainer's library; ScenarioNotFound otherwise."""
    scenario, text, _version = _scenario_version(trainer, slug)
    return scenario, text


def _own_session(session_id: int) -> DrillSession:
    return svc.session_for(_trainer(), session_id)


def _control_result(session: DrillSession, action: str, result: dict[str, Any]):
    return jsonify(
        action=action,
        control=result.get("control"),
        clock=svc.clock_payload(session),
        session=messages.session_view(session),
    )


# -- the document --------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(request.script_root + current_app.extensions.get(_PREFIX, "")))


# -- scenarios -------------------------------------------------------------------------------


@bp.get("/scenarios")
def list_scenarios():
    entries = library.library(_trainer())
    return jsonify(
        scenarios=[messages.scenario_view(e.slug, e.scenario, e.source) for e in entries]
    )


@bp.get("/scenarios/<string:scenario_id>")
def get_scenario(scenario_id: str):
    trainer = _trainer()
    scenario, _yaml = _scenario(trainer, scenario_id)
    source = "uploaded" if library.is_uploaded(trainer, scenario_id) else "shipped"
    return jsonify(messages.scenario_view(scenario_id, scenario, source, detail=True))


@bp.post("/scenarios/validate")
def validate_scenario():
    """200 whether the scenario is valid or not: the answer says which, and why."""
    raw, filename = _scenario_body()
    try:
        with _yaml_errors(filename):
            load_scenario_bytes(raw, filename)
    except ScenarioError as exc:
        return jsonify(valid=False, errors=exc.errors)
    return jsonify(valid=True, errors=[])


@bp.post("/scenarios")
def upload_scenario():
    raw, filename = _scenario_body()
    try:
        with _yaml_errors(filename):
            scenario = library.upload_scenario(_trainer(), raw, filename)
    except ScenarioError as exc:
        return _error(422, "invalid_scenario", "the scenario is not valid", errors=exc.errors)
    response = jsonify(messages.scenario_view(scenario.id, scenario, "uploaded"))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_scenario", scenario_id=scenario.id)
    return response


# -- sessions ---------------------------------------------------------------------------------


@bp.get("/sessions")
def list_sessions():
    return jsonify(sessions=[messages.session_view(s) for s in svc.sessions_of(_trainer())])


def _new_session(trainer) -> svc.NewSession:
    data = check(_json_object(), SESSION_BODY)
    for i, name in enumerate(data["teams"]):
        if not isinstance(name, str):
            _bad(f"'teams[{i}]' must be a text")
    _finite(data, "speed")
    if data.get("seed") is not None and not 0 <= data["seed"] <= MAX_ID:
        _bad(f"'seed' must be from 0 to {MAX_ID}")
    try:
        _found, yaml_text, version = _scenario_version(trainer, data["scenario"])
    except library.ScenarioNotFound:
        _bad("'scenario' is not a scenario of your library", "bad_scenario")
    return svc.NewSession(
        scenario_slug=data["scenario"],
        scenario_yaml=yaml_text,
        scenario_version=version,
        lang=data["lang"],
        speed=float(data["speed"]),
        seed=data.get("seed"),
        team_names=data["teams"],
        team_choice=data.get("team_choice") or "pick",
        name=data.get("name") or "",
        intensity=data.get("intensity") or svc.DEFAULT_INTENSITY,
    )


@bp.post("/sessions")
def create_session():
    trainer = _trainer()
    try:
        session = svc.create_session(trainer, _new_session(trainer))
    except ScenarioError as exc:
        return _error(422, "invalid_scenario", "the scenario no longer loads", errors=exc.errors)
    response = jsonify(messages.session_view(session, detail=True))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_session", session_id=session.id)
    return response


@bp.get(f"/sessions/<{ID}:session_id>")
def get_session(session_id: int):
    return jsonify(messages.session_view(_own_session(session_id), detail=True))


@bp.get(f"/sessions/<{ID}:session_id>/state")
def session_state(session_id: int):
    session = _own_session(session_id)
    return jsonify(messages.session_state(session, svc.posts_per_team(session)))


# -- controls ---------------------------------------------------------------------------------


@bp.post(f"/sessions/<{ID}:session_id>/controls")
def control(session_id: int):
    session = _own_session(session_id)
    data = controls.check_control(_json_object(), rest=True)
    return _control_result(session, data["action"], controls.apply(session, data))


SHORTCUTS = ", ".join(name for name, c in controls.REST_CONTROLS.items() if c.shortcut)


@bp.post(f"/sessions/<{ID}:session_id>/<any({SHORTCUTS}):action>")
def clock_control(session_id: int, action: str):
    """Shortcuts for the controls without fields; any body is ignored."""
    session = _own_session(session_id)
    return _control_result(session, action, controls.apply(session, {"action": action}))


# -- teams and participants ---------------------------------------------------------------


@bp.get(f"/sessions/<{ID}:session_id>/teams")
def list_teams(session_id: int):
    session = _own_session(session_id)
    participants = messages.present(session)
    return jsonify(teams=[messages.team_view(t, participants) for t in session.teams])


@bp.get(f"/sessions/<{ID}:session_id>/participants")
def list_participants(session_id: int):
    session = _own_session(session_id)
    return jsonify(participants=[messages.participant(p) for p in messages.present(session)])


@bp.post(f"/sessions/<{ID}:session_id>/participants/<{ID}:participant_id>/move")
def move_participant(session_id: int, participant_id: int):
    session = _own_session(session_id)
    data = check(_json_object(), MOVE_BODY)
    move = {"session": session.id, "action": "move", "participant": participant_id, **data}
    controls.apply(session, controls.check_control(move))
    participant = next(p for p in session.participants if p.id == participant_id)
    return jsonify(participant=messages.participant(participant))


@bp.delete(f"/sessions/<{ID}:session_id>/participants/<{ID}:participant_id>")
def remove_participant(session_id: int, participant_id: int):
    session = _own_session(session_id)
    controls.apply(session, {"action": "remove", "participant": participant_id})
    participant = next(p for p in session.participants if p.id == participant_id)
    return jsonify(participant=messages.participant(participant))


@bp.get(f"/sessions/<{ID}:session_id>/debrief")
def session_debrief(session_id: int):
    """The debrief as JSON, as the trainer's page shows it: facilitators' overrides applied,
    ranking, and per team the score with reasons, timeline, injects and after-action review."""
    from ..services import aar

    return jsonify(aar.reviewed(_own_session(session_id)))
