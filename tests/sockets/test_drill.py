"""A live drill over Socket.IO: joining, the runner's batches, controls and refusals."""

from simulator.extensions import db, socketio
from simulator.models import DrillSession, PostRecord
from simulator.services import controls as session_controls
from simulator.services import sessions as svc

from .conftest import _tick, events, stranger


def control(sock, **data):
    return sock.emit("control", data, namespace="/trainer", callback=True)


def tick(app, runner, session_id, seconds):
    """Move the wall clock and let the runner do one tick (outside any request)."""
    return _tick(app, runner, session_id, seconds)


def test_a_participant_gets_a_snapshot_on_connect(join, drill):
    _, _, sio = join("Ana")
    (snap,) = events(sio, name="snapshot")
    data = snap["args"][0]
    assert data["team"]["name"] == "Red" and data["participant"]["name"] == "Ana"
    assert data["clock"]["status"] == "lobby" and data["posts"] == [] and data["seq"] == 0


def test_without_a_token_the_play_namespace_refuses(app):
    sio = socketio.test_client(app, namespace="/play")
    assert not sio.is_connected("/play")


def test_a_participant_cannot_use_the_trainer_namespace(app, join):
    _, token, _ = join("Ana")
    client = app.test_client()
    with client.session_transaction() as s:
        s["participant_token"] = token
    sio = socketio.test_client(app, namespace="/trainer", flask_test_client=client)
    assert not sio.is_connected("/trainer")


def test_running_sends_each_team_its_own_batches(app, drill, join, trainer_socket, runner, wall):
    _, _, red = join("Ana", 0)
    _, _, blue = join("Bob", 1)
    sid = drill["id"]
    assert trainer_socket.emit("watch", {"session": sid}, namespace="/trainer", callback=True)["ok"]
    ack = control(trainer_socket, session=sid, action="start")
    assert ack["ok"] and ack["clock"]["status"] == "running"
    red.get_received("/play"), blue.get_received("/play")
    sent = tick(app, runner, sid, 60)  # one wall minute at 10x: ten simulated minutes
    assert set(sent) == set(drill["teams"]) and all(n > 0 for n in sent.values())
    red_batches = events(red, name="posts")
    blue_batches = events(blue, name="posts")
    assert [b["args"][0]["seq"] for b in red_batches] == [1]
    red_posts = red_batches[0]["args"][0]["posts"]
    blue_posts = blue_batches[0]["args"][0]["posts"]
    assert all(p["t"] < 600 for p in red_posts)
    assert red_batches[0]["args"][0]["team"] == drill["teams"][0]
    assert blue_batches[0]["args"][0]["team"] == drill["teams"][1]
    # same seed, same storm for both teams until they act differently
    assert [p["id"] for p in red_posts] == [p["id"] for p in blue_posts]
    with app.app_context():
        shown = db.session.query(PostRecord).filter_by(team_id=drill["teams"][0], shown=True)
        stored = db.session.query(PostRecord).filter_by(team_id=drill["teams"][0]).count()
        assert shown.count() == len(red_posts)  # written before it was sent
    assert stored > len(red_posts)  # every post is recorded; the team reads the human part


def test_pause_stops_posts_and_resume_restarts(app, drill, join, trainer_socket, runner, wall):
    _, _, red = join("Ana", 0)
    sid = drill["id"]
    control(trainer_socket, session=sid, action="start")
    tick(app, runner, sid, 30)
    assert control(trainer_socket, session=sid, action="pause")["ok"]
    red.get_received("/play")
    assert tick(app, runner, sid, 120) == {}
    assert events(red, name="posts") == []
    assert control(trainer_socket, session=sid, action="resume")["ok"]
    assert tick(app, runner, sid, 30)
    with app.app_context():
        clock = db.session.get(DrillSession, sid)
        assert svc.clock_of(clock).at(wall.t) == 600.0  # 2 x 30 s at 10x; the pause not counted


def test_a_curveball_reaches_one_team_only(app, drill, join, trainer_socket, runner, wall):
    _, _, red = join("Ana", 0)
    _, _, blue = join("Bob", 1)
    sid = drill["id"]
    control(trainer_socket, session=sid, action="start")
    tick(app, runner, sid, 10)
    ack = control(
        trainer_socket, session=sid, action="inject", team=drill["teams"][1], inject="curveball"
    )
    assert ack["ok"]
    red.get_received("/play"), blue.get_received("/play")
    tick(app, runner, sid, 10)
    ids = lambda sio: {p["id"] for e in events(sio, name="posts") for p in e["args"][0]["posts"]}  # noqa: E731
    assert "i-curveball" in ids(blue)
    assert "i-curveball" not in ids(red)


def test_notices_and_the_end_reach_participants(app, drill, join, trainer_socket):
    _, _, red = join("Ana", 0)
    _, _, blue = join("Bob", 1)
    sid = drill["id"]
    red.get_received("/play"), blue.get_received("/play")
    control(
        trainer_socket,
        session=sid,
        action="notice",
        team=drill["teams"][0],
        text="Le PDG vous appelle",
        kind="call",
    )
    assert [e["args"][0]["text"] for e in events(red, name="notice")] == ["Le PDG vous appelle"]
    assert events(blue, name="notice") == []
    control(trainer_socket, session=sid, action="end")
    assert events(red, name="ended") and events(blue, name="ended")


