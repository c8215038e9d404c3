"""Facilitators' score overrides and the after-action review (HSEEP) in the debrief."""

import re

import pytest

from simulator.engine.scoring import rating_of
from simulator.extensions import db
from simulator.models import DrillSession, Trainer
from simulator.services import aar
from simulator.services.views import plain

from .conftest import login
from .test_debrief import play


@pytest.fixture
def played(app, running, runner):
    play(app, running, runner)
    return running["drill"]


def _session(drill) -> DrillSession:
    return db.session.get(DrillSession, drill["id"])


def _trainer(session) -> Trainer:
    return db.session.get(Trainer, session.trainer_id)


def _debrief(session):
    return plain(aar.reviewed(session))


def _criterion(team_debrief, cid):
    return next(c for c in team_debrief["score"]["criteria"] if c["id"] == cid)


# -- services --------------------------------------------------------------------------------


def test_an_override_changes_the_total_and_keeps_the_original_and_the_note(app, played):
    with app.app_context():
        session = _session(played)
        red, blue = session.teams
        before = _debrief(session)
        original = _criterion(before["teams"][1], "internal")["points"]
        aar.override(
            _trainer(session), blue, "internal", 7.5, "Memo given orally, seen in the room"
        )
        after = _debrief(session)
    blue_before, blue_after = before["teams"][1], after["teams"][1]
    internal = _criterion(blue_after, "internal")
    assert internal["points"] == 7.5 and internal["original"] == original
    assert internal["override"]["note"] == "Memo given orally, seen in the room"
    assert blue_after["score"]["total"] == pytest.approx(
        blue_before["score"]["total"] - original + 7.5
    )
    row = next(r for r in after["ranking"] if r["team"]["id"] == blue.id)
    assert row["total"] == blue_after["score"]["total"] and row["criteria"]["internal"] == 7.5
    assert _criterion(after["teams"][0], "internal")["override"] is None  # Red untouched


def test_overrides_are_kept_and_the_latest_counts(app, played):
    with app.app_context():
        session = _session(played)
        red = session.teams[0]
        aar.override(_trainer(session), red, "containment", 2, "first look")
        aar.override(_trainer(session), red, "containment", "4.5", "after discussion")
        kept = [(o.points, o.note) for o in aar.overrides_for(red)]
        containment = _criterion(_debrief(session)["teams"][0], "containment")
    assert kept == [(2.0, "first look"), (4.5, "after discussion")]
    assert containment["points"] == 4.5 and containment["override"]["note"] == "after discussion"


def test_overrides_can_reorder_the_ranking(app, played):
    with app.app_context():
        session = _session(played)
        _, blue = session.teams
        for c in _debrief(session)["teams"][1]["score"]["criteria"]:
            aar.override(_trainer(session), blue, c["id"], c["max"], "generous facilitator")
        data = _debrief(session)
    assert [r["team"]["name"] for r in data["ranking"]] == ["Blue", "Red"]
    assert data["ranking"][0]["total"] == 100


@pytest.mark.parametrize(
    ("criterion", "points", "note", "code"),
    [
        ("internal", 10.5, "too much", "bad_points"),
        ("internal", -1, "too little", "bad_points"),
        ("internal", "lots", "not a number", "bad_points"),
        ("internal", float("nan"), "not a number", "bad_points"),
        ("internal", 5, "   ", "note_required"),
        ("internal", 5, None, "note_required"),
        ("charisma", 5, "no such criterion", "bad_criterion"),
        ("internal", 5, "x" * 2001, "too_long"),
    ],
)
def test_an_override_is_refused_when_invalid(app, played, criterion, points, note, code):
    with app.app_context():
        session = _session(played)
        with pytest.raises(aar.AarError) as error:
            aar.override(_trainer(session), session.teams[0], criterion, points, note)
        assert aar.overrides_for(session.teams[0]) == []
    assert error.value.code == code and isinstance(error.value, ValueError)


def test_only_the_sessions_trainer_overrides(app, played):
    with app.app_context():
        eve = Trainer(name="eve", password_hash="x")
        db.session.add(eve)
        db.session.commit()
        with pytest.raises(aar.AarError) as error:
            aar.override(eve, _session(played).teams[0], "internal", 5, "mine now")
    assert error.value.code == "not_yours"


def test_suggestions_are_stable_when_ratings_and_overrides_are_saved(app, played):
    """Saving a rating and an override moves no suggestion (they come from the storm and
    the actions, see scoring.suggest), and each says what it comes from."""
    with app.app_context():
        session = _session(played)
        red = session.teams[0]
        before = _debrief(session)["teams"][0]["aar"]["ratings"]
        aar.rate(red, "respond", "P", "seen in the room")
        aar.override(_trainer(session), red, "escalation", 0, "wrong person on the phone")
        aar.override(_trainer(session), red, "detection", 15, "they saw everything")
        after = _debrief(session)["teams"][0]["aar"]["ratings"]
    assert set(before) == {"respond", "escalate"}
    for oid, rating in before.items():
        assert rating["suggested"] in aar.RATINGS and rating["because"], oid
        assert (after[oid]["suggested"], after[oid]["because"]) == (
            rating["suggested"],
            rating["because"],
        )
    assert after["respond"]["rating"] == "P"
    # Red escalated the first complaint on time and answered it: "respond" is not U
    assert before["respond"]["suggested"] != "U"
    assert any("✓" in line for line in before["respond"]["because"])


