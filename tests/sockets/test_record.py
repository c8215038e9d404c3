"""The record under concurrency and restarts, on SQLite and PostgreSQL: team action numbers
unique, an idempotency key stored and told once, storm inputs taken in an order the database
cannot reorder, one worker per session, and the clock everyone sees after a takeover."""

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from simulator import config as configs
from simulator import create_app
from simulator.engine.storm import Storm
from simulator.extensions import db
from simulator.models import ActionRecord, DrillSession, Participant, PostRecord, Trainer
from simulator.runner import Runner
from simulator.services import actions as acts
from simulator.services import clock as session_clock
from simulator.services import controls as session_controls
from simulator.services import participants as session_people
from simulator.services import sessions as svc
from simulator.wallclock import set_clock

from .conftest import MINIMAL, _tick, events
from .test_drill import control, tick

GOOD = "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui."


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_app(request, tmp_path, wall):
    """An app on a file SQLite database or on a PostgreSQL database of its own (migrations)."""
    config = configs.TestingConfig()
    if request.param == "sqlite":
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'record.db'}"
    else:
        config.SQLALCHEMY_DATABASE_URI = request.getfixturevalue("postgres_url")
    app = create_app(config)
    set_clock(app, wall)  # the same hand-moved clock as the `app` fixture's
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _session(app, teams=("A",), speed=10.0, start=True):
    with app.app_context():
        trainer = Trainer(name=f"t{len(teams)}", password_hash="x")
        db.session.add(trainer)
        db.session.commit()
        session = svc.create_session(
            trainer, svc.NewSession("minimal", MINIMAL.read_text(), "fr", speed, 3, list(teams))
        )
        if start:
            session_clock.start(session)
        return session.id, [t.id for t in session.teams]


