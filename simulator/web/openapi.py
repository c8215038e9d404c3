"""The OpenAPI 3.1 document of the REST API, built in code and served at /api/v1/openapi.json.

Kept next to the API's routes (web/api.py): a route, a field or a status added there is
described here too; tests/web/test_api_schemathesis.py checks every operation against it.
"""

from __future__ import annotations

import copy
from typing import Any

from ..engine.clock import MAX_SPEED, MIN_SPEED
from ..engine.scenario import LANGS, PLATFORMS
from ..services.action_types import TYPES as ACTION_TYPES
from ..services.controls import FIELDS, REST_CONTROLS
from ..services.payloads import MAX_ID

VERSION = "1.0.0"

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], required: list[str] | None = None, **extra: Any) -> Schema:
    out: Schema = {"type": "object", "properties": properties, **extra}
    if required is None:
        required = list(properties)
    if required:
        out["required"] = required
    return out


def strict(properties: dict[str, Schema], required: list[str], **extra: Any) -> Schema:
    """A request body: unknown fields are refused (400)."""
    return obj(properties, required, additionalProperties=False, **extra)


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ID: Schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
TIMESTAMP: Schema = {"type": "string", "format": "date-time"}
SIM_SECONDS: Schema = {"type": "number", "minimum": 0, "description": "simulated seconds"}

L10N = obj({"fr": STRING, "en": STRING})

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        {
            "error": {"type": "string", "description": "a code for programs, e.g. not_running"},
            "message": {"type": "string", "description": "what went wrong, for people"},
            "errors": {
                **array(STRING),
                "description": "invalid scenarios only: one line per problem, file:line:col",
            },
        },
        ["error", "message"],
    ),
    "L10n": L10N,
    "Scenario": obj(
        {
            "id": STRING,
            "title": ref("L10n"),
            "severity": {"type": "integer", "minimum": 1, "maximum": 5},
            "duration_minutes": NUMBER,
            "languages": array({"enum": list(LANGS)}),
            "injects": {"type": "integer", "description": "how many scripted injects"},
            "platforms": array({"enum": list(PLATFORMS)}),
            "source": {"enum": ["shipped", "uploaded"]},
        }
    ),
    "ScenarioDetail": {
        "allOf": [
            ref("Scenario"),
            obj(
                {
                    "synopsis": ref("L10n"),
                    "crisis_type": nullable(STRING),
                    "phases": array(
                        obj({"id": STRING, "start": SIM_SECONDS, "title": ref("L10n")})
                    ),
                    "roles": array(
                        obj({"id": STRING, "title": ref("L10n"), "approval_by": nullable(STRING)})
                    ),
                    "personas": array(
                        obj({"id": STRING, "archetype": STRING, "label": ref("L10n")})
                    ),
                    "scripted_injects": array(
                        obj(
                            {
                                "id": STRING,
                                "time": SIM_SECONDS,
                                "platform": {"enum": list(PLATFORMS)},
                                "persona": STRING,
                                "optional": BOOLEAN,
                            }
                        )
                    ),
                }
            ),
        ]
    },
    "ScenarioList": obj({"scenarios": array(ref("Scenario"))}),
    "ScenarioText": strict(
        {
            "yaml": {"type": "string", "description": "the scenario file's text"},
            "filename": {
                "type": "string",
                "maxLength": 255,
                "description": "the name error lines start with (default scenario.yaml)",
            },
        },
        ["yaml"],
    ),
    "Validation": obj({"valid": BOOLEAN, "errors": array(STRING)}),
    "Clock": obj(
        {
            "status": {"enum": ["lobby", "running", "paused", "ended"]},
            "speed": {**NUMBER, "description": "simulated seconds per real second"},
            "sim": {**SIM_SECONDS, "description": "simulated seconds now"},
            "wall": {**NUMBER, "description": "server time now (Unix seconds)"},
            "end": {**SIM_SECONDS, "description": "the scenario's duration"},
        }
    ),
    "Team": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "volume": {**NUMBER, "description": "storm volume factor, 0 to 2"},
            "aggression": {**NUMBER, "description": "storm aggression, -1 to 1"},
            "participants": {"type": "integer", "description": "participants in the team"},
        }
    ),
    "TeamState": {
        "allOf": [
            ref("Team"),
            obj(
                {
                    "seq": {"type": "integer", "description": "last batch of posts sent"},
                    "emitted_until": {
                        **SIM_SECONDS,
                        "description": "the storm was sent up to here",
                    },
                    "posts": {"type": "integer", "description": "posts stored for the team"},
                }
            ),
        ]
    },
    "TeamList": obj({"teams": array(ref("Team"))}),
    "Participant": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "team": nullable(INTEGER),
            "role": nullable(STRING),
            "online": {**BOOLEAN, "description": "connected to this server now"},
        }
    ),
    "ParticipantList": obj({"participants": array(ref("Participant"))}),
    "ParticipantResult": obj({"participant": ref("Participant")}),
    "SessionSummary": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "scenario": {"type": "string", "description": "the scenario's id"},
            "scenario_version": {
                **nullable(INTEGER),
                "description": "the version of your scenario the session ran; null for a "
                "shipped scenario",
            },
            "lang": {"enum": list(LANGS)},
            "seed": INTEGER,
            "status": {"enum": ["lobby", "running", "paused", "ended"]},
            "speed": NUMBER,
            "team_choice": {"enum": ["pick", "assign"]},
            "intensity": {"enum": ["calm", "busy", "overwhelming"]},
            "join_code": STRING,
            "created_at": TIMESTAMP,
            "started_at": nullable(TIMESTAMP),
            "ended_at": nullable(TIMESTAMP),
        }
    ),
    "Session": {
        "allOf": [
            ref("SessionSummary"),
            obj(
                {
                    "join_url": {"type": "string", "description": "the page participants open"},
                    "clock": ref("Clock"),
                    "teams": array(ref("Team")),
                    "participants": array(ref("Participant")),
                }
            ),
        ]
    },
    "SessionList": obj({"sessions": array(ref("SessionSummary"))}),
    "NewSession": strict(
        {
            "scenario": {"type": "string", "description": "a scenario id of your library"},
            "lang": {"enum": list(LANGS), "description": "a language the scenario is written in"},
            "speed": {
                "type": "number",
                "minimum": MIN_SPEED,
                "maximum": MAX_SPEED,
                "description": "simulated minutes per real minute",
            },
            "seed": {
                **ID,
                "description": "the storm's seed; random when left out",
            },
            "teams": {
                **array({"type": "string", "minLength": 1, "maxLength": 60}),
                "minItems": 1,
                "maxItems": 12,
                "uniqueItems": True,
                "description": "team names, each its own",
            },
            "team_choice": {
                "enum": ["pick", "assign"],
                "description": "participants pick their team, or the trainer assigns them",
            },
            "name": {"type": "string", "maxLength": 120},
            "intensity": {
                "enum": ["calm", "busy", "overwhelming"],
                "description": "how many posts each column shows at the storm's peak "
                "(0.5, 1 or 3 per simulated minute, beside the posts always shown); calm if "
                "left out",
            },
        },
        ["scenario", "lang", "speed", "teams"],
    ),
    "SessionState": obj(
        {
            "session": INTEGER,
            "status": {"enum": ["lobby", "running", "paused", "ended"]},
            "clock": ref("Clock"),
            "participants": {"type": "integer", "description": "participants in the session"},
            "teams": array(ref("TeamState")),
        }
    ),
    "Move": strict(
        {
            "team": {**ID, "description": "the team's id"},
            "role": {"type": "string", "description": "a role id of the scenario"},
        },
        ["team"],
    ),
    "ControlResult": obj(
        {
            "action": STRING,
            "control": {
                **nullable(INTEGER),
                "description": "the logged control (inject, notice, difficulty); else null",
            },
            "clock": ref("Clock"),
            "session": ref("SessionSummary"),
        }
    ),
}

