"""The debrief of a played session: scores with reasons, the CSV export and the JSON API."""

import csv
import gzip
import io

from simulator.extensions import db
from simulator.models import DrillSession
from simulator.services import debrief as debriefs
from simulator.services.views import plain

from .conftest import login, stranger
from .test_actions import GOOD, act
from .test_drill import control, tick


def play(app, running, runner):
    red = running["red"]
    act(red, key="m", type="memo", text="Point de situation pour tous")
    act(
        red, key="e", type="escalate", target="i-first-complaint", role="comms_director", severity=2
    )
    act(
        running["director"],
        key="r",
        type="reply",
        target="i-first-complaint",
        text='=HYPERLINK("http://x") ' + GOOD,
    )
    act(red, key="c", type="chat", text="@Cléo je prends le forum")
    tick(app, runner, running["drill"]["id"], 60)
    control(running["trainer"], session=running["drill"]["id"], action="end")


def test_the_debrief_ranks_teams_and_explains_scores(app, running, runner):
    play(app, running, runner)
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        data = plain(debriefs.session_debrief(session))
    red, blue = data["teams"]
    assert [r["team"]["name"] for r in data["ranking"]] == ["Red", "Blue"]
    assert red["score"]["total"] > blue["score"]["total"]
    internal = next(c for c in red["score"]["criteria"] if c["id"] == "internal")
    assert internal["points"] == 10 and "Note interne" in internal["reasons"][0]["text"]
    first = next(i for i in red["injects"] if i["inject"] == "first-complaint")
    assert first["escalated"][0]["role"] == "comms_director" and first["answered"] is not None
    (reply,) = red["replies"]
    assert reply["verdict"] == "good" and any(not h["forbidden"] for h in reply["hits"])
    assert [m["text"] for m in red["chat"]] == ["@Cléo je prends le forum"]
    assert blue["replies"] == [] and blue["score"]["containment"] == 0.0
    assert len(red["timeline"]["minutes"]) == len(red["timeline"]["unanswered_negative"])


def test_the_debrief_page_and_csv(app, running, runner):
    play(app, running, runner)
    client = app.test_client()
    with app.app_context():
        trainer_id = db.session.get(DrillSession, running["drill"]["id"]).trainer_id
    login(client, trainer_id)
    sid = running["drill"]["id"]
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert "Red" in page and "Blue" in page and '<mark class="hit hit--good"' in page
    assert "@Cléo je prends le forum" in page
    response = client.get(f"/trainer/{sid}/debrief.csv")
    assert response.mimetype == "text/csv" and response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["team", "event", "t"]
    reply = next(r for r in rows if r[1] == "action" and r[5] == "reply")
    assert reply[8].startswith("'=HYPERLINK")  # never a formula in Excel
    assert any(r[1] == "score" and r[5] == "total" for r in rows)
    # what a facilitator uses in one file; the posts (tens of thousands of rows) on request
    assert not any(r[1] == "post" for r in rows)
    posts = client.get(f"/trainer/{sid}/debrief-posts.csv.gz")
    assert posts.mimetype == "application/gzip"
    text = gzip.decompress(posts.data).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["team", "event", "t"] and len(rows) > 10
    assert {r[1] for r in rows[1:]} == {"post"}
    assert len(posts.data) * 3 < len(text.encode())


def test_another_trainer_cannot_read_the_debrief(app, running):
    client = stranger(app)
    sid = running["drill"]["id"]
    assert client.get(f"/trainer/{sid}/debrief").status_code == 404
    assert client.get(f"/trainer/{sid}/debrief.csv").status_code == 404
    assert client.get(f"/trainer/{sid}/debrief-posts.csv.gz").status_code == 404


def test_an_ended_session_is_deleted_with_everything_it_recorded(app, running, runner):
    from simulator.models import ActionRecord, PostRecord, ShareLink, TeamScore
    from simulator.services import cohort, sharing
    from simulator.services import sessions as svc

    play(app, running, runner)
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        sharing.create_link(session)
        cohort.store(session, session.teams[0])  # a cohort page scored it
        svc.delete_session(session)
        assert db.session.query(TeamScore).count() == 0
        assert db.session.query(ActionRecord).count() == 0
        assert db.session.query(PostRecord).count() == 0
        assert db.session.query(ShareLink).count() == 0
        assert db.session.get(DrillSession, running["drill"]["id"]) is None


def test_an_approved_reply_is_credited_to_its_author_and_its_approver(app, running, runner):
    """Ana (community manager) wrote the reply, Cléo (comms director) approved it: the
    debrief shows Ana as its author and Cléo as approver, in the replies, the timeline, the
    people, the CSV and the API, and both earn points for it (Ana most: she wrote it)."""
    red, director = running["red"], running["director"]
    draft = act(red, key="d1", type="reply", target="i-first-complaint", text=GOOD)
    assert act(director, key="a1", type="approve", draft=draft["action"]["id"])["ok"]
    tick(app, runner, running["drill"]["id"], 30)
    control(running["trainer"], session=running["drill"]["id"], action="end")
    with app.app_context():
        session = db.session.get(DrillSession, running["drill"]["id"])
        data = plain(debriefs.session_debrief(session))
    red_team = data["teams"][0]
    (reply,) = red_team["replies"]
    assert (reply["by"], reply["approved_by"]) == ("Ana", "Cléo")
    (mark,) = [a for a in red_team["timeline"]["actions"] if a["type"] == "reply"]
    assert (mark["by"], mark["approved_by"]) == ("Ana", "Cléo")
    people = red_team["people"]
    assert people["Ana"]["points"] > people["Cléo"]["points"] > 0
    assert people["Cléo"]["approved"] == 1
    quality = next(c for c in red_team["score"]["criteria"] if c["id"] == "quality")
    assert quality["points"] > 0 and people["Ana"]["points"] >= quality["points"]

    client = app.test_client()
    login(client, session.trainer_id)
    sid = running["drill"]["id"]
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/trainer/{sid}/debrief.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    column = rows[0].index("approved_by")
    published = [r for r in rows if r[1] == "action" and r[5] == "reply" and "done" in r[9]]
    assert [(r[6], r[column]) for r in published] == [("Ana", "Cléo")]
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert "Ana · validation : Cléo" in page