def _all_at_once(app, calls):
    """Run each call in its own thread and app context, released together; their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        with app.app_context():
            try:
                barrier.wait()
                results[i] = call()
            except Exception as exc:  # the test reports it
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _act(participant_id, data):
    def call():
        stored = acts.act(db.session.get(Participant, participant_id), data)
        return stored.action.seq, stored.duplicate

    return call


def test_twenty_participants_of_one_team_acting_at_once_get_unique_numbers(any_app):
    sid, (team,) = _session(any_app)
    with any_app.app_context():
        session = db.session.get(DrillSession, sid)
        people = [session_people.join(session.join_code, f"P{i}", team)[0].id for i in range(20)]
    results = _all_at_once(
        any_app,
        [_act(p, {"key": "k", "type": "memo", "text": f"Point {i}"}) for i, p in enumerate(people)],
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(seq for seq, _ in results) == list(range(1, 21))
    with any_app.app_context():
        stored = db.session.scalars(text("select seq from action order by seq")).all()
        assert stored == list(range(1, 21))
        assert db.session.scalar(text("select action_seq from team")) == 20


def test_the_same_key_sent_twice_at_once_is_stored_once(any_app):
    sid, (team,) = _session(any_app)
    with any_app.app_context():
        session = db.session.get(DrillSession, sid)
        ana = session_people.join(session.join_code, "Ana", team)[0].id
    same = {"key": "once", "type": "memo", "text": "Point à 10 h"}
    results = _all_at_once(any_app, [_act(ana, same) for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(duplicate for _, duplicate in results) == [False, True, True, True]
    assert {seq for seq, _ in results} == {1}
    with any_app.app_context():
        assert db.session.query(ActionRecord).count() == 1


def test_a_repeated_key_is_not_told_to_the_team_again(app, running):
    memo = {"key": "same", "type": "memo", "text": "Point à 10 h"}
    first = running["red"].emit("action", memo, namespace="/play", callback=True)
    again = running["red"].emit("action", memo, namespace="/play", callback=True)
    assert again["duplicate"] is True and again["action"] == first["action"]
    told = [e["args"][0]["key"] for e in events(running["director"], name="action")]
    assert told == ["same"]


def test_only_one_worker_holds_a_session(any_app, wall):
    sid, _ = _session(any_app, speed=1.0)
    with any_app.app_context():
        a, b = Runner(any_app), Runner(any_app)
        assert a.claim(sid) is not None
        assert b.claim(sid) is None
        assert a.renew(sid) and not b.renew(sid)
        wall.t += 60  # a dies: its lease lapses
        assert b.claim(sid) is not None and not a.renew(sid)


def _storm_posts(session, team_id, until):
    """The team's storm rebuilt from the record alone: inputs at the time and in the order
    the runner took them."""
    inputs = [
        (c.applied_t, c.applied_n, session_controls.control_action(c, c.applied_t))
        for c in session_controls.storm_controls(session.id)
        if c.team_id in (None, team_id)
    ] + [
        (r.applied_t, r.applied_n, acts.engine_action(r, r.applied_t))
        for r in acts.storm_actions([team_id])
    ]
    inputs.sort(key=lambda i: i[:2])
    storm = Storm(svc.scenario_of(session), session.seed, session.lang, [i[2] for i in inputs])
    return [p.id for p in storm.advance(until)]


def test_an_action_that_shows_up_after_a_later_numbered_one_is_still_taken(
    app, running, runner, wall
):
    """On PostgreSQL ids are handed out before commit: a lower id can become visible after a
    higher one the runner already took. Here the late one is given a lower id by hand."""
    sid, red = running["drill"]["id"], running["drill"]["teams"][0]
    memo = running["red"].emit(
        "action", {"key": "m", "type": "memo", "text": "Point"}, namespace="/play", callback=True
    )
    with app.app_context():
        db.session.execute(
            text("update action set id = 50 where id = :id"), {"id": memo["action"]["id"]}
        )
        db.session.commit()
    tick(app, runner, sid, 2)
    late = running["director"].emit(
        "action",
        {"key": "s", "type": "holding_statement", "text": GOOD},
        namespace="/play",
        callback=True,
    )
    with app.app_context():
        db.session.execute(
            text("update action set id = 10 where id = :id"), {"id": late["action"]["id"]}
        )
        db.session.commit()
    for _ in range(3):
        tick(app, runner, sid, 2)
    with app.app_context():
        brand = [
            p.post_id
            for p in db.session.query(PostRecord).filter_by(team_id=red)
            if p.data["author"]["persona"] == "brand"
        ]
        # the statement went out, on the microblog and the brand page
        assert sorted(b for b in brand if b.startswith("brand-p10")) == ["brand-p10", "brand-p10-1"]
        wall.t += 60  # the server is restarted; the new one rebuilds the storms from the record
        again = Runner(app).claim(sid)
        for _ in range(3):
            wall.t += 2
            again.tick(wall.t)  # no IntegrityError: the rebuilt storm is the one that ran
        session = db.session.get(DrillSession, sid)
        team = db.session.get(type(session.teams[0]), red)
        rows = [
            p.post_id
            for p in db.session.query(PostRecord).filter_by(team_id=red).order_by(PostRecord.id)
        ]
        assert rows == _storm_posts(session, red, team.emitted_until)


def test_inputs_taken_at_the_same_time_keep_their_order_after_a_restart(app, running, runner, wall):
    sid, red = running["drill"]["id"], running["drill"]["teams"][0]
    control(running["trainer"], session=sid, action="pause")
    # while paused, the storm's present stands still: both are taken at the same time, the
    # second (given a lower id by hand: shown late) one tick after the first
    control(running["trainer"], session=sid, action="inject", inject="curveball", team=red)
    with app.app_context():
        first = db.session.scalar(text("select max(id) from control"))
        db.session.execute(text("update control set id = 900 where id = :id"), {"id": first})
        db.session.commit()
    tick(app, runner, sid, 1)
    control(running["trainer"], session=sid, action="difficulty", team=red, volume=2.0)
    with app.app_context():
        db.session.execute(text("update control set id = 500 where id = 901"))
        db.session.commit()
    tick(app, runner, sid, 1)
    control(running["trainer"], session=sid, action="resume")
    for _ in range(3):
        tick(app, runner, sid, 20)
    with app.app_context():
        taken = db.session.execute(
            text("select id, applied_t, applied_n from control where applied_t is not null")
        ).all()
        assert len(taken) == 2 and taken[0][1] == taken[1][1]
        assert sorted(taken, key=lambda c: c[2])[0][0] == 900  # taken first, though a higher id
        wall.t += 60
        again = Runner(app).claim(sid)
        for _ in range(3):
            wall.t += 20
            again.tick(wall.t)
        session = db.session.get(DrillSession, sid)
        team = db.session.get(type(session.teams[0]), red)
        rows = [
            p.post_id
            for p in db.session.query(PostRecord).filter_by(team_id=red).order_by(PostRecord.id)
        ]
        assert rows == _storm_posts(session, red, team.emitted_until)


def test_after_a_takeover_every_connected_client_gets_the_corrected_clock(
    app, running, runner, wall
):
    sid = running["drill"]["id"]
    for _ in range(3):
        tick(app, runner, sid, 2)
    with app.app_context():
        sent_until = max(
            t.emitted_until for t in db.session.get(DrillSession, sid).teams
        )  # where the last posts were sent
    running["trainer"].emit("watch", {"session": sid}, namespace="/trainer", callback=True)
    running["red"].get_received("/play"), running["blue"].get_received("/play")
    running["trainer"].get_received("/trainer")
    wall.t += 30  # the driving worker died 30 s ago; its lease has lapsed
    with app.app_context():
        assert Runner(app).claim(sid) is not None
    for sio, namespace in (
        (running["red"], "/play"),
        (running["blue"], "/play"),
        (running["trainer"], "/trainer"),
    ):
        clocks = [e["args"][0] for e in events(sio, namespace, name="clock")]
        assert clocks, f"no corrected clock on {namespace}"
        assert clocks[-1]["sim"] == pytest.approx(sent_until, abs=0.001)
        assert clocks[-1]["wall"] == wall.t


def test_a_tick_lets_other_work_in_between_two_teams_storms(app, running, runner):
    """Pages and acks are answered while a tick catches up several teams: the runner pauses
    (a gevent yield) between two teams' storms, before anything is written."""
    sid = running["drill"]["id"]
    with app.app_context():
        session_runner = runner.claim(sid)
    paused: list[tuple[float, int]] = []

    def pause(seconds):
        with app.app_context():
            stored = db.session.query(PostRecord).filter(PostRecord.team_id.in_(teams)).count()
        paused.append((seconds, stored))

    teams = list(session_runner.teams)
    with app.app_context():
        before = db.session.query(PostRecord).filter(PostRecord.team_id.in_(teams)).count()
    session_runner.pause = pause
    _tick(app, runner, sid, 30)
    assert len(teams) == 2 and paused == [(0, before)]