# the trainer's controls (services/controls.py): (summary, fields, required fields)
CONTROLS: dict[str, tuple[str, dict[str, Schema], list[str]]] = {
    name: (
        control.summary,
        {f: copy.deepcopy(FIELDS[f].schema) for f in control.fields},
        list(control.required),
    )
    for name, control in REST_CONTROLS.items()
}
SCHEMAS["Debrief"] = {
    "type": "object",
    "description": "Ranking, and per team (with its `colour`) the score with every reason "
    "(the reasons add up to their criterion, the criteria to the total; a facilitator's "
    "`override`, or null, shown on its criterion and counted in the total), the timeline "
    "(volume, negative posts, the same storm unanswered, actions with `by` and "
    "`approved_by`, injects with their first words as `label`), the injects table, the "
    "replies with their author (`by`), approver (`approved_by`) and rubric hits, chat, "
    "memos, people (points as author or approver) and the after-action review (`aar`: per "
    "objective the suggested HSEEP rating with `percent` and `because`, the facilitator's "
    "rating; strengths, improvements, plan).",
    "required": ["session", "ranking", "teams"],
    "properties": {
        "session": {"type": "object"},
        "ranking": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["team", "total", "criteria"],
                "properties": {
                    "team": {"type": "object"},
                    "total": {"type": "number"},
                    "criteria": {"type": "object", "additionalProperties": {"type": "number"}},
                },
            },
        },
        "teams": {"type": "array", "items": {"type": "object"}},
    },
}

