"""What if: the same storm replayed with a team's actions dropped or moved."""

from simulator.extensions import db
from simulator.models import ActionRecord, DrillSession
from simulator.services.fork import ForkError, fork

from .conftest import login, stranger
from .test_actions import GOOD, act
from .test_drill import control, tick


def played(app, running, runner):
    act(running["red"], key="m", type="memo", text="Point de situation")
    act(running["director"], key="r", type="reply", target="i-first-complaint", text=GOOD)
    tick(app, runner, running["drill"]["id"], 120)
    control(running["trainer"], session=running["drill"]["id"], action="end")
    with app.app_context():
        return [r.id for r in db.session.query(ActionRecord).filter_by(engine=True)]


def test_dropping_every_action_gives_the_unanswered_storm(app, running, runner):
    ids = played(app, running, runner)
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        team = session.teams[0]
        result = fork(session, team, 0.0, set(ids), {})
        assert result.what_if.negative == result.unanswered
        assert result.actual.negative != result.unanswered
        nothing = fork(session, team, 0.0, set(), {})  # changing nothing changes nothing
        assert nothing.what_if == nothing.actual


def test_moving_the_reply_later_changes_the_storm_after_it(app, running, runner):
    ids = played(app, running, runner)
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        team = session.teams[0]
        reply = db.session.query(ActionRecord).filter_by(type="reply", engine=True).one()
        later = fork(session, team, reply.applied_t, set(), {reply.id: reply.applied_t + 900})
        minute = int(reply.applied_t // 60)
        assert later.what_if.negative[:minute] == later.actual.negative[:minute]
        assert later.what_if.score.total <= later.actual.score.total
        try:
            fork(session, team, 0.0, {max(ids) + 99}, {})
        except ForkError as exc:
            assert exc.code == "bad_action"
        else:
            raise AssertionError("an unknown action must be refused")


def test_the_what_if_page(app, running, runner):
    ids = played(app, running, runner)
    client = app.test_client()
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        team_id, trainer_id = session.teams[0].id, session.trainer_id
    login(client, trainer_id)
    url = f"/trainer/{running['drill']['id']}/debrief/{team_id}/fork"
    page = client.get(url).get_data(as_text=True)
    assert "move_" in page
    query = "?at=0&" + "&".join(f"drop={i}" for i in ids)
    page = client.get(url + query).get_data(as_text=True)
    assert 'id="fork-chart"' in page
    assert stranger(app, "zed").get(url).status_code == 404


def test_a_what_if_from_a_snapshot_is_the_storm_replayed_from_the_start(app, running, runner):
    """The what-if starts from the team's storm as of the last snapshot before the first
    change, not from minute 0: the posts it counts are exactly those of a full replay."""
    from simulator.engine.actions import Action
    from simulator.engine.storm import Storm
    from simulator.engine.tally import Tally
    from simulator.services import debrief as debriefs
    from simulator.services import fork as forks

    played(app, running, runner)
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        team = session.teams[0]
        until = team.emitted_until
        assert until > 2 * forks.STEP + 100
        actual = [
            debriefs.acts.engine_action(r, r.applied_t)
            for r in debriefs.team_actions(team)
            if r.engine
        ]
        controls = list(debriefs._controls(session, team))
        inputs = sorted(controls + actual, key=lambda a: a.t)
        late = 2 * forks.STEP + 100  # after the third snapshot
        statement = Action(t=late, type="holding_statement", text=GOOD, id="hs")
        what_if = sorted([*inputs, statement], key=lambda a: a.t)
        playing, _ = debriefs.tallies(session, team)
        forked = forks._forked(session, team, inputs, what_if, [late], playing)
        whole = Tally.of(
            Storm(forks.svc.scenario_of(session), session.seed, session.lang, what_if).advance(
                until
            ),
            until=until,
        )
        snapshots = next(reversed(forks._snapshots.values()))
    assert [t for t, _ in snapshots][:3] == [0.0, forks.STEP, 2 * forks.STEP]
    minutes = int(until // 60) + 1
    assert forked.series(minutes) == whole.series(minutes) and forked.posts == whole.posts
    assert forked.injects == whole.injects


def test_inputs_are_given_again_in_the_order_the_runner_applied_them():
    """By the time the runner took each input, then its place (`applied_n`), never by id:
    PostgreSQL can commit a later id first, and the runner took the inputs as they came."""
    from simulator.models import Control
    from simulator.services import controls as session_controls
    from simulator.services import debrief as debriefs

    def reply(id_, n, at):
        record = ActionRecord(id=id_, type="reply", target="x", text="t", sim_t=at - 1)
        record.applied_t, record.applied_n = at, n
        return record

    later_id_first = [reply(7, 5, 60.0), reply(8, 4, 60.0), reply(9, 7, 30.0)]
    curveball = Control(id=3, kind="inject", payload={"inject": "i"}, sim_t=58.0)
    curveball.applied_t, curveball.applied_n = 60.0, 6
    inputs = [debriefs.action_input(r) for r in later_id_first]
    inputs.append(
        (
            (60.0, *session_controls.input_place(6, 0, 3)),
            session_controls.control_action(curveball, 60.0),
        )
    )
    assert [a.id for a in debriefs.in_order(inputs)] == ["p9", "p8", "p7", "c3"]
    before_order = [reply(10, None, 60.0), reply(2, None, 60.0)]  # taken before applied_n
    assert [a.id for a in debriefs.in_order(map(debriefs.action_input, before_order))] == [
        "p2",
        "p10",
    ]
