# ruff: noqa: F811 (the live-drill fixtures are imported from tests/sockets and used by name)
"""The replay: a team's workspace at any simulated time, one frame per request.

The frames are checked against the record itself: every post stored for the team, filtered
and sorted here the slow way, must give the same newest posts, counts and negative share.
"""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.extensions import db
from simulator.models import ActionRecord, DrillSession, PostRecord, Trainer
from simulator.services import replay

from ..sockets.conftest import (  # noqa: F401 (fixtures)
    MINIMAL,
    drill,
    join,
    login,
    runner,
    running,
    stranger,
    trainer,
    trainer_socket,
    wall,
)
from ..sockets.test_actions import GOOD, act
from ..sockets.test_drill import control, tick

ROOT = Path(__file__).resolve().parents[2]


def played(app, running, runner):
    """Red acts at different simulated times, then the session ends: {name: sim_t}."""
    sid = running["drill"]["id"]
    red, director = running["red"], running["director"]
    assert act(red, key="m", type="memo", text="Point de situation pour tous")["ok"]
    tick(app, runner, sid, 10)
    act(
        red, key="e", type="escalate", target="i-first-complaint", role="comms_director", severity=3
    )
    tick(app, runner, sid, 10)
    draft = act(red, key="r", type="reply", target="i-first-complaint", text=GOOD)["action"]
    tick(app, runner, sid, 10)
    assert act(director, key="ok", type="approve", draft=draft["id"])["ok"]
    tick(app, runner, sid, 10)
    assert act(red, key="c", type="chat", text="<b>je prends le forum</b>")["ok"]
    tick(app, runner, sid, 30)
    control(running["trainer"], session=sid, action="end")
    with app.app_context():
        rows = db.session.query(ActionRecord).order_by(ActionRecord.seq).all()
        return {f"{r.type}:{r.status}": r.sim_t for r in rows}


@pytest.fixture
def ended(app, running, runner):
    times = played(app, running, runner)
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        red, blue = (t.id for t in session.teams)
        trainer_id = session.trainer_id
    client = app.test_client()
    login(client, trainer_id)
    sid = running["drill"]["id"]
    return {"client": client, "sid": sid, "red": red, "blue": blue, "times": times}


def frame_url(e, t, team=None):
    return f"/trainer/{e['sid']}/replay/{team or e['red']}/frame.json?t={t}"


def the_slow_way(app, team_id, t, per_platform=replay.PER_PLATFORM):
    with app.app_context():
        rows = db.session.query(PostRecord).filter_by(team_id=team_id).all()
        rows = [(r.t, r.id, r.platform, r.data) for r in rows]
    seen = sorted((r for r in rows if r[0] <= t), key=lambda r: (-r[0], -r[1]))
    platforms = {r[2] for r in rows}
    newest = {p: [r[3] for r in seen if r[2] == p][:per_platform] for p in platforms}
    counts = {p: sum(1 for r in seen if r[2] == p) for p in platforms}
    window = [r[3] for r in rows if t - replay.RECENT < r[0] <= t]
    negative = sum(1 for d in window if d["sentiment"] == "negative")
    return newest, counts, len(window), negative


def test_a_frame_is_the_stored_posts_up_to_t_newest_first(app, ended):
    end = ended["client"].get(frame_url(ended, 0)).get_json()["end"]
    assert end > 800
    for t in (0, 123.4, 450, end / 2, end):
        got = ended["client"].get(frame_url(ended, t)).get_json()
        newest, counts, recent, negative = the_slow_way(app, ended["red"], t)
        assert got["t"] == t
        assert all(got["posts"][p] == newest.get(p, []) for p in got["posts"])
        assert {p: n for p, n in got["counts"].items() if n} == {
            p: n for p, n in counts.items() if n
        }
        assert got["total"] == sum(counts.values())
        assert (got["recent"]["posts"], got["recent"]["negative"]) == (recent, negative)
        if recent:
            assert got["recent"]["share"] == round(negative / recent, 3)
    full = ended["client"].get(frame_url(ended, end)).get_json()
    assert full["total"] > replay.PER_PLATFORM  # the window is a window, not the storm
    assert sum(len(p) for p in full["posts"].values()) < full["total"]


def test_a_small_window_keeps_the_newest_posts_of_each_platform(app, ended):
    with app.app_context():
        session = db.session.get(DrillSession, ended["sid"])
        team = session.teams[0]
        frame = replay.frame(session, team, 700.0, per_platform=3)
    newest, *_ = the_slow_way(app, ended["red"], 700.0, per_platform=3)
    assert any(len(posts) == 3 for posts in frame["posts"].values())
    assert all(frame["posts"][p] == newest.get(p, []) for p in frame["posts"])


def test_a_time_after_the_end_is_the_end(ended):
    end = ended["client"].get(frame_url(ended, 0)).get_json()["end"]
    late = ended["client"].get(frame_url(ended, end + 10_000)).get_json()
    assert late["t"] == end


def test_actions_are_those_up_to_t_as_they_stood_then(ended):
    times, client = ended["times"], ended["client"]

    def actions_at(t):
        return client.get(frame_url(ended, t)).get_json()["actions"]

    assert actions_at(times["memo:done"] - 1) == []
    at_escalation = actions_at(times["escalate:done"])
    assert [a["type"] for a in at_escalation] == ["memo", "escalate"]
    assert at_escalation[1]["by"]["name"] == "Ana" and at_escalation[1]["severity"] == 3
    # the draft waits for approval until the director approves it
    (draft,) = [a for a in actions_at(times["approve:done"] - 1) if a["type"] == "reply"]
    assert draft["status"] == "draft"
    later = actions_at(times["approve:done"])
    assert [(a["type"], a["status"]) for a in later if a["type"] in ("reply", "approve")] == [
        ("reply", "approved"),
        ("approve", "done"),
        ("reply", "done"),
    ]
    frame = client.get(frame_url(ended, times["chat:done"])).get_json()
    assert frame["actions"][-1]["text"] == "<b>je prends le forum</b>"  # stored as typed
    assert frame["actions_total"] == 6
    assert frame["targets"]["i-first-complaint"]["author"]["name"]
    # the other team did nothing
    assert client.get(frame_url(ended, 10_000, ended["blue"])).get_json()["actions"] == []


