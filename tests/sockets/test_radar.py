"""The listening radar: its figures are the stored posts' figures, live and after a reload."""

from simulator import radar as radars
from simulator.extensions import db
from simulator.models import DrillSession, PostRecord
from simulator.services import history
from simulator.services import sessions as svc

from .conftest import _control, _tick, events


def test_the_radar_sent_live_equals_the_radar_of_the_stored_posts(
    app, drill, join, trainer_socket, runner
):
    _, _, red = join("Ana", 0)
    sid, team = drill["id"], drill["teams"][0]
    _control(trainer_socket, session=sid, action="start")
    for _ in range(8):
        _tick(app, runner, sid, 20)
    for _ in range(2):  # ten simulated seconds each: the same past minutes as the last radar's
        _tick(app, runner, sid, 1)
    live = [e["args"][0] for e in events(red, name="radar")]
    assert live and live[-1]["team"] == team
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        until = session.teams[0].emitted_until
        scenario = svc.scenario_of(session)
        stored = history.radar(team, until, scenario)
        # the same figures, counted by hand from the stored posts
        rows = [
            r.data
            for r in db.session.query(PostRecord).filter(
                PostRecord.team_id == team, PostRecord.t >= (int(until // 60) - 14) * 60
            )
        ]
        mine = runner.claim(sid).radar(team, until)
        # the runner keeps the sums of the past minutes between two radars: the last one it
        # sent is the radar of the stored posts at its time all the same
        sent_then = history.radar(team, live[-1]["until"], scenario)
    assert mine == stored
    assert live[-1] == sent_then
    volume = {p: sum(1 for r in rows if r["platform"] == p) for p in scenario.platforms}
    assert {p: sum(v) for p, v in stored["volume"].items()} == volume
    now = [r for r in rows if r["t"] // 60 > int(until // 60) - radars.NOW]
    assert stored["now"]["posts"] == len(now)
    assert stored["now"]["negative"] == round(
        sum(r["sentiment"] == "negative" for r in now) / len(now), 3
    )
    # a reload gets the same radar in its snapshot
    snap = red.emit("resync", {"last_seq": -1}, namespace="/play", callback=True)
    assert snap["ok"]
    got = events(red, name="snapshot")[-1]["args"][0]["radar"]
    assert got == stored


def test_the_radar_raises_alerts_with_their_posts():
    def post(i, t, **kw):
        base = {
            "id": f"m{i}",
            "t": t,
            "platform": "microblog",
            "kind": "post",
            "text": "Fuite chez Bleuet ? #fuitebleuet",
            "parent": None,
            "sentiment": "negative",
            "author": {
                "handle": f"@a{i}",
                "name": f"A {i}",
                "persona": "customer",
                "followers": i,
                "verified": False,
            },
        }
        return {**base, **kw}

    calm = [post(i, 60.0 * (i % 10)) for i in range(20)]
    storm = [post(100 + i, 660 + i) for i in range(40)]
    shares = [
        post(200 + i, 680 + i / 2, kind="share", parent="m5", text="RT @a5: x") for i in range(30)
    ]
    press = post(
        300,
        710,
        author={
            "handle": "@press",
            "name": "P",
            "persona": "journalist",
            "followers": 9000,
            "verified": True,
        },
        text="Bleuet peut-il confirmer le nombre de clients touchés ?",
    )
    buckets = radars.minutes_of([*calm, *storm, *shares, press], ("bleuet",))
    figures = radars.radar(buckets, 719.0, ["microblog", "forum"])
    kinds = {a["kind"]: a for a in figures["alerts"]}
    assert kinds["viral"]["post"] == "m5" and kinds["viral"]["n"] == 30
    assert kinds["press"]["posts"][0]["id"] == "m300"
    assert kinds["fire"]["platform"] == "microblog"
    assert figures["accounts"][0]["handle"] == "@press"
    assert "#fuitebleuet" in [r["term"] for r in figures["rising"]]
    assert figures["now"]["mentions"] == 40 + 2 + 1  # the storm, two at 0:09, the journalist


def _tile_figures(radar):
    """What the trainer's tile is to show of a team's radar."""
    return {
        "now": radar["now"],
        "rising": [r["term"] for r in radar["rising"][:3]],
        "alerts": [
            (a["kind"], a.get("n"), a.get("post"), a.get("platform")) for a in radar["alerts"]
        ],
    }


def _figures_of_tile(tile):
    return {
        "now": {k: v for k, v in tile.items() if k not in ("rising", "alerts")},
        "rising": tile["rising"],
        "alerts": [
            (a["kind"], a.get("n"), a.get("post"), a.get("platform")) for a in tile["alerts"]
        ],
    }


def test_the_trainers_tile_shows_each_teams_radar(app, drill, join, trainer_socket, runner):
    _, _, red = join("Ana", 0)
    _, _, blue = join("Bob", 1)
    sid, teams = drill["id"], drill["teams"]
    _control(trainer_socket, session=sid, action="start")
    trainer_socket.emit("watch", {"session": sid}, namespace="/trainer", callback=True)
    # Blue's storm twice as loud: the two radars differ, a tile showing the other team's fails
    _control(trainer_socket, session=sid, action="difficulty", team=teams[1], volume=2.0)
    for _ in range(12):
        _tick(app, runner, sid, 20)
    overview = [
        e["args"][0] for e in trainer_socket.get_received("/trainer") if e["name"] == "overview"
    ]
    radars_sent = {
        name: events(sock, name="radar")[-1]["args"][0]
        for name, sock in (("red", red), ("blue", blue))
    }
    tiles = {t["id"]: t["radar"] for t in overview[-1]["teams"]}
    assert _tile_figures(radars_sent["red"]) != _tile_figures(radars_sent["blue"])
    assert radars_sent["red"]["now"]["posts"] and radars_sent["red"]["rising"]
    for name, team in zip(("red", "blue"), teams, strict=True):
        assert radars_sent[name]["team"] == team
        assert _figures_of_tile(tiles[team]) == _tile_figures(radars_sent[name])
    # a reload of the control room: the tile is the radar of the stored posts at that time
    ack = trainer_socket.emit("watch", {"session": sid}, namespace="/trainer", callback=True)
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        scenario = svc.scenario_of(session)
        for team in session.teams:
            tile = next(t["radar"] for t in ack["overview"]["teams"] if t["id"] == team.id)
            stored = history.radar(team.id, team.emitted_until, scenario)
            assert _figures_of_tile(tile) == _tile_figures(stored)
