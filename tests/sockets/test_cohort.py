"""The cohort: a team against the trainer's teams of ended sessions of the same scenario, from
scores stored when a session ends (or lazily), with facilitators' overrides applied on read."""

import re
import statistics

import pytest
from sqlalchemy import delete, func, select

from simulator.extensions import db
from simulator.models import DrillSession, Participant, TeamScore, Trainer
from simulator.services import aar, cohort
from simulator.services import actions as acts
from simulator.services import clock as session_clock
from simulator.services import debrief as debriefs
from simulator.services import participants as session_people
from simulator.services import sessions as svc
from simulator.throttle import init_app as fresh_throttles
from simulator.wallclock import clock_of

from .conftest import MINIMAL, login
from .test_actions import GOOD

YAML = MINIMAL.read_text()
YAML_V2 = YAML.replace('title: {fr: "Colis en retard"', 'title: {fr: "Colis très en retard"')

# what a team does: nothing, a memo to staff, or the memo, an escalation and a good reply
PLANS = {
    "nothing": [],
    "memo": [("cm", {"type": "memo", "text": "Point de situation pour tous"})],
    "good": [
        ("cm", {"type": "memo", "text": "Point de situation pour tous"}),
        (
            "cm",
            {
                "type": "escalate",
                "target": "i-first-complaint",
                "role": "comms_director",
                "severity": 2,
            },
        ),
        ("dir", {"type": "reply", "target": "i-first-complaint", "text": GOOD}),
    ],
}


def play(app, runner, trainer_id, teams, *, slug="minimal", yaml=YAML, lang="fr", name=""):
    """A session played to its end: `teams` is {team name: plan}. Returns its id."""
    with app.app_context():
        session = svc.create_session(
            db.session.get(Trainer, trainer_id),
            svc.NewSession(slug, yaml, lang, 10.0, 42, list(teams), name=name),
        )
        sid, code = session.id, session.join_code
        people = {}
        for i, team in enumerate(session.teams):
            cm, _ = session_people.join(code, f"Ana{i}", team.id, "community_manager")
            director, _ = session_people.join(code, f"Cléo{i}", team.id, "comms_director")
            people[team.name] = {"cm": cm.id, "dir": director.id}
        session_clock.start(session)
    step(app, runner, sid, 40)  # the first complaint is out
    with app.app_context():
        for team, plan in teams.items():
            for n, (who, data) in enumerate(PLANS[plan]):
                fresh_throttles(app)  # a plan's actions in one instant, not a flood
                participant = db.session.get(Participant, people[team][who])
                acts.act(participant, {"key": f"k{n}", **data})
    step(app, runner, sid, 60)
    with app.app_context():
        session_clock.end(db.session.get(DrillSession, sid))
    return sid


def step(app, runner, session_id, seconds):
    wall = clock_of(app)
    wall.t += seconds
    with app.app_context():
        runner.claim(session_id).tick(wall.t)


def other_trainer(app, name="eve"):
    with app.app_context():
        t = Trainer(name=name, password_hash="x")
        db.session.add(t)
        db.session.commit()
        return t.id


def team_ids(app, session_id):
    with app.app_context():
        return {t.name: t.id for t in db.session.get(DrillSession, session_id).teams}


@pytest.fixture
def cohort_world(app, trainer, runner):
    """Alice's four ended sessions of `minimal` (one in English, one on a changed text), one of
    another scenario; Eve's session of `minimal`."""
    s1 = play(app, runner, trainer, {"Red": "good", "Blue": "nothing"}, name="Monday")
    s2 = play(app, runner, trainer, {"Green": "memo", "Grey": "nothing"}, name="Tuesday")
    s3 = play(app, runner, trainer, {"Gold": "good"}, lang="en", name="Wednesday")
    s4 = play(app, runner, trainer, {"Pink": "memo"}, yaml=YAML_V2, name="Thursday")
    other = play(app, runner, trainer, {"Other": "good"}, slug="elsewhere", name="Elsewhere")
    eve = other_trainer(app)
    theirs = play(app, runner, eve, {"Eve": "good"}, name="Eve's")
    teams = {}
    for sid in (s1, s2, s3, s4, other, theirs):
        teams.update(team_ids(app, sid))
    return {"sessions": [s1, s2, s3, s4], "other": other, "theirs": theirs, "teams": teams}


def engine_totals(app, session_ids):
    """Each team's total straight from the debrief's scoring: {team id: total}."""
    out = {}
    with app.app_context():
        for sid in session_ids:
            session = db.session.get(DrillSession, sid)
            for team in session.teams:
                out[team.id] = debriefs.team_score(session, team)[0].total
    return out


def view(app, trainer_id, session_id, team_id, **filters):
    with app.app_context():
        trainer = db.session.get(Trainer, trainer_id)
        session = db.session.get(DrillSession, session_id)
        team = next(t for t in session.teams if t.id == team_id)
        return cohort.team_cohort(trainer, session, team, cohort.Filters(**filters))


