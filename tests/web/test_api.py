"""The REST API, /api/v1: tokens, one trainer's sessions, controls, validation, the document."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import schemathesis
from jsonschema import Draft202012Validator

from simulator.engine.loader import MAX_BYTES
from simulator.extensions import db
from simulator.models import Participant, Trainer
from simulator.services import accounts
from simulator.services import controls as session_controls
from simulator.services import participants as session_people
from simulator.wallclock import set_clock

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "engine" / "data" / "minimal.yaml"
API = "/api/v1"
NEW_SESSION = {
    "scenario": "minimal",
    "lang": "en",
    "speed": 10,
    "seed": 42,
    "teams": ["Red", "Blue"],
}


class FakeWall:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def now(self) -> float:
        return self.t


@pytest.fixture
def wall(app) -> FakeWall:
    fake = FakeWall()
    set_clock(app, fake)
    return fake


@pytest.fixture
def app(make_app, tmp_path):
    """The library is the small scenario alone: its sessions open quickly."""
    library = tmp_path / "scenarios"
    library.mkdir()
    shutil.copy(MINIMAL, library / "minimal.yaml")
    return make_app(SCENARIO_DIR=str(library))


def make_token(app, name: str) -> dict[str, str]:
    """A trainer, created through the accounts service, and their Authorization header."""
    with app.app_context():
        trainer, _password = accounts.create_trainer(name, "correct horse")
        return {"Authorization": f"Bearer {accounts.issue_api_token(trainer)}"}


@pytest.fixture
def alice(app):
    return make_token(app, "alice")


@pytest.fixture
def bob(app):
    return make_token(app, "bob")


@pytest.fixture
def drill(client, alice, wall) -> dict:
    """A session of alice's, in the lobby, opened through the API."""
    response = client.post(f"{API}/sessions", json=NEW_SESSION, headers=alice)
    assert response.status_code == 201, response.json
    return response.json


def control(client, headers, session_id: int, **body):
    return client.post(f"{API}/sessions/{session_id}/controls", json=body, headers=headers)


def assert_error(response, status: int, code: str, mentions: str | None = None) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.json["error"] == code
    assert isinstance(response.json["message"], str) and response.json["message"]
    if mentions is not None:
        assert f"'{mentions}'" in response.json["message"]


