"""The runner plays each team's storm unanswered alongside it and keeps both tallies, so a
debrief reads them instead of replaying a storm; a missing or stale tally is computed once."""

import pytest

from simulator.engine.posts import post_from_dict
from simulator.engine.storm import Storm
from simulator.engine.tally import Tally
from simulator.extensions import db
from simulator.models import DrillSession, PostRecord, Team
from simulator.services import controls as session_controls
from simulator.services import debrief as debriefs
from simulator.services import sessions as svc
from simulator.services.views import plain

from .test_debrief import play
from .test_drill import control, tick


def expected(session, team):
    """Both tallies computed from the record: the posts sent, and a fresh unanswered storm."""
    rows = db.session.query(PostRecord).filter_by(team_id=team.id).order_by(PostRecord.id)
    played = Tally.of((post_from_dict(r.data) for r in rows), until=team.emitted_until)
    controls = [
        session_controls.control_action(c, c.applied_t)
        for c in session_controls.storm_controls(session.id)
        if c.team_id in (None, team.id)
    ]
    alone = Storm(svc.scenario_of(session), session.seed, session.lang, controls)
    return played, Tally.of(alone.advance(team.emitted_until), until=team.emitted_until)


def test_the_runner_keeps_both_tallies_and_a_curveball_forks_one(
    app, drill, join, trainer_socket, runner
):
    join("Ana", 0)
    join("Bob", 1)
    sid = drill["id"]
    control(trainer_socket, session=sid, action="start")
    tick(app, runner, sid, 30)
    control(
        trainer_socket, session=sid, action="inject", team=drill["teams"][1], inject="curveball"
    )
    tick(app, runner, sid, 30)
    control(trainer_socket, session=sid, action="end")
    tick(app, runner, sid, 1)
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        red, blue = session.teams
        for team in (red, blue):
            played, alone = expected(session, team)
            assert Tally.from_json(team.played) == played
            assert Tally.from_json(team.unanswered) == alone
            assert team.played["until"] == team.emitted_until == 600
        assert any(p.inject == "curveball" for p in Tally.from_json(blue.unanswered).injects)
        assert not any(p.inject == "curveball" for p in Tally.from_json(red.unanswered).injects)


def test_a_debrief_reads_the_tallies_and_replays_no_storm(app, running, runner, monkeypatch):
    play(app, running, runner)
    monkeypatch.setattr(debriefs, "unanswered_storm", pytest.fail)
    debriefs._recent.clear()
    monkeypatch.setattr(debriefs, "team_posts", pytest.fail)
    with app.app_context():
        data = plain(debriefs.session_debrief(db.session.get(DrillSession, running["drill"]["id"])))
    red = data["teams"][0]
    assert red["score"]["total"] > 0 and red["timeline"]["injects"]


def test_a_session_without_tallies_gets_them_computed_once(app, running, runner, monkeypatch):
    play(app, running, runner)
    sid = running["drill"]["id"]
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        first = plain(debriefs.session_debrief(session))
        for team in session.teams:  # as a session recorded before tallies existed
            team.played = team.unanswered = None
        db.session.commit()
        replays = []
        debriefs._recent.clear()
        storm = debriefs.unanswered_storm
        monkeypatch.setattr(
            debriefs, "unanswered_storm", lambda s, t: replays.append(t.id) or storm(s, t)
        )
        again = plain(debriefs.session_debrief(db.session.get(DrillSession, sid)))
        assert again == first and len(replays) == 1  # both teams got the same controls
        for team in db.session.get(DrillSession, sid).teams:
            played, alone = expected(session, team)
            assert Tally.from_json(team.played) == played
            assert Tally.from_json(team.unanswered) == alone
        plain(debriefs.session_debrief(db.session.get(DrillSession, sid)))
        assert len(replays) == 1


def test_a_stale_unanswered_tally_is_not_trusted(app, running, runner):
    """One that names other controls than the record's (the runner died before saving) is
    computed again."""
    play(app, running, runner)
    with app.app_context():
        team = db.session.get(Team, running["drill"]["teams"][0])
        good = dict(team.unanswered)
        team.unanswered = {**good, "negative": [999], "controls": [12345]}
        db.session.commit()
        session = db.session.get(DrillSession, running["drill"]["id"])
        _, alone = debriefs.tallies(session, team)
        assert alone == Tally.from_json(good)


def test_a_running_sessions_debrief_uses_the_runners_last_save(app, running, runner, monkeypatch):
    """Saved each simulated minute, the tallies of a running session are a little behind
    the record; the debrief takes them as they are rather than replay the storm."""
    sid = running["drill"]["id"]
    tick(app, runner, sid, 1)  # 10 simulated seconds more (6:40 to 6:50): not saved
    with app.app_context():
        team = db.session.get(Team, running["drill"]["teams"][0])
        assert team.played["until"] < team.emitted_until
    monkeypatch.setattr(debriefs, "unanswered_storm", pytest.fail)
    monkeypatch.setattr(debriefs, "team_posts", pytest.fail)
    debriefs._recent.clear()
    with app.app_context():
        data = plain(debriefs.session_debrief(db.session.get(DrillSession, sid)))
    assert [t["team"]["name"] for t in data["teams"]] == ["Red", "Blue"]
