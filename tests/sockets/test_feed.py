"""The feed a person can work: what the runner sends, what a reload restores, the history
page by page, the search over the team's whole world, from the database's indexes."""

import pytest
from sqlalchemy import text

from simulator.extensions import db, socketio
from simulator.models import DrillSession, PostRecord
from simulator.runner import Runner
from simulator.services import controls as session_controls
from simulator.services import history
from simulator.services import sessions as svc

from .conftest import _control, _tick, events


def posts_of(sio):
    return [p for e in events(sio, name="posts") for p in e["args"][0]["posts"]]


@pytest.fixture
def reconnect(app):
    """reconnect(token): a participant's page loaded again (disconnected after the test)."""
    clients = []

    def make(token, **auth):
        client = app.test_client()
        with client.session_transaction() as s:
            s["participant_token"] = token
        sio = socketio.test_client(app, namespace="/play", flask_test_client=client, auth=auth)
        clients.append(sio)
        return sio

    yield make
    for sio in clients:
        if sio.is_connected("/play"):
            sio.disconnect("/play")


def test_counters_sent_live_equal_the_stored_posts_and_a_reload_restores_them(
    app, drill, join, trainer_socket, runner, reconnect
):
    _, token, red = join("Ana", 0)
    sid, team = drill["id"], drill["teams"][0]
    _control(trainer_socket, session=sid, action="start")
    counts, totals, shown = {}, {}, []
    for _ in range(12):
        _tick(app, runner, sid, 20)
        for e in events(red):
            if e["name"] in ("posts", "counts"):
                counts.update(e["args"][0]["counts"])
                totals = e["args"][0]["totals"]
                shown += e["args"][0].get("posts", [])
    with app.app_context():
        stored = db.session.query(PostRecord).filter_by(team_id=team)
        assert sum(totals.values()) == stored.count()  # every post counted, shown or not
        assert len(shown) == stored.filter_by(shown=True).count()
        # the counters equal the stored posts: shares and replies of each post shown
        from_db = history.counts(team, [p["id"] for p in shown])
    assert {k: v for k, v in counts.items() if any(v)} == {
        k: v for k, v in from_db.items() if any(v)
    }
    assert any(v[0] for v in counts.values()) and any(v[1] for v in counts.values())
    # a reload: the same counters, the same totals, the latest posts of each column
    again = reconnect(token)
    snap = events(again, name="snapshot")[0]["args"][0]
    assert snap["totals"] == totals
    for pid, c in snap["counts"].items():
        assert counts.get(pid, [0, 0]) == c
    for platform in {p["platform"] for p in shown}:
        column = [p["id"] for p in shown if p["platform"] == platform]
        got = [p["id"] for p in snap["posts"] if p["platform"] == platform]
        assert sorted(got) == sorted(column[-svc.SNAPSHOT_PER_PLATFORM :])
    assert len(snap["posts"]) <= 5 * svc.SNAPSHOT_PER_PLATFORM


def test_a_reload_keeps_the_key_posts_and_what_the_team_marked(
    app, drill, join, trainer_socket, runner, reconnect
):
    _, token, red = join("Ana", 0)
    sid = drill["id"]
    _control(trainer_socket, session=sid, action="start")
    for _ in range(6):
        _tick(app, runner, sid, 20)
    shown = posts_of(red)
    injects = [p["id"] for p in shown if p["inject"]]
    plain = next(p for p in shown if not p["inject"])
    ack = red.emit(
        "action",
        {"key": "k1", "type": "tag", "target": plain["id"], "tag": "handle"},
        namespace="/play",
        callback=True,
    )
    assert ack["ok"] and injects
    for _ in range(40):  # the marked post and the injects scroll far out of their columns
        _tick(app, runner, sid, 20)
    snap = events(reconnect(token), name="snapshot")[0]["args"][0]
    key = [p["id"] for p in snap["key_posts"]]
    assert set(injects) <= set(key) and plain["id"] in key
    assert [p["t"] for p in snap["key_posts"]] == sorted(p["t"] for p in snap["key_posts"])
    assert any(a["tag"] == "handle" and a["target"] == plain["id"] for a in snap["actions"])