SCHEMAS["ActionType"] = {
    "description": "a participant's action type, as the debrief reports the team's actions",
    "oneOf": [{"const": name, "description": t.summary} for name, t in ACTION_TYPES.items()],
}

SCHEMAS["Control"] = {
    "description": "one control: `action` says which, and which other fields it takes",
    "oneOf": [
        strict(
            {"action": {"const": action}, **fields},
            ["action", *required],
            title=action,
            description=description,
        )
        for action, (description, fields, required) in CONTROLS.items()
    ],
}


def error(description: str, **extra: Any) -> Schema:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
        **extra,
    }


RESPONSES: dict[str, Schema] = {
    "BadRequest": error(
        "bad input: malformed JSON, a wrong type, an unknown or missing field (the message "
        "names it), or a value the session does not have (team, inject, role...)"
    ),
    "Unauthorized": error(
        "no API token, or not a valid one",
        headers={
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"},
        },
    ),
    "NotFound": error("no such resource (another trainer's counts as none)"),
    "Conflict": error(
        "the session's state does not allow it (e.g. pausing a session that is not running, "
        "anything but reading once it has ended)"
    ),
    "TooLarge": error("the body is larger than 2 MB"),
    "UnsupportedMediaType": error("the body is not of a content type this operation reads"),
    "InvalidScenario": error("the scenario is not valid: `errors` lists every problem"),
}


def json_body(schema: Schema, description: str = "") -> Schema:
    out: Schema = {"content": {"application/json": {"schema": schema}}}
    if description:
        out["description"] = description
    return out


def reply(schema_name: str, description: str) -> Schema:
    return {"description": description, **json_body(ref(schema_name))}


def errors(*codes: int) -> dict[str, Schema]:
    names = {
        400: "BadRequest",
        401: "Unauthorized",
        404: "NotFound",
        409: "Conflict",
        413: "TooLarge",
        415: "UnsupportedMediaType",
        422: "InvalidScenario",
    }
    return {str(code): {"$ref": f"#/components/responses/{names[code]}"} for code in (401, *codes)}


def operation(
    operation_id: str,
    summary: str,
    tag: str,
    responses: dict[str, Schema],
    *,
    body: Schema | None = None,
    description: str = "",
) -> Schema:
    out: Schema = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        out["description"] = description
    if body is not None:
        out["requestBody"] = {"required": True, **body}
    out["responses"] = responses
    return out


