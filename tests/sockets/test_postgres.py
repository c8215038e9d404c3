"""The same drill on PostgreSQL, with the schema made by the migrations (scale-out database)."""

import pytest
from flask_migrate import upgrade

from simulator import config as configs
from simulator import create_app
from simulator.engine.storm import Storm
from simulator.extensions import db
from simulator.models import PostRecord, Trainer
from simulator.runner import Runner
from simulator.services import clock as session_clock
from simulator.services import controls as session_controls
from simulator.services import participants as session_people
from simulator.services import sessions as svc
from simulator.wallclock import set_clock

from .conftest import MINIMAL, FakeWall

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgres_url):
    config = configs.TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = postgres_url
    app = create_app(config)
    with app.app_context():
        upgrade()  # the migrations, as `make run` applies them
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_drill_on_postgres_rebuilds_identically_after_a_restart(pg_app):
    wall = FakeWall()
    set_clock(pg_app, wall)
    with pg_app.app_context():
        trainer = Trainer(name="pg", password_hash="x")
        db.session.add(trainer)
        db.session.commit()
        session = svc.create_session(
            trainer, svc.NewSession("minimal", MINIMAL.read_text(), "fr", 10.0, 3, ["A", "B"])
        )
        participant, _ = session_people.join(session.join_code, "Ana", session.teams[0].id)
        assert participant.team_id == session.teams[0].id
        session_clock.start(session)
        sid, team_id = session.id, session.teams[0].id
        first = Runner(pg_app)
        r = first.claim(sid)
        for _ in range(3):
            wall.t += 20
            r.tick(wall.t)
        session_controls.send_inject(
            db.session.get(type(session), sid), team_id, inject="curveball"
        )
        for _ in range(3):
            wall.t += 20
            r.tick(wall.t)
        wall.t += 60
        second = Runner(pg_app)
        assert second.claim(sid) is not None  # the first runner's lease has lapsed
        r2 = second.sessions[sid]
        wall.t += 20
        r2.tick(wall.t)
        rows = [
            p.post_id
            for p in db.session.query(PostRecord).filter_by(team_id=team_id).order_by(PostRecord.id)
        ]
        session = db.session.get(type(session), sid)
        actions = [
            session_controls.control_action(c, c.applied_t)
            for c in session_controls.storm_controls(sid)
            if c.team_id in (None, team_id)
        ]
        until = db.session.get(type(session.teams[0]), team_id).emitted_until
        expected = Storm(svc.scenario_of(session), session.seed, "fr", actions).advance(until)
        assert rows == [p.id for p in expected]
        assert "i-curveball" in rows