@pytest.mark.parametrize(
    ("share", "rating"),
    [(100, "P"), (85, "P"), (84.9, "S"), (65, "S"), (64.9, "M"), (40, "M"), (39.9, "U"), (0, "U")],
)
def test_the_rating_thresholds(share, rating):
    assert rating_of(share) == rating


def test_ratings_are_set_and_shown_beside_the_suggestion(app, played):
    with app.app_context():
        session = _session(played)
        red = session.teams[0]
        aar.rate(red, "escalate", "m", "Right role, but late")
        aar.rate(red, "escalate", "S", "On reflection, some challenges")
        ratings = _debrief(session)["teams"][0]["aar"]["ratings"]
    assert ratings["escalate"]["rating"] == "S"
    assert ratings["escalate"]["note"] == "On reflection, some challenges"
    assert ratings["escalate"]["suggested"] in aar.RATINGS
    assert ratings["respond"]["rating"] is None
    assert ratings["respond"]["title"] == "Répondre vite et bien"


@pytest.mark.parametrize(
    ("objective", "rating", "code"),
    [
        ("escalate", "X", "bad_rating"),
        ("escalate", "", "bad_rating"),
        ("fly", "P", "bad_objective"),
    ],
)
def test_a_bad_rating_is_refused(app, played, objective, rating, code):
    with app.app_context(), pytest.raises(aar.AarError) as error:
        aar.rate(_session(played).teams[0], objective, rating, "")
    assert error.value.code == code


def test_strengths_improvements_and_the_plan(app, played):
    with app.app_context():
        session = _session(played)
        red, blue = session.teams
        aar.add_item(red, "strength", "Memo before the public heard anything")
        aar.add_item(red, "improvement", "Escalate the journalist sooner")
        plan = aar.add_item(red, "plan", "Train on-call escalation", "Cléo", "2030-01-31")
        with pytest.raises(aar.AarError) as not_theirs:
            aar.delete_item(blue, plan.id)
        items = _debrief(session)["teams"][0]["aar"]["items"]
        aar.delete_item(red, plan.id)
        left = [i.kind for i in aar.items_of(red)]
    assert not_theirs.value.code == "no_item"
    assert [(i["kind"], i["owner"], i["due"]) for i in items] == [
        ("strength", "", ""),
        ("improvement", "", ""),
        ("plan", "Cléo", "2030-01-31"),
    ]
    assert left == ["strength", "improvement"]


@pytest.mark.parametrize(
    ("kind", "text", "owner", "due", "code"),
    [
        ("wish", "text", "", "", "bad_kind"),
        ("plan", "  ", "", "", "text_required"),
        ("plan", "text", "", "31/01/2030", "bad_due"),
        ("plan", "text", "", "2030-02-30", "bad_due"),
        ("plan", "text", "x" * 81, "", "too_long"),
        ("strength", "text", "Cléo", "", "bad_kind"),
        ("strength", "Escalade\u0000 rapide", "", "", "bad_text"),
        ("plan", "text", "Cl\u001béo", "", "bad_text"),
    ],
)
def test_a_bad_item_is_refused(app, played, kind, text, owner, due, code):
    with app.app_context():
        team = _session(played).teams[0]
        with pytest.raises(aar.AarError) as error:
            aar.add_item(team, kind, text, owner, due)
        assert aar.items_of(team) == []
    assert error.value.code == code


# -- routes ----------------------------------------------------------------------------------


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _client(app, played):
    client = app.test_client()
    with app.app_context():
        session = _session(played)
        trainer_id, teams = session.trainer_id, [t.id for t in session.teams]
    login(client, trainer_id)
    return client, teams


def _token(client, sid) -> str:
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    return TOKEN.search(page).group(1)


def test_the_debrief_page_has_the_review_and_the_forms(app, played):
    client, (red, _) = _client(app, played)
    sid = played["id"]
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert "Répondre vite et bien" in page and "Escalader au bon rôle" in page
    assert f'action="/trainer/{sid}/debrief/{red}/rate"' in page
    assert f'action="/trainer/{sid}/debrief/{red}/override"' in page
    assert f'action="/trainer/{sid}/debrief/{red}/items"' in page