def test_the_marks_show_phases_injects_and_actions(ended):
    marks = ended["client"].get(f"/trainer/{ended['sid']}/replay/{ended['red']}/marks.json")
    body = marks.get_json()
    assert body["status"] == "ended" and body["phases"][0]["t"] == 0
    assert "i-first-complaint" in [i["post"] for i in body["injects"]]
    assert all("." not in i["post"] for i in body["injects"])
    assert [a["type"] for a in body["actions"]] == [
        "memo",
        "escalate",
        "reply",
        "approve",
        "reply",
        "chat",
    ]
    assert body["actions"][0]["by"] == "Ana"


@pytest.mark.parametrize("t", ["", "abc", "-1", "nan", "NaN", "inf", "-inf", "1e400", "0x10"])
def test_a_bad_time_is_a_clear_400(ended, t):
    response = ended["client"].get(frame_url(ended, t))
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] in ("bad_t", "missing_t") and body["message"]


def test_no_time_at_all_is_a_400(ended):
    response = ended["client"].get(f"/trainer/{ended['sid']}/replay/{ended['red']}/frame.json")
    assert response.status_code == 400 and response.get_json()["error"] == "missing_t"


def test_the_page_opens_on_a_team_and_a_moment(ended):
    client, sid = ended["client"], ended["sid"]
    page = client.get(f"/trainer/{sid}/replay?team={ended['blue']}&t=600")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<option value="{ended["blue"]}" selected>' in html
    assert '"t": 600.0' in html and 'type="range"' in html
    # a bad t on the page is not an error: the replay starts at the end
    assert client.get(f"/trainer/{sid}/replay?t=nope").status_code == 200
    assert client.get(f"/trainer/{sid}/replay").status_code == 200


def test_only_the_trainer_who_owns_the_session_replays_it(app, ended):
    sid, red = ended["sid"], ended["red"]
    urls = [
        f"/trainer/{sid}/replay",
        f"/trainer/{sid}/replay?team={red}",
        f"/trainer/{sid}/replay/{red}/marks.json",
        f"/trainer/{sid}/replay/{red}/frame.json?t=10",
    ]
    eve = stranger(app)
    assert [eve.get(u).status_code for u in urls] == [404] * 4
    nobody = app.test_client()
    assert all(nobody.get(u).status_code == 302 for u in urls)  # to the login page
    assert "/login" in nobody.get(urls[0]).headers["Location"]


def test_a_team_of_another_session_is_not_found(app, ended, trainer):
    from simulator.services import sessions as svc

    with app.app_context():
        owner = db.session.get(Trainer, trainer)
        other = svc.create_session(
            owner, svc.NewSession("minimal", MINIMAL.read_text(), "fr", 10.0, 1, ["Green"])
        )
        green = other.teams[0].id
    client, sid = ended["client"], ended["sid"]
    assert client.get(f"/trainer/{sid}/replay?team={green}").status_code == 404
    assert client.get(f"/trainer/{sid}/replay?team=abc").status_code == 404
    assert client.get(f"/trainer/{sid}/replay?team=%C2%B2").status_code == 404  # "²".isdigit()
    assert client.get(f"/trainer/{sid}/replay/{green}/frame.json?t=1").status_code == 404
    assert client.get(f"/trainer/{sid}/replay/{green}/marks.json").status_code == 404
    assert client.get(f"/trainer/{sid + 99}/replay").status_code == 404


def test_a_running_session_replays_up_to_now(app, running, runner):
    sid = running["drill"]["id"]
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        trainer_id, red = session.trainer_id, session.teams[0].id
    client = app.test_client()
    login(client, trainer_id)
    body = client.get(f"/trainer/{sid}/replay/{red}/frame.json?t=99999").get_json()
    assert body["t"] == body["end"] == pytest.approx(400.0)
    assert client.get(f"/trainer/{sid}/replay/{red}/marks.json").get_json()["status"] == "running"


def test_the_replay_queries_use_the_post_index(app, ended):
    """Tens of thousands of posts: the frame's queries must not scan the team's posts."""
    with app.app_context():
        plan = db.session.execute(
            db.text(
                "explain query plan select data from post where team_id = 1 "
                "and platform = 'forum' and t <= 100 order by t desc, id desc limit 50"
            )
        ).all()
    assert "ix_post_team_platform_t" in " ".join(str(row) for row in plan)


def test_the_migrations_create_the_replay_index(tmp_path):
    path = tmp_path / "fresh.db"
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "simulator", "db", "upgrade"],
        cwd=ROOT,
        env={
            "STORMDRILL_DATABASE_URL": f"sqlite:///{path}",
            "PATH": "/usr/bin:/bin",
            "STORMDRILL_SECRET_KEY": "x",
        },
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(path) as con:
        columns = [r[2] for r in con.execute("pragma index_info('ix_post_team_platform_t')")]
    assert columns == ["team_id", "platform", "t"]


def test_parse_time():
    assert replay.parse_time("12.5") == 12.5 and replay.parse_time(" 0 ") == 0.0
    for raw in (None, " ", "x", "-0.1", "nan", "inf"):
        with pytest.raises(replay.ReplayError):
            replay.parse_time(raw)
