"""The trainer's session pages and the participants' join page."""

import re

import pytest

from simulator.extensions import db
from simulator.models import DrillSession, Participant, Trainer
from simulator.services import clock as session_clock
from simulator.services import participants as session_people
from simulator.services import sessions as svc
from simulator.throttle import LIMITS

from ..sockets.conftest import MINIMAL, login


@pytest.fixture
def trainer_id(app):
    with app.app_context():
        t = Trainer(name="alice", password_hash="x")
        db.session.add(t)
        db.session.commit()
        return t.id


@pytest.fixture
def logged_in(client, trainer_id):
    login(client, trainer_id)
    return client


@pytest.fixture
def drill(app, trainer_id):
    with app.app_context():
        s = svc.create_session(
            db.session.get(Trainer, trainer_id),
            svc.NewSession("minimal", MINIMAL.read_text(), "fr", 1.0, 5, ["Red", "Blue"]),
        )
        return s.id, s.join_code


def csrf(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_trainer_pages_need_a_login(client, drill):
    for url in [
        "/trainer/",
        "/trainer/new",
        f"/trainer/{drill[0]}",
        f"/trainer/{drill[0]}/projector",
        f"/trainer/{drill[0]}/qr.svg",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_another_trainers_session_is_not_found(app, client, drill):
    with app.app_context():
        other = Trainer(name="mallory", password_hash="x")
        db.session.add(other)
        db.session.commit()
        login(client, other.id)
    for url in [
        f"/trainer/{drill[0]}",
        f"/trainer/{drill[0]}/projector",
        f"/trainer/{drill[0]}/qr.svg",
    ]:
        assert client.get(url).status_code == 404, url


def test_create_a_session(app, logged_in):
    token = csrf(logged_in, "/trainer/new")
    response = logged_in.post(
        "/trainer/new",
        data={
            "csrf_token": token,
            "scenario": "late-delivery",
            "lang": "en",
            "speed": "10.0",
            "seed": "1234",
            "teams": "Red\nBlue\n\nGreen",
            "team_choice": "assign",
            "name": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        session = db.session.query(DrillSession).one()
        assert [t.name for t in session.teams] == ["Red", "Blue", "Green"]
        assert (session.lang, session.speed, session.seed, session.team_choice) == (
            "en",
            10.0,
            1234,
            "assign",
        )
        assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}", session.join_code)
        assert response.location.endswith(f"/trainer/{session.id}")
    page = logged_in.get(response.location).get_data(as_text=True)
    assert session.join_code in page


def test_duplicate_team_names_are_refused(app, logged_in):
    token = csrf(logged_in, "/trainer/new")
    response = logged_in.post(
        "/trainer/new",
        data={
            "csrf_token": token,
            "scenario": "late-delivery",
            "lang": "fr",
            "speed": "1.0",
            "seed": "1",
            "teams": "A\nA",
            "team_choice": "pick",
        },
    )
    assert response.status_code == 200
    assert "each with its own name" in response.get_data(
        as_text=True
    ) or "un nom différent" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(DrillSession).count() == 0


def test_projector_and_qr(logged_in, drill):
    page = logged_in.get(f"/trainer/{drill[0]}/projector").get_data(as_text=True)
    assert drill[1] in page and f"/join/{drill[1]}" in page
    svg = logged_in.get(f"/trainer/{drill[0]}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.data.startswith(b"<svg")


def test_on_loopback_the_projector_says_phones_cannot_join_and_how_to_fix_it(app, logged_in, drill):
    app.config["HOST"] = "127.0.0.1"  # what `make run` listens on by default
    page = logged_in.get(f"/trainer/{drill[0]}/projector").get_data(as_text=True)
    assert 'data-unreachable="loopback"' in page
    assert "<code>make run HOST=0.0.0.0</code>" in page  # French by default, the command as is
    assert "joignable que depuis cet ordinateur" in page
    logged_in.get("/lang/en")
    page = logged_in.get(f"/trainer/{drill[0]}/projector").get_data(as_text=True)
    assert "Stormdrill listens only on this computer" in page


def test_on_the_lan_the_projector_has_no_warning(app, logged_in, drill):
    app.config.update(HOST="0.0.0.0", PUBLIC_URL="http://192.168.1.20:5000")
    page = logged_in.get(f"/trainer/{drill[0]}/projector").get_data(as_text=True)
    assert f"http://192.168.1.20:5000/join/{drill[1]}" in page
    assert "data-unreachable" not in page
    # every interface, but no address on a network: the link is this computer's own
    app.config.update(PUBLIC_URL="http://127.0.0.1:5000")
    page = logged_in.get(f"/trainer/{drill[0]}/projector").get_data(as_text=True)
    assert 'data-unreachable="no_lan"' in page and "make run HOST" not in page


def test_join_with_a_code(app, client, drill):
    token = csrf(client, f"/join/{drill[1]}")
    response = client.post(
        "/join", data={"csrf_token": token, "code": drill[1].lower(), "name": "  Ana   Lopez "}
    )
    assert response.status_code == 302 and response.location.endswith("/play")
    with app.app_context():
        p = db.session.query(Participant).one()
        assert p.name == "Ana Lopez" and p.team_id is None
    assert "Ana Lopez" in client.get("/play").get_data(as_text=True)


def test_a_program_joins_with_json_and_gets_its_token(app, client, drill):
    token = csrf(client, "/join")
    data = {"csrf_token": token, "code": drill[1], "name": "Bot"}
    json_only = {"Accept": "application/json"}
    response = client.post("/join", data=data, headers=json_only)
    assert response.status_code == 201
    joined = response.json
    with app.app_context():
        p = db.session.query(Participant).one()
        assert session_people.participant_for_token(joined["token"]) == p
        assert joined["participant"] == {"id": p.id, "name": "Bot"}
        assert joined["teams"] == [{"id": t.id, "name": t.name} for t in p.session.teams]
    assert joined["roles"] == [
        {"id": "community_manager", "title": "Community manager", "approval_by": "comms_director"},
        {"id": "comms_director", "title": "Directrice de la communication", "approval_by": None},
    ]
    assert joined["session"]["team_choice"] == "pick"
    wrong = client.post("/join", data={**data, "code": "ZZZZZZ"}, headers=json_only)
    assert wrong.status_code == 404 and wrong.json["error"] == "bad_code"
    assert wrong.json["field"] == "code" and wrong.json["message"]
    nameless = client.post("/join", data={**data, "name": ""}, headers=json_only)
    assert nameless.status_code == 400 and nameless.json["field"] == "name"


def test_a_wrong_code_says_so_and_repeated_ones_are_limited(client, drill):
    token = csrf(client, "/join")
    allowed, _ = LIMITS["join_codes"]
    for _ in range(allowed):
        response = client.post("/join", data={"csrf_token": token, "code": "ZZZZZZ", "name": "Eve"})
        assert response.status_code == 404
        assert "does not match any session" in response.get_data(
            as_text=True
        ) or "ne correspond" in response.get_data(as_text=True)
    response = client.post("/join", data={"csrf_token": token, "code": drill[1], "name": "Eve"})
    assert response.status_code == 429


@pytest.mark.parametrize("name", ["Eve\u0000", "Eve\u001b[31m", "Eve\u0085"])
def test_a_name_with_a_control_character_is_refused_clearly(app, client, drill, name):
    token = csrf(client, "/join")
    response = client.post("/join", data={"csrf_token": token, "code": drill[1], "name": name})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "control character" in page or "caractère de contrôle" in page
    with app.app_context():
        assert db.session.query(Participant).count() == 0
    with app.app_context(), pytest.raises(svc.SessionError) as error:
        session_people.join(drill[1], name)
    assert error.value.code == "bad_name"


def test_an_ended_session_cannot_be_joined(app, client, drill):
    with app.app_context():
        session_clock.end(db.session.get(DrillSession, drill[0]))
    token = csrf(client, "/join")
    response = client.post("/join", data={"csrf_token": token, "code": drill[1], "name": "Eve"})
    assert response.status_code == 410


def test_names_are_inert(app, client, drill, logged_in):
    token = csrf(client, "/join")
    client.post(
        "/join",
        data={"csrf_token": token, "code": drill[1], "name": "<img src=x onerror=alert(1)>"},
    )
    page = client.get("/play").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_play_without_joining_goes_to_the_join_page(client):
    response = client.get("/play")
    assert response.status_code == 302 and response.location.endswith("/join")
