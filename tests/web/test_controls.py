"""The trainer's controls are one registry (services/controls.py): a payload gets the same
answer over the control room's socket and over REST, and the OpenAPI document lists exactly
the registry's controls and participants' action types."""

from __future__ import annotations

import pytest

from simulator.extensions import socketio
from simulator.models import Trainer
from simulator.services import action_types
from simulator.services.controls import FIELDS, REST_CONTROLS

from .test_api import API, alice, app, control, document, drill, wall  # noqa: F401

WRONG = {int: "1", str: 1}  # a value of the wrong type for each kind of field


def _wrong(name: str):
    types = FIELDS[name].types
    return WRONG.get(types, "many") if not isinstance(types, tuple) else "many"


def refused_payloads():
    """For every control of the registry: each required field left out, a field of another
    control, each field with the wrong type; then a few the services refuse."""
    rest_fields = sorted({f for c in REST_CONTROLS.values() for f in c.fields})
    for name, c in REST_CONTROLS.items():
        for field in c.required:
            yield {"action": name, **{f: _valid(f) for f in c.required if f != field}}
        foreign = next(f for f in rest_fields if f not in c.fields)
        yield {"action": name, foreign: _valid(foreign)}
        for field in c.fields:
            yield {"action": name, **{f: _valid(f) for f in c.required}, field: _wrong(field)}
    yield {"action": "pause", "speed": 2}
    yield {"action": "fly"}
    yield {"action": "speed", "speed": 99}
    yield {"action": "difficulty", "volume": 5}
    yield {"action": "inject", "inject": "nope"}
    yield {"action": "notice", "text": "x", "team": 2**31}
    yield {"action": "notice", "text": "x", "team": 999}
    yield {"action": "jump", "to": -5}


VALID = {
    "team": 1,
    "speed": 2,
    "to": 60,
    "inject": "nope",
    "platform": "microblog",
    "persona": "nobody",
    "text": "hello",
    "kind": "call",
    "volume": 1,
    "aggression": 0,
    "intensity": "busy",
}


def _valid(name: str):
    return VALID[name]


@pytest.fixture
def trainer_socket(app, drill):  # noqa: F811
    with app.app_context():
        alice_id = Trainer.query.filter_by(name="alice").one().id
    flask_client = app.test_client()
    with flask_client.session_transaction() as s:
        s["_user_id"] = str(alice_id)
        s["_fresh"] = True
    sio = socketio.test_client(app, namespace="/trainer", flask_test_client=flask_client)
    yield sio
    sio.disconnect("/trainer")


def test_a_control_gets_the_same_answer_over_the_socket_and_rest(
    client,
    alice,  # noqa: F811
    drill,  # noqa: F811
    trainer_socket,
):
    sid = drill["id"]
    payloads = list(refused_payloads())
    assert len(payloads) > 3 * len(REST_CONTROLS)
    codes = set()
    for body in payloads:
        ack = trainer_socket.emit(
            "control", {"session": sid, **body}, namespace="/trainer", callback=True
        )
        response = control(client, alice, sid, **body)
        assert ack["ok"] is False, body
        assert response.status_code in (400, 404, 409), (body, response.json)
        assert (response.json["error"], response.json["message"]) == (
            ack["error"],
            ack["message"],
        ), body
        codes.add(ack["error"])
    assert {"missing_field", "bad_field", "bad_action", "bad_speed", "bad_team"} <= codes
    assert control(client, alice, sid, action="start").status_code == 200  # still serving
    ack = trainer_socket.emit(
        "control", {"session": sid, "action": "pause"}, namespace="/trainer", callback=True
    )
    assert ack["ok"] is True and ack["clock"]["status"] == "paused"


def test_pause_with_a_speed_is_refused_both_ways(client, alice, drill, trainer_socket):  # noqa: F811
    sid = drill["id"]
    body = {"action": "pause", "speed": 2}
    ack = trainer_socket.emit(
        "control", {"session": sid, **body}, namespace="/trainer", callback=True
    )
    assert ack["error"] == "bad_field" and "'speed'" in ack["message"]
    assert control(client, alice, sid, **body).json["error"] == "bad_field"


def test_the_document_lists_exactly_the_registrys_controls(client):
    doc = document(client)
    variants = doc["components"]["schemas"]["Control"]["oneOf"]
    assert [v["title"] for v in variants] == list(REST_CONTROLS)
    for variant in variants:
        c = REST_CONTROLS[variant["title"]]
        assert set(variant["properties"]) == {"action", *c.fields}
        assert variant["required"] == ["action", *c.required]
        assert variant["description"] == c.summary
        for name in c.fields:
            assert variant["properties"][name] == FIELDS[name].schema
    shortcuts = {
        path.rsplit("/", 1)[1]
        for path in doc["paths"]
        if path.startswith("/sessions/{session_id}/") and path.count("/") == 3
    } & set(REST_CONTROLS)
    assert shortcuts == {name for name, c in REST_CONTROLS.items() if c.shortcut}
    assert not any(c.rest for name, c in REST_CONTROLS.items() if name in ("move", "remove"))


def test_the_document_lists_exactly_the_registrys_action_types(client):
    types = document(client)["components"]["schemas"]["ActionType"]["oneOf"]
    assert [t["const"] for t in types] == list(action_types.TYPES)
    assert [t["description"] for t in types] == [t.summary for t in action_types.TYPES.values()]


def test_the_action_registry_agrees_with_the_engine():
    from simulator.engine import actions as engine

    assert set(engine.TEAM_TYPES) == action_types.ENGINE_TYPES
    assert {t for t in action_types.NEEDS_TEXT if t in engine.TEAM_TYPES} == engine.NEEDS_TEXT
    assert {"chat", "reject"} == action_types.NEEDS_TEXT - engine.NEEDS_TEXT
    assert {"reply", "holding_statement"} == action_types.PUBLIC