def test_an_override_through_the_page_is_shown_with_its_note(app, played):
    client, (red, blue) = _client(app, played)
    sid = played["id"]
    token = _token(client, sid)
    response = client.post(
        f"/trainer/{sid}/debrief/{blue}/override",
        data={"csrf_token": token, "criterion": "internal", "points": "8", "note": "Told HR"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trainer/{sid}/debrief#team-{blue}")
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert "Told HR" in page and "8,0/10" in page  # a French page writes 8,0


def test_forms_through_the_page(app, played):
    client, (red, _) = _client(app, played)
    sid = played["id"]
    token = _token(client, sid)
    base = f"/trainer/{sid}/debrief/{red}"
    client.post(
        f"{base}/rate",
        data={"csrf_token": token, "objective": "respond", "rating": "M", "note": "Slow"},
    )
    client.post(
        f"{base}/items",
        data={"csrf_token": token, "kind": "plan", "text": "Drill again", "owner": "Ana"},
    )
    with app.app_context():
        team = db.session.get(DrillSession, sid).teams[0]
        (item,) = aar.items_of(team)
        assert aar.ratings_of(team)["respond"].rating == "M"
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert "Drill again · Ana" in page and "Slow" in page
    client.post(f"{base}/items/{item.id}/delete", data={"csrf_token": token})
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert "Drill again" not in page


def test_a_refusal_is_flashed_on_the_teams_review(app, played):
    client, (red, blue) = _client(app, played)
    sid = played["id"]
    token = _token(client, sid)
    for data in (
        {"objective": "respond", "rating": "Z"},
        {"criterion": "internal", "points": "11", "note": "x"},
        {"criterion": "internal", "points": "5", "note": ""},
    ):
        path = "rate" if "rating" in data else "override"
        response = client.post(
            f"/trainer/{sid}/debrief/{red}/{path}", data={"csrf_token": token, **data}
        )
        assert response.status_code == 302
        page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
        assert page.count('class="aar__error"') == 1
        flash = page.index('class="aar__error"')
        assert page.index(f'id="team-{red}"') < flash < page.index(f'id="team-{blue}"')
    with app.app_context():
        team = db.session.get(DrillSession, sid).teams[0]
        assert aar.overrides_for(team) == [] and aar.ratings_of(team) == {}


def test_forms_need_the_csrf_token(app, played):
    client, (red, _) = _client(app, played)
    sid = played["id"]
    response = client.post(
        f"/trainer/{sid}/debrief/{red}/override",
        data={"criterion": "internal", "points": "8", "note": "no token"},
    )
    assert response.status_code == 400
    response = client.post(
        f"/trainer/{sid}/debrief/{red}/rate", data={"csrf_token": "forged", "rating": "P"}
    )
    assert response.status_code == 400
    with app.app_context():
        team = db.session.get(DrillSession, sid).teams[0]
        assert aar.overrides_for(team) == [] and aar.ratings_of(team) == {}


def test_another_trainers_session_is_not_found(app, played):
    with app.app_context():
        eve = Trainer(name="eve", password_hash="x")
        db.session.add(eve)
        db.session.commit()
        eve_id = eve.id
    client, (red, _) = _client(app, played)
    sid = played["id"]
    token = _token(client, sid)  # a valid token, in eve's browser
    login(client, eve_id)
    for path, data in (
        ("override", {"criterion": "internal", "points": "10", "note": "mine"}),
        ("rate", {"objective": "respond", "rating": "P"}),
        ("items", {"kind": "strength", "text": "mine"}),
        ("items/1/delete", {}),
    ):
        response = client.post(
            f"/trainer/{sid}/debrief/{red}/{path}", data={"csrf_token": token, **data}
        )
        assert response.status_code == 404
    with app.app_context():
        team = db.session.get(DrillSession, sid).teams[0]
        assert aar.overrides_for(team) == [] and aar.items_of(team) == []


def test_a_team_of_another_session_is_not_found(app, played):
    client, (red, _) = _client(app, played)
    token = _token(client, played["id"])
    response = client.post(
        f"/trainer/{played['id']}/debrief/999999/rate",
        data={"csrf_token": token, "objective": "respond", "rating": "P"},
    )
    assert response.status_code == 404


def test_the_forms_need_a_login(app, played):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    response = client.post(
        f"/trainer/{played['id']}/debrief/{played['teams'][0]}/rate",
        data={"csrf_token": token, "objective": "respond", "rating": "P"},
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_api_debrief_is_the_one_the_trainer_reads(app, played):
    from simulator.services import accounts

    with app.app_context():
        session = _session(played)
        trainer = _trainer(session)
        red = session.teams[0]
        aar.override(trainer, red, "quality", 17, "a fine answer by phone")
        aar.rate(red, next(iter(_debrief(session)["teams"][0]["aar"]["ratings"])), "S")
        page = _debrief(session)
        headers = {"Authorization": f"Bearer {accounts.issue_api_token(trainer)}"}
    body = app.test_client().get(f"/api/v1/sessions/{played['id']}/debrief", headers=headers)
    data = body.get_json()
    assert data["ranking"] == page["ranking"]
    api_red = data["teams"][0]
    assert _criterion(api_red, "quality")["points"] == 17
    assert _criterion(api_red, "quality")["override"]["note"] == "a fine answer by phone"
    assert "S" in [r["rating"] for r in api_red["aar"]["ratings"].values()]