def path_id(name: str, description: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": ID}


SESSION_ID = path_id("session_id", "a session's id")
PARTICIPANT_ID = path_id("participant_id", "a participant's id")
SCENARIO_ID = {
    "name": "scenario_id",
    "in": "path",
    "required": True,
    "description": "a scenario's id",
    "schema": {"type": "string"},
}
YAML_BODY: Schema = {
    "description": 'the scenario: its YAML text, or JSON {"yaml": text}',
    "content": {
        "application/json": {"schema": ref("ScenarioText")},
        "text/yaml": {"schema": {"type": "string"}},
        "application/yaml": {"schema": {"type": "string"}},
        "application/x-yaml": {"schema": {"type": "string"}},
    },
}


def shortcut(action: str) -> Schema:
    description, _fields, _required = CONTROLS[action]
    return {
        "parameters": [SESSION_ID],
        "post": operation(
            f"{action}_session",
            description[0].upper() + description[1:],
            "controls",
            {"200": reply("ControlResult", "done; the new clock"), **errors(404, 409)},
            description=f'The same as the control `{{"action": "{action}"}}`; no body needed.',
        ),
    }


PATHS: dict[str, Schema] = {
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "tags": ["meta"],
            "security": [],
            "responses": {
                "200": {
                    "description": "the OpenAPI 3.1 document",
                    **json_body({"type": "object"}),
                }
            },
        }
    },
    "/scenarios": {
        "get": operation(
            "list_scenarios",
            "The scenario library: the shipped scenarios, then your uploads",
            "scenarios",
            {"200": reply("ScenarioList", "the library"), **errors()},
        ),
        "post": operation(
            "upload_scenario",
            "Upload a scenario to your library",
            "scenarios",
            {
                "201": {
                    **reply("Scenario", "stored (an upload with the same id is its new version)"),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **errors(400, 413, 415, 422),
            },
            body=YAML_BODY,
            description="Validated like the shipped files; an id of a shipped scenario is "
            "refused (422).",
        ),
    },
    "/scenarios/validate": {
        "post": operation(
            "validate_scenario",
            "Check a scenario without storing it",
            "scenarios",
            {
                "200": reply("Validation", "valid or not, with every problem"),
                **errors(400, 413, 415),
            },
            body=YAML_BODY,
            description="Answers 200 either way: `valid` says which, `errors` says why, one "
            "line per problem as `file:line:col: field: message`.",
        ),
    },
    "/scenarios/{scenario_id}": {
        "parameters": [SCENARIO_ID],
        "get": operation(
            "get_scenario",
            "A scenario of your library, with its phases, roles, personas and injects",
            "scenarios",
            {"200": reply("ScenarioDetail", "the scenario"), **errors(404)},
        ),
    },
    "/sessions": {
        "get": operation(
            "list_sessions",
            "Your sessions, newest first",
            "sessions",
            {"200": reply("SessionList", "the sessions"), **errors()},
        ),
        "post": operation(
            "create_session",
            "Open a session of a scenario: it waits in the lobby until started",
            "sessions",
            {
                "201": {
                    **reply("Session", "the session, with its join code"),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **errors(400, 413, 415, 422),
            },
            body=json_body(ref("NewSession")),
        ),
    },
    "/sessions/{session_id}": {
        "parameters": [SESSION_ID],
        "get": operation(
            "get_session",
            "A session: teams, participants, join code and URL, clock",
            "sessions",
            {"200": reply("Session", "the session"), **errors(404)},
        ),
    },
    "/sessions/{session_id}/state": {
        "parameters": [SESSION_ID],
        "get": operation(
            "session_state",
            "Where the storm stands, per team",
            "sessions",
            {"200": reply("SessionState", "the state"), **errors(404)},
        ),
    },
    "/sessions/{session_id}/debrief": {
        "parameters": [SESSION_ID],
        "get": operation(
            "session_debrief",
            "The debrief: scores with their reasons, timelines, injects, replies",
            "sessions",
            {"200": reply("Debrief", "the debrief"), **errors(404)},
        ),
    },
    "/sessions/{session_id}/controls": {
        "parameters": [SESSION_ID],
        "post": operation(
            "control",
            "Run a control, as the control room does; everyone concerned is told live",
            "controls",
            {"200": reply("ControlResult", "done"), **errors(400, 404, 409, 413, 415)},
            body=json_body(ref("Control")),
        ),
    },
    **{
        f"/sessions/{{session_id}}/{name}": shortcut(name)
        for name, control in REST_CONTROLS.items()
        if control.shortcut
    },
    "/sessions/{session_id}/teams": {
        "parameters": [SESSION_ID],
        "get": operation(
            "list_teams",
            "The session's teams",
            "teams",
            {"200": reply("TeamList", "the teams"), **errors(404)},
        ),
    },
    "/sessions/{session_id}/participants": {
        "parameters": [SESSION_ID],
        "get": operation(
            "list_participants",
            "The session's participants (removed ones are left out)",
            "teams",
            {"200": reply("ParticipantList", "the participants"), **errors(404)},
        ),
    },
    "/sessions/{session_id}/participants/{participant_id}/move": {
        "parameters": [SESSION_ID, PARTICIPANT_ID],
        "post": operation(
            "move_participant",
            "Put a participant in a team, and optionally give them a role",
            "teams",
            {
                "200": reply("ParticipantResult", "moved; their open pages follow"),
                **errors(400, 404, 413, 415),
            },
            body=json_body(ref("Move")),
        ),
    },
    "/sessions/{session_id}/participants/{participant_id}": {
        "parameters": [SESSION_ID, PARTICIPANT_ID],
        "delete": operation(
            "remove_participant",
            "Remove a participant from the session",
            "teams",
            {
                "200": reply("ParticipantResult", "removed; their open pages are told"),
                **errors(404),
            },
        ),
    },
}


def document(prefix: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI document, for the API mounted at `prefix` (a fresh copy, to change freely)."""
    return copy.deepcopy(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Stormdrill API",
                "version": VERSION,
                "summary": "Run social-media crisis drills from a script",
                "description": "Scenarios, sessions, live controls, teams and participants. "
                "Authenticate with the API token created on your account page: "
                "`Authorization: Bearer <token>`. See docs/api.md.",
            },
            "servers": [{"url": prefix or "/"}],
            "security": [{"bearerAuth": []}],
            "tags": [
                {"name": "scenarios", "description": "the scenario library"},
                {"name": "sessions", "description": "sessions and their state"},
                {"name": "controls", "description": "the trainer's controls during a drill"},
                {"name": "teams", "description": "teams and participants"},
                {"name": "meta", "description": "this document"},
            ],
            "paths": PATHS,
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "the API token from your account page",
                    }
                },
                "schemas": SCHEMAS,
                "responses": RESPONSES,
            },
        }
    )