def test_a_trainer_cannot_control_another_trainers_session(app, drill, trainer_socket):
    client = stranger(app, "mallory")
    sio = socketio.test_client(app, namespace="/trainer", flask_test_client=client)
    ack = sio.emit(
        "control", {"session": drill["id"], "action": "start"}, namespace="/trainer", callback=True
    )
    assert ack == {"ok": False, "error": "not_found", "message": "no such session"}
    assert (
        sio.emit("watch", {"session": drill["id"]}, namespace="/trainer", callback=True)["ok"]
        is False
    )
    with app.app_context():
        assert db.session.get(DrillSession, drill["id"]).status == "lobby"


def test_malformed_controls_get_an_error_ack(drill, trainer_socket):
    sid = drill["id"]
    for payload, code in [
        ("start", "bad_payload"),
        ({"session": sid}, "missing_field"),
        ({"session": sid, "action": "explode"}, "bad_action"),
        ({"session": "1", "action": "start"}, "bad_field"),
        ({"session": sid, "action": "notice", "text": "x" * 20000}, "too_big"),
        ({"session": sid, "action": "speed", "speed": 99}, "bad_speed"),
        ({"session": sid, "action": "start", "hack": 1}, "bad_field"),
        ({"session": sid, "action": "inject", "inject": "nope"}, "bad_inject"),
        ({"session": sid, "action": "difficulty", "volume": 5}, "bad_difficulty"),
    ]:
        ack = trainer_socket.emit("control", payload, namespace="/trainer", callback=True)
        assert ack["ok"] is False and ack["error"] == code, (payload, ack)
    assert control(trainer_socket, session=sid, action="start")["ok"]  # still serving


def test_a_participant_of_one_session_hears_nothing_of_another(
    app, trainer, drill, join, wall, trainer_socket, runner
):
    from simulator.models import Trainer

    from .conftest import MINIMAL

    _, _, red = join("Ana", 0)
    with app.app_context():
        other = svc.create_session(
            db.session.get(Trainer, trainer),
            svc.NewSession("minimal", MINIMAL.read_text(), "fr", 10.0, 7, ["Green"]),
        )
        other_id = other.id
    red.get_received("/play")
    control(trainer_socket, session=other_id, action="start")
    control(trainer_socket, session=other_id, action="notice", text="secret")
    assert tick(app, runner, other_id, 60)
    assert events(red) == []


def test_reconnecting_gets_exactly_what_was_missed(app, drill, join, trainer_socket, runner, wall):
    pid, token, red = join("Ana", 0)
    sid = drill["id"]
    control(trainer_socket, session=sid, action="start")
    tick(app, runner, sid, 20)
    batches = events(red, name="posts")
    seen = [p["id"] for e in batches for p in e["args"][0]["posts"]]
    last = max(e["args"][0]["seq"] for e in batches) if seen else 0
    red.disconnect("/play")
    for _ in range(3):
        tick(app, runner, sid, 20)
    client = app.test_client()
    with client.session_transaction() as s:
        s["participant_token"] = token
    again = socketio.test_client(
        app, namespace="/play", flask_test_client=client, auth={"last_seq": last}
    )
    missed = [p["id"] for e in events(again, name="posts") for p in e["args"][0]["posts"]]
    with app.app_context():
        everything = [
            p.post_id
            for p in db.session.query(PostRecord)
            .filter_by(team_id=drill["teams"][0], shown=True)
            .order_by(PostRecord.seq, PostRecord.t, PostRecord.id)
        ]
    assert seen + missed == everything
    assert len(set(seen + missed)) == len(everything)
    again.disconnect("/play")


def test_the_runner_resumes_where_it_stood_after_a_restart(
    app, drill, trainer_socket, runner, wall
):
    from simulator.runner import Runner

    sid = drill["id"]
    control(trainer_socket, session=sid, action="start")
    for _ in range(3):
        tick(app, runner, sid, 20)
    control(trainer_socket, session=sid, action="difficulty", team=drill["teams"][0], volume=2.0)
    control(trainer_socket, session=sid, action="inject", inject="curveball")
    for _ in range(3):
        tick(app, runner, sid, 20)
    with app.app_context():
        r = runner.claim(sid)
        before = db.session.query(PostRecord).count()
        wall.t += 600  # the server was down ten minutes
        second = Runner(app)  # a new process: the old lease has lapsed
        r2 = second.claim(sid)
        assert r2 is not None and r2 is not r
        session = db.session.get(DrillSession, sid)
        assert svc.clock_of(session).at(wall.t) == 120 * 10  # where the last posts were sent
        for _ in range(3):
            wall.t += 20
            r2.tick(wall.t)
        # the same run without the restart gives the same posts
        from simulator.engine.storm import Storm

        rows = (
            db.session.query(PostRecord)
            .filter_by(team_id=drill["teams"][0])
            .order_by(PostRecord.id)
            .all()
        )
        storm_actions = [
            session_controls.control_action(c, c.applied_t)
            for c in session_controls.storm_controls(sid)
            if c.team_id in (None, drill["teams"][0])
        ]
        expected = Storm(svc.scenario_of(session), session.seed, "fr", storm_actions).advance(1800)
        assert [row.post_id for row in rows] == [p.id for p in expected]
        assert len(rows) > before // 2