def test_standing_against_hand_computed_values():
    values = [30, 50, 70, 70, 90, 95]
    got = cohort.standing(values, 70)
    # two teams above: 3rd; below it 2 of the 5 others, one tie counting half: 2.5/5
    assert (got["rank"], got["percentile"], got["median"], got["best"]) == (3, 50, 70, 95)
    assert cohort.standing(values, 95)["percentile"] == 100
    assert cohort.standing(values, 30)["percentile"] == 0
    assert cohort.standing([42.0], 42.0)["percentile"] is None
    assert cohort.standing([10, 20, 30], None) == {
        "count": 3,
        "median": 20,
        "best": 30,
        "worst": 10,
    }


def test_a_cohort_view_stores_its_teams_scores(app, trainer, runner):
    sid = play(app, runner, trainer, {"Red": "good", "Blue": "nothing"})
    teams = team_ids(app, sid)
    with app.app_context():
        assert db.session.scalars(select(TeamScore)).all() == []
    view(app, trainer, sid, teams["Red"])
    with app.app_context():
        rows = {r.team_id: r for r in db.session.scalars(select(TeamScore))}
        assert set(rows) == set(teams.values())
        red = rows[teams["Red"]]
        assert red.version == cohort.VERSION and red.scenario_slug == "minimal"
        assert red.yaml_hash == cohort.yaml_hash(YAML) and red.lang == "fr"
        assert [c["id"] for c in red.criteria][-1] == "containment"
    totals = engine_totals(app, [sid])
    assert {t: rows[t].total for t in rows} == totals


def test_a_team_against_its_cohort(app, trainer, cohort_world):
    s1, s2, s3, s4 = cohort_world["sessions"]
    teams = cohort_world["teams"]
    totals = engine_totals(app, [s1, s2, s3, s4])
    green = teams["Green"]

    # every session, every language, every version: the other scenario and Eve are out
    data = view(app, trainer, s2, green, lang="all", scope="all")
    assert {r["team"]["id"] for r in data["rows"]} == set(totals)
    values = sorted(totals.values(), reverse=True)
    mine = totals[green]
    assert data["standing"]["rank"] == 1 + sum(v > mine for v in values)
    assert data["standing"]["count"] == 6
    assert data["standing"]["median"] == round(statistics.median(values), 2)
    assert data["standing"]["best"] == max(values)
    lower = sum(v < mine for v in values)
    ties = sum(v == mine for v in values) - 1
    assert data["standing"]["percentile"] == round(100 * (lower + ties / 2) / 5)
    assert [r["total"] for r in data["rows"]] == values  # sorted by total
    assert data["me"]["team"]["id"] == green and data["me"]["version"] == 1
    assert {r["team"]["id"]: r["version"] for r in data["rows"]}[teams["Pink"]] == 2

    # by default: the team's language, sessions up to its own
    default = view(app, trainer, s2, green)
    assert {r["team"]["id"] for r in default["rows"]} == {
        teams[n] for n in ("Red", "Blue", "Green", "Grey")
    }
    assert default["later"] == 2
    only_v2 = view(app, trainer, s2, green, lang="all", scope="all", version=2)
    assert {r["team"]["id"] for r in only_v2["rows"]} == {
        teams["Pink"],
        teams["Green"],
        teams["Grey"],
    }


def test_overrides_count_in_the_cohort(app, trainer, cohort_world):
    s1 = cohort_world["sessions"][0]
    teams = cohort_world["teams"]
    blue = teams["Blue"]
    before = view(app, trainer, s1, blue, lang="all", scope="all")
    with app.app_context():
        alice = db.session.get(Trainer, trainer)
        session = db.session.get(DrillSession, s1)
        team = next(t for t in session.teams if t.id == blue)
        aar.override(alice, team, "quality", 5, "a good answer by phone")
        aar.override(alice, team, "quality", 20, "on second thought: the latest counts")
    after = view(app, trainer, s1, blue, lang="all", scope="all")
    old = before["me"]["criteria"]["quality"]["points"]
    quality = after["me"]["criteria"]["quality"]
    assert (quality["points"], quality["max"], quality["original"]) == (20, 20.0, old)
    total = round(before["me"]["total"] - old + 20, 2)
    assert after["me"]["total"] == total
    assert after["me"]["overridden"] and after["me"]["engine_total"] == before["me"]["total"]
    others = [r["total"] for r in after["rows"] if r["team"]["id"] != blue]
    assert others == [r["total"] for r in before["rows"] if r["team"]["id"] != blue]
    assert after["standing"]["rank"] == 1 + sum(t > total for t in others)
    assert after["standing"]["rank"] < before["standing"]["rank"]
    quality = next(c for c in after["criteria"] if c["id"] == "quality")
    assert quality["standing"]["best"] == 20 and quality["mine"]["points"] == 20
    client = app.test_client()
    login(client, trainer)
    page = client.get(f"/trainer/{s1}/debrief/{blue}/cohort?lang=all&scope=all").get_data(True)
    assert "✎" in page and "le moteur avait donné" in page