def test_load_older_pages_through_a_whole_column_without_gap_or_duplicate(
    app, drill, join, trainer_socket, runner
):
    _, _, red = join("Ana", 0)
    sid, team = drill["id"], drill["teams"][0]
    _control(trainer_socket, session=sid, action="start")
    _control(trainer_socket, session=sid, action="intensity", intensity="overwhelming")
    for _ in range(10):
        _tick(app, runner, sid, 60)
    pages, before, before_id = [], None, None
    while True:
        ack = red.emit(
            "older",
            {"platform": "microblog", "before": before, "before_id": before_id},
            namespace="/play",
            callback=True,
        )
        assert ack["ok"], ack
        assert len(ack["posts"]) <= history.PAGE
        pages.append(ack["posts"])
        if not ack["more"]:
            break
        before, before_id = ack["posts"][-1]["t"], ack["posts"][-1]["id"]
    got = [p["id"] for page in pages for p in page]
    with app.app_context():
        column = [
            r.post_id
            for r in db.session.query(PostRecord)
            .filter_by(team_id=team, platform="microblog", shown=True)
            .order_by(PostRecord.t.desc(), PostRecord.post_id.desc())
        ]
    assert len(pages) > 2
    assert got == column  # newest first, every post once


def test_search_finds_a_curveball_sent_twenty_minutes_earlier(
    app, drill, join, trainer_socket, runner
):
    _, _, red = join("Ana", 0)
    sid = drill["id"]
    _control(trainer_socket, session=sid, action="start")
    _tick(app, runner, sid, 30)
    ack = _control(
        trainer_socket,
        session=sid,
        action="inject",
        platform="forum",
        persona="customer",
        text="Un livreur a jeté mon colis par-dessus la clôture",
    )
    assert ack["ok"]
    for _ in range(12):  # 20 simulated minutes later
        _tick(app, runner, sid, 10)
    curveball = f"c-c{ack['control']}"
    assert curveball in {p["id"] for p in posts_of(red)}  # a curveball is always shown
    found = red.emit("search", {"text": "LIVREUR cloture"}, namespace="/play", callback=True)
    assert found["ok"] and [p["id"] for p in found["posts"]] == [curveball]
    # by platform, tone and time too; a page is bounded
    found = red.emit(
        "search",
        {"platform": "forum", "tone": "negative", "from": 0, "to": 2000},
        namespace="/play",
        callback=True,
    )
    assert found["ok"] and 0 < len(found["posts"]) <= history.SEARCH_PAGE
    assert all(p["platform"] == "forum" and p["sentiment"] == "negative" for p in found["posts"])
    bad = red.emit("search", {"platform": "fax"}, namespace="/play", callback=True)
    assert bad == {"ok": False, "error": "bad_platform", "message": "no such platform"}


def test_the_column_pages_and_the_search_come_from_an_index(app, drill, join):
    with app.app_context():
        for query in (
            history.older_query(drill["teams"][0], "microblog", 600.0, "m12"),
            history.search_query(drill["teams"][0], "colis", t_from=0, t_to=1200),
            history.search_query(drill["teams"][0], "colis", platform="forum", tone="negative"),
        ):
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(
                str(row[-1])
                for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            )
            assert "USING INDEX ix_post_" in plan, plan
            assert "SCAN post" not in plan, plan


def test_the_choice_survives_a_restart_and_an_intensity_change(
    app, drill, join, trainer_socket, runner, wall
):
    sid, team = drill["id"], drill["teams"][0]
    _control(trainer_socket, session=sid, action="start")
    for _ in range(3):
        _tick(app, runner, sid, 20)
    ack = _control(trainer_socket, session=sid, action="intensity", intensity="overwhelming")
    assert ack["ok"]
    for _ in range(3):
        _tick(app, runner, sid, 20)
    with app.app_context():
        before = {
            r.post_id for r in db.session.query(PostRecord).filter_by(team_id=team, shown=True)
        }
        wall.t += 600
        second = Runner(app)
        again = second.claim(sid)
        assert again.teams[team].selector.shown == before
        # and the same choice as one uninterrupted selection of the same posts
        from simulator.engine.storm import Storm
        from simulator.feed import Selector

        session = db.session.get(DrillSession, sid)
        storm = Storm(svc.scenario_of(session), session.seed, "fr", [])
        selector = Selector(session.intensity)
        control = session_controls.intensity_controls(sid)[0]
        selector.set_intensity("overwhelming", control.applied_t)
        shown = selector.feed(storm.advance(1200), 1200)
        assert {p.id for p in shown} == before
    bad = _control(trainer_socket, session=sid, action="intensity", intensity="loud")
    assert not bad["ok"] and bad["error"] == "bad_intensity"
