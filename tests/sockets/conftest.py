"""Fixtures for live-drill tests: a trainer, a session on the small scenario, participants."""

from pathlib import Path

import pytest

from simulator.extensions import db, socketio
from simulator.models import Trainer
from simulator.runner import get_runner
from simulator.services import participants as session_people
from simulator.services import sessions as svc
from simulator.wallclock import clock_of, set_clock

MINIMAL = Path(__file__).resolve().parents[1] / "engine" / "data" / "minimal.yaml"


class FakeWall:
    """The wall clock, moved by hand."""

    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t

    def now(self) -> float:
        return self.t


@pytest.fixture
def wall(app):
    """The app's wall clock (simulator/wallclock.py), read by the services and the runner."""
    fake = FakeWall()
    set_clock(app, fake)
    return fake


@pytest.fixture
def trainer(app):
    with app.app_context():
        t = Trainer(name="alice", password_hash="x")
        db.session.add(t)
        db.session.commit()
        return t.id


def login(client, trainer_id: int) -> None:
    with client.session_transaction() as s:
        s["_user_id"] = str(trainer_id)
        s["_fresh"] = True


def stranger(app, name: str = "eve"):
    """A test client logged in as another trainer, who owns none of the sessions at hand."""
    with app.app_context():
        other = Trainer(name=name, password_hash="x")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    client = app.test_client()
    login(client, other_id)
    return client


@pytest.fixture
def drill(app, trainer, wall):
    """A session of the minimal scenario with two teams, in the lobby."""
    with app.app_context():
        session = svc.create_session(
            db.session.get(Trainer, trainer),
            svc.NewSession("minimal", MINIMAL.read_text(), "fr", 10.0, 42, ["Red", "Blue"]),
        )
        return {"id": session.id, "code": session.join_code, "teams": [t.id for t in session.teams]}


@pytest.fixture
def join(app, drill):
    """join(name, team index) -> (participant id, token, socket test client on /play)."""
    clients = []

    def make(name: str, team: int | None = 0, role: str | None = "community_manager"):
        with app.app_context():
            p, token = session_people.join(
                drill["code"], name, drill["teams"][team] if team is not None else None, role
            )
            pid = p.id
        flask_client = app.test_client()
        with flask_client.session_transaction() as s:
            s["participant_token"] = token
        sio = socketio.test_client(app, namespace="/play", flask_test_client=flask_client)
        clients.append(sio)
        return pid, token, sio

    yield make
    for c in clients:
        if c.is_connected("/play"):
            c.disconnect("/play")


@pytest.fixture
def trainer_socket(app, trainer):
    flask_client = app.test_client()
    login(flask_client, trainer)
    sio = socketio.test_client(app, namespace="/trainer", flask_test_client=flask_client)
    yield sio
    if sio.is_connected("/trainer"):
        sio.disconnect("/trainer")


@pytest.fixture
def runner(app, wall):
    return get_runner(app)  # reads the `wall` clock


def events(sio, namespace="/play", name=None):
    got = sio.get_received(namespace)
    return [e for e in got if name is None or e["name"] == name]


def _control(sock, **data):
    return sock.emit("control", data, namespace="/trainer", callback=True)


def _tick(app, runner, session_id, seconds):
    wall = clock_of(app)
    wall.t += seconds
    with app.app_context():
        return runner.claim(session_id).tick(wall.t)


@pytest.fixture
def running(app, drill, join, trainer_socket, runner):
    """A running drill, past the first complaint; Ana (community manager) and Cléo (director)
    in Red, Bob in Blue."""
    red = join("Ana", 0, "community_manager")
    director = join("Cléo", 0, "comms_director")
    blue = join("Bob", 1, "community_manager")
    _control(trainer_socket, session=drill["id"], action="start")
    _tick(app, runner, drill["id"], 40)  # 400 simulated seconds: the first complaint is out
    for _, _, sio in (red, director, blue):
        sio.get_received("/play")
    return {
        "red": red[2],
        "director": director[2],
        "blue": blue[2],
        "drill": drill,
        "trainer": trainer_socket,
    }