def test_scores_are_stored_on_first_view_and_at_most_a_few_computed_per_view(
    app, trainer, cohort_world, monkeypatch
):
    s1 = cohort_world["sessions"][0]
    red = cohort_world["teams"]["Red"]
    calls = []
    score = debriefs.team_score
    monkeypatch.setattr(debriefs, "team_score", lambda s, t: calls.append(t.id) or score(s, t))
    client = app.test_client()
    login(client, trainer)
    url = f"/trainer/{s1}/debrief/{red}/cohort?lang=all&scope=all"
    assert client.get(url).status_code == 200
    assert calls[0] == red and len(calls) == 6  # the first view scores its six teams, this first
    assert client.get(url).status_code == 200
    assert len(calls) == 6  # stored: the second view computes nothing
    calls.clear()

    # stale scores (a new scoring version): computed again, two per view, this team first
    monkeypatch.setattr(cohort, "VERSION", cohort.VERSION + 1)
    app.config["COHORT_COMPUTE_PER_VIEW"] = 2
    page = client.get(url).get_data(as_text=True)
    assert calls[0] == red and len(calls) == 2
    assert 'data-pending="4"' in page and page.count("<tr data-team=") == 2
    for _ in range(2):
        client.get(url)
    assert len(calls) == 6 and len(set(calls)) == 6
    page = client.get(url).get_data(as_text=True)
    assert len(calls) == 6 and "data-pending" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TeamScore)) == 6
        rows = db.session.scalars(select(TeamScore).where(TeamScore.team_id.in_(calls)))
        assert {r.version for r in rows} == {cohort.VERSION}

    # a score lost (a database restored without them) is computed lazily too
    with app.app_context():
        db.session.execute(delete(TeamScore).where(TeamScore.team_id == red))
        db.session.commit()
    client.get(url)
    assert calls[-1] == red and len(calls) == 7


def test_the_cohort_pages(app, trainer, cohort_world):
    s1, s2, s3, s4 = cohort_world["sessions"]
    teams = cohort_world["teams"]
    client = app.test_client()
    login(client, trainer)
    page = client.get(f"/trainer/{s1}/debrief").get_data(as_text=True)
    link = f"/trainer/{s1}/debrief/{teams['Red']}/cohort"
    assert f'href="{link}"' in page

    page = client.get(link + "?lang=all&scope=all").get_data(as_text=True)
    assert 'class="is-me" aria-current="true"' in page
    assert re.search(rf'<tr data-team="{teams["Red"]}" class="is-me"', page)
    for name in ("Red", "Blue", "Green", "Grey", "Gold", "Pink"):
        assert f">{name}</a>" in page
    assert ">Other</a>" not in page and ">Eve</a>" not in page
    assert "data-versions" in page and "cohort-version--other" in page  # Pink: another text
    assert f'href="/trainer/{s4}/debrief#team-{teams["Pink"]}"' in page
    assert 'id="cohort-data"' in page and "cohort.js" in page

    page = client.get("/trainer/library/minimal/cohort").get_data(as_text=True)
    assert page.count("<tr data-team=") == 6 and 'class="is-me"' not in page
    assert (
        client.get("/trainer/library/elsewhere/cohort").get_data(True).count("<tr data-team=") == 1
    )
    assert client.get("/trainer/library/nowhere/cohort").status_code == 404
    assert client.get(link + "?version=%C2%B2").status_code == 200  # not a version: every one


def test_nobody_else_reaches_a_cohort(app, trainer, cohort_world):
    s1 = cohort_world["sessions"][0]
    teams = cohort_world["teams"]
    url = f"/trainer/{s1}/debrief/{teams['Red']}/cohort"
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 302  # to the login page
    assert anonymous.get("/trainer/library/minimal/cohort").status_code == 302
    eve = app.test_client()
    with app.app_context():
        eve_id = db.session.scalar(select(Trainer.id).where(Trainer.name == "eve"))
    login(eve, eve_id)
    assert eve.get(url).status_code == 404
    # Eve's own view of the scenario lists her team only
    page = eve.get(f"/trainer/{cohort_world['theirs']}/debrief/{teams['Eve']}/cohort")
    assert page.status_code == 200 and page.get_data(True).count("<tr data-team=") == 1
    # a team of another session of hers is not a team of this session
    assert (
        eve.get(f"/trainer/{cohort_world['theirs']}/debrief/{teams['Red']}/cohort").status_code
        == 404
    )
    alice = app.test_client()
    login(alice, trainer)
    assert alice.get(f"/trainer/{s1}/debrief/{teams['Green']}/cohort").status_code == 404


def test_criteria_keep_their_names_when_the_latest_version_is_filtered_out(
    app, trainer, cohort_world
):
    with app.app_context():
        alice = db.session.get(Trainer, trainer)
        data = cohort.scenario_cohort(alice, "minimal", cohort.Filters(lang="all", version=1))
    assert data["rows"] and all(r["version"] == 1 for r in data["rows"])
    labels = {c["id"]: c["label"] for c in data["criteria"]}
    assert labels["containment"] == "Endiguement" and labels["triage"] == "Tri"