def document(client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                yield method, path, item[method]


# -- the document ---------------------------------------------------------------------------


def test_the_openapi_document_is_public_and_valid_openapi_3_1(client):
    doc = document(client)
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": API}]
    schemathesis.openapi.from_dict(doc).validate()  # against the OpenAPI 3.1 meta-schema
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    text = json.dumps(doc)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = doc
        for part in ref.split("/"):
            node = node[part]  # every reference resolves
    for method, path, op in operations(doc):
        assert op["responses"], f"{method} {path} documents no response"
        if path != "/openapi.json":
            assert "401" in op["responses"], f"{method} {path} does not document the 401"


def test_the_document_describes_every_route_and_no_other(app, client):
    documented = {(m.upper(), p) for m, p, _ in operations(document(client))}
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        choices = re.search(r"<any\(([^)]*)\):\w+>", rule.rule)
        for choice in choices.group(1).split(", ") if choices else [None]:
            path = re.sub(r"<any\([^)]*\):\w+>", choice, rule.rule) if choice else rule.rule
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", path).removeprefix(API)
            routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


# -- authentication ---------------------------------------------------------------------------


def test_every_operation_but_the_document_needs_a_bearer_token(client, alice, drill):
    for method, path, _op in operations(document(client)):
        if path == "/openapi.json":
            continue
        url = API + path.format(session_id=drill["id"], participant_id=1, scenario_id="minimal")
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic YTpi"}):
            response = client.open(url, method=method.upper(), headers=headers, json={})
            assert_error(response, 401, "unauthorized")
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_replaced_token_stops_working(app, client):
    with app.app_context():
        trainer, _password = accounts.create_trainer("carol", "correct horse")
        old = accounts.issue_api_token(trainer)
        new = accounts.issue_api_token(trainer)
    assert_error(
        client.get(f"{API}/sessions", headers={"Authorization": f"Bearer {old}"}),
        401,
        "unauthorized",
    )
    assert (
        client.get(f"{API}/sessions", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    )


def test_a_trainer_cannot_see_or_control_another_trainers_session(client, alice, bob, drill):
    sid = drill["id"]
    assert client.get(f"{API}/sessions", headers=bob).json == {"sessions": []}
    for url in ("", "/state", "/teams", "/participants"):
        assert_error(client.get(f"{API}/sessions/{sid}{url}", headers=bob), 404, "not_found")
    assert_error(control(client, bob, sid, action="start"), 404, "not_found")
    assert_error(client.post(f"{API}/sessions/{sid}/start", headers=bob), 404, "not_found")
    assert_error(client.get(f"{API}/sessions/{sid + 100}", headers=alice), 404, "not_found")
    assert client.get(f"{API}/sessions/{sid}", headers=alice).json["status"] == "lobby"


# -- sessions ---------------------------------------------------------------------------------


def test_a_session_is_created_and_read_back(client, alice, drill):
    assert drill["scenario"] == "minimal"
    assert drill["status"] == "lobby"
    assert drill["seed"] == 42
    assert re.fullmatch(r"[A-Z2-9]{6}", drill["join_code"])
    assert drill["join_code"] in drill["join_url"]
    assert [t["name"] for t in drill["teams"]] == ["Red", "Blue"]
    assert drill["clock"]["status"] == "lobby" and drill["clock"]["sim"] == 0
    again = client.get(f"{API}/sessions/{drill['id']}", headers=alice)
    assert again.json == drill
    listed = client.get(f"{API}/sessions", headers=alice).json["sessions"]
    assert [s["id"] for s in listed] == [drill["id"]]


def test_creating_a_session_refuses_what_the_service_refuses(client, alice):
    bad = [
        ({**NEW_SESSION, "scenario": "nope"}, "bad_scenario"),
        ({**NEW_SESSION, "lang": "de"}, "bad_language"),
        ({**NEW_SESSION, "speed": 100}, "bad_speed"),
        ({**NEW_SESSION, "teams": []}, "bad_teams"),
        ({**NEW_SESSION, "teams": ["A", "A"]}, "bad_teams"),
        ({**NEW_SESSION, "team_choice": "random"}, "bad_team_choice"),
    ]
    for body, code in bad:
        assert_error(client.post(f"{API}/sessions", json=body, headers=alice), 400, code)
    assert client.get(f"{API}/sessions", headers=alice).json == {"sessions": []}


# -- controls ---------------------------------------------------------------------------------


def test_controls_drive_the_clock(client, alice, drill, wall):
    sid = drill["id"]
    started = client.post(f"{API}/sessions/{sid}/start", headers=alice)
    assert started.status_code == 200
    assert started.json["clock"]["status"] == "running"
    wall.t += 60
    paused = control(client, alice, sid, action="pause")
    assert paused.json["clock"] == {**paused.json["clock"], "status": "paused", "sim": 600.0}
    assert_error(control(client, alice, sid, action="pause"), 409, "not_running")
    assert control(client, alice, sid, action="speed", speed=5).json["clock"]["speed"] == 5
    assert control(client, alice, sid, action="jump", to=1200).json["clock"]["sim"] == 1200
    assert_error(control(client, alice, sid, action="jump", to=10), 409, "bad_jump")
    next_phase = control(client, alice, sid, action="next_phase").json["clock"]["sim"]
    assert next_phase > 1200
    assert (
        client.post(f"{API}/sessions/{sid}/resume", headers=alice).json["session"]["status"]
        == "running"
    )
    ended = client.post(f"{API}/sessions/{sid}/end", headers=alice)
    assert ended.json["session"]["status"] == "ended"
    assert ended.json["session"]["ended_at"] is not None
    assert_error(control(client, alice, sid, action="resume"), 409, "ended")
    # anything after the end answers `ended`, as docs/api.md says: pausing too
    assert_error(control(client, alice, sid, action="pause"), 409, "ended")


def test_controls_reach_the_teams(app, client, alice, drill):
    sid, red = drill["id"], drill["teams"][0]["id"]
    notice = control(client, alice, sid, action="notice", text="The CEO calls", kind="call")
    assert notice.status_code == 200 and isinstance(notice.json["control"], int)
    inject = control(client, alice, sid, action="inject", team=red, inject="curveball")
    assert isinstance(inject.json["control"], int)
    written = control(
        client, alice, sid, action="inject", platform="microblog", persona="angry", text="Where?"
    )
    assert written.status_code == 200
    harder = control(client, alice, sid, action="difficulty", team=red, volume=1.5, aggression=0.5)
    assert harder.status_code == 200
    state = client.get(f"{API}/sessions/{sid}/state", headers=alice).json
    assert [(t["volume"], t["aggression"]) for t in state["teams"]] == [(1.5, 0.5), (1.0, 0.0)]
    assert all(t["posts"] == 0 and t["seq"] == 0 for t in state["teams"])
    with app.app_context():
        kinds = [c.kind for c in session_controls.storm_controls(sid)]
    assert kinds == ["inject", "inject", "difficulty"]
    assert_error(control(client, alice, sid, action="inject", inject="nope"), 400, "bad_inject")
    assert_error(control(client, alice, sid, action="notice", team=999, text="x"), 400, "bad_team")


def test_a_control_body_is_checked_field_by_field(client, alice, drill):
    sid = drill["id"]
    cases = [
        ({"action": "pause", "colour": "red"}, "bad_field", "colour"),
        ({"action": "speed", "speed": "fast"}, "bad_field", "speed"),
        ({"action": "speed", "speed": True}, "bad_field", "speed"),
        ({"action": "pause", "speed": 2}, "bad_field", "speed"),
        ({"action": "speed"}, "missing_field", "speed"),
        ({"action": "fly"}, "bad_action", "action"),
        ({}, "missing_field", "action"),
        ({"action": "notice", "team": "red", "text": "x"}, "bad_field", "team"),
        ({"action": "speed", "speed": 10**400}, "bad_field", "speed"),
        ({"action": "notice", "text": "a\u0000b"}, "bad_text", "text"),
        ({"action": "notice", "text": "a\u001b[2Jb"}, "bad_text", "text"),
        ({"action": "move", "participant": 1}, "bad_field", "participant"),
    ]
    for body, code, field in cases:
        assert_error(control(client, alice, sid, **body), 400, code, mentions=field)


def test_malformed_bodies_get_json_errors(client, alice, drill):
    url = f"{API}/sessions/{drill['id']}/controls"
    bodies = ["{", "", "[1, 2]", '"pause"', '{"action": NaN}', "[" * 100_000]
    for body in bodies:
        response = client.post(url, data=body, content_type="application/json", headers=alice)
        assert response.status_code == 400, body[:20]
        assert response.json["error"] in ("malformed_json", "bad_payload")
    response = client.post(url, data="action=pause", headers=alice)
    assert_error(response, 415, "unsupported_media_type")
    big = {"action": "notice", "text": "x" * (3 * 1024 * 1024)}
    assert_error(client.post(url, json=big, headers=alice), 413, "too_large")


def test_unknown_paths_and_methods_answer_in_json(client, alice):
    assert_error(client.get(f"{API}/nope", headers=alice), 404, "not_found")
    assert_error(client.post(f"{API}/nope"), 404, "not_found")  # no CSRF error either
    assert_error(client.get(f"{API}/sessions/abc", headers=alice), 404, "not_found")
    assert_error(
        client.get(f"{API}/sessions/99999999999999999999", headers=alice), 404, "not_found"
    )
    response = client.delete(f"{API}/sessions", headers=alice)
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert client.get("/nope").mimetype != "application/json"  # the rest of the site is left alone


# -- teams and participants ---------------------------------------------------------------------


def test_participants_are_listed_moved_and_removed(app, client, alice, drill):
    sid = drill["id"]
    red, blue = (t["id"] for t in drill["teams"])
    with app.app_context():
        zoe, _token = session_people.join(drill["join_code"], "Zoé", red, "community_manager")
        pid = zoe.id
    listed = client.get(f"{API}/sessions/{sid}/participants", headers=alice).json["participants"]
    assert listed == [
        {"id": pid, "name": "Zoé", "team": red, "role": "community_manager", "online": False}
    ]
    moved = client.post(
        f"{API}/sessions/{sid}/participants/{pid}/move",
        json={"team": blue, "role": "comms_director"},
        headers=alice,
    )
    assert moved.json["participant"]["team"] == blue
    assert moved.json["participant"]["role"] == "comms_director"
    teams = client.get(f"{API}/sessions/{sid}/teams", headers=alice).json["teams"]
    assert [t["participants"] for t in teams] == [0, 1]
    assert_error(
        client.post(
            f"{API}/sessions/{sid}/participants/{pid}/move",
            json={"team": blue, "role": "ceo"},
            headers=alice,
        ),
        400,
        "bad_role",
    )
    assert_error(
        client.post(f"{API}/sessions/{sid}/participants/{pid}/move", json={}, headers=alice),
        400,
        "missing_field",
        mentions="team",
    )
    removed = client.delete(f"{API}/sessions/{sid}/participants/{pid}", headers=alice)
    assert removed.status_code == 200
    assert client.get(f"{API}/sessions/{sid}/participants", headers=alice).json == {
        "participants": []
    }
    with app.app_context():
        assert db.session.get(Participant, pid).removed
    again = client.delete(f"{API}/sessions/{sid}/participants/{pid}", headers=alice)
    assert_error(again, 404, "bad_participant")


# -- scenarios ----------------------------------------------------------------------------------


def own_scenario(scenario_id: str = "my-drill") -> str:
    return re.sub(r"(?m)^id: minimal$", f"id: {scenario_id}", MINIMAL.read_text())


def test_the_library_lists_shipped_scenarios(client, alice):
    scenarios = client.get(f"{API}/scenarios", headers=alice).json["scenarios"]
    assert scenarios == [
        {
            "id": "minimal",
            "title": {"fr": "Colis en retard", "en": "Late parcel"},
            "severity": 1,
            "duration_minutes": 90.0,
            "languages": ["fr", "en"],
            "injects": 4,
            "platforms": ["microblog", "brand_page", "forum", "news", "internal"],
            "source": "shipped",
        }
    ]
    detail = client.get(f"{API}/scenarios/minimal", headers=alice).json
    assert [(r["id"], r["approval_by"]) for r in detail["roles"]] == [
        ("community_manager", "comms_director"),
        ("comms_director", None),
    ]
    assert "curveball" in [i["id"] for i in detail["scripted_injects"]]
    assert_error(client.get(f"{API}/scenarios/nope", headers=alice), 404, "not_found")


def test_validating_a_scenario_says_what_is_wrong_and_stores_nothing(client, alice):
    url = f"{API}/scenarios/validate"
    good = client.post(url, data=own_scenario(), content_type="text/yaml", headers=alice)
    assert good.json == {"valid": True, "errors": []}
    bad_text = own_scenario().replace("severity: 1", "severity: 9")
    bad = client.post(url, json={"yaml": bad_text, "filename": "mine.yaml"}, headers=alice)
    assert bad.status_code == 200
    assert bad.json["valid"] is False
    assert re.match(r"mine\.yaml:\d+:\d+: severity: ", bad.json["errors"][0])
    control_chars = client.post(url, data="id: \x11", content_type="text/yaml", headers=alice)
    assert control_chars.status_code == 200 and control_chars.json["valid"] is False
    cycle = client.post(url, data="a: &a [*a, *a]\n", content_type="text/yaml", headers=alice)
    assert cycle.status_code == 200 and cycle.json == {
        "valid": False,
        "errors": [
            "scenario.yaml:1:4: malformed YAML: a[0]: an alias refers to the value that contains it"
        ],
    }
    assert_error(client.post(url, json={"yml": "x"}, headers=alice), 400, "bad_field", "yml")
    assert_error(client.post(url, json={}, headers=alice), 400, "missing_field", "yaml")
    assert_error(
        client.post(url, data="x", content_type="image/png", headers=alice),
        415,
        "unsupported_media_type",
    )
    assert len(client.get(f"{API}/scenarios", headers=alice).json["scenarios"]) == 1


def test_an_uploaded_scenario_joins_its_trainers_library_only(client, alice, bob):
    uploaded = client.post(
        f"{API}/scenarios", data=own_scenario(), content_type="application/yaml", headers=alice
    )
    assert uploaded.status_code == 201
    assert uploaded.json["id"] == "my-drill" and uploaded.json["source"] == "uploaded"
    assert uploaded.headers["Location"].endswith(f"{API}/scenarios/my-drill")
    ids = [s["id"] for s in client.get(f"{API}/scenarios", headers=alice).json["scenarios"]]
    assert ids == ["minimal", "my-drill"]
    assert client.get(f"{API}/scenarios/my-drill", headers=alice).json["source"] == "uploaded"
    assert_error(client.get(f"{API}/scenarios/my-drill", headers=bob), 404, "not_found")
    session = client.post(
        f"{API}/sessions", json={**NEW_SESSION, "scenario": "my-drill"}, headers=alice
    )
    assert session.status_code == 201 and session.json["scenario"] == "my-drill"


def test_an_invalid_upload_is_refused_with_every_error(client, alice):
    invalid = client.post(
        f"{API}/scenarios", json={"yaml": "id: x\nseverity: high\n"}, headers=alice
    )
    assert_error(invalid, 422, "invalid_scenario")
    assert len(invalid.json["errors"]) > 1
    shipped_id = client.post(f"{API}/scenarios", json={"yaml": MINIMAL.read_text()}, headers=alice)
    assert_error(shipped_id, 422, "invalid_scenario")
    assert "shipped" in shipped_id.json["errors"][0]
    huge = "#" * (MAX_BYTES + 100 * 1024)
    too_large = client.post(f"{API}/scenarios", data=huge, content_type="text/yaml", headers=alice)
    assert_error(too_large, 413, "too_large")
    assert [s["id"] for s in client.get(f"{API}/scenarios", headers=alice).json["scenarios"]] == [
        "minimal"
    ]


def test_the_token_is_the_only_way_in(app, client, alice):
    """A logged-in browser session does not open the API: scripts carry the token."""
    with app.app_context():
        trainer_id = db.session.scalar(db.select(Trainer.id).where(Trainer.name == "alice"))
    with client.session_transaction() as s:
        s["_user_id"] = str(trainer_id)
        s["_fresh"] = True
    assert_error(client.get(f"{API}/sessions"), 401, "unauthorized")


def test_uploading_again_makes_a_version_and_a_session_says_which_it_ran(client, alice, drill):
    assert drill["scenario_version"] is None  # a shipped scenario has no versions
    url = f"{API}/scenarios"
    first = client.post(url, data=own_scenario(), content_type="text/yaml", headers=alice)
    changed = own_scenario().replace("severity: 1", "severity: 2", 1)
    second = client.post(url, data=changed, content_type="text/yaml", headers=alice)
    assert (first.status_code, second.status_code) == (201, 201)
    body = {**NEW_SESSION, "scenario": "my-drill"}
    session = client.post(f"{API}/sessions", json=body, headers=alice)
    assert session.status_code == 201
    assert (session.json["scenario"], session.json["scenario_version"]) == ("my-drill", 2)
    listed = client.get(f"{API}/sessions", headers=alice).json["sessions"]
    assert sorted(s["scenario_version"] or 0 for s in listed) == [0, 2]
